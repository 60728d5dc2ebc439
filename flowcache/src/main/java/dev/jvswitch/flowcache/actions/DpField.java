package dev.jvswitch.flowcache.actions;

/**
 * The packet and metadata fields a datapath {@code set} action can write, in the order OVS
 * prints them inside one {@code set(group(...))}.
 *
 * <p>Every field is at most 64 bits wide; an IPv6 address is two fields (the high and low 64
 * bits, network order). A field belongs to a {@link Group}, which is the OVS key attribute it is
 * printed under: {@code set(ipv4(src=...,ttl=...))}. Transport ports have one field per protocol
 * ({@link #TCP_SRC}, {@link #UDP_SRC}, {@link #SCTP_SRC}, ...) because the printed form names
 * the protocol; {@link #tpSrc(int)} and {@link #tpDst(int)} map an IP protocol number to them.
 * The executor writes a port field only into a packet of that protocol.
 *
 * <p>Tunnel fields go into the mbuf's tunnel metadata, {@link #SKB_MARK} into its mark; they
 * cannot be masked (as in OVS, whose masked set does not cover the tunnel key).
 */
public enum DpField {
    ETH_SRC(Group.ETH, "src", 48, true),
    ETH_DST(Group.ETH, "dst", 48, true),

    IPV4_SRC(Group.IPV4, "src", 32, true),
    IPV4_DST(Group.IPV4, "dst", 32, true),
    IPV4_TOS(Group.IPV4, "tos", 8, true),
    IPV4_TTL(Group.IPV4, "ttl", 8, true),

    /** High 64 bits (bytes 0..7) of the IPv6 source address. */
    IPV6_SRC_HI(Group.IPV6, "src", 64, true),
    /** Low 64 bits (bytes 8..15) of the IPv6 source address. */
    IPV6_SRC_LO(Group.IPV6, "src", 64, true),
    IPV6_DST_HI(Group.IPV6, "dst", 64, true),
    IPV6_DST_LO(Group.IPV6, "dst", 64, true),
    IPV6_LABEL(Group.IPV6, "label", 20, true),
    IPV6_TCLASS(Group.IPV6, "tclass", 8, true),
    IPV6_HLIMIT(Group.IPV6, "hlimit", 8, true),

    TCP_SRC(Group.TCP, "src", 16, true),
    TCP_DST(Group.TCP, "dst", 16, true),
    UDP_SRC(Group.UDP, "src", 16, true),
    UDP_DST(Group.UDP, "dst", 16, true),
    SCTP_SRC(Group.SCTP, "src", 16, true),
    SCTP_DST(Group.SCTP, "dst", 16, true),

    SKB_MARK(Group.SKB_MARK, "skb_mark", 32, true),

    TUN_ID(Group.TUNNEL, "tun_id", 64, false),
    TUN_IPV4_SRC(Group.TUNNEL, "src", 32, false),
    TUN_IPV4_DST(Group.TUNNEL, "dst", 32, false),
    TUN_TOS(Group.TUNNEL, "tos", 8, false),
    TUN_TTL(Group.TUNNEL, "ttl", 8, false),

    /** ARP (Ethernet/IPv4) fields, as OVS's {@code set(arp(sip=,tip=,op=,sha=,tha=))}. */
    ARP_SIP(Group.ARP, "sip", 32, true),
    ARP_TIP(Group.ARP, "tip", 32, true),
    ARP_OP(Group.ARP, "op", 16, true),
    ARP_SHA(Group.ARP, "sha", 48, true),
    ARP_THA(Group.ARP, "tha", 48, true),

    ICMP_TYPE(Group.ICMP, "type", 8, true),
    ICMP_CODE(Group.ICMP, "code", 8, true),
    ICMPV6_TYPE(Group.ICMPV6, "type", 8, true),
    ICMPV6_CODE(Group.ICMPV6, "code", 8, true);

    /** The OVS key attribute a field is printed under: {@code set(<group>(...))}. */
    public enum Group {
        ETH("eth"), IPV4("ipv4"), IPV6("ipv6"), TCP("tcp"), UDP("udp"), SCTP("sctp"),
        SKB_MARK("skb_mark"), TUNNEL("tunnel"), ARP("arp"), ICMP("icmp"), ICMPV6("icmpv6");

        private final String printName;

        Group(String printName) {
            this.printName = printName;
        }

        public String printName() {
            return printName;
        }
    }

    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_SCTP = 132;

    private static final DpField[] VALUES = values();

    private final Group group;
    private final String printName;
    private final int widthBits;
    private final boolean maskable;
    private final long fullMask;

    DpField(Group group, String printName, int widthBits, boolean maskable) {
        this.group = group;
        this.printName = printName;
        this.widthBits = widthBits;
        this.maskable = maskable;
        this.fullMask = widthBits == 64 ? -1L : (1L << widthBits) - 1;
    }

    /** The field with this {@link #ordinal()}, without the copy {@code values()} makes. */
    public static DpField of(int ordinal) {
        return VALUES[ordinal];
    }

    public Group group() {
        return group;
    }

    /** The key name inside the group's parentheses, e.g. {@code src} of {@code ipv4(src=...)}. */
    public String printName() {
        return printName;
    }

    /** A unique lower-case name for messages, e.g. {@code ipv4_src}, {@code ipv6_src_hi}. */
    public String fieldName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public int widthBits() {
        return widthBits;
    }

    /** False for fields that only take an exact value (the tunnel key). */
    public boolean maskable() {
        return maskable;
    }

    /** All {@link #widthBits()} bits set. */
    public long fullMask() {
        return fullMask;
    }

    /** The source-port field of an IP protocol (6, 17 or 132). */
    public static DpField tpSrc(int ipProto) {
        return switch (ipProto) {
            case IPPROTO_TCP -> TCP_SRC;
            case IPPROTO_UDP -> UDP_SRC;
            case IPPROTO_SCTP -> SCTP_SRC;
            default -> throw new IllegalArgumentException("tp_src: IP protocol " + ipProto + " has no ports");
        };
    }

    /** The destination-port field of an IP protocol (6, 17 or 132). */
    public static DpField tpDst(int ipProto) {
        return switch (ipProto) {
            case IPPROTO_TCP -> TCP_DST;
            case IPPROTO_UDP -> UDP_DST;
            case IPPROTO_SCTP -> SCTP_DST;
            default -> throw new IllegalArgumentException("tp_dst: IP protocol " + ipProto + " has no ports");
        };
    }
}
