package dev.jvswitch.testkit.netns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/**
 * Network namespaces and veth pairs made for one test and removed by {@link #close()}. The
 * switch's end of each veth stays in the root namespace (where the test JVM runs) under a
 * unique name of at most 15 bytes; the peer end goes into a namespace of this topology. Names
 * carry six random hex digits ({@link #id}), so tests running at once never collide.
 *
 * <p>Offloads: every veth gets GRO, GSO and TSO turned off, as the README asks of users (frames
 * above the MTU are dropped by the port). Tx checksum offload stays on unless a test turns it
 * off: the port completes checksums itself.
 */
public final class Topology implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    public final String id;
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> rootLinks = new ArrayList<>();

    /** A veth pair: {@code root} in the root namespace, {@code peer} in namespace {@code ns}. */
    public record Veth(String root, String peer, String ns) {
    }

    public Topology() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        id = HexFormat.of().formatHex(b).toLowerCase(Locale.ROOT);
    }

    /** Whether this machine can run the namespace tests: root, ip, ethtool and python3. */
    public static boolean available() {
        return Sh.isRoot() && Sh.onPath("ip") && Sh.onPath("python3")
                && Files.isDirectory(Path.of("/proc/sys/net"));
    }

    /** Makes namespace {@code jvs-<id>-<suffix>}. */
    public String namespace(String suffix) {
        String ns = "jvs-" + id + "-" + suffix;
        namespaces.add(ns);
        Sh.run("ip", "netns", "add", ns);
        Sh.inNs(ns, "ip", "link", "set", "lo", "up");
        return ns;
    }

    /**
     * Makes veth {@code jvs<id><suffix>a} (root namespace) / {@code jvs<id><suffix>b} (in
     * {@code ns}), both up, IPv6 off (no stray router solicitations), offloads as above.
     */
    public Veth veth(String ns, String suffix, int rootMtu, int peerMtu) {
        String root = "jvs" + id + suffix + "a";
        String peer = "jvs" + id + suffix + "b";
        rootLinks.add(root);
        Sh.run("ip", "link", "add", root, "mtu", Integer.toString(rootMtu), "type", "veth",
                "peer", "name", peer, "mtu", Integer.toString(peerMtu), "netns", ns);
        Veth v = new Veth(root, peer, ns);
        configure(v);
        return v;
    }

    public Veth veth(String ns, String suffix) {
        return veth(ns, suffix, 1500, 1500);
    }

    /** A veth pair with both ends in the root namespace ({@code ns} is null), each end a port. */
    public Veth vethInRoot(String suffix) {
        String root = "jvs" + id + suffix + "a";
        String peer = "jvs" + id + suffix + "b";
        rootLinks.add(root);
        Sh.run("ip", "link", "add", root, "type", "veth", "peer", "name", peer);
        for (String end : List.of(root, peer)) {
            disableIpv6(null, end);
            Offloads.segmentationOff(null, end);
            Sh.run("ip", "link", "set", end, "up");
        }
        awaitOperUp(root);
        awaitOperUp(peer);
        return new Veth(root, peer, null);
    }

    /** (Re)applies addresses-free settings to a veth pair made by {@link #veth} or recreated by a test. */
    public void configure(Veth v) {
        disableIpv6(null, v.root());
        disableIpv6(v.ns(), v.peer());
        Offloads.segmentationOff(null, v.root());
        Offloads.segmentationOff(v.ns(), v.peer());
        Sh.run("ip", "link", "set", v.root(), "up");
        Sh.inNs(v.ns(), "ip", "link", "set", v.peer(), "up");
        awaitOperUp(v.root());
    }

    private static void disableIpv6(String ns, String ifname) {
        String key = "net.ipv6.conf." + ifname + ".disable_ipv6=1";
        if (Files.isDirectory(Path.of("/proc/sys/net/ipv6"))) {
            if (ns == null) {
                Sh.run("sysctl", "-qw", key);
            } else {
                Sh.inNs(ns, "sysctl", "-qw", key);
            }
        }
    }

    /** Waits (bounded) until the root end reports carrier. */
    public static void awaitOperUp(String ifname) {
        Path state = Path.of("/sys/class/net", ifname, "operstate");
        Await.until(Duration.ofSeconds(10), () -> "up".equals(readQuietly(state)), () -> ifname + " operstate up");
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        for (String ns : namespaces) {
            Sh.tryRun("ip", "netns", "del", ns);
        }
        for (String link : rootLinks) {
            if (Files.exists(Path.of("/sys/class/net", link))) {
                Sh.tryRun("ip", "link", "del", link);
            }
        }
    }
}
