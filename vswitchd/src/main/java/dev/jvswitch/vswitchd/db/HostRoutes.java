package dev.jvswitch.vswitchd.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.jvswitch.config.BridgeSpec;
import dev.jvswitch.config.RouteSpec;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.pmd.tunnel.IpAddress;

/**
 * Tunnel routes beyond a bridge's endpoint subnet under a database, from the host's own routing
 * table as OVS's {@code ovs-router} copies the kernel's: every IPv4 route through a gateway whose
 * device is a bridge's own device with a tunnel endpoint ({@code ip route add 198.51.100.0/24 via
 * 192.0.2.254 dev br-phy}) becomes that bridge's route through that gateway; the same for IPv6
 * ({@code /proc/net/ipv6_route}) where the endpoint has an IPv6 address. Connected routes come
 * from the endpoint's own address already.
 *
 * <p>Stateless; any thread (the tables are read afresh on each call).
 */
final class HostRoutes {
    private static final Path ROUTES = Path.of("/proc/net/route");
    private static final Path ROUTES6 = Path.of("/proc/net/ipv6_route");
    private static final int RTF_UP = 0x1;
    private static final int RTF_GATEWAY = 0x2;

    private HostRoutes() {
    }

    /** The gateway routes of {@code c}'s endpoint bridges' devices, in the table's order. */
    static List<RouteSpec> of(SwitchConfig c) {
        List<RouteSpec> out = new ArrayList<>(parse(read(ROUTES), c));
        out.addAll(parse6(read(ROUTES6), c));
        return out;
    }

    private static List<String> read(Path table) {
        try {
            return Files.readAllLines(table);
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * {@code /proc/net/ipv6_route}'s lines (no header; destination, its prefix length, source,
     * its length, next hop, metric, refcount, use, flags, device) for {@code c}'s bridges.
     */
    static List<RouteSpec> parse6(List<String> lines, SwitchConfig c) {
        List<RouteSpec> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || f[0].length() != 32 || f[4].length() != 32) {
                continue;
            }
            BridgeSpec b = c.bridges().get(f[9]);
            if (b == null || b.endpoint() == null || b.endpoint().ipv6() == null) {
                continue;
            }
            try {
                int flags = Integer.parseUnsignedInt(f[8], 16);
                IpAddress gw = ipv6(f[4]);
                if ((flags & (RTF_UP | RTF_GATEWAY)) != (RTF_UP | RTF_GATEWAY) || gw.isAny()) {
                    continue;
                }
                out.add(new RouteSpec(ipv6(f[0]) + "/" + Integer.parseInt(f[1], 16), b.name(), gw.toString(), null,
                        1));
            } catch (NumberFormatException e) {
                // Not a route line: skip it.
            }
        }
        return out;
    }

    /** The IPv6 table writes addresses as 32 hex digits in network order. */
    private static IpAddress ipv6(String hex) {
        return new IpAddress(Long.parseUnsignedLong(hex.substring(0, 16), 16),
                Long.parseUnsignedLong(hex.substring(16), 16));
    }

    /** {@code /proc/net/route}'s lines (a header, then one route each) for {@code c}'s bridges. */
    static List<RouteSpec> parse(List<String> lines, SwitchConfig c) {
        List<RouteSpec> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            BridgeSpec b = c.bridges().get(f[0]);
            if (b == null || b.endpoint() == null || b.endpoint().ipv4() == null) {
                continue;
            }
            try {
                int flags = Integer.parseInt(f[3], 16);
                if ((flags & (RTF_UP | RTF_GATEWAY)) != (RTF_UP | RTF_GATEWAY)) {
                    continue;
                }
                int plen = Integer.bitCount(Integer.parseUnsignedInt(f[7], 16));
                out.add(new RouteSpec(ipv4(f[1]) + "/" + plen, b.name(), ipv4(f[2]), null, 1));
            } catch (NumberFormatException e) {
                // Not a route line: skip it.
            }
        }
        return out;
    }

    /** The table writes addresses as the host's (little-endian) 32-bit words in hex. */
    private static String ipv4(String hex) {
        int a = Integer.reverseBytes(Integer.parseUnsignedInt(hex, 16));
        return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
    }
}
