package dev.jvswitch.flowcache.key;

import static dev.jvswitch.flowcache.key.FieldFormat.DECIMAL;
import static dev.jvswitch.flowcache.key.FieldFormat.FRAG;
import static dev.jvswitch.flowcache.key.FieldFormat.HEX;
import static dev.jvswitch.flowcache.key.FieldFormat.IPV4;
import static dev.jvswitch.flowcache.key.FieldFormat.IPV6;
import static dev.jvswitch.flowcache.key.FieldFormat.MAC;
import static dev.jvswitch.flowcache.key.FieldFormat.TUNNEL_FLAGS;
import static dev.jvswitch.flowcache.key.FlowPrereq.ARP;
import static dev.jvswitch.flowcache.key.FlowPrereq.ICMPV4;
import static dev.jvswitch.flowcache.key.FlowPrereq.ICMPV6;
import static dev.jvswitch.flowcache.key.FlowPrereq.IP_ANY;
import static dev.jvswitch.flowcache.key.FlowPrereq.ND;
import static dev.jvswitch.flowcache.key.FlowPrereq.ND_ADVERT;
import static dev.jvswitch.flowcache.key.FlowPrereq.ND_SOLICIT;
import static dev.jvswitch.flowcache.key.FlowPrereq.NONE;
import static dev.jvswitch.flowcache.key.FlowPrereq.TP_PORTS;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The one table of flow key fields. The parser, masks, the megaflow printer, the ovs-ofctl syntax
 * parser and (later) the OpenFlow wire format all find a field's bits here and nowhere else.
 *
 * <p><b>Layout.</b> Words are grouped so that the masks the datapath installs most often touch
 * few words: metadata first, then L2, L3 and L4, with the rarely matched 128-bit and ARP/ND fields
 * in words of their own. A field never straddles two words except the 128-bit ones, which take two
 * consecutive words (high 64 bits first). Values are stored as plain unsigned numbers in the bits
 * {@code [shift, shift + width)} of their word, most significant bit of the wire field highest.
 *
 * <pre>
 *  word  63                48                32                16                 0
 *   0   |            recirc_id              |              in_port              |
 *   1   |             dp_hash               |             skb_mark              |
 *   2   |                             tun_id                                    |
 *   3   |             tun_src               |             tun_dst               |
 *   4   |   tun_tp_src    |   tun_tp_dst    |    tun_flags    | tun_tos| tun_ttl|
 *   5   |                    eth_dst                          |    eth_type     |
 *   6   |                    eth_src                          |   -    |tun_md_len|
 *   7   |    vlan_tpid    |    vlan_tci     |   vlan_tpid1    |    vlan_tci1    |
 *   8   |        nw_src (arp_spa)           |        nw_dst (arp_tpa)           |
 *   9   |proto/op|nw_tos  |nw_ttl  |frag(2) |        - | ipv6_label (20)        |
 * 10-11 |                          ipv6_src (128)                               |
 * 12-13 |                          ipv6_dst (128)                               |
 * 14    |tp_src (icmp_type)|tp_dst (icmp_code)| tcp_flags (12) |        -        |
 * 15    |                 arp_sha (nd_sll)                    |        -        |
 * 16    |                 arp_tha (nd_tll)                    |        -        |
 * 17-18 |                          nd_target (128)                              |
 * 19-20 |                          tun_ipv6_src (128)                           |
 * 21-22 |                          tun_ipv6_dst (128)                           |
 * 23    |ct_state|ct_nw_pr|     ct_zone     |              ct_mark              |
 * 24-25 |                          ct_label (128)                               |
 * 26    |            ct_nw_src              |            ct_nw_dst              |
 * 27    |    ct_tp_src    |    ct_tp_dst    |                 -                 |
 * 28-29 |                          ct_ipv6_src (128)                            |
 * 30-31 |                          ct_ipv6_dst (128)                            |
 *  ----- tunnel metadata words: compared only when tun_metadata_len says so -----
 * 32-63 | raw Geneve options (datapath) | tun_metadata0..63, 32 bits each (translation) |
 *  ----- pipeline words: translation only, never in a datapath key or mask -----
 * 64-71 |  xxreg0..3 (128 each) = xreg0..7 (one word each) = reg0..15 (32 each)   |
 * 72    |                             metadata                                  |
 * 73    |             conj_id               |           actset_output           |
 * 74    |          tun_metadata_present: bit N set when tun_metadataN is present         |
 * </pre>
 *
 * <p><b>Connection tracking fields</b> (words 23-31) come from the packet's ct metadata, which
 * the {@code ct} action writes and recirculation carries: {@code ct_state} holds OVS's
 * {@code CS_*} bits, the {@code ct_nw_*}/{@code ct_ipv6_*}/{@code ct_tp_*} fields the
 * connection's original-direction tuple (for ICMP, {@code ct_tp_src}/{@code ct_tp_dst} are its
 * type and code, as in OVS).
 *
 * <p><b>Tunnel metadata</b> (words 32-63, OVS's {@code tun_metadata}) has two forms, as in OVS.
 * A datapath key holds the Geneve options a pop kept, raw, in their wire order (OVS's
 * {@code FLOW_TNL_F_UDPIF} form, big-endian across the words, zero after them) with their length
 * in {@code tun_metadata_len}; the EMC compares these words only when that length is not 0, so
 * a packet without options costs nothing more. The length sits in a hot word (beside
 * {@code eth_src}), so that a popped Geneve packet's key keeps the EMC's short compare of the hot
 * words as a VXLAN one does. Translation turns them into
 * {@code tun_metadata0..63} through the bridge's TLV map (each a 4-byte option's data) and the
 * megaflow mask back into the raw form. Which of them the packet carries is
 * {@link #TUN_METADATA_PRESENT} (OVS's {@code tun_metadata.present.map}), a pipeline word: an
 * absent option is not {@code tun_metadataN=0}; a rule on {@code tun_metadataN} also requires its
 * bit, and {@code set_field} sets it.
 *
 * <p>The IPv6 tunnel addresses come last, in words of their own, so that adding them moved no
 * other field; only packets that arrived over an IPv6 underlay have them non-zero.
 *
 * <p><b>Pipeline fields.</b> Registers, {@code metadata}, {@code conj_id} and
 * {@code actset_output} exist only while the OpenFlow pipeline translates a packet, as OVS keeps
 * them in {@code struct flow} but never in a datapath key. They live in the words from
 * {@link FlowKey#WORDS} on ({@link #isPipeline()}): a datapath key leaves them zero, the
 * datapath's classifiers, caches and hashes stop at {@link FlowKey#WORDS}, and translation drops
 * them from the megaflow mask. As in OVS, {@code xregN} is {@code reg2N} (high half) and
 * {@code reg2N+1}, and {@code xxregN} is {@code reg4N} (most significant) to {@code reg4N+3}.
 *
 * <p><b>Aliases.</b> As in OVS's {@code struct flow}, protocols that cannot occur together share
 * bits: ARP's addresses and opcode live in {@code nw_src}/{@code nw_dst}/{@code nw_proto} (only the
 * low 8 bits of the opcode, as OVS matches), ICMP type and code in the low byte of
 * {@code tp_src}/{@code tp_dst}, and ND's link-layer addresses in {@code arp_sha}/{@code arp_tha}.
 * An alias names the same bits under a different prerequisite; {@link #canonical()} gives the
 * field that owns them.
 *
 * <p>Encodings follow OVS: a VLAN TCI has the CFI bit (0x1000) set when the tag is present,
 * {@code eth_type} is 0x05ff for an 802.3 frame without SNAP, {@code nw_frag} holds
 * {@link FlowKey#FRAG_ANY} and {@link FlowKey#FRAG_LATER}, {@code tun_flags} holds OVS's
 * {@code FLOW_TNL_F_*} bits.
 */
public enum FlowField {
    IN_PORT("in_port", 0, 0, 32, NONE, DECIMAL),
    RECIRC_ID("recirc_id", 0, 32, 32, NONE, HEX),
    SKB_MARK("skb_mark", 1, 0, 32, NONE, HEX),
    DP_HASH("dp_hash", 1, 32, 32, NONE, HEX),

    TUN_ID("tun_id", 2, 0, 64, NONE, HEX),
    TUN_SRC("tun_src", 3, 32, 32, NONE, IPV4),
    TUN_DST("tun_dst", 3, 0, 32, NONE, IPV4),
    TUN_TP_SRC("tun_tp_src", 4, 48, 16, NONE, DECIMAL),
    TUN_TP_DST("tun_tp_dst", 4, 32, 16, NONE, DECIMAL),
    TUN_FLAGS("tun_flags", 4, 16, 16, NONE, TUNNEL_FLAGS),
    TUN_TOS("tun_tos", 4, 8, 8, NONE, HEX),
    TUN_TTL("tun_ttl", 4, 0, 8, NONE, DECIMAL),

    ETH_DST("eth_dst", 5, 16, 48, NONE, MAC),
    ETH_TYPE("eth_type", 5, 0, 16, NONE, HEX),
    ETH_SRC("eth_src", 6, 16, 48, NONE, MAC),
    VLAN_TPID("vlan_tpid", 7, 48, 16, NONE, HEX),
    VLAN_TCI("vlan_tci", 7, 32, 16, NONE, HEX),
    VLAN_TPID1("vlan_tpid1", 7, 16, 16, NONE, HEX),
    VLAN_TCI1("vlan_tci1", 7, 0, 16, NONE, HEX),

    NW_SRC("nw_src", 8, 32, 32, FlowPrereq.IPV4, IPV4),
    NW_DST("nw_dst", 8, 0, 32, FlowPrereq.IPV4, IPV4),
    ARP_SPA("arp_spa", NW_SRC, 32, ARP, IPV4),
    ARP_TPA("arp_tpa", NW_DST, 32, ARP, IPV4),
    NW_PROTO("nw_proto", 9, 56, 8, IP_ANY, DECIMAL),
    ARP_OP("arp_op", NW_PROTO, 8, ARP, DECIMAL),
    NW_TOS("nw_tos", 9, 48, 8, IP_ANY, DECIMAL),
    NW_TTL("nw_ttl", 9, 40, 8, IP_ANY, DECIMAL),
    NW_FRAG("nw_frag", 9, 32, 2, IP_ANY, FRAG),
    IPV6_LABEL("ipv6_label", 9, 0, 20, FlowPrereq.IPV6, HEX),
    IPV6_SRC("ipv6_src", 10, 0, 128, FlowPrereq.IPV6, IPV6),
    IPV6_DST("ipv6_dst", 12, 0, 128, FlowPrereq.IPV6, IPV6),

    TP_SRC("tp_src", 14, 48, 16, TP_PORTS, DECIMAL),
    TP_DST("tp_dst", 14, 32, 16, TP_PORTS, DECIMAL),
    ICMP_TYPE("icmp_type", TP_SRC, 8, ICMPV4, DECIMAL),
    ICMP_CODE("icmp_code", TP_DST, 8, ICMPV4, DECIMAL),
    ICMPV6_TYPE("icmpv6_type", TP_SRC, 8, ICMPV6, DECIMAL),
    ICMPV6_CODE("icmpv6_code", TP_DST, 8, ICMPV6, DECIMAL),
    TCP_FLAGS("tcp_flags", 14, 16, 12, FlowPrereq.TCP, FieldFormat.TCP_FLAGS),
    ARP_SHA("arp_sha", 15, 16, 48, ARP, MAC),
    ARP_THA("arp_tha", 16, 16, 48, ARP, MAC),
    ND_SLL("nd_sll", ARP_SHA, 48, ND_SOLICIT, MAC),
    ND_TLL("nd_tll", ARP_THA, 48, ND_ADVERT, MAC),
    ND_TARGET("nd_target", 17, 0, 128, ND, IPV6),
    TUN_IPV6_SRC("tun_ipv6_src", 19, 0, 128, NONE, IPV6),
    TUN_IPV6_DST("tun_ipv6_dst", 21, 0, 128, NONE, IPV6),

    CT_STATE("ct_state", 23, 56, 8, NONE, FieldFormat.CT_STATE),
    CT_NW_PROTO("ct_nw_proto", 23, 48, 8, FlowPrereq.CT, DECIMAL),
    CT_ZONE("ct_zone", 23, 32, 16, NONE, DECIMAL),
    CT_MARK("ct_mark", 23, 0, 32, NONE, HEX),
    CT_LABEL("ct_label", 24, 0, 128, NONE, HEX),
    CT_NW_SRC("ct_nw_src", 26, 32, 32, FlowPrereq.CT, IPV4),
    CT_NW_DST("ct_nw_dst", 26, 0, 32, FlowPrereq.CT, IPV4),
    CT_TP_SRC("ct_tp_src", 27, 48, 16, FlowPrereq.CT, DECIMAL),
    CT_TP_DST("ct_tp_dst", 27, 32, 16, FlowPrereq.CT, DECIMAL),
    CT_IPV6_SRC("ct_ipv6_src", 28, 0, 128, FlowPrereq.CT, IPV6),
    CT_IPV6_DST("ct_ipv6_dst", 30, 0, 128, FlowPrereq.CT, IPV6),

    /** Geneve option bytes a tunnel pop kept (OVS's {@code tun_metadata.present.len}); datapath keys only. */
    TUN_METADATA_LEN("tun_metadata_len", 6, 0, 8, NONE, DECIMAL),
    TUN_METADATA0("tun_metadata0", 32, 32, 32, NONE, HEX),
    TUN_METADATA1("tun_metadata1", 32, 0, 32, NONE, HEX),
    TUN_METADATA2("tun_metadata2", 33, 32, 32, NONE, HEX),
    TUN_METADATA3("tun_metadata3", 33, 0, 32, NONE, HEX),
    TUN_METADATA4("tun_metadata4", 34, 32, 32, NONE, HEX),
    TUN_METADATA5("tun_metadata5", 34, 0, 32, NONE, HEX),
    TUN_METADATA6("tun_metadata6", 35, 32, 32, NONE, HEX),
    TUN_METADATA7("tun_metadata7", 35, 0, 32, NONE, HEX),
    TUN_METADATA8("tun_metadata8", 36, 32, 32, NONE, HEX),
    TUN_METADATA9("tun_metadata9", 36, 0, 32, NONE, HEX),
    TUN_METADATA10("tun_metadata10", 37, 32, 32, NONE, HEX),
    TUN_METADATA11("tun_metadata11", 37, 0, 32, NONE, HEX),
    TUN_METADATA12("tun_metadata12", 38, 32, 32, NONE, HEX),
    TUN_METADATA13("tun_metadata13", 38, 0, 32, NONE, HEX),
    TUN_METADATA14("tun_metadata14", 39, 32, 32, NONE, HEX),
    TUN_METADATA15("tun_metadata15", 39, 0, 32, NONE, HEX),
    TUN_METADATA16("tun_metadata16", 40, 32, 32, NONE, HEX),
    TUN_METADATA17("tun_metadata17", 40, 0, 32, NONE, HEX),
    TUN_METADATA18("tun_metadata18", 41, 32, 32, NONE, HEX),
    TUN_METADATA19("tun_metadata19", 41, 0, 32, NONE, HEX),
    TUN_METADATA20("tun_metadata20", 42, 32, 32, NONE, HEX),
    TUN_METADATA21("tun_metadata21", 42, 0, 32, NONE, HEX),
    TUN_METADATA22("tun_metadata22", 43, 32, 32, NONE, HEX),
    TUN_METADATA23("tun_metadata23", 43, 0, 32, NONE, HEX),
    TUN_METADATA24("tun_metadata24", 44, 32, 32, NONE, HEX),
    TUN_METADATA25("tun_metadata25", 44, 0, 32, NONE, HEX),
    TUN_METADATA26("tun_metadata26", 45, 32, 32, NONE, HEX),
    TUN_METADATA27("tun_metadata27", 45, 0, 32, NONE, HEX),
    TUN_METADATA28("tun_metadata28", 46, 32, 32, NONE, HEX),
    TUN_METADATA29("tun_metadata29", 46, 0, 32, NONE, HEX),
    TUN_METADATA30("tun_metadata30", 47, 32, 32, NONE, HEX),
    TUN_METADATA31("tun_metadata31", 47, 0, 32, NONE, HEX),
    TUN_METADATA32("tun_metadata32", 48, 32, 32, NONE, HEX),
    TUN_METADATA33("tun_metadata33", 48, 0, 32, NONE, HEX),
    TUN_METADATA34("tun_metadata34", 49, 32, 32, NONE, HEX),
    TUN_METADATA35("tun_metadata35", 49, 0, 32, NONE, HEX),
    TUN_METADATA36("tun_metadata36", 50, 32, 32, NONE, HEX),
    TUN_METADATA37("tun_metadata37", 50, 0, 32, NONE, HEX),
    TUN_METADATA38("tun_metadata38", 51, 32, 32, NONE, HEX),
    TUN_METADATA39("tun_metadata39", 51, 0, 32, NONE, HEX),
    TUN_METADATA40("tun_metadata40", 52, 32, 32, NONE, HEX),
    TUN_METADATA41("tun_metadata41", 52, 0, 32, NONE, HEX),
    TUN_METADATA42("tun_metadata42", 53, 32, 32, NONE, HEX),
    TUN_METADATA43("tun_metadata43", 53, 0, 32, NONE, HEX),
    TUN_METADATA44("tun_metadata44", 54, 32, 32, NONE, HEX),
    TUN_METADATA45("tun_metadata45", 54, 0, 32, NONE, HEX),
    TUN_METADATA46("tun_metadata46", 55, 32, 32, NONE, HEX),
    TUN_METADATA47("tun_metadata47", 55, 0, 32, NONE, HEX),
    TUN_METADATA48("tun_metadata48", 56, 32, 32, NONE, HEX),
    TUN_METADATA49("tun_metadata49", 56, 0, 32, NONE, HEX),
    TUN_METADATA50("tun_metadata50", 57, 32, 32, NONE, HEX),
    TUN_METADATA51("tun_metadata51", 57, 0, 32, NONE, HEX),
    TUN_METADATA52("tun_metadata52", 58, 32, 32, NONE, HEX),
    TUN_METADATA53("tun_metadata53", 58, 0, 32, NONE, HEX),
    TUN_METADATA54("tun_metadata54", 59, 32, 32, NONE, HEX),
    TUN_METADATA55("tun_metadata55", 59, 0, 32, NONE, HEX),
    TUN_METADATA56("tun_metadata56", 60, 32, 32, NONE, HEX),
    TUN_METADATA57("tun_metadata57", 60, 0, 32, NONE, HEX),
    TUN_METADATA58("tun_metadata58", 61, 32, 32, NONE, HEX),
    TUN_METADATA59("tun_metadata59", 61, 0, 32, NONE, HEX),
    TUN_METADATA60("tun_metadata60", 62, 32, 32, NONE, HEX),
    TUN_METADATA61("tun_metadata61", 62, 0, 32, NONE, HEX),
    TUN_METADATA62("tun_metadata62", 63, 32, 32, NONE, HEX),
    TUN_METADATA63("tun_metadata63", 63, 0, 32, NONE, HEX),

    XXREG0("xxreg0", 64, 0, 128, NONE, HEX),
    XXREG1("xxreg1", 66, 0, 128, NONE, HEX),
    XXREG2("xxreg2", 68, 0, 128, NONE, HEX),
    XXREG3("xxreg3", 70, 0, 128, NONE, HEX),
    XREG0("xreg0", XXREG0, 64, 0, 64),
    XREG1("xreg1", XXREG0, 65, 0, 64),
    XREG2("xreg2", XXREG1, 66, 0, 64),
    XREG3("xreg3", XXREG1, 67, 0, 64),
    XREG4("xreg4", XXREG2, 68, 0, 64),
    XREG5("xreg5", XXREG2, 69, 0, 64),
    XREG6("xreg6", XXREG3, 70, 0, 64),
    XREG7("xreg7", XXREG3, 71, 0, 64),
    REG0("reg0", XXREG0, 64, 32, 32),
    REG1("reg1", XXREG0, 64, 0, 32),
    REG2("reg2", XXREG0, 65, 32, 32),
    REG3("reg3", XXREG0, 65, 0, 32),
    REG4("reg4", XXREG1, 66, 32, 32),
    REG5("reg5", XXREG1, 66, 0, 32),
    REG6("reg6", XXREG1, 67, 32, 32),
    REG7("reg7", XXREG1, 67, 0, 32),
    REG8("reg8", XXREG2, 68, 32, 32),
    REG9("reg9", XXREG2, 68, 0, 32),
    REG10("reg10", XXREG2, 69, 32, 32),
    REG11("reg11", XXREG2, 69, 0, 32),
    REG12("reg12", XXREG3, 70, 32, 32),
    REG13("reg13", XXREG3, 70, 0, 32),
    REG14("reg14", XXREG3, 71, 32, 32),
    REG15("reg15", XXREG3, 71, 0, 32),
    METADATA("metadata", 72, 0, 64, NONE, HEX),
    CONJ_ID("conj_id", 73, 32, 32, NONE, DECIMAL),
    ACTSET_OUTPUT("actset_output", 73, 0, 32, NONE, DECIMAL),
    /** Bit N: {@code tun_metadataN} is present (translation only; not an OpenFlow field of its own). */
    TUN_METADATA_PRESENT("tun_metadata_present", 74, 0, 64, NONE, HEX);

    /** Number of words the table uses; {@link FlowKey#ALL_WORDS} must equal it (checked below). */
    public static final int WORDS_USED;

    private static final FlowField[] VALUES = values();
    private static final Map<String, FlowField> BY_NAME;

    private final String ovsName;
    private final int word;
    private final int shift;
    private final int widthBits;
    private final FlowPrereq prereq;
    private final FieldFormat format;
    private final FlowField canonical;
    private final long valueMask;

    FlowField(String ovsName, int word, int shift, int widthBits, FlowPrereq prereq, FieldFormat format) {
        this.ovsName = ovsName;
        this.word = word;
        this.shift = shift;
        this.widthBits = widthBits;
        this.prereq = prereq;
        this.format = format;
        this.canonical = null;
        this.valueMask = widthBits >= 64 ? -1L : (1L << widthBits) - 1;
    }

    /** A pipeline alias: {@code widthBits} bits of {@code owner} at {@code word}/{@code shift} (a register view). */
    FlowField(String ovsName, FlowField owner, int word, int shift, int widthBits) {
        this.ovsName = ovsName;
        this.word = word;
        this.shift = shift;
        this.widthBits = widthBits;
        this.prereq = NONE;
        this.format = HEX;
        this.canonical = owner;
        this.valueMask = widthBits >= 64 ? -1L : (1L << widthBits) - 1;
    }

    /** An alias: the low {@code widthBits} of {@code owner}'s bits, under another prerequisite. */
    FlowField(String ovsName, FlowField owner, int widthBits, FlowPrereq prereq, FieldFormat format) {
        this.ovsName = ovsName;
        this.word = owner.word;
        this.shift = owner.shift;
        this.widthBits = widthBits;
        this.prereq = prereq;
        this.format = format;
        this.canonical = owner;
        this.valueMask = widthBits >= 64 ? -1L : (1L << widthBits) - 1;
    }

    static {
        Map<String, FlowField> byName = new HashMap<>();
        int words = 0;
        for (FlowField f : VALUES) {
            byName.put(f.ovsName, f);
            words = Math.max(words, f.word + f.wordCount());
            if (f.widthBits != 128 && (f.widthBits < 1 || f.widthBits > 64 || f.shift + f.widthBits > 64)) {
                throw new ExceptionInInitializerError("field " + f.ovsName + " does not fit its word");
            }
        }
        for (FlowField a : VALUES) {
            for (FlowField b : VALUES) {
                if (a.ordinal() < b.ordinal() && a.canonical() != b.canonical() && a.overlaps(b)) {
                    throw new ExceptionInInitializerError("fields " + a.ovsName + " and " + b.ovsName + " overlap");
                }
            }
        }
        if (words != FlowKey.ALL_WORDS) {
            throw new ExceptionInInitializerError(
                    "FlowKey.ALL_WORDS is " + FlowKey.ALL_WORDS + " but the field table uses " + words + " words");
        }
        WORDS_USED = words;
        // ovs-ofctl spellings of the same fields.
        byName.put("dl_src", ETH_SRC);
        byName.put("dl_dst", ETH_DST);
        byName.put("dl_type", ETH_TYPE);
        byName.put("ip_src", NW_SRC);
        byName.put("ip_dst", NW_DST);
        byName.put("ip_frag", NW_FRAG);
        byName.put("pkt_mark", SKB_MARK);
        byName.put("in_port_oxm", IN_PORT);
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    /** The field's name in OVS flow syntax (e.g. {@code nw_src}). */
    public String ovsName() {
        return ovsName;
    }

    /** Index of the field's (first) word in a key. */
    public int word() {
        return word;
    }

    /** Bit position of the field's least significant bit in its word (0 for 128-bit fields). */
    public int shift() {
        return shift;
    }

    public int widthBits() {
        return widthBits;
    }

    /** 2 for the 128-bit fields (high word first), 1 otherwise. */
    public int wordCount() {
        return widthBits == 128 ? 2 : 1;
    }

    public boolean is128() {
        return widthBits == 128;
    }

    public FlowPrereq prereq() {
        return prereq;
    }

    public FieldFormat format() {
        return format;
    }

    /** The field that owns this field's bits: itself, unless this is an alias. */
    public FlowField canonical() {
        return canonical == null ? this : canonical;
    }

    public boolean isAlias() {
        return canonical != null;
    }

    /**
     * True for a field that exists only in translation (registers, {@code metadata},
     * {@code conj_id}, {@code actset_output}): never in a datapath key, mask or action.
     */
    public boolean isPipeline() {
        return word >= FlowKey.PIPELINE_WORD;
    }

    /**
     * True for {@code tun_metadata0..63}: in translation, option N's four data bytes as the
     * bridge's TLV map places them; in a datapath key the same words hold the raw options.
     */
    public boolean isTunnelMetadata() {
        return word >= FlowKey.WORDS && word < FlowKey.PIPELINE_WORD;
    }

    /** N of {@code tun_metadataN}; only for {@link #isTunnelMetadata()} fields. */
    public int tunMetadataIndex() {
        return ordinal() - TUN_METADATA0.ordinal();
    }

    /** {@code tun_metadataN}. */
    public static FlowField tunMetadata(int n) {
        return VALUES[TUN_METADATA0.ordinal() + n];
    }

    /** All-ones in the low {@link #widthBits()} bits (all 64 for 64- and 128-bit fields). */
    public long valueMask() {
        return valueMask;
    }

    /** The field's bits within its word; only for fields of at most 64 bits. */
    public long wordMask() {
        return valueMask << shift;
    }

    /** Whether {@code key} satisfies this field's prerequisite. */
    public boolean prerequisitesMet(FlowKey key) {
        return prereq.isMet(key);
    }

    /** The field called {@code name} (OVS spelling, e.g. {@code nw_src} or {@code ip_src}), or null. */
    public static FlowField find(String name) {
        return BY_NAME.get(name);
    }

    /** Like {@link #find} but throws, naming the field, when there is none. */
    public static FlowField byName(String name) {
        FlowField f = BY_NAME.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown flow field '" + name + "'");
        }
        return f;
    }

    private boolean overlaps(FlowField o) {
        for (int i = 0; i < wordCount(); i++) {
            for (int j = 0; j < o.wordCount(); j++) {
                if (word + i == o.word + j && (bitsInWord() & o.bitsInWord()) != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private long bitsInWord() {
        return is128() ? -1L : wordMask();
    }
}
