package dev.jvswitch.bench.afpacket;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import dev.jvswitch.afpacket.AfPacketNetdev;
import dev.jvswitch.afpacket.AfPacketProvider;
import dev.jvswitch.afxdp.AfXdpNetdev;
import dev.jvswitch.afxdp.AfXdpProvider;
import dev.jvswitch.afxdp.AfXdpStats;
import dev.jvswitch.afxdp.XdpMode;
import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.bench.cli.Json;
import dev.jvswitch.bench.cli.Threads;
import dev.jvswitch.bench.l2fwd.Forwarder;
import dev.jvswitch.bench.l2fwd.FwdMode;
import dev.jvswitch.bench.l2fwd.FwdResult;
import dev.jvswitch.bench.traffic.PacedUdpLoad;
import dev.jvswitch.bench.traffic.UdpFrames;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.pmd.netdev.Netdevs;

/**
 * {@code jvs-bench afpacket-fwd}: the forwarding benchmark over veths (root only), with AF_PACKET
 * ports or ({@code --port-type afxdp}) AF_XDP ports on the forwarder. Traffic from a generator
 * namespace (an AF_PACKET port either way) crosses a veth into port 1, one forwarding thread
 * sends it out of port 2, and a second veth carries it into a sink namespace ({@link FwdTopology}):
 *
 * <pre>
 *  [generator] ==veth== [port 1] --( io | switch )--> [port 2] ==veth== [sink]
 * </pre>
 *
 * In {@code io} mode the thread forwards without classification ({@code l2fwd --mode io}); in
 * {@code switch} mode it steps one PMD of a datapath with in_port 1→2 and 2→1 rules
 * ({@code l2fwd --mode switch}); {@code both} runs io then switch on the same wires, so the
 * difference is the pipeline's cost on top of AF_PACKET I/O.
 *
 * <p>Per mode, after a warm-up: <i>offered</i> is what the generator's kernel accepted,
 * <i>forwarded</i> what port 2 handed to its veth, <i>at sink</i> what the sink's kernel
 * received, all per second over the measured interval; <i>ring drops</i> are frames port 1's rx
 * ring had no room for. The forwarding thread reports busy ns per packet (wall time of
 * iterations that moved packets: includes time the thread was preempted) and CPU ns per packet
 * (its user + system CPU time, the kernel's work for its sends included), which is what a packet
 * costs however many other processes share the cores. Generator, forwarder and the kernel's
 * softirq work share the machine's cores, so on a small machine the figures are a floor.
 *
 * <p><b>Thread-safety:</b> the main thread orchestrates; the forwarding and generator threads
 * each own their side; a shutdown hook (SIGINT/SIGTERM) only sets the stop flag and waits until
 * the namespaces and veths are gone.
 */
public final class AfPacketFwdBench {
    public static final Set<String> OPTIONS = Set.of("seconds", "warmup", "mode", "frame-size", "flows", "gen-cpu", "pmd-cpu",
            "rx-ring", "port-type", "xdp-mode");
    public static final Set<String> FLAGS = Set.of("json");
    private static final int POOL_MBUFS = 32768;
    private static final long GEN_DST_MAC = 0x02_00_00_00_00_02L;
    private static final long GEN_SRC_MAC = 0x02_00_00_00_00_01L;
    private static final int GEN_SRC_IP = UdpFrames.ipv4("10.0.0.1");
    private static final int GEN_DST_IP = UdpFrames.ipv4("10.0.0.2");
    private static final long HOOK_WAIT_S = 30;

    private AfPacketFwdBench() {
    }

    /** What one mode measured. */
    record Figures(FwdMode mode, String rxRing, int frameBytes, int flows, double seconds, double offeredPps,
            double forwardedPps, double receivedPps, double ringDropPps, FwdResult forwarder, double cpuNsPerPacket,
            double userNsPerPacket, double loadAvg1, String portType, String xdpMode) {

        String toText() {
            return String.format(Locale.ROOT, "  %-6s offered %.3f Mpps, forwarded %.3f Mpps, at sink %.3f Mpps,"
                    + " port 1 ring drops %.3f Mpps; forwarder busy %.1f ns/packet, CPU %.1f ns/packet"
                    + " (%.1f user)%s", mode.label() + ":", offeredPps / 1e6, forwardedPps / 1e6, receivedPps / 1e6,
                    ringDropPps / 1e6, forwarder.busyNsPerPacket(), cpuNsPerPacket, userNsPerPacket,
                    portType.equals(AfXdpProvider.TYPE) ? "; afxdp " + xdpMode : "");
        }

        String toJson() {
            return new Json()
                    .put("mode", mode.label())
                    .put("portType", portType)
                    .put("xdpMode", xdpMode)
                    .put("rxRing", rxRing)
                    .put("frameBytes", frameBytes)
                    .put("flows", flows)
                    .put("seconds", seconds)
                    .put("offeredMpps", offeredPps / 1e6)
                    .put("forwardedMpps", forwardedPps / 1e6)
                    .put("receivedMpps", receivedPps / 1e6)
                    .put("ringDropMpps", ringDropPps / 1e6)
                    .put("rxPackets", forwarder.rxPackets())
                    .put("txPackets", forwarder.txPackets())
                    .put("dropped", forwarder.dropped())
                    .put("busyNsPerPacket", forwarder.busyNsPerPacket())
                    .put("cpuNsPerPacket", cpuNsPerPacket)
                    .put("userNsPerPacket", userNsPerPacket)
                    .put("loadAvg1", loadAvg1)
                    .toString();
        }
    }

    /** The run's settings, checked before anything is created. */
    private record Settings(List<FwdMode> modes, double seconds, double warmup, int frameBytes, int flows,
            int genCpu, int pmdCpu, String rxRing, boolean json, String portType, String xdpMode) {
    }

    public static int run(String[] argv) throws Exception {
        Settings s = parse(argv);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch cleanedUp = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                cleanedUp.await(HOOK_WAIT_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "afpacket-fwd-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        // One pool for the generator (AF_PACKET, copies) and the forwarder's ports: an afxdp port
        // needs it in frame slots.
        MbufPool pool = MbufPool.create(Netdevs.poolFor(MbufPoolConfig.of("afpacket-fwd", POOL_MBUFS),
                List.of(s.portType)));
        FwdTopology topo = null;
        try {
            topo = FwdTopology.create();
            List<Figures> all = new ArrayList<>();
            try (PacedUdpLoad gen = PacedUdpLoad.open("gen", topo.genNs, topo.genIf, pool, frames(s), s.genCpu)) {
                if (!s.json) {
                    System.out.printf(Locale.ROOT, "afpacket-fwd: %d B IPv4/UDP frames over %d flow%s, generator"
                            + " netns -> port 1 -> 1 forwarding thread -> port 2 -> sink netns (%s ports); %.1f s per"
                            + " mode after %.1f s warm-up; %d CPUs, load average %.2f%n", s.frameBytes, s.flows,
                            s.flows == 1 ? "" : "s", s.portType, s.seconds, s.warmup,
                            Runtime.getRuntime().availableProcessors(), loadAvg1());
                }
                for (FwdMode mode : s.modes) {
                    if (stop.get()) {
                        break;
                    }
                    Figures f = measure(mode, s, topo, gen, pool, stop);
                    all.add(f);
                    System.out.println(s.json ? f.toJson() : f.toText());
                }
            }
            if (!s.json && all.size() == 2) {
                Figures io = all.get(0);
                Figures sw = all.get(1);
                System.out.printf(Locale.ROOT, "  pipeline cost over io: %+.1f ns/packet CPU, %+.1f busy,"
                        + " %+.1f user; load average %.2f at the end%n", sw.cpuNsPerPacket - io.cpuNsPerPacket,
                        sw.forwarder.busyNsPerPacket() - io.forwarder.busyNsPerPacket(),
                        sw.userNsPerPacket - io.userNsPerPacket, loadAvg1());
            }
            return 0;
        } catch (NetdevException | IOException | IllegalStateException | IllegalArgumentException e) {
            System.err.println("afpacket-fwd: " + e.getMessage());
            return 1;
        } finally {
            if (topo != null) {
                topo.close();
            }
            String leaks = pool.leakReport();
            if (leaks != null) {
                System.err.println("afpacket-fwd: " + leaks);
            }
            pool.close();
            cleanedUp.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Shutting down on a signal: the hook runs and has been released.
            }
        }
    }

    private static Settings parse(String[] argv) {
        Args args = Args.parse("afpacket-fwd", argv, OPTIONS, FLAGS);
        String mode = args.string("mode", "both");
        List<FwdMode> modes;
        if (mode.equals("both")) {
            modes = List.of(FwdMode.IO, FwdMode.SWITCH);
        } else if (FwdMode.of(mode) != null) {
            modes = List.of(FwdMode.of(mode));
        } else {
            throw new Args.UsageException("afpacket-fwd: --mode must be io, switch or both, got '" + mode + "'");
        }
        String portType = args.string("port-type", AfPacketProvider.TYPE);
        if (!portType.equals(AfPacketProvider.TYPE) && !portType.equals(AfXdpProvider.TYPE)) {
            throw new Args.UsageException("afpacket-fwd: --port-type must be afpacket or afxdp, got '" + portType + "'");
        }
        String xdpMode = args.string("xdp-mode", null);
        if (xdpMode != null && (XdpMode.of(xdpMode) == null || !portType.equals(AfXdpProvider.TYPE))) {
            throw new Args.UsageException("afpacket-fwd: --xdp-mode takes best-effort, native, generic or"
                    + " native-with-zerocopy, with --port-type afxdp; got '" + xdpMode + "'");
        }
        String rxRing = rxRing(args);
        if (rxRing != null && !portType.equals(AfPacketProvider.TYPE)) {
            throw new Args.UsageException("afpacket-fwd: --rx-ring is an afpacket option; not with --port-type "
                    + portType);
        }
        return new Settings(modes,
                args.doubleValue("seconds", 5, 0.1, 3_600),
                args.doubleValue("warmup", 1, 0, 600),
                args.intValue("frame-size", 64, 60, 1514),
                args.intValue("flows", 1, 1, 60_000),
                args.intValue("gen-cpu", -1, -1, 1023),
                args.intValue("pmd-cpu", -1, -1, 1023),
                rxRing,
                args.flag("json"),
                portType,
                xdpMode);
    }

    /** {@code --rx-ring v2|v3}: the forwarder's ports' ring mode; absent, the port's default. */
    private static String rxRing(Args args) {
        String ring = args.string("rx-ring", null);
        if (ring != null && !ring.equals("v2") && !ring.equals("v3")) {
            throw new Args.UsageException("afpacket-fwd: --rx-ring must be v2 or v3, got '" + ring + "'");
        }
        return ring;
    }

    /**
     * One mode: a fresh forwarder between the two ports, warm-up, measured interval. The
     * forwarder's measured run ends when the main thread takes its last sample, so both cover
     * nearly the same interval.
     */
    private static Figures measure(FwdMode mode, Settings s, FwdTopology topo, PacedUdpLoad gen, MbufPool pool,
            AtomicBoolean stop) throws Exception {
        long warmupNs = (long) (s.warmup * 1e9);
        AtomicBoolean done = new AtomicBoolean();
        FwdResult[] result = new FwdResult[1];
        long[] cpuNs = new long[2];
        RuntimeException[] failure = new RuntimeException[1];
        try (Forwarder fwd = openForwarder(mode, topo, pool, s)) {
            Netdev p1 = fwd.port1();
            Thread forwarder = new Thread(() -> {
                try {
                    forward(fwd, warmupNs, () -> done.get() || stop.get(), result, cpuNs);
                } catch (RuntimeException e) {
                    failure[0] = e;
                    done.set(true);
                }
            }, "pmd-0");
            forwarder.start();
            try {
                gen.blast();
                pause(warmupNs, stop, done);
                long received0 = topo.sinkRxPackets();
                long offered0 = gen.txPackets();
                long forwarded0 = txPackets(fwd);
                long ringDrops0 = ringDrops(p1);
                long t0 = System.nanoTime();
                pause((long) (s.seconds * 1e9), stop, done);
                long received = topo.sinkRxPackets() - received0;
                long offered = gen.txPackets() - offered0;
                long forwarded = txPackets(fwd) - forwarded0;
                long ringDrops = ringDrops(p1) - ringDrops0;
                double seconds = (System.nanoTime() - t0) / 1e9;
                done.set(true);
                Threads.joinUninterruptibly(forwarder);
                gen.stop();
                if (failure[0] != null) {
                    throw failure[0];
                }
                long rx = result[0].rxPackets();
                return new Figures(mode, s.rxRing == null ? "default" : s.rxRing, s.frameBytes, s.flows, seconds,
                        offered / seconds, forwarded / seconds, received / seconds, ringDrops / seconds, result[0],
                        rx == 0 ? 0 : (double) cpuNs[0] / rx, rx == 0 ? 0 : (double) cpuNs[1] / rx, loadAvg1(),
                        s.portType, p1 instanceof AfXdpNetdev x ? x.xdpMode() : "");
            } finally {
                done.set(true);
                Threads.joinUninterruptibly(forwarder);
                gen.stop();
            }
        }
    }

    /**
     * Frames port 1's kernel side had no room for: an AF_PACKET rx ring's drops, or what the
     * kernel dropped for want of an AF_XDP frame or rx ring slot.
     */
    private static long ringDrops(Netdev p1) {
        if (p1 instanceof AfXdpNetdev x) {
            AfXdpStats st = x.afXdpStats();
            return st.rxKernelNoFrame() + st.rxKernelRingFull();
        }
        return ((AfPacketNetdev) p1).afPacketStats().rxKernelDrops();
    }

    /**
     * The generator's frames: IPv4/UDP from 10.0.0.1 to 10.0.0.2:5001 over {@code flows} source
     * ports 1024 and up, so the forwarder sees that many distinct 5-tuples.
     */
    private static byte[][] frames(Settings s) {
        byte[][] frames = new byte[s.flows][];
        for (int i = 0; i < s.flows; i++) {
            frames[i] = UdpFrames.frame(s.frameBytes, GEN_DST_MAC, GEN_SRC_MAC, GEN_SRC_IP, GEN_DST_IP, 1024 + i, 5001);
        }
        return frames;
    }

    /** Both ports with the type and ring or XDP mode asked for, and a forwarder in {@code mode} between them. */
    private static Forwarder openForwarder(FwdMode mode, FwdTopology topo, MbufPool pool, Settings s)
            throws NetdevException {
        if (s.portType.equals(AfXdpProvider.TYPE)) {
            return Forwarder.open(mode, s.portType, s.xdpMode == null ? Map.of() : Map.of("xdp-mode", s.xdpMode),
                    topo.port1If, topo.port2If, pool, s.pmdCpu);
        }
        if (s.rxRing == null) {
            return Forwarder.open(mode, topo.port1If, topo.port2If, pool, s.pmdCpu);
        }
        Netdev p1 = Netdevs.open(new NetdevConfig("p1", AfPacketProvider.TYPE,
                Map.of("ifname", topo.port1If, "rx-ring", s.rxRing), pool));
        Netdev p2;
        try {
            p2 = Netdevs.open(new NetdevConfig("p2", AfPacketProvider.TYPE,
                    Map.of("ifname", topo.port2If, "rx-ring", s.rxRing), pool));
        } catch (NetdevException | RuntimeException e) {
            p1.close();
            throw e;
        }
        return Forwarder.create(mode, p1, p2, pool, s.pmdCpu);
    }

    /** The forwarding thread: warm-up run, then the measured run with its CPU and user time. */
    private static void forward(Forwarder fwd, long warmupNs, BooleanSupplier stop, FwdResult[] result,
            long[] cpuNs) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        fwd.onStart();
        try {
            fwd.run(warmupNs, stop);
            long cpu0 = threads.getCurrentThreadCpuTime();
            long user0 = threads.getCurrentThreadUserTime();
            result[0] = fwd.run(0, stop);
            cpuNs[0] = threads.getCurrentThreadCpuTime() - cpu0;
            cpuNs[1] = threads.getCurrentThreadUserTime() - user0;
        } finally {
            fwd.onClose();
        }
    }

    /** Sleeps {@code ns}, waking early when either flag is set. */
    private static void pause(long ns, AtomicBoolean stop, AtomicBoolean done) throws InterruptedException {
        long deadline = System.nanoTime() + ns;
        long left;
        while (!stop.get() && !done.get() && (left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(left))));
        }
    }

    private static long txPackets(Forwarder fwd) {
        NetdevStats st = new NetdevStats();
        fwd.port2().readStats(st);
        return st.txPackets;
    }

    private static double loadAvg1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
