package dev.jvswitch.flowcache.parse;

import static dev.jvswitch.flowcache.parse.KeyWords.S_DP_HASH;
import static dev.jvswitch.flowcache.parse.KeyWords.S_IN_PORT;
import static dev.jvswitch.flowcache.parse.KeyWords.S_NW_FRAG;
import static dev.jvswitch.flowcache.parse.KeyWords.S_NW_PROTO;
import static dev.jvswitch.flowcache.parse.KeyWords.S_RECIRC_ID;
import static dev.jvswitch.flowcache.parse.KeyWords.S_SKB_MARK;
import static dev.jvswitch.flowcache.parse.KeyWords.S_TUN_DST;
import static dev.jvswitch.flowcache.parse.KeyWords.S_TUN_MD_LEN;
import static dev.jvswitch.flowcache.parse.KeyWords.S_TUN_FLAGS;
import static dev.jvswitch.flowcache.parse.KeyWords.S_TUN_SRC;
import static dev.jvswitch.flowcache.parse.KeyWords.S_TUN_TOS;
import static dev.jvswitch.flowcache.parse.KeyWords.S_TUN_TP_DST;
import static dev.jvswitch.flowcache.parse.KeyWords.S_TUN_TP_SRC;
import static dev.jvswitch.flowcache.parse.KeyWords.S_TUN_TTL;
import static dev.jvswitch.flowcache.parse.KeyWords.W_DP_HASH;
import static dev.jvswitch.flowcache.parse.KeyWords.W_IN_PORT;
import static dev.jvswitch.flowcache.parse.KeyWords.W_NW_FRAG;
import static dev.jvswitch.flowcache.parse.KeyWords.W_NW_PROTO;
import static dev.jvswitch.flowcache.parse.KeyWords.W_RECIRC_ID;
import static dev.jvswitch.flowcache.parse.KeyWords.S_CT_MARK;
import static dev.jvswitch.flowcache.parse.KeyWords.S_CT_NW_DST;
import static dev.jvswitch.flowcache.parse.KeyWords.S_CT_NW_PROTO;
import static dev.jvswitch.flowcache.parse.KeyWords.S_CT_NW_SRC;
import static dev.jvswitch.flowcache.parse.KeyWords.S_CT_STATE;
import static dev.jvswitch.flowcache.parse.KeyWords.S_CT_TP_DST;
import static dev.jvswitch.flowcache.parse.KeyWords.S_CT_TP_SRC;
import static dev.jvswitch.flowcache.parse.KeyWords.S_CT_ZONE;
import static dev.jvswitch.flowcache.parse.KeyWords.W_CT_IPV6_DST;
import static dev.jvswitch.flowcache.parse.KeyWords.W_CT_IPV6_SRC;
import static dev.jvswitch.flowcache.parse.KeyWords.W_CT_LABEL;
import static dev.jvswitch.flowcache.parse.KeyWords.W_CT_NW;
import static dev.jvswitch.flowcache.parse.KeyWords.W_CT_STATE;
import static dev.jvswitch.flowcache.parse.KeyWords.W_CT_TP;
import static dev.jvswitch.flowcache.parse.KeyWords.W_SKB_MARK;
import static dev.jvswitch.flowcache.parse.KeyWords.W_TUN_DST;
import static dev.jvswitch.flowcache.parse.KeyWords.W_TUN_MD_LEN;
import static dev.jvswitch.flowcache.parse.KeyWords.W_TUN_FLAGS;
import static dev.jvswitch.flowcache.parse.KeyWords.W_TUN_ID;
import static dev.jvswitch.flowcache.parse.KeyWords.W_TUN_IPV6_DST;
import static dev.jvswitch.flowcache.parse.KeyWords.W_TUN_IPV6_SRC;
import static dev.jvswitch.flowcache.parse.KeyWords.W_TUN_SRC;
import static dev.jvswitch.flowcache.parse.KeyWords.W_TUN_TOS;
import static dev.jvswitch.flowcache.parse.KeyWords.W_TUN_TP_DST;
import static dev.jvswitch.flowcache.parse.KeyWords.W_TUN_TP_SRC;
import static dev.jvswitch.flowcache.parse.KeyWords.W_TUN_TTL;

import dev.jvswitch.flowcache.hash.FlowHash;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.PacketBytes;
import dev.jvswitch.mempool.TunnelOptions;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The parse stage: one pass over a packet that fills its flow key, its header offsets and its
 * hash (OVS's {@code miniflow_extract} plus the RSS hash).
 *
 * <p>Reads the packet bytes {@code [dataOffset, dataOffset + length)} of the mbuf and nothing
 * else: that range is checked once against the mbuf's buffer, and every header is length-checked
 * against what is left of the frame (and, past the IP header, of the IP packet) before it is
 * read, without a further check per access ({@link PacketBytes}). What does not fit stays zero in the key, with the
 * same cut-off points as OVS (a malformed IPv4/IPv6 header stops the key at {@code eth_type}; a
 * short L4 header leaves the L4 fields zero). Per-protocol rules are in the helper classes.
 *
 * <p>Outputs, all overwritten on every call:
 * <ul>
 *   <li>the key: packet metadata from the mbuf (in_port, recirc_id, dp_hash, skb_mark, tunnel)
 *       and the header fields;</li>
 *   <li>{@code m.headerOffsets(l2, l3, l4)}, relative to the packet data, -1 when absent: L2 is 0
 *       when the frame holds a full Ethernet header, L3 follows the Ethernet header (VLAN tags,
 *       SNAP), L4 follows the IPv4/IPv6 header and its extension headers;</li>
 *   <li>{@code m.rssHash(FlowHash.hash5(key))}, the hash every later stage starts from (left
 *       invalid for an IPv4 packet by {@link #parseForLookup});</li>
 *   <li>{@code key.hash(FlowHash.emcHash(slot, recirc_id, recirc depth))}, the EMC/SMC index
 *       hash, where {@code slot} is {@code FlowHash.ipv4SlotHash(key)} for IPv4 and the 5-tuple
 *       hash for anything else;</li>
 *   <li>{@link FlowKey#markColdWordsZero()} when the packet fills no cold word (an IPv4, non-ARP
 *       packet without ct state or IPv6 tunnel addresses; Geneve options are not base words), so
 *       that the EMC compares its hot words only.</li>
 * </ul>
 *
 * <p>Allocation-free and never throws for any packet bytes.
 *
 * <p><b>Thread-safety:</b> the parser holds no mutable state, so sharing one would be safe; the
 * datapath still gives each PMD thread its own, as with every stage object. The mbuf and key
 * belong to the calling thread.
 */
public final class PacketParser {

    static {
        checkTunnelWords();
    }

    /**
     * Fails the class's initialisation unless the key holds {@code tun_id}, and the fields of
     * {@link Mbuf#tunnelIpv4Word()} and {@link Mbuf#tunnelTransportWord()}, in whole words laid
     * out as the mbuf packs them, which {@link #extractTunnel} copies without unpacking.
     */
    private static void checkTunnelWords() {
        boolean same = FlowField.TUN_ID.shift() == 0 && FlowField.TUN_ID.widthBits() == 64
                && W_TUN_DST == W_TUN_SRC && S_TUN_SRC == 32 && S_TUN_DST == 0
                && FlowField.TUN_SRC.widthBits() == 32 && FlowField.TUN_DST.widthBits() == 32
                && W_TUN_TP_DST == W_TUN_TP_SRC && W_TUN_FLAGS == W_TUN_TP_SRC && W_TUN_TOS == W_TUN_TP_SRC
                && W_TUN_TTL == W_TUN_TP_SRC && S_TUN_TP_SRC == 48 && S_TUN_TP_DST == 32 && S_TUN_FLAGS == 16
                && S_TUN_TOS == 8 && S_TUN_TTL == 0 && FlowField.TUN_TP_SRC.widthBits() == 16
                && FlowField.TUN_TP_DST.widthBits() == 16 && FlowField.TUN_FLAGS.widthBits() == 16
                && FlowField.TUN_TOS.widthBits() == 8 && FlowField.TUN_TTL.widthBits() == 8;
        if (!same) {
            throw new ExceptionInInitializerError("PacketParser copies the mbuf's packed tunnel words whole, but"
                    + " FlowField lays out tun_id, tun_src/dst or tun_tp_src/tp_dst/flags/tos/ttl otherwise");
        }
    }

    /** Parses {@code m} into {@code key}; see the class comment for what is written where. */
    public void parse(Mbuf m, FlowKey key) {
        parse(m, key, true);
    }

    /**
     * {@link #parse} for the PMD's lookup: the same key and slot hash, but an IPv4 packet's RSS
     * hash is left invalid instead of computed, for the PMD to compute from the key
     * ({@code FlowHash.hash5}) only when the packet's flow has an action that reads it. That is
     * the same value {@link #parse} stores, so where it is read nothing differs.
     */
    public void parseForLookup(Mbuf m, FlowKey key) {
        parse(m, key, false);
    }

    private void parse(Mbuf m, FlowKey key, boolean rss) {
        key.clearForParse();
        long[] w = key.words();
        boolean cold = extractMetadata(m, w);
        if (m.tunnelSet() && m.tunnelOptions().length() != 0) {
            // Their length is in a hot word; the options' words are not base words at all.
            extractTunnelOptions(m.tunnelOptions(), key);
        }

        UnsafeBuffer b = m.buffer();
        int start = m.dataOffset();
        int end = start + m.length();
        int l2 = -1;
        int l3 = -1;
        int l4 = -1;
        // The one check of the packet against its buffer: every header's parser checks its bytes
        // against end, and reads them without a second check (PacketBytes). An mbuf never breaks it.
        if (start >= 0 && end <= b.capacity() && end - start >= EthernetParser.HEADER_BYTES) {
            l2 = 0;
            int pos = EthernetParser.parse(b, start, end, w);
            l3 = pos - start;
            int ethType = key.ethType();
            // IPv6 addresses and ND fields, or ARP hardware addresses: the cold words.
            cold |= ethType == FlowKey.ETH_TYPE_IPV6 || ethType == FlowKey.ETH_TYPE_ARP
                    || ethType == FlowKey.ETH_TYPE_RARP;
            long ip;
            if (ethType == FlowKey.ETH_TYPE_IPV4) {
                ip = Ipv4Parser.parse(b, pos, end, w);
            } else if (ethType == FlowKey.ETH_TYPE_IPV6) {
                ip = Ipv6Parser.parse(b, pos, end, w);
            } else {
                ip = -1;
                if (ethType == FlowKey.ETH_TYPE_ARP || ethType == FlowKey.ETH_TYPE_RARP) {
                    ArpParser.parse(b, pos, end, w);
                }
            }
            if (ip >= 0) {
                int l4Start = (int) ip;
                int ipEnd = (int) (ip >>> 32);
                l4 = l4Start - start;
                int nwProto = (int) (w[W_NW_PROTO] >>> S_NW_PROTO) & 0xff;
                int nwFrag = (int) (w[W_NW_FRAG] >>> S_NW_FRAG) & (FlowKey.FRAG_ANY | FlowKey.FRAG_LATER);
                TransportParser.parse(b, l4Start, ipEnd, nwProto, nwFrag, w);
            }
        }
        m.headerOffsets(l2, l3, l4);
        if (!cold) {
            key.markColdWordsZero();
        }

        int slot;
        if (key.ethType() == FlowKey.ETH_TYPE_IPV4) {
            slot = FlowHash.ipv4SlotHash(key);
            if (rss) {
                m.rssHash(FlowHash.hash5(key));
            } else {
                m.invalidateRssHash();
            }
        } else {
            slot = FlowHash.hash5(key);
            m.rssHash(slot);
        }
        key.hash(FlowHash.emcHash(slot, m.recircId(), m.recircDepth()));
    }

    /** The raw options a pop kept, in the tunnel metadata words, and their length. */
    private static void extractTunnelOptions(TunnelOptions o, FlowKey key) {
        long[] w = key.words();
        int length = o.length();
        int n = (length + 7) >>> 3;
        for (int i = 0; i < n; i++) {
            w[FlowKey.TUN_METADATA_WORD + i] = o.word(i);
        }
        w[W_TUN_MD_LEN] |= (long) length << S_TUN_MD_LEN;
        key.tunnelMetadataWritten(n);
    }

    /**
     * The packet metadata; returns whether it wrote a word outside {@link FlowKey#HOT_WORD_MASK}
     * that may be non-zero (ct fields, tunnel IPv6 addresses).
     */
    private static boolean extractMetadata(Mbuf m, long[] w) {
        w[W_IN_PORT] |= (m.inPort() & 0xffff_ffffL) << S_IN_PORT;
        w[W_RECIRC_ID] |= (m.recircId() & 0xffff_ffffL) << S_RECIRC_ID;
        w[W_DP_HASH] |= (m.dpHash() & 0xffff_ffffL) << S_DP_HASH;
        w[W_SKB_MARK] |= (m.skbMark() & 0xffff_ffffL) << S_SKB_MARK;
        boolean cold = false;
        if (m.tunnelSet()) {
            cold = extractTunnel(m, w);
        }
        int ctState = m.ctState();
        if (ctState != 0) {
            extractCt(m, ctState, w);
            cold = true;
        }
        return cold;
    }

    /**
     * The tunnel fields, which stay 0 (as cleared) for a packet that never crossed a tunnel;
     * returns whether the IPv6 addresses (cold words) are non-zero. The mbuf keeps the IPv4
     * fields packed as the key's words hold them (checked when the class loads), so they go in
     * whole.
     */
    private static boolean extractTunnel(Mbuf m, long[] w) {
        w[W_TUN_ID] = m.tunnelId();
        w[W_TUN_SRC] = m.tunnelIpv4Word();
        w[W_TUN_TP_SRC] = m.tunnelTransportWord();
        if (!m.tunnelIpv6Set()) {
            // An IPv4 underlay: the cold words stay as cleared, and the key keeps its mark.
            return false;
        }
        w[W_TUN_IPV6_SRC] = m.tunnelIpv6SrcHi();
        w[W_TUN_IPV6_SRC + 1] = m.tunnelIpv6SrcLo();
        w[W_TUN_IPV6_DST] = m.tunnelIpv6DstHi();
        w[W_TUN_IPV6_DST + 1] = m.tunnelIpv6DstLo();
        return true;
    }

    /** The ct fields, from the metadata the ct action wrote (a never-tracked packet has none). */
    private static void extractCt(Mbuf m, int ctState, long[] w) {
        int proto = m.ctOrigProto();
        w[W_CT_STATE] = ((long) (ctState & 0xff) << S_CT_STATE) | ((long) (proto & 0xff) << S_CT_NW_PROTO)
                | ((long) (m.ctZone() & 0xffff) << S_CT_ZONE) | ((m.ctMark() & 0xffff_ffffL) << S_CT_MARK);
        w[W_CT_LABEL] = m.ctLabelHi();
        w[W_CT_LABEL + 1] = m.ctLabelLo();
        if (proto == 0) {
            return;
        }
        if (m.ctOrigIpv6()) {
            w[W_CT_IPV6_SRC] = m.ctOrigSrcHi();
            w[W_CT_IPV6_SRC + 1] = m.ctOrigSrcLo();
            w[W_CT_IPV6_DST] = m.ctOrigDstHi();
            w[W_CT_IPV6_DST + 1] = m.ctOrigDstLo();
        } else {
            w[W_CT_NW] = ((m.ctOrigSrcLo() & 0xffff_ffffL) << S_CT_NW_SRC) | ((m.ctOrigDstLo() & 0xffff_ffffL) << S_CT_NW_DST);
        }
        w[W_CT_TP] = ((long) (m.ctOrigTpSrc() & 0xffff) << S_CT_TP_SRC) | ((long) (m.ctOrigTpDst() & 0xffff) << S_CT_TP_DST);
    }
}
