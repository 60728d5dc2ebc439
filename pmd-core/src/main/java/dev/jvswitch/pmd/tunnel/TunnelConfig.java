package dev.jvswitch.pmd.tunnel;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options of a tunnel port ({@code type: vxlan}, later Geneve), as OVS's
 * {@code netdev_tunnel_config}: where packets go, which ones the port takes in, and how the outer
 * header is filled. One parser ({@link #parse}) serves the port type's option check, its open,
 * and the OpenFlow side that builds headers and maps received packets to ports, so they cannot
 * disagree.
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code remote_ip}</td><td>(required)</td><td>the remote endpoint, IPv4 or IPv6, or
 *       {@code flow}: {@code tun_dst}/{@code tun_ipv6_dst} set by the flow</td></tr>
 *   <tr><td>{@code local_ip}</td><td>from the route</td><td>the local endpoint, or {@code flow}
 *       (then {@code remote_ip} must be {@code flow} too)</td></tr>
 *   <tr><td>{@code key}</td><td>0</td><td>the VNI, or {@code flow}: {@code tun_id} set by the
 *       flow on output, any VNI taken in</td></tr>
 *   <tr><td>{@code dst_port}</td><td>the type's (4789)</td><td>outer UDP destination port</td></tr>
 *   <tr><td>{@code tos}</td><td>0</td><td>outer DSCP (a multiple of 4, 0..252) or {@code inherit}
 *       from the inner IP packet; ECN is always copied</td></tr>
 *   <tr><td>{@code ttl}</td><td>64</td><td>outer TTL/hop limit (1..255) or {@code inherit}</td></tr>
 *   <tr><td>{@code csum}</td><td>false over IPv4, true over IPv6</td><td>outer UDP checksum;
 *       IPv6 requires it (RFC 8200), so {@code false} with an IPv6 {@code remote_ip} is an
 *       error, and a flow-based tunnel always sets it over IPv6</td></tr>
 *   <tr><td>{@code df_default}</td><td>true</td><td>outer IPv4 Don't Fragment bit</td></tr>
 * </table>
 *
 * @param type       the port type, e.g. {@code vxlan}
 * @param remoteIp   the remote endpoint, or null when {@code remoteFlow}
 * @param remoteFlow {@code remote_ip=flow}
 * @param localIp    the local endpoint, or null (from the route, or {@code localFlow})
 * @param localFlow  {@code local_ip=flow}
 * @param key        the VNI when not {@code keyFlow}
 * @param keyFlow    {@code key=flow}
 * @param dstPort    outer UDP destination port
 * @param tos        outer DSCP when not {@code tosInherit}
 * @param tosInherit {@code tos=inherit}
 * @param ttl        outer TTL when not {@code ttlInherit}
 * @param ttlInherit {@code ttl=inherit}
 * @param csum       whether the outer UDP checksum is computed (over IPv4; IPv6 always has it)
 * @param dfDefault  the outer IPv4 DF bit
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record TunnelConfig(String type, IpAddress remoteIp, boolean remoteFlow, IpAddress localIp, boolean localFlow,
        long key, boolean keyFlow, int dstPort, int tos, boolean tosInherit, int ttl, boolean ttlInherit,
        boolean csum, boolean dfDefault) {
    public static final int DEFAULT_TTL = 64;
    public static final Set<String> OPTIONS = Set.of("remote_ip", "local_ip", "key", "dst_port", "tos", "ttl", "csum",
            "df_default");
    private static final String FLOW = "flow";
    private static final String INHERIT = "inherit";

    /**
     * Reads the options of port {@code name}.
     *
     * @param defaultDstPort the type's UDP port (4789 for VXLAN)
     * @param maxKey         the largest key the type's header carries (2^24 - 1 for a VNI)
     * @throws IllegalArgumentException {@code port NAME: option 'X' ...}, for the first problem
     */
    public static TunnelConfig parse(String name, String type, Map<String, String> options, int defaultDstPort,
            long maxKey) {
        for (String k : options.keySet()) {
            if (!OPTIONS.contains(k)) {
                throw bad(name, "unknown option '" + k + "' for type " + type + " (known: "
                        + String.join(", ", new TreeSet<>(OPTIONS)) + ")");
            }
        }
        String remote = options.get("remote_ip");
        if (remote == null || remote.isBlank()) {
            throw bad(name, "option 'remote_ip' is required for type " + type + " (an IPv4 or IPv6 address, or flow)");
        }
        boolean remoteFlow = remote.trim().equals(FLOW);
        IpAddress remoteIp = remoteFlow ? null : address(name, "remote_ip", remote);
        if (remoteIp != null && remoteIp.isAny()) {
            throw bad(name, "option 'remote_ip' must not be the unspecified address, got '" + remote + "'");
        }
        if (remoteIp != null && remoteIp.isMulticast()) {
            throw bad(name, "option 'remote_ip' must not be multicast, got '" + remote + "'");
        }
        String local = options.get("local_ip");
        boolean localFlow = local != null && local.trim().equals(FLOW);
        IpAddress localIp = local == null || localFlow ? null : address(name, "local_ip", local);
        if (localFlow && !remoteFlow) {
            throw bad(name, "option 'local_ip' is flow, which needs 'remote_ip' to be flow too");
        }
        if (localIp != null && remoteIp != null && localIp.isIpv4() != remoteIp.isIpv4()) {
            throw bad(name, "options 'remote_ip' and 'local_ip' must be of one address family, got " + remoteIp
                    + " and " + localIp);
        }
        String keyText = options.get("key");
        boolean keyFlow = keyText != null && keyText.trim().equals(FLOW);
        long key = keyText == null || keyFlow ? 0 : number(name, "key", keyText, 0, maxKey);
        int dstPort = options.containsKey("dst_port")
                ? (int) number(name, "dst_port", options.get("dst_port"), 1, 65535) : defaultDstPort;
        String tosText = options.get("tos");
        boolean tosInherit = tosText != null && tosText.trim().equals(INHERIT);
        int tos = tosText == null || tosInherit ? 0 : (int) number(name, "tos", tosText, 0, 252);
        if ((tos & 3) != 0) {
            throw bad(name, "option 'tos' is a DSCP value (a multiple of 4: ECN bits are copied from the inner"
                    + " packet), got " + tosText.trim());
        }
        String ttlText = options.get("ttl");
        boolean ttlInherit = ttlText != null && ttlText.trim().equals(INHERIT);
        int ttl = ttlText == null || ttlInherit ? DEFAULT_TTL : (int) number(name, "ttl", ttlText, 1, 255);
        boolean ipv6Remote = remoteIp != null && !remoteIp.isIpv4();
        boolean csum = bool(name, "csum", options.get("csum"), ipv6Remote);
        if (ipv6Remote && !csum) {
            throw bad(name, "option 'csum' cannot be false with an IPv6 remote_ip (IPv6 requires a UDP checksum)");
        }
        boolean df = bool(name, "df_default", options.get("df_default"), true);
        return new TunnelConfig(type, remoteIp, remoteFlow, localIp, localFlow, key, keyFlow, dstPort, tos, tosInherit,
                ttl, ttlInherit, csum, df);
    }

    /** The options as OVS's {@code dpif/show} lists them, e.g. {@code key=100, remote_ip=192.0.2.2}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (dstPort != 4789) {
            sb.append("dst_port=").append(dstPort).append(", ");
        }
        if (keyFlow) {
            sb.append("key=flow, ");
        } else if (key != 0) {
            sb.append("key=").append(key).append(", ");
        }
        if (localFlow) {
            sb.append("local_ip=flow, ");
        } else if (localIp != null) {
            sb.append("local_ip=").append(localIp).append(", ");
        }
        sb.append("remote_ip=").append(remoteFlow ? FLOW : remoteIp.toString());
        return sb.toString();
    }

    private static IpAddress address(String name, String option, String text) {
        try {
            return IpAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw bad(name, "option '" + option + "' must be an IPv4 or IPv6 address or flow, got '" + text.trim() + "'");
        }
    }

    private static long number(String name, String option, String text, long min, long max) {
        long v;
        try {
            String t = text.trim();
            v = t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw bad(name, "option '" + option + "' must be a number, got '" + text.trim() + "'");
        }
        if (v < min || v > max) {
            throw bad(name, "option '" + option + "' must be within " + min + ".." + max + ", got " + v);
        }
        return v;
    }

    private static boolean bool(String name, String option, String text, boolean defaultValue) {
        if (text == null) {
            return defaultValue;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(name, "option '" + option + "' must be true or false, got '" + text.trim() + "'");
        };
    }

    private static IllegalArgumentException bad(String name, String message) {
        return new IllegalArgumentException("port " + name + ": " + message);
    }
}
