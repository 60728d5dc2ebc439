package dev.jvswitch.config.yaml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

import dev.jvswitch.config.BridgeSpec;
import dev.jvswitch.config.ConfigEnvironment;
import dev.jvswitch.config.Diagnostics;
import dev.jvswitch.config.EndpointSpec;
import dev.jvswitch.config.PortSpec;
import dev.jvswitch.config.RouteSpec;
import dev.jvswitch.pmd.tunnel.IpAddress;
import dev.jvswitch.pmd.tunnel.TunnelConfig;

/**
 * The tunnel parts of the config file: a bridge's endpoint ({@code local-ip}: one
 * {@code ADDR/PLEN} or a list with at most one IPv4 and one IPv6 address; {@code local-mac}),
 * the top-level {@code routes} (the arguments of {@code ovs/route/add}, one string each), and the
 * checks across tunnel ports that no single port's options can make: a remote whose family no
 * endpoint has, a {@code local_ip} the switch does not own, two ports that would take the same
 * received packets.
 *
 * <p>Errors go to the {@link Diagnostics} with the line of the value (or of the port).
 */
final class TunnelSection {
    private TunnelSection() {
    }

    /** The endpoint of bridge section {@code b}, or null without {@code local-ip}. */
    static EndpointSpec endpoint(Section b, Diagnostics diag) {
        if (!b.has("local-ip")) {
            if (b.has("local-mac")) {
                b.error("local-mac", "local-mac needs local-ip: the MAC is the tunnel endpoint's");
            }
            return null;
        }
        Node v = b.value("local-ip");
        List<Node> items = v instanceof ScalarNode ? List.of(v)
                : Section.list(v, b.path("local-ip"), "ADDR/PLEN or a list of them", diag);
        IpAddress v4 = null;
        IpAddress v6 = null;
        int plen4 = 0;
        int plen6 = 0;
        int before = diag.count();
        for (Node item : items) {
            String t = Section.scalar(item, b.path("local-ip"), "ADDR/PLEN like 192.0.2.1/24", diag);
            if (t == null) {
                continue;
            }
            String text = t.trim();
            int slash = text.indexOf('/');
            IpAddress ip;
            int plen;
            try {
                if (slash < 0) {
                    throw new IllegalArgumentException();
                }
                ip = IpAddress.parse(text.substring(0, slash));
                plen = Integer.parseInt(text.substring(slash + 1).trim());
                if (plen < 1 || plen > (ip.isIpv4() ? 32 : 128)) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                Section.report(diag, item, b.path("local-ip"), "expected ADDR/PLEN like 192.0.2.1/24 or "
                        + "2001:db8::1/64, got '" + text + "'");
                continue;
            }
            if (ip.isAny() || ip.isMulticast()) {
                Section.report(diag, item, b.path("local-ip"), ip + " cannot be a tunnel endpoint");
            } else if (ip.isIpv4() ? v4 != null : v6 != null) {
                Section.report(diag, item, b.path("local-ip"), "a second " + (ip.isIpv4() ? "IPv4" : "IPv6")
                        + " address: a bridge has at most one of each");
            } else if (ip.isIpv4()) {
                v4 = ip;
                plen4 = plen;
            } else {
                v6 = ip;
                plen6 = plen;
            }
        }
        long mac = EndpointSpec.GENERATED;
        String macText = b.text("local-mac", "a MAC like 02:00:00:00:00:01");
        if (macText != null) {
            mac = parseMac(macText.trim());
            if (mac < 0 || (mac >>> 40 & 1) != 0 || mac == 0) {
                b.error("local-mac", "expected a unicast MAC like 02:00:00:00:00:01, got '" + macText.trim() + "'");
                mac = EndpointSpec.GENERATED;
            }
        }
        if (diag.count() > before || (v4 == null && v6 == null)) {
            if (diag.count() == before) {
                b.error("local-ip", "expected ADDR/PLEN like 192.0.2.1/24");
            }
            return null;
        }
        return new EndpointSpec(v4, plen4, v6, plen6, mac, b.valueLine("local-ip"));
    }

    /** {@code routes}: each string's prefix, bridge, gateway and source checked against the endpoints. */
    static List<RouteSpec> routes(Section top, Map<String, BridgeSpec> bridges, Diagnostics diag) {
        List<RouteSpec> out = new ArrayList<>();
        int index = 0;
        String path = top.path("routes");
        for (Node item : Section.list(top.value("routes"), path, "a list of \"PREFIX/PLEN BRIDGE [GATEWAY]"
                + " [src=IP]\" strings", diag)) {
            String itemPath = path + "[" + index++ + "]";
            String t = Section.scalar(item, itemPath, "\"PREFIX/PLEN BRIDGE [GATEWAY] [src=IP]\"", diag);
            if (t == null) {
                continue;
            }
            String problem = null;
            RouteSpec r = null;
            String[] w = t.trim().split("\\s+");
            try {
                r = route(w, Section.line(item), bridges);
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
            if (problem != null) {
                Section.report(diag, item, itemPath, problem);
            } else {
                out.add(r);
            }
        }
        return out;
    }

    private static RouteSpec route(String[] w, int line, Map<String, BridgeSpec> bridges) {
        if (w.length < 2 || w.length > 4) {
            throw new IllegalArgumentException("expected \"PREFIX/PLEN BRIDGE [GATEWAY] [src=IP]\", got "
                    + w.length + " word(s)");
        }
        String prefix = w[0];
        int slash = prefix.indexOf('/');
        IpAddress net;
        try {
            net = IpAddress.parse(slash < 0 ? prefix : prefix.substring(0, slash));
            int plen = slash < 0 ? -1 : Integer.parseInt(prefix.substring(slash + 1));
            if (plen < 0 || plen > (net.isIpv4() ? 32 : 128)) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + prefix + "' is not PREFIX/PLEN like 198.51.100.0/24");
        }
        BridgeSpec b = bridges.get(w[1]);
        if (b == null) {
            throw new IllegalArgumentException("no bridge named " + w[1]);
        }
        IpAddress own = b.endpoint() == null ? null : b.endpoint().addressLike(net);
        if (own == null) {
            throw new IllegalArgumentException("bridge " + w[1] + " has no " + (net.isIpv4() ? "IPv4" : "IPv6")
                    + " local-ip to route " + prefix + " from");
        }
        String gateway = null;
        String src = null;
        for (int i = 2; i < w.length; i++) {
            String text = w[i].startsWith("src=") ? w[i].substring(4) : w[i];
            IpAddress a;
            try {
                a = IpAddress.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + w[i] + "' is neither a gateway address nor src=ADDRESS");
            }
            if (a.isIpv4() != net.isIpv4()) {
                throw new IllegalArgumentException("'" + w[i] + "' is not of " + prefix + "'s address family");
            }
            if (w[i].startsWith("src=")) {
                if (!a.equals(own)) {
                    throw new IllegalArgumentException("src " + a + " is not bridge " + w[1] + "'s local-ip " + own);
                }
                src = text;
            } else if (gateway != null) {
                throw new IllegalArgumentException("two gateways: " + gateway + " and " + text);
            } else {
                gateway = text;
            }
        }
        return new RouteSpec(prefix, w[1], gateway, src, line);
    }

    /**
     * Checks tunnel ports against each other and the endpoints; {@code env} reads each port's
     * tunnel options (ports whose type is not a tunnel, or not on the class path, are skipped).
     */
    static void checkPorts(Map<String, BridgeSpec> bridges, ConfigEnvironment env, Diagnostics diag) {
        List<IpAddress> owned = new ArrayList<>();
        for (BridgeSpec b : bridges.values()) {
            if (b.endpoint() != null) {
                if (b.endpoint().ipv4() != null) {
                    owned.add(b.endpoint().ipv4());
                }
                if (b.endpoint().ipv6() != null) {
                    owned.add(b.endpoint().ipv6());
                }
            }
        }
        Map<String, PortSpec> receivers = new HashMap<>();
        for (BridgeSpec b : bridges.values()) {
            for (PortSpec p : b.ports().values()) {
                TunnelConfig c = env.tunnelConfig(p.name(), p.type(), p.options());
                if (c == null) {
                    continue;
                }
                String key = "bridges." + b.name() + ".ports." + p.name() + ".options";
                IpAddress remote = c.remoteIp();
                if (remote != null && owned.stream().noneMatch(a -> a.isIpv4() == remote.isIpv4())) {
                    diag.add(diag.file(), p.line(), key, "remote_ip " + remote + ": no bridge has an "
                            + (remote.isIpv4() ? "IPv4" : "IPv6") + " local-ip to send from (set local-ip on the"
                            + " underlay bridge)");
                }
                if (c.localIp() != null && !owned.contains(c.localIp())) {
                    diag.add(diag.file(), p.line(), key, "local_ip " + c.localIp() + " is not a local-ip of any bridge");
                }
                String match = c.type() + ":" + c.dstPort() + " key=" + (c.keyFlow() ? "flow" : c.key()) + " remote="
                        + (c.remoteFlow() ? "flow" : remote) + " local="
                        + (c.localFlow() ? "flow" : c.localIp() == null ? "any" : c.localIp());
                PortSpec first = receivers.putIfAbsent(match, p);
                if (first != null) {
                    diag.add(diag.file(), p.line(), key, "takes the same packets as port " + first.name() + " (line "
                            + first.line() + "): " + match);
                }
            }
        }
    }

    private static long parseMac(String text) {
        String[] parts = text.split("[:-]");
        if (parts.length != 6) {
            return -1;
        }
        long mac = 0;
        for (String p : parts) {
            if (p.length() != 2) {
                return -1;
            }
            try {
                mac = mac << 8 | Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return mac;
    }
}
