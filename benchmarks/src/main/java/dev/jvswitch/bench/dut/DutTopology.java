package dev.jvswitch.bench.dut;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The wires every switch under test sits between, made for one run and removed by
 * {@link #close()}: two hosts and a switch, each in a network namespace of its own.
 *
 * <pre>
 *  netns jvs-ID-h1            netns jvs-ID-sw                          netns jvs-ID-h2
 *  [jvsIDh1 192.0.2.1] ==veth== [jvsIDp1]  (switch under test)  [jvsIDp2] ==veth== [jvsIDh2 192.0.2.2]
 * </pre>
 *
 * <p>Names carry 6 random hex digits so that concurrent runs never collide. Every veth end has
 * GRO, GSO, TSO and tx checksum offload off (so no end sees super-frames or unfinished
 * checksums, which AF_PACKET switches would each treat differently) and IPv6 off (no router
 * solicitations in the measurements). The hosts have fixed locally administered MAC addresses
 * and permanent neighbour entries for each other, so no ARP runs during a measurement and a
 * traffic generator can address frames without asking. The switch ends have no addresses; the
 * switch namespace's kernel only ever sees the frames as a bystander.
 *
 * <p><b>Thread-safety:</b> {@link #close()} may run from a shutdown hook as well as the main
 * thread; it is synchronized and idempotent. Everything else is for the thread that made it.
 */
public final class DutTopology implements AutoCloseable {
    public static final String H1_IP = "192.0.2.1";
    public static final String H2_IP = "192.0.2.2";
    /** An address on the hosts' subnet that nobody owns: h2's kernel drops frames for it at routing. */
    public static final String UNOWNED_IP = "192.0.2.200";
    public static final long H1_MAC = 0x02_00_00_00_01_01L;
    public static final long H2_MAC = 0x02_00_00_00_02_02L;

    public final String id;
    public final String h1Ns;
    public final String swNs;
    public final String h2Ns;
    public final String h1If;
    public final String sw1If;
    public final String sw2If;
    public final String h2If;
    private final List<String> namespaces = new ArrayList<>();
    private boolean closed;

    private DutTopology(String id) {
        this.id = id;
        h1Ns = "jvs-" + id + "-h1";
        swNs = "jvs-" + id + "-sw";
        h2Ns = "jvs-" + id + "-h2";
        h1If = "jvs" + id + "h1";
        sw1If = "jvs" + id + "p1";
        sw2If = "jvs" + id + "p2";
        h2If = "jvs" + id + "h2";
    }

    /** Makes the three namespaces and both veth pairs, all up; removes what it made if a step fails. */
    public static DutTopology create() throws IOException, InterruptedException {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        DutTopology t = new DutTopology(HexFormat.of().formatHex(b).toLowerCase(Locale.ROOT));
        try {
            for (String ns : List.of(t.h1Ns, t.swNs, t.h2Ns)) {
                Shell.run("ip", "netns", "add", ns);
                t.namespaces.add(ns);
                Shell.inNs(ns, "ip", "link", "set", "lo", "up");
            }
            Shell.run("ip", "-n", t.swNs, "link", "add", t.sw1If, "type", "veth", "peer", "name", t.h1If, "netns", t.h1Ns);
            Shell.run("ip", "-n", t.swNs, "link", "add", t.sw2If, "type", "veth", "peer", "name", t.h2If, "netns", t.h2Ns);
            configure(t.swNs, t.sw1If, null, 0);
            configure(t.swNs, t.sw2If, null, 0);
            configure(t.h1Ns, t.h1If, H1_IP, H1_MAC);
            configure(t.h2Ns, t.h2If, H2_IP, H2_MAC);
            Shell.inNs(t.h1Ns, "ip", "neigh", "replace", H2_IP, "lladdr", mac(H2_MAC), "dev", t.h1If, "nud", "permanent");
            Shell.inNs(t.h2Ns, "ip", "neigh", "replace", H1_IP, "lladdr", mac(H1_MAC), "dev", t.h2If, "nud", "permanent");
            awaitOperUp(t.swNs, t.sw1If);
            awaitOperUp(t.swNs, t.sw2If);
            awaitOperUp(t.h1Ns, t.h1If);
            awaitOperUp(t.h2Ns, t.h2If);
            return t;
        } catch (IOException | InterruptedException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    private static void configure(String ns, String ifname, String ip, long mac) throws IOException, InterruptedException {
        Shell.inNs(ns, "sysctl", "-qw", "net.ipv6.conf." + ifname + ".disable_ipv6=1");
        Shell.inNs(ns, "ethtool", "-K", ifname, "gro", "off", "gso", "off", "tso", "off", "tx", "off");
        if (mac != 0) {
            Shell.inNs(ns, "ip", "link", "set", ifname, "address", mac(mac));
        }
        if (ip != null) {
            Shell.inNs(ns, "ip", "addr", "add", ip + "/24", "dev", ifname);
        }
        Shell.inNs(ns, "ip", "link", "set", ifname, "up");
    }

    /**
     * Waits until the kernel reports {@code ifname} operationally up. Frames flow as soon as both
     * veth ends are up, but the operational state (and with it {@code IFF_RUNNING}, which a port
     * reads to decide whether its link is up) follows up to a second later (link watch).
     */
    private static void awaitOperUp(String ns, String ifname) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Shell.inNs(ns, "ip", "-o", "link", "show", ifname).contains(" state UP ")) {
            if (System.nanoTime() > deadline) {
                throw new IOException(ifname + " in " + ns + " did not come up within 10 s");
            }
            Thread.sleep(20);
        }
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

    /** Frames h2's veth end has received since it was made. */
    public long h2RxPackets() throws IOException, InterruptedException {
        return Long.parseLong(Shell.inNs(h2Ns, "cat", "/sys/class/net/" + h2If + "/statistics/rx_packets").trim());
    }

    /**
     * Waits until h1 reaches h2 through the switch (a switch may take a while to attach its ports
     * or learn addresses), trying one ping at a time for up to {@code seconds}.
     *
     * @throws IOException if no ping got through in time
     */
    public void awaitForwarding(int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                Shell.inNs(h1Ns, "ping", "-n", "-q", "-c", "1", "-W", "1", H2_IP);
                // A few more so that every MAC is learned and every flow installed both ways.
                Shell.inNs(h1Ns, "ping", "-n", "-q", "-c", "5", "-i", "0.05", "-W", "1", H2_IP);
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException("h1 cannot ping h2 through the switch within " + seconds + " s"
                + (last == null ? "" : ": " + last.getMessage().lines().reduce((a, b) -> b).orElse("")));
    }

    /** Deletes the namespaces, and with them every veth end. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (String ns : namespaces) {
            Shell.tryRun("ip", "netns", "del", ns);
        }
    }
}
