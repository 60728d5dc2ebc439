package dev.jvswitch.flowcache.key;

/**
 * What a flow key must already say before a field means anything (OVS's {@code mf_prereqs}).
 * A match on {@code tp_src} without {@code nw_proto=6} (or 17, 132) is meaningless, and the
 * ovs-ofctl flow parser uses this to reject it, naming the field.
 */
public enum FlowPrereq {
    /** Metadata and Ethernet fields: always meaningful. */
    NONE,
    /** eth_type is ARP (0x0806) or RARP (0x8035). */
    ARP,
    /** eth_type is IPv4 (0x0800). */
    IPV4,
    /** eth_type is IPv6 (0x86dd). */
    IPV6,
    /** eth_type is IPv4 or IPv6. */
    IP_ANY,
    /** IPv4 or IPv6 with nw_proto TCP (6). */
    TCP,
    /** IPv4 or IPv6 with nw_proto TCP, UDP (17) or SCTP (132): the fields with ports. */
    TP_PORTS,
    /** IPv4 with nw_proto ICMP (1). */
    ICMPV4,
    /** IPv6 with nw_proto ICMPv6 (58). */
    ICMPV6,
    /** ICMPv6 neighbour solicitation (135) or advertisement (136), code 0. */
    ND,
    /** ICMPv6 neighbour solicitation, code 0: the one that may carry a source link-layer address. */
    ND_SOLICIT,
    /** ICMPv6 neighbour advertisement, code 0: the one that may carry a target link-layer address. */
    ND_ADVERT,
    /**
     * The packet is tracked and valid ({@code ct_state} has {@code trk} and not {@code inv}):
     * the original-direction tuple fields mean something (OVS's {@code MFP_CT_VALID}).
     */
    CT;

    private static final int CT_INV = 0x10;
    private static final int CT_TRK = 0x20;

    /** True if {@code key}'s own fields satisfy this prerequisite. */
    public boolean isMet(FlowKey key) {
        int ethType = key.ethType();
        boolean ip4 = ethType == FlowKey.ETH_TYPE_IPV4;
        boolean ip6 = ethType == FlowKey.ETH_TYPE_IPV6;
        int proto = key.nwProto();
        switch (this) {
            case NONE:
                return true;
            case ARP:
                return ethType == FlowKey.ETH_TYPE_ARP || ethType == FlowKey.ETH_TYPE_RARP;
            case IPV4:
                return ip4;
            case IPV6:
                return ip6;
            case IP_ANY:
                return ip4 || ip6;
            case TCP:
                return (ip4 || ip6) && proto == FlowKey.IPPROTO_TCP;
            case TP_PORTS:
                return (ip4 || ip6) && (proto == FlowKey.IPPROTO_TCP || proto == FlowKey.IPPROTO_UDP
                        || proto == FlowKey.IPPROTO_SCTP);
            case ICMPV4:
                return ip4 && proto == FlowKey.IPPROTO_ICMP;
            case ICMPV6:
                return ip6 && proto == FlowKey.IPPROTO_ICMPV6;
            case ND:
                return ICMPV6.isMet(key) && key.get(FlowField.ICMPV6_CODE) == 0
                        && (key.get(FlowField.ICMPV6_TYPE) == FlowKey.ND_NEIGHBOR_SOLICIT
                        || key.get(FlowField.ICMPV6_TYPE) == FlowKey.ND_NEIGHBOR_ADVERT);
            case ND_SOLICIT:
                return ND.isMet(key) && key.get(FlowField.ICMPV6_TYPE) == FlowKey.ND_NEIGHBOR_SOLICIT;
            case ND_ADVERT:
                return ND.isMet(key) && key.get(FlowField.ICMPV6_TYPE) == FlowKey.ND_NEIGHBOR_ADVERT;
            case CT:
                long ct = key.get(FlowField.CT_STATE);
                return (ct & CT_TRK) != 0 && (ct & CT_INV) == 0;
            default:
                throw new AssertionError(this);
        }
    }
}
