package dev.jvswitch.bench.dut;

import java.io.IOException;
import java.util.List;

/**
 * The wires every switch under test sits between, made for one run and removed by
 * {@link #close()}: two hosts and a switch, each in a network namespace of its own.
 *
 * <pre>
 *  netns jvs-ID-h1            netns jvs-ID-sw                          netns jvs-ID-h2
 *  [jvsIDh1 192.0.2.1] ==veth== [jvsIDp1]  (switch under test)  [jvsIDp2] ==veth== [jvsIDh2 192.0.2.2]
 * </pre>
 *
 * <p>Made of {@link Wiring}: names carry 6 random hex digits so that concurrent runs never
 * collide. Every veth end has GRO, GSO, TSO and tx checksum offload off (so no end sees
 * super-frames or unfinished checksums, which AF_PACKET switches would each treat differently)
 * and IPv6 off (no router solicitations in the measurements). The hosts have fixed locally
 * administered MAC addresses and permanent neighbour entries for each other, so no ARP runs
 * during a measurement and a traffic generator can address frames without asking. The switch
 * ends have no addresses; the switch namespace's kernel only ever sees the frames as a bystander.
 *
 * <p><b>Thread-safety:</b> {@link #close()} may run from a shutdown hook as well as the main
 * thread; it is idempotent ({@link Wiring#close()}). Everything else is for the thread that made it.
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
    private final Wiring wires;

    private DutTopology(Wiring wires) {
        this.wires = wires;
        id = wires.id;
        h1Ns = wires.namespace("h1");
        swNs = wires.namespace("sw");
        h2Ns = wires.namespace("h2");
        h1If = wires.ifname("h1");
        sw1If = wires.ifname("p1");
        sw2If = wires.ifname("p2");
        h2If = wires.ifname("h2");
    }

    /** Makes the three namespaces and both veth pairs, all up; removes what it made if a step fails. */
    public static DutTopology create() throws IOException, InterruptedException {
        DutTopology t = new DutTopology(Wiring.create());
        Wiring w = t.wires;
        try {
            for (String ns : List.of(t.h1Ns, t.swNs, t.h2Ns)) {
                w.addNamespace(ns, true);
            }
            w.addVeth(t.swNs, t.sw1If, t.h1Ns, t.h1If);
            w.addVeth(t.swNs, t.sw2If, t.h2Ns, t.h2If);
            Wiring.configure(t.swNs, t.sw1If, true, null, 0);
            Wiring.configure(t.swNs, t.sw2If, true, null, 0);
            Wiring.configure(t.h1Ns, t.h1If, true, H1_IP + "/24", H1_MAC);
            Wiring.configure(t.h2Ns, t.h2If, true, H2_IP + "/24", H2_MAC);
            Shell.inNs(t.h1Ns, "ip", "neigh", "replace", H2_IP, "lladdr", mac(H2_MAC), "dev", t.h1If, "nud", "permanent");
            Shell.inNs(t.h2Ns, "ip", "neigh", "replace", H1_IP, "lladdr", mac(H1_MAC), "dev", t.h2If, "nud", "permanent");
            Wiring.awaitOperUp(t.swNs, t.sw1If);
            Wiring.awaitOperUp(t.swNs, t.sw2If);
            Wiring.awaitOperUp(t.h1Ns, t.h1If);
            Wiring.awaitOperUp(t.h2Ns, t.h2If);
            return t;
        } catch (IOException | InterruptedException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** {@code 02:00:00:00:01:01} form of a 48-bit address. */
    public static String mac(long mac) {
        return Wiring.mac(mac);
    }

    /** Frames h2's veth end has received since it was made. */
    public long h2RxPackets() throws IOException, InterruptedException {
        return Wiring.rxPackets(h2Ns, h2If);
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
    public void close() {
        wires.close();
    }
}
