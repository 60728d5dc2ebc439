package dev.jvswitch.testkit.frame;

/**
 * The protocol numbers the frame builder writes (IEEE EtherTypes, IANA IP protocol numbers,
 * RFC 4861 message types). They are the wire values themselves, so the builder states them here
 * rather than borrowing the datapath's flow-key constants: test support depends on nothing it
 * tests.
 */
final class Proto {
    static final int ETH_TYPE_IPV4 = 0x0800;
    static final int ETH_TYPE_ARP = 0x0806;
    static final int ETH_TYPE_VLAN_8021Q = 0x8100;
    static final int ETH_TYPE_IPV6 = 0x86dd;
    static final int ETH_TYPE_VLAN_8021AD = 0x88a8;

    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    static final int IPPROTO_FRAGMENT = 44;
    static final int IPPROTO_ICMPV6 = 58;
    static final int IPPROTO_SCTP = 132;

    static final int ND_NEIGHBOR_SOLICIT = 135;
    static final int ND_NEIGHBOR_ADVERT = 136;

    private Proto() {
    }
}
