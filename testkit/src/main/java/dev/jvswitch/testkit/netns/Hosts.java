package dev.jvswitch.testkit.netns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.jvswitch.testkit.sh.Sh;

/**
 * A switch namespace and "hosts" for one test, as bin/jvs-demo builds them: namespace
 * {@code jvst<id>-sw} holds the switch ends {@code s1}, {@code s2}, ... of veth pairs whose other
 * ends are {@code eth0} in {@code jvst<id>-h1}, ... with 10.77.0.N/24. GRO, GSO and TSO are off on
 * both ends; IPv6 is off so no stray solicitations reach the switch. {@link #close()} deletes
 * every namespace, which deletes the veths with them.
 */
public final class Hosts implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    public final String id;
    public final String sw;
    private final List<String> namespaces = new ArrayList<>();

    public Hosts() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        id = HexFormat.of().formatHex(b);
        sw = namespace("sw");
    }

    /** Whether this machine can run the test: root, ip, ethtool, ping, network namespaces. */
    public static boolean available() {
        return Sh.isRoot() && Sh.onPath("ip") && Sh.onPath("ethtool")
                && Sh.onPath("ping") && Files.isDirectory(Path.of("/proc/sys/net"));
    }

    /** Prefix every namespace of this object starts with. */
    public String prefix() {
        return "jvst" + id + "-";
    }

    private String namespace(String suffix) {
        String ns = prefix() + suffix;
        namespaces.add(ns);
        Sh.run("ip", "netns", "add", ns);
        Sh.run("ip", "-n", ns, "link", "set", "lo", "up");
        if (Files.isDirectory(Path.of("/proc/sys/net/ipv6"))) {
            Sh.inNs(ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        }
        return ns;
    }

    /** Host {@code n}: namespace {@code hN}, address 10.77.0.N, joined to switch interface {@code sN}. */
    public String host(int n) {
        String ns = namespace("h" + n);
        Sh.run("ip", "-n", sw, "link", "add", "s" + n, "type", "veth", "peer", "name", "eth0", "netns", ns);
        Offloads.segmentationOff(sw, "s" + n);
        Offloads.segmentationOff(ns, "eth0");
        Sh.run("ip", "-n", ns, "addr", "add", "10.77.0." + n + "/24", "dev", "eth0");
        Sh.run("ip", "-n", sw, "link", "set", "s" + n, "up");
        Sh.run("ip", "-n", ns, "link", "set", "eth0", "up");
        return ns;
    }

    public String hostNs(int n) {
        return prefix() + "h" + n;
    }

    /** The Ethernet address of host {@code n}'s eth0. */
    public String mac(int n) {
        Matcher m = Pattern.compile("link/ether ([0-9a-f:]{17})").matcher(
                Sh.run("ip", "-n", hostNs(n), "link", "show", "eth0"));
        if (!m.find()) {
            throw new AssertionError("no MAC on eth0 of " + hostNs(n));
        }
        return m.group(1);
    }

    /** ping from host {@code from} to host {@code to}; returns ping's output and exit status. */
    public Sh.Result ping(int from, int to, int count, double intervalS) {
        return Sh.tryInNs(hostNs(from), "ping", "-n", "-c", Integer.toString(count), "-i", Double.toString(intervalS),
                "-W", "2", "10.77.0." + to);
    }

    /** Namespaces of this object that still exist. */
    public List<String> leftovers() {
        List<String> out = new ArrayList<>();
        for (String line : Sh.run("ip", "netns", "list").split("\n")) {
            String ns = line.trim().split("\\s+")[0];
            if (ns.startsWith(prefix())) {
                out.add(ns);
            }
        }
        return out;
    }

    @Override
    public void close() {
        for (String ns : namespaces) {
            Sh.tryRun("ip", "netns", "del", ns);
        }
    }
}
