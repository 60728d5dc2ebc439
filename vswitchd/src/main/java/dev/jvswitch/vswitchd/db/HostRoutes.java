package dev.jvswitch.vswitchd.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.jvswitch.config.BridgeSpec;
import dev.jvswitch.config.RouteSpec;
import dev.jvswitch.config.SwitchConfig;

/**
 * Tunnel routes beyond a bridge's endpoint subnet under a database, from the host's own routing
 * table as OVS's {@code ovs-router} copies the kernel's: every IPv4 route through a gateway whose
 * device is a bridge's own device with a tunnel endpoint ({@code ip route add 198.51.100.0/24 via
 * 192.0.2.254 dev br-phy}) becomes that bridge's route through that gateway. Connected routes come
 * from the endpoint's own address already.
 *
 * <p>Stateless; any thread ({@code /proc/net/route} is read afresh on each call).
 */
final class HostRoutes {
    private static final Path ROUTES = Path.of("/proc/net/route");
    private static final int RTF_UP = 0x1;
    private static final int RTF_GATEWAY = 0x2;

    private HostRoutes() {
    }

    /** The gateway routes of {@code c}'s endpoint bridges' devices, in the table's order. */
    static List<RouteSpec> of(SwitchConfig c) {
        List<String> lines;
        try {
            lines = Files.readAllLines(ROUTES);
        } catch (IOException e) {
            return List.of();
        }
        return parse(lines, c);
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
