package dev.jvswitch.config;

import dev.jvswitch.pmd.tunnel.IpAddress;

/**
 * A bridge's tunnel endpoint ({@code bridges.NAME.local-ip}, {@code local-mac}): the addresses
 * the switch owns on an underlay bridge, as OVS puts them on {@code br-phy}'s internal port. The
 * bridge answers ARP/ND for them, terminates tunnel packets sent to them, and has a connected
 * route for each subnet.
 *
 * @param ipv4  the IPv4 address, or null
 * @param plen4 its prefix length
 * @param ipv6  the IPv6 address, or null
 * @param plen6 its prefix length
 * @param mac   the endpoint's MAC (48 bits), or {@link #GENERATED} for one derived from the
 *              bridge's name
 * @param line  line of {@code local-ip}
 *
 * <p>Immutable; checked by the producer.
 */
public record EndpointSpec(IpAddress ipv4, int plen4, IpAddress ipv6, int plen6, long mac, int line) {
    /** {@code local-mac} left out. */
    public static final long GENERATED = -1;

    /** The address of the family of {@code like}, or null. */
    public IpAddress addressLike(IpAddress like) {
        return like.isIpv4() ? ipv4 : ipv6;
    }

    /** Whether the two describe the same endpoint (the line aside). */
    public boolean sameAs(EndpointSpec o) {
        return o != null && java.util.Objects.equals(ipv4, o.ipv4) && plen4 == o.plen4
                && java.util.Objects.equals(ipv6, o.ipv6) && plen6 == o.plen6 && mac == o.mac;
    }
}
