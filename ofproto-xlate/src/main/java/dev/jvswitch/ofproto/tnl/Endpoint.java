package dev.jvswitch.ofproto.tnl;

import java.util.Objects;

import dev.jvswitch.flowcache.key.Addresses;
import dev.jvswitch.pmd.tunnel.IpAddress;

/**
 * The switch's own addresses on an underlay bridge (what OVS puts on {@code br-phy}'s internal
 * port): the bridge's {@code LOCAL} port answers ARP and ND for them, terminates tunnel packets
 * sent to them, and sources the tunnels routed through the bridge.
 *
 * @param bridge the underlay bridge
 * @param ipv4   its IPv4 address, or null
 * @param plen4  the IPv4 subnet's prefix length (its connected route)
 * @param ipv6   its IPv6 address, or null
 * @param plen6  the IPv6 subnet's prefix length
 * @param mac    its MAC address, 48 bits
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record Endpoint(String bridge, IpAddress ipv4, int plen4, IpAddress ipv6, int plen6, long mac) {
    public Endpoint {
        Objects.requireNonNull(bridge, "bridge");
        if (ipv4 == null && ipv6 == null) {
            throw new IllegalArgumentException("endpoint " + bridge + ": no address");
        }
        if (ipv4 != null && (!ipv4.isIpv4() || plen4 < 0 || plen4 > 32)) {
            throw new IllegalArgumentException("endpoint " + bridge + ": bad IPv4 address " + ipv4 + "/" + plen4);
        }
        if (ipv6 != null && (ipv6.isIpv4() || plen6 < 0 || plen6 > 128)) {
            throw new IllegalArgumentException("endpoint " + bridge + ": bad IPv6 address " + ipv6 + "/" + plen6);
        }
    }

    /** The address of {@code family} (the family of {@code like}), or null. */
    public IpAddress addressLike(IpAddress like) {
        return like.isIpv4() ? ipv4 : ipv6;
    }

    /** Whether {@code ip} is one of this endpoint's addresses. */
    public boolean owns(IpAddress ip) {
        return ip.equals(ipv4) || ip.equals(ipv6);
    }

    /** Whether the address {@code hi:lo} (IPv4-mapped for IPv4) is one of this endpoint's. */
    public boolean owns(long hi, long lo) {
        return (ipv4 != null && ipv4.hi() == hi && ipv4.lo() == lo) || (ipv6 != null && ipv6.hi() == hi
                && ipv6.lo() == lo);
    }

    @Override
    public String toString() {
        return bridge + " " + (ipv4 == null ? "" : ipv4 + "/" + plen4 + " ")
                + (ipv6 == null ? "" : ipv6 + "/" + plen6 + " ") + Addresses.mac(mac);
    }
}
