package dev.jvswitch.bench.dut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Network namespaces and veth pairs made for one benchmark run, and removed by {@link #close()}:
 * what every benchmark topology is built from ({@link DutTopology}: two hosts and a switch
 * namespace; the AF_PACKET forwarding benchmark: a generator and a sink around the JVM's root
 * namespace; a traffic generator's or a search's own layout alike).
 *
 * <p>Names carry 6 random hex digits ({@link #id}) so that concurrent runs and tests never
 * collide: namespaces {@code jvs-ID-ROLE}, interfaces {@code jvsIDROLE} (within the kernel's 15
 * characters for roles of up to 6). Every method that takes a namespace takes {@code null} for
 * the root namespace.
 *
 * <p><b>Thread-safety:</b> {@link #close()} may run from a shutdown hook as well as the main
 * thread; it is synchronized and idempotent. Everything else is for the thread that made it.
 */
public final class Wiring implements AutoCloseable {
    private static final long UP_TIMEOUT_NS = 10_000_000_000L;

    /** The run's 6 hex digits. */
    public final String id;
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> rootLinks = new ArrayList<>();
    private boolean closed;

    private Wiring(String id) {
        this.id = id;
    }

    /** A new, empty set of wires with a fresh random id. */
    public static Wiring create() {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        return new Wiring(HexFormat.of().formatHex(b).toLowerCase(Locale.ROOT));
    }

    /** The name of the namespace for {@code role}: {@code jvs-ID-ROLE}. */
    public String namespace(String role) {
        return "jvs-" + id + "-" + role;
    }

    /** The name of the interface for {@code role}: {@code jvsIDROLE}. */
    public String ifname(String role) {
        return "jvs" + id + role;
    }

    /** Makes namespace {@code ns}, deleted by {@link #close()}; with its loopback up if asked. */
    public void addNamespace(String ns, boolean loopbackUp) throws IOException, InterruptedException {
        Shell.run("ip", "netns", "add", ns);
        namespaces.add(ns);
        if (loopbackUp) {
            Shell.inNs(ns, "ip", "link", "set", "lo", "up");
        }
    }

    /**
     * Makes a veth pair: {@code end} in namespace {@code endNs}, its peer {@code peer} in
     * {@code peerNs}. An end in the root namespace is deleted by {@link #close()} if deleting the
     * namespaces did not take it.
     */
    public void addVeth(String endNs, String end, String peerNs, String peer) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        if (endNs != null) {
            cmd.addAll(List.of("-n", endNs));
        }
        cmd.addAll(List.of("link", "add", end, "type", "veth", "peer", "name", peer));
        if (peerNs != null) {
            cmd.addAll(List.of("netns", peerNs));
        }
        Shell.run(cmd.toArray(new String[0]));
        if (endNs == null) {
            rootLinks.add(end);
        }
        if (peerNs == null) {
            rootLinks.add(peer);
        }
    }

    /**
     * Readies one veth end and sets it up: IPv6 off (no router solicitations in the
     * measurements), GRO, GSO and TSO off (no end sees super-frames, as AF_PACKET ports want).
     *
     * @param txChecksumOff also turn tx checksum offload off, so no end sees unfinished checksums
     * @param ipCidr        an address such as {@code 192.0.2.1/24}, or {@code null}
     * @param mac           a 48-bit address to set, or 0 to keep the kernel's
     */
    public static void configure(String ns, String ifname, boolean txChecksumOff, String ipCidr, long mac)
            throws IOException, InterruptedException {
        Shell.inNs(ns, "sysctl", "-qw", "net.ipv6.conf." + ifname + ".disable_ipv6=1");
        List<String> ethtool = new ArrayList<>(List.of("ethtool", "-K", ifname, "gro", "off", "gso", "off", "tso", "off"));
        if (txChecksumOff) {
            ethtool.addAll(List.of("tx", "off"));
        }
        Shell.inNs(ns, ethtool.toArray(new String[0]));
        if (mac != 0) {
            Shell.inNs(ns, "ip", "link", "set", ifname, "address", mac(mac));
        }
        if (ipCidr != null) {
            Shell.inNs(ns, "ip", "addr", "add", ipCidr, "dev", ifname);
        }
        Shell.inNs(ns, "ip", "link", "set", ifname, "up");
    }

    /**
     * Waits until the kernel reports {@code ifname} operationally up. Frames flow as soon as both
     * veth ends are up, but the operational state (and with it {@code IFF_RUNNING}, which a port
     * reads to decide whether its link is up) follows up to a second later (link watch).
     */
    public static void awaitOperUp(String ns, String ifname) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + UP_TIMEOUT_NS;
        while (!Shell.inNs(ns, "ip", "-o", "link", "show", ifname).contains(" state UP ")) {
            if (System.nanoTime() > deadline) {
                throw new IOException(ifname + (ns == null ? "" : " in " + ns) + " did not come up within 10 s");
            }
            Thread.sleep(20);
        }
    }

    /** Frames {@code ifname} in {@code ns} has received since it was made. */
    public static long rxPackets(String ns, String ifname) throws IOException, InterruptedException {
        return Long.parseLong(Shell.inNs(ns, "cat", "/sys/class/net/" + ifname + "/statistics/rx_packets").trim());
    }

    /** {@code 02:00:00:00:01:01} form of a 48-bit address. */
    public static String mac(long mac) {
        StringBuilder sb = new StringBuilder();
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(String.format(Locale.ROOT, "%02x", (mac >>> shift) & 0xff));
        }
        return sb.toString();
    }

    /** Deletes the namespaces (and the veth ends inside them), then whatever root ends remain. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (String ns : namespaces) {
            Shell.tryRun("ip", "netns", "del", ns);
        }
        // Deleting a namespace removes its veth ends, and with them their root peers, but the
        // kernel may do that after "ip netns del" returns: a link that vanished meanwhile is fine.
        for (String link : rootLinks) {
            Path sys = Path.of("/sys/class/net", link);
            if (Files.exists(sys)) {
                try {
                    Shell.run("ip", "link", "del", link);
                } catch (IOException e) {
                    if (Files.exists(sys)) {
                        System.err.println("cleanup: " + e.getMessage());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
