package dev.jvswitch.ofproto.syntax;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import dev.jvswitch.flowcache.key.FieldFormat;
import dev.jvswitch.flowcache.key.CtMatchText;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.match.PrerequisiteException;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * The match part of a flow string: reads {@code name[=value]} items into a {@link Match} and prints
 * a match in {@code ovs-ofctl dump-flows} order (OVS's {@code match_format}).
 *
 * <p>Names are OVS's: the field table's ({@code nw_src}, {@code tp_dst}, ...), the ovs-ofctl
 * spellings ({@code dl_*}, {@code ip_src}), the OXM ones ({@code eth_src}, {@code ipv4_dst},
 * {@code tcp_dst}, {@code ip_proto}, {@code ip_dscp}, {@code vlan_vid}), the VLAN helpers
 * {@code dl_vlan}/{@code dl_vlan_pcp}, and the protocol shorthands ({@code ip}, {@code tcp6},
 * {@code arp}, ...). Every field takes a {@code /mask} (a superset of OVS, which refuses masks on
 * a few fields), so that any match prints to text that reads back to it.
 *
 * <p>Two items that say different things about the same bits are an error ({@code tcp,udp});
 * saying the same thing twice is not ({@code ip,tcp}). Prerequisites are checked once every item
 * is in, so their order does not matter ({@code tp_dst=80,tcp} is fine).
 */
final class MatchSyntax {
    private enum Kind { FIELD, PROTO, IN_PORT, DL_VLAN, DL_VLAN_PCP, VLAN_VID, NW_TOS, IP_DSCP, NW_ECN, L4 }

    /** One match keyword: what it sets, and (L4) the IP protocol it requires. */
    private record Keyword(Kind kind, FlowField field, int ethType, int proto) {
    }

    private static final Map<String, Keyword> KEYWORDS = new HashMap<>();
    /** reg0..reg15, which a match prints (as OVS does: never as xreg or xxreg). */
    private static final FlowField[] REGS = new FlowField[16];
    /** tun_metadata0..63, printed after the other tunnel fields as OVS prints them. */
    private static final int TUN_METADATA_FIELDS = 64;
    private static final int PRESENT_WORD = FlowField.TUN_METADATA_PRESENT.word();

    static {
        for (FlowField f : FlowField.values()) {
            // The datapath's option length and the present bits: not OpenFlow fields of their own.
            if (f != FlowField.TUN_METADATA_LEN && f != FlowField.TUN_METADATA_PRESENT) {
                KEYWORDS.put(f.ovsName(), new Keyword(Kind.FIELD, f, 0, -1));
            }
        }
        for (int i = 0; i < REGS.length; i++) {
            REGS[i] = FlowField.byName("reg" + i);
        }
        KEYWORDS.put("in_port_oxm", new Keyword(Kind.FIELD, FlowField.IN_PORT, 0, -1));
        for (String[] alias : new String[][] {{"dl_src", "eth_src"}, {"dl_dst", "eth_dst"}, {"dl_type", "eth_type"},
            {"ip_src", "nw_src"}, {"ip_dst", "nw_dst"}, {"ipv4_src", "nw_src"}, {"ipv4_dst", "nw_dst"},
            {"ip_frag", "nw_frag"}, {"pkt_mark", "skb_mark"}, {"tunnel_id", "tun_id"}, {"ip_proto", "nw_proto"},
            {"icmpv4_type", "icmp_type"}, {"icmpv4_code", "icmp_code"}}) {
            KEYWORDS.put(alias[0], new Keyword(Kind.FIELD, FlowField.byName(alias[1]), 0, -1));
        }
        KEYWORDS.put("in_port", new Keyword(Kind.IN_PORT, FlowField.IN_PORT, 0, -1));
        KEYWORDS.put("dl_vlan", new Keyword(Kind.DL_VLAN, FlowField.VLAN_TCI, 0, -1));
        KEYWORDS.put("dl_vlan_pcp", new Keyword(Kind.DL_VLAN_PCP, FlowField.VLAN_TCI, 0, -1));
        KEYWORDS.put("vlan_pcp", new Keyword(Kind.DL_VLAN_PCP, FlowField.VLAN_TCI, 0, -1));
        KEYWORDS.put("vlan_vid", new Keyword(Kind.VLAN_VID, FlowField.VLAN_TCI, 0, -1));
        KEYWORDS.put("nw_tos", new Keyword(Kind.NW_TOS, FlowField.NW_TOS, 0, -1));
        KEYWORDS.put("ip_dscp", new Keyword(Kind.IP_DSCP, FlowField.NW_TOS, 0, -1));
        KEYWORDS.put("nw_ecn", new Keyword(Kind.NW_ECN, FlowField.NW_TOS, 0, -1));
        KEYWORDS.put("ip_ecn", new Keyword(Kind.NW_ECN, FlowField.NW_TOS, 0, -1));
        int[] protos = {FlowKey.IPPROTO_TCP, FlowKey.IPPROTO_UDP, FlowKey.IPPROTO_SCTP};
        String[] l4 = {"tcp", "udp", "sctp"};
        for (int i = 0; i < 3; i++) {
            KEYWORDS.put(l4[i] + "_src", new Keyword(Kind.L4, FlowField.TP_SRC, 0, protos[i]));
            KEYWORDS.put(l4[i] + "_dst", new Keyword(Kind.L4, FlowField.TP_DST, 0, protos[i]));
            KEYWORDS.put(l4[i], new Keyword(Kind.PROTO, null, FlowKey.ETH_TYPE_IPV4, protos[i]));
            KEYWORDS.put(l4[i] + "6", new Keyword(Kind.PROTO, null, FlowKey.ETH_TYPE_IPV6, protos[i]));
        }
        KEYWORDS.put("ip", new Keyword(Kind.PROTO, null, FlowKey.ETH_TYPE_IPV4, -1));
        KEYWORDS.put("ipv6", new Keyword(Kind.PROTO, null, FlowKey.ETH_TYPE_IPV6, -1));
        KEYWORDS.put("icmp", new Keyword(Kind.PROTO, null, FlowKey.ETH_TYPE_IPV4, FlowKey.IPPROTO_ICMP));
        KEYWORDS.put("icmp6", new Keyword(Kind.PROTO, null, FlowKey.ETH_TYPE_IPV6, FlowKey.IPPROTO_ICMPV6));
        KEYWORDS.put("arp", new Keyword(Kind.PROTO, null, FlowKey.ETH_TYPE_ARP, -1));
        KEYWORDS.put("rarp", new Keyword(Kind.PROTO, null, FlowKey.ETH_TYPE_RARP, -1));
    }

    /**
     * The words a parse works in, one set per thread: a flow string is parsed on one thread from
     * start to end and no parse starts another, and a config file has a million of them (the
     * match that comes out copies what it keeps). The items added so far are kept as positions in
     * the text (to name one in a conflict or prerequisite error, whose bits are made again then):
     * no object per item.
     */
    private static final class Scratch {
        int count;
        /** Per item added: where it starts and ends in the text, and where its value starts (-1: none). */
        int[] itemFrom = new int[16];
        int[] itemTo = new int[16];
        int[] valueFrom = new int[16];
        Keyword[] keywords = new Keyword[16];
        String[] names = new String[16];
        final long[] value = new long[FlowKey.ALL_WORDS];
        final long[] mask = new long[FlowKey.ALL_WORDS];
        /** A value and mask read in place ({@link FieldTextInPlace#parseInPlace}). */
        final long[] read = new long[2];
        final Match.Builder bits = Match.builder();
        /** The value as a key, for the prerequisite checks of {@link #finish}. */
        final FlowKey valueKey = new FlowKey();

        void add(int from, int to, int valueAt, Keyword k, String name) {
            if (count == itemFrom.length) {
                int n = count * 2;
                itemFrom = Arrays.copyOf(itemFrom, n);
                itemTo = Arrays.copyOf(itemTo, n);
                valueFrom = Arrays.copyOf(valueFrom, n);
                keywords = Arrays.copyOf(keywords, n);
                names = Arrays.copyOf(names, n);
            }
            itemFrom[count] = from;
            itemTo[count] = to;
            valueFrom[count] = valueAt;
            keywords[count] = k;
            names[count++] = name;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final Source src;
    private final String text;
    private final Scratch items;
    private final long[] value;
    private final long[] mask;
    /** The bits of the item being added: one builder for every item, no match per item. */
    private final Match.Builder bits;
    private final FlowKey valueKey;

    /** A match parser for {@code src}; the calling thread's only one until its parse ends. */
    MatchSyntax(Source src) {
        this.src = src;
        this.text = src.text();
        Scratch s = SCRATCH.get();
        items = s;
        s.count = 0;
        value = s.value;
        mask = s.mask;
        Arrays.fill(value, 0);
        Arrays.fill(mask, 0);
        bits = s.bits;
        valueKey = s.valueKey;
    }

    /** Every match keyword (fields, their aliases, helpers and shorthands). */
    static java.util.Set<String> keywords() {
        return KEYWORDS.keySet();
    }

    /** True if {@code name} is a match keyword. */
    static boolean isKeyword(String name) {
        return KEYWORDS.containsKey(name);
    }

    /**
     * The field a {@code set_field}, {@code load} or {@code move} may name as {@code name}: a field
     * of the table or one of its plain aliases, not a shorthand or helper. Null if none.
     */
    static FlowField fieldNamed(String name) {
        Keyword k = KEYWORDS.get(name);
        if (k == null) {
            return null;
        }
        // nw_tos names the whole TOS byte here; ip_dscp, nw_ecn, dl_vlan etc. are match helpers only.
        return k.kind == Kind.FIELD || k.kind == Kind.IN_PORT || k.kind == Kind.L4 || k.kind == Kind.NW_TOS
                ? k.field : null;
    }

    /**
     * Adds one item, the text {@code [from, to)}: {@code name}, or {@code name=value} when
     * {@code eq} (the index of its {@code =}) is not -1. A field's common value forms are read in
     * place; any other, and any error, goes through the general path of {@link #apply}.
     */
    void add(int from, int to, String name, int eq) {
        Keyword k = KEYWORDS.get(name);
        if (k == null) {
            String feature = Unsupported.field(name);
            if (feature != null) {
                throw src.fail(SyntaxError.NOT_SUPPORTED, from, name, feature);
            }
            throw src.fail(SyntaxError.UNKNOWN_FIELD, from, name);
        }
        int valueAt = eq < 0 ? -1 : eq + 1;
        if (k.kind == Kind.PROTO) {
            if (eq >= 0) {
                throw src.fail(SyntaxError.UNEXPECTED_VALUE, from, name);
            }
        } else if (eq < 0 || valueAt == to) {
            throw src.fail(SyntaxError.MISSING_VALUE, from, name);
        }
        if (!addInPlace(k, valueAt, to)) {
            addBits(from, to, k, name, valueAt);
        }
        items.add(from, to, valueAt, k, name);
    }

    /**
     * A plain field's value read in place and added, if it is in a common form and agrees with
     * what the earlier items say; false otherwise (nothing changed: the general path takes it).
     */
    private boolean addInPlace(Keyword k, int valueAt, int to) {
        if (k.kind == Kind.PROTO) {
            return addProtoInPlace(k);
        }
        FlowField f = k.field;
        boolean plain = k.kind == Kind.FIELD || k.kind == Kind.L4
                || k.kind == Kind.IN_PORT && text.charAt(valueAt) >= '0' && text.charAt(valueAt) <= '9';
        long[] read = items.read;
        if (!plain || TunMetadataText.longLength(f) > 0 || !FieldTextInPlace.parseInPlace(f, text, valueAt, to, read)) {
            return false;
        }
        int w = f.word();
        long m = read[1] << f.shift();
        long v = read[0] << f.shift();
        if (((value[w] ^ v) & mask[w] & m) != 0) {
            return false; // a conflict: the general path names the item it conflicts with
        }
        mask[w] |= m;
        value[w] |= v;
        if (f.isTunnelMetadata() && m != 0) {
            // As Match.Builder: a rule on tun_metadataN wants option N present.
            long bit = 1L << f.tunMetadataIndex();
            mask[PRESENT_WORD] |= bit;
            value[PRESENT_WORD] |= bit;
        }
        return true;
    }

    /** A protocol shorthand ({@code tcp}: the Ethernet type and the IP protocol) added in place, if it agrees. */
    private boolean addProtoInPlace(Keyword k) {
        FlowField e = FlowField.ETH_TYPE;
        FlowField p = FlowField.NW_PROTO;
        int we = e.word();
        long me = e.valueMask() << e.shift();
        long ve = (long) k.ethType << e.shift();
        if (((value[we] ^ ve) & mask[we] & me) != 0) {
            return false;
        }
        if (k.proto >= 0) {
            int wp = p.word();
            long mp = p.valueMask() << p.shift();
            long vp = (long) k.proto << p.shift();
            if (((value[wp] ^ vp) & mask[wp] & mp) != 0) {
                return false;
            }
            mask[wp] |= mp;
            value[wp] |= vp;
        }
        mask[we] |= me;
        value[we] |= ve;
        return true;
    }

    /** Adds an item through a builder of its own bits: every form, every error message. */
    private void addBits(int from, int to, Keyword k, String name, int valueAt) {
        String t = valueAt < 0 ? null : text.substring(valueAt, to);
        Match.Builder b = bits.clear();
        try {
            apply(b, k, name, t);
        } catch (FieldText.Bad bad) {
            throw badValue(bad, valueAt, name);
        }
        for (int i = 0; i < FlowKey.ALL_WORDS; i++) {
            long overlap = mask[i] & b.maskWord(i);
            if (((value[i] ^ b.valueWord(i)) & overlap) != 0) {
                throw conflict(from, to, i, b);
            }
        }
        for (int i = 0; i < FlowKey.ALL_WORDS; i++) {
            mask[i] |= b.maskWord(i);
            value[i] |= b.valueWord(i);
        }
    }

    /** The match of every item added, with each item's prerequisites checked. */
    Match finish() {
        Match m = Match.ofWords(value, mask);
        FlowKey v = valueKey;
        long[] w = v.words();
        for (int i = 0; i < FlowKey.ALL_WORDS; i++) {
            w[i] = value[i] & mask[i]; // m.value(), without a key per line
        }
        Scratch c = items;
        for (int i = 0; i < c.count; i++) {
            Keyword k = c.keywords[i];
            if (k.kind == Kind.L4) {
                boolean ip = m.isExact(FlowField.ETH_TYPE) && (m.value(FlowField.ETH_TYPE) == FlowKey.ETH_TYPE_IPV4
                        || m.value(FlowField.ETH_TYPE) == FlowKey.ETH_TYPE_IPV6);
                if (!ip || !m.isExact(FlowField.NW_PROTO) || m.value(FlowField.NW_PROTO) != k.proto) {
                    String name = c.names[i];
                    String p = name.substring(0, name.indexOf('_'));
                    throw src.fail(SyntaxError.PREREQUISITE, c.itemFrom[i], name, p + " or " + p + "6");
                }
            } else if (k.field != null && !m.prerequisitesMet(k.field, v)) {
                throw src.fail(SyntaxError.PREREQUISITE, c.itemFrom[i], c.names[i],
                        PrerequisiteException.describe(k.field.prereq()));
            }
        }
        return m;
    }

    private void apply(Match.Builder b, Keyword k, String name, String text) {
        switch (k.kind) {
            case PROTO:
                b.set(FlowField.ETH_TYPE, k.ethType);
                if (k.proto >= 0) {
                    b.set(FlowField.NW_PROTO, k.proto);
                }
                return;
            case IN_PORT: {
                int reserved = OfPorts.reserved(text);
                if (reserved >= 0) {
                    b.set(FlowField.IN_PORT, reserved);
                    return;
                }
                break;
            }
            case DL_VLAN: {
                long vid = FieldText.number(text, 0, 12);
                b.set(FlowField.VLAN_TCI, vid | FlowKey.VLAN_CFI, FlowKey.VLAN_VID_MASK | FlowKey.VLAN_CFI);
                return;
            }
            case DL_VLAN_PCP: {
                long pcp = FieldText.number(text, 0, 3);
                b.set(FlowField.VLAN_TCI, pcp << FlowKey.VLAN_PCP_SHIFT | FlowKey.VLAN_CFI, 0xf000);
                return;
            }
            case VLAN_VID: {
                FieldText.Value v = FieldText.parse(FlowField.VLAN_TCI, text, true);
                if (((v.low() | v.maskLow()) & ~0x1fffL) != 0) {
                    throw new FieldText.Bad(SyntaxError.OUT_OF_RANGE, 0, text, "0..8191");
                }
                b.set(FlowField.VLAN_TCI, v.low(), text.indexOf('/') < 0 ? 0x1fff : v.maskLow());
                return;
            }
            case NW_TOS:
                if (text.indexOf('/') < 0) {
                    long tos = FieldText.number(text, 0, 8);
                    if ((tos & 3) != 0) {
                        throw new FieldText.Bad(SyntaxError.BAD_VALUE, 0, text, "a multiple of 4");
                    }
                    b.set(FlowField.NW_TOS, tos, 0xfc);
                    return;
                }
                break;
            case IP_DSCP:
                b.set(FlowField.NW_TOS, FieldText.number(text, 0, 6) << 2, 0xfc);
                return;
            case NW_ECN:
                b.set(FlowField.NW_TOS, FieldText.number(text, 0, 2), 0x03);
                return;
            default:
                if (TunMetadataText.longLength(k.field) > 0) {
                    TunMetadataText.applyMatch(b, k.field, text);
                    return;
                }
                break;
        }
        FieldText.Value v = FieldText.parse(k.field, text, true);
        if (k.field.is128()) {
            b.set128(k.field, v.high(), v.low(), v.maskHigh(), v.maskLow());
        } else {
            b.set(k.field, v.low(), v.maskLow());
        }
    }

    private SyntaxException badValue(FieldText.Bad bad, int valueIndex, String name) {
        int at = valueIndex + bad.offset;
        if (bad.error == SyntaxError.BAD_MASK) {
            return src.fail(SyntaxError.BAD_MASK, at, bad.quoted, name);
        }
        if (bad.error == SyntaxError.OUT_OF_RANGE) {
            return src.fail(SyntaxError.OUT_OF_RANGE, at, bad.quoted, name, bad.extra);
        }
        return src.fail(SyntaxError.BAD_VALUE, at, bad.quoted, name, bad.extra);
    }

    /** The error naming the earlier item whose bits {@code b} (of the item {@code [from, to)}) contradicts in {@code word}. */
    private SyntaxException conflict(int from, int to, int word, Match.Builder b) {
        Match.Builder earlier = Match.builder();
        Scratch c = items;
        for (int i = 0; i < c.count; i++) {
            String t = c.valueFrom[i] < 0 ? null : text.substring(c.valueFrom[i], c.itemTo[i]);
            apply(earlier.clear(), c.keywords[i], c.names[i], t); // parsed once already: cannot fail
            long overlap = earlier.maskWord(word) & b.maskWord(word);
            if (((earlier.valueWord(word) ^ b.valueWord(word)) & overlap) != 0) {
                return src.fail(SyntaxError.CONFLICT, from, text.substring(from, to),
                        text.substring(c.itemFrom[i], c.itemTo[i]), c.itemFrom[i] + 1);
            }
        }
        throw new AssertionError("conflict without an earlier item");
    }

    // ---------------------------------------------------------------- print

    /** Appends the match as dump-flows writes it, priority first unless it is the default. */
    static StringBuilder append(StringBuilder sb, Match m, int priority) {
        int start = sb.length();
        if (priority != FlowMod.DEFAULT_PRIORITY) {
            sb.append("priority=").append(priority).append(',');
        }
        field(sb, m, "pkt_mark", FlowField.SKB_MARK);
        field(sb, m, "recirc_id", FlowField.RECIRC_ID);
        field(sb, m, "dp_hash", FlowField.DP_HASH);
        field(sb, m, "conj_id", FlowField.CONJ_ID);
        field(sb, m, "actset_output", FlowField.ACTSET_OUTPUT);
        CtMatchText.append(sb, m.value(), m.mask());
        long eth = m.isExact(FlowField.ETH_TYPE) ? m.value(FlowField.ETH_TYPE) : -1;
        long proto = m.isExact(FlowField.NW_PROTO) ? m.value(FlowField.NW_PROTO) : -1;
        boolean skipProto = false;
        String shorthand = null;
        if (eth == FlowKey.ETH_TYPE_IPV4) {
            shorthand = proto == 1 ? "icmp" : proto == 6 ? "tcp" : proto == 17 ? "udp" : proto == 132 ? "sctp" : "ip";
            skipProto = !shorthand.equals("ip");
        } else if (eth == FlowKey.ETH_TYPE_IPV6) {
            shorthand = proto == 58 ? "icmp6" : proto == 6 ? "tcp6" : proto == 17 ? "udp6" : proto == 132 ? "sctp6"
                    : "ipv6";
            skipProto = !shorthand.equals("ipv6");
        } else if (eth == FlowKey.ETH_TYPE_ARP) {
            shorthand = "arp";
        } else if (eth == FlowKey.ETH_TYPE_RARP) {
            shorthand = "rarp";
        }
        if (shorthand != null) {
            sb.append(shorthand).append(',');
        }
        for (FlowField r : REGS) {
            field(sb, m, r.ovsName(), r);
        }
        for (FlowField f : new FlowField[] {FlowField.TUN_ID, FlowField.TUN_SRC, FlowField.TUN_DST,
            FlowField.TUN_TOS, FlowField.TUN_TTL, FlowField.TUN_TP_SRC, FlowField.TUN_TP_DST, FlowField.TUN_FLAGS}) {
            field(sb, m, f.ovsName(), f);
        }
        for (int i = 0; i < TUN_METADATA_FIELDS; i++) {
            FlowField f = FlowField.tunMetadata(i);
            if (TunMetadataText.longLength(f) > 0) {
                TunMetadataText.appendMatch(sb, m, i);
            } else if (!TunMetadataText.isExtensionSlot(i)) {
                field(sb, m, f.ovsName(), f);
            }
        }
        field(sb, m, "metadata", FlowField.METADATA);
        if (!m.isWildcard(FlowField.IN_PORT)) {
            sb.append("in_port=");
            long port = m.value(FlowField.IN_PORT);
            if (m.isExact(FlowField.IN_PORT)) {
                sb.append(port <= OfPorts.NONE ? OfPorts.format((int) port) : Long.toString(port));
            } else {
                FieldText.hexMasked(sb, port, m.mask(FlowField.IN_PORT));
            }
            sb.append(',');
        }
        appendVlan(sb, m);
        field(sb, m, "vlan_tpid", FlowField.VLAN_TPID);
        field(sb, m, "vlan_tci1", FlowField.VLAN_TCI1);
        field(sb, m, "vlan_tpid1", FlowField.VLAN_TPID1);
        field(sb, m, "dl_src", FlowField.ETH_SRC);
        field(sb, m, "dl_dst", FlowField.ETH_DST);
        if (shorthand == null && !m.isWildcard(FlowField.ETH_TYPE)) {
            sb.append("dl_type=");
            if (eth >= 0) {
                sb.append(String.format("0x%04x", eth));
            } else {
                FieldText.hexMasked(sb, m.value(FlowField.ETH_TYPE), m.mask(FlowField.ETH_TYPE));
            }
            sb.append(',');
        }
        boolean arp = eth == FlowKey.ETH_TYPE_ARP || eth == FlowKey.ETH_TYPE_RARP;
        if (eth == FlowKey.ETH_TYPE_IPV6) {
            field(sb, m, "ipv6_src", FlowField.IPV6_SRC);
            field(sb, m, "ipv6_dst", FlowField.IPV6_DST);
            if (!m.isWildcard(FlowField.IPV6_LABEL)) {
                sb.append(String.format("ipv6_label=0x%05x", m.value(FlowField.IPV6_LABEL)));
                if (!m.isExact(FlowField.IPV6_LABEL)) {
                    sb.append(String.format("/0x%05x", m.mask(FlowField.IPV6_LABEL)));
                }
                sb.append(',');
            }
        } else {
            field(sb, m, arp ? "arp_spa" : "nw_src", FlowField.NW_SRC);
            field(sb, m, arp ? "arp_tpa" : "nw_dst", FlowField.NW_DST);
        }
        if (!skipProto) {
            field(sb, m, arp ? "arp_op" : "nw_proto", FlowField.NW_PROTO);
        }
        if (arp) {
            field(sb, m, "arp_sha", FlowField.ARP_SHA);
            field(sb, m, "arp_tha", FlowField.ARP_THA);
        }
        appendTos(sb, m);
        field(sb, m, "nw_ttl", FlowField.NW_TTL);
        field(sb, m, "nw_frag", FlowField.NW_FRAG);
        if (eth == FlowKey.ETH_TYPE_IPV4 && proto == FlowKey.IPPROTO_ICMP) {
            field(sb, m, "icmp_type", FlowField.ICMP_TYPE);
            field(sb, m, "icmp_code", FlowField.ICMP_CODE);
        } else if (eth == FlowKey.ETH_TYPE_IPV6 && proto == FlowKey.IPPROTO_ICMPV6) {
            field(sb, m, "icmp_type", FlowField.ICMPV6_TYPE);
            field(sb, m, "icmp_code", FlowField.ICMPV6_CODE);
            field(sb, m, "nd_target", FlowField.ND_TARGET);
            field(sb, m, "nd_sll", FlowField.ND_SLL);
            field(sb, m, "nd_tll", FlowField.ND_TLL);
        } else {
            field(sb, m, "tp_src", FlowField.TP_SRC);
            field(sb, m, "tp_dst", FlowField.TP_DST);
        }
        if (proto == FlowKey.IPPROTO_TCP) {
            field(sb, m, "tcp_flags", FlowField.TCP_FLAGS);
        }
        if (sb.length() > start) {
            sb.setLength(sb.length() - 1);
        }
        return sb;
    }

    private static void field(StringBuilder sb, Match m, String name, FlowField f) {
        if (m.isWildcard(f)) {
            return;
        }
        sb.append(name).append('=');
        if (f.is128() && f.format() == FieldFormat.HEX) {
            FieldText.appendHex128(sb, m.valueHigh(f), m.valueLow(f), m.maskHigh(f), m.maskLow(f));
        } else if (f.is128()) {
            FieldText.append128(sb, m.valueHigh(f), m.valueLow(f), m.maskHigh(f), m.maskLow(f));
        } else {
            FieldText.append(sb, f, m.value(f), m.mask(f));
        }
        sb.append(',');
    }

    private static void appendVlan(StringBuilder sb, Match m) {
        long tm = m.mask(FlowField.VLAN_TCI);
        if (tm == 0) {
            return;
        }
        long tv = m.value(FlowField.VLAN_TCI);
        long vidMask = tm & FlowKey.VLAN_VID_MASK;
        long pcpMask = tm & 0xe000;
        if ((tm & FlowKey.VLAN_CFI) != 0 && (tv & FlowKey.VLAN_CFI) != 0
                && (vidMask == 0 || vidMask == FlowKey.VLAN_VID_MASK) && (pcpMask == 0 || pcpMask == 0xe000)
                && (vidMask | pcpMask) != 0) {
            if (vidMask != 0) {
                sb.append("dl_vlan=").append(tv & FlowKey.VLAN_VID_MASK).append(',');
            }
            if (pcpMask != 0) {
                sb.append("dl_vlan_pcp=").append(tv >>> FlowKey.VLAN_PCP_SHIFT).append(',');
            }
        } else if (tm == 0xffff) {
            sb.append(String.format("vlan_tci=0x%04x,", tv));
        } else {
            sb.append(String.format("vlan_tci=0x%04x/0x%04x,", tv, tm));
        }
    }

    /** OVS writes the DSCP and ECN parts of the TOS byte apart; other masks go out as numbers. */
    private static void appendTos(StringBuilder sb, Match m) {
        long tm = m.mask(FlowField.NW_TOS);
        long tv = m.value(FlowField.NW_TOS);
        if (tm == 0) {
            return;
        }
        if (tm != 0xfc && tm != 0x03 && tm != 0xff) {
            FieldText.hexMasked(sb.append("nw_tos="), tv, tm).append(',');
            return;
        }
        if ((tm & 0xfc) != 0) {
            sb.append("nw_tos=").append(tv & 0xfc).append(',');
        }
        if ((tm & 0x03) != 0) {
            sb.append("nw_ecn=").append(tv & 0x03).append(',');
        }
    }
}
