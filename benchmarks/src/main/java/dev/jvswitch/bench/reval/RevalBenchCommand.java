package dev.jvswitch.bench.reval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.bench.cli.Json;
import dev.jvswitch.bench.pcap.GenPcapCommand;
import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.OfprotoRevalidation;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.revalidate.Revalidation;
import dev.jvswitch.ofproto.revalidate.RevalidatorConfig;
import dev.jvswitch.ofproto.revalidate.RevalidatorPool;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.flow.Ukey;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.pmd.upcall.UpcallHandler;

/**
 * {@code jvs-bench reval-bench}: what the revalidators cost.
 *
 * <ol>
 *   <li><b>Dump cycle time</b> with 10 000, 100 000 and 200 000 megaflows (or {@code --flows}):
 *       a steady cycle (every flow saw packets since the last one: statistics pushed, idle
 *       checked) and a cycle after a table change (every flow translated again as well), with
 *       one revalidator on the calling thread and with {@code --revalidators} threads. With
 *       {@code --slow-path ofproto} the flows are revalidated by {@link OfprotoRevalidation}
 *       against a real {@link Ofproto} (default {@code bench}: a synthetic slow path).</li>
 *   <li><b>Forwarding while they run</b>: a pcap of {@code --traffic-flows} UDP flows replayed
 *       into one PMD (stepped on its own thread, as {@code pipeline} does) with one megaflow per
 *       flow, measured with no revalidators, with revalidators cycling normally, and with
 *       revalidators revalidating every flow back to back (a table change every cycle).</li>
 * </ol>
 */
public final class RevalBenchCommand {
    public static final Set<String> OPTIONS = Set.of("flows", "revalidators", "cycles", "seconds", "warmup",
            "traffic-flows", "repeat", "slow-path");
    public static final Set<String> FLAGS = Set.of("json");

    private RevalBenchCommand() {
    }

    public static int run(String[] argv) throws Exception {
        Args args = Args.parse("reval-bench", argv, OPTIONS, FLAGS);
        List<Integer> sizes = new ArrayList<>();
        for (String s : args.string("flows", "10000,100000,200000").split(",")) {
            try {
                int n = Integer.parseInt(s.trim());
                if (n < 1 || n > 2_000_000) {
                    throw new NumberFormatException();
                }
                sizes.add(n);
            } catch (NumberFormatException e) {
                throw new Args.UsageException("reval-bench: --flows: '" + s + "' is not a count within 1..2000000");
            }
        }
        int threads = args.intValue("revalidators", 2, 1, RevalidatorConfig.MAX_THREADS);
        int cycles = args.intValue("cycles", 5, 1, 1_000);
        double seconds = args.doubleValue("seconds", 5, 0.1, 3_600);
        double warmup = args.doubleValue("warmup", 2, 0, 600);
        int trafficFlows = args.intValue("traffic-flows", 10_000, 1, 1_000_000);
        int repeat = args.intValue("repeat", 3, 1, 100);
        boolean json = args.flag("json");
        String slowPathName = args.string("slow-path", "bench");
        if (!slowPathName.equals("bench") && !slowPathName.equals("ofproto")) {
            throw new Args.UsageException("reval-bench: --slow-path: '" + slowPathName + "' is not bench or ofproto");
        }
        boolean ofproto = slowPathName.equals("ofproto");

        for (int n : sizes) {
            for (int t : threads == 1 ? new int[] {1} : new int[] {1, threads}) {
                DumpFigures f = dumpCost(n, t, cycles, ofproto);
                System.out.println(json ? f.toJson() : f.toText());
            }
        }
        Path pcap = Files.createTempFile("reval-bench", ".pcap");
        try {
            GenPcapCommand.write(pcap, trafficFlows, trafficFlows, 64, false, -1);
            // The modes take turns, so that load from elsewhere on the machine spreads over all of them.
            double[][] mpps = new double[Mode.values().length][repeat];
            for (int r = 0; r < repeat; r++) {
                for (Mode mode : Mode.values()) {
                    mpps[mode.ordinal()][r] = forwarding(pcap, trafficFlows, threads, mode, warmup, seconds);
                }
            }
            for (Mode mode : Mode.values()) {
                double[] v = mpps[mode.ordinal()].clone();
                java.util.Arrays.sort(v);
                double median = v[v.length / 2];
                System.out.println(json
                        ? new Json().put("test", "forwarding").put("mode", mode.label).put("flows", trafficFlows)
                                .put("revalidators", mode == Mode.NONE ? 0 : threads).put("mpps", median)
                                .put("mppsMin", v[0]).put("mppsMax", v[v.length - 1]).toString()
                        : String.format(Locale.ROOT, "forwarding, %d flows, revalidators %s: %.3f Mpps (median of %d; %.3f..%.3f)",
                                trafficFlows, mode.label, median, repeat, v[0], v[v.length - 1]));
            }
        } finally {
            Files.deleteIfExists(pcap);
        }
        return 0;
    }

    // ------------------------------------------------------------------ dump cost

    record DumpFigures(int flows, int threads, double steadyMsMin, double steadyMsAvg, double changeMsMin,
                       double changeMsAvg, String slowPath) {
        String toJson() {
            return new Json().put("test", "dump").put("slowPath", slowPath).put("flows", flows).put("revalidators", threads)
                    .put("steadyMsMin", steadyMsMin).put("steadyMsAvg", steadyMsAvg)
                    .put("changeMsMin", changeMsMin).put("changeMsAvg", changeMsAvg).toString();
        }

        String toText() {
            return String.format(Locale.ROOT,
                    "dump (%s), %7d megaflows, %d revalidator%s: steady %.2f ms (min %.2f), after a change %.2f ms (min %.2f)",
                    slowPath, flows, threads, threads == 1 ? " " : "s", steadyMsAvg, steadyMsMin, changeMsAvg, changeMsMin);
        }
    }

    /**
     * @param ofproto with the real slow path: an {@link Ofproto} whose rule sends in_port 1 to
     *                port 2, revalidated by {@link OfprotoRevalidation} (a change adds a rule in
     *                another table, so every flow is translated again and kept); else the
     *                synthetic {@link BenchRevalidation}
     */
    static DumpFigures dumpCost(int flows, int threads, int cycles, boolean ofproto) {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("reval-bench", 1024))) {
            BenchRevalidation bench = new BenchRevalidation(1, 2);
            Ofproto of = null;
            Revalidation revalidation = bench;
            UpcallHandler handler = bench;
            if (ofproto) {
                of = new Ofproto();
                of.addBridge(new BridgeConfig("br0", List.of(OfPort.trunk(1, 1, "p1"), OfPort.trunk(2, 2, "p2"))));
                of.apply("br0", FlowSyntax.parseAdd("in_port=1,actions=output:2"));
                revalidation = new OfprotoRevalidation(of);
                handler = of.upcallHandler();
            }
            Ofproto tables = of;
            Runnable change = ofproto ? new Runnable() {
                private int n;

                @Override
                public void run() {
                    tables.apply("br0", FlowSyntax.parseAdd("table=9,priority=" + (++n) + ",actions=drop"));
                }
            } : bench::bump;
            DatapathConfig config = DatapathConfig.defaults().withFlowLimit(Math.max(flows, 1) * 2);
            Datapath dp = new Datapath(config, pool, handler);
            RevalidatorPool reval = null;
            try {
                FlowMask mask = BenchRevalidation.mask();
                if (tables != null) {
                    // What the real translation always makes exact (eth_type among others), as an upcall would.
                    mask.or(tables.upcallHandler().translate(new FlowKey().set(FlowField.IN_PORT, 1)).mask());
                }
                install(dp, flows, mask);
                reval = new RevalidatorPool(dp, revalidation, RevalidatorConfig.defaults().withThreads(threads)
                        .withFlowLimit(flows * 2).withMaxIdleMs(3_600_000));
                if (threads > 1) {
                    reval.start();
                }
                List<Megaflow> all = new ArrayList<>();
                for (Ukey u : dp.ukeys().values()) {
                    all.add(u.flow());
                }
                // Two warm-up rounds (the first covers the version, the second runs the JIT).
                double[] steady = new double[cycles];
                double[] changed = new double[cycles];
                for (int round = -2; round < cycles; round++) {
                    hitAll(all, dp.nowMs());
                    double s = timeCycle(reval, dp);
                    hitAll(all, dp.nowMs());
                    change.run();
                    double c = timeCycle(reval, dp);
                    if (round >= 0) {
                        steady[round] = s;
                        changed[round] = c;
                    }
                }
                if (dp.ukeys().size() != flows) {
                    throw new IllegalStateException("reval-bench: " + (flows - dp.ukeys().size())
                            + " flows were deleted during the benchmark");
                }
                return new DumpFigures(flows, threads, min(steady), avg(steady), min(changed), avg(changed),
                        ofproto ? "ofproto" : "bench");
            } finally {
                if (reval != null) {
                    reval.close();
                }
                dp.close();
            }
        }
    }

    /** Installs {@code n} megaflows, each matching one generated flow (in_port 1, IPv4 source, UDP source port). */
    private static void install(Datapath dp, int n, FlowMask mask) {
        DpActions out = DpActions.builder().output(2).build();
        for (int i = 0; i < n; i++) {
            FlowKey key = new FlowKey()
                    .set(FlowField.IN_PORT, 1)
                    .set(FlowField.NW_SRC, 0x0a000001L + i / 60_000)
                    .set(FlowField.TP_SRC, 1024 + i % 60_000);
            dp.flows().put(0, key, mask, out);
        }
    }

    /** Stands in for the PMD (no PMD thread runs here): one packet on every flow. */
    private static void hitAll(List<Megaflow> flows, long nowMs) {
        for (Megaflow f : flows) {
            f.onHit(1, 64, nowMs, 0);
        }
    }

    private static double timeCycle(RevalidatorPool reval, Datapath dp) {
        long t0 = System.nanoTime();
        reval.runCycle();
        long t1 = System.nanoTime();
        for (PmdAgent pmd : dp.pmds()) {
            pmd.runCommands();
        }
        return (t1 - t0) / 1e6;
    }

    private static double min(double[] v) {
        double m = Double.MAX_VALUE;
        for (double x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static double avg(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    // ------------------------------------------------------------------ forwarding

    enum Mode {
        NONE("off"), CYCLING("cycling every 500 ms"), CHURNING("revalidating every flow back to back");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    static double forwarding(Path pcap, int flows, int threads, Mode mode, double warmupS, double seconds)
            throws NetdevException, InterruptedException {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("reval-fwd", 8192))) {
            BenchRevalidation slowPath = new BenchRevalidation(1, 2);
            Datapath dp = new Datapath(DatapathConfig.defaults().withFlowLimit(Math.max(200_000, flows * 2)), pool,
                    slowPath);
            RevalidatorPool reval = null;
            try {
                dp.addPort(1, Netdevs.open(new NetdevConfig("pcap0", "pcap", Map.of("file", pcap.toString()), pool)));
                dp.addPort(2, Netdevs.open(new NetdevConfig("null0", "null", Map.of(), pool)));
                if (mode != Mode.NONE) {
                    reval = new RevalidatorPool(dp, slowPath, RevalidatorConfig.defaults().withThreads(threads)
                            .withFlowLimit(Math.max(200_000, flows * 2)));
                    slowPath.churn = mode == Mode.CHURNING;
                    reval.start();
                }
                double[] out = new double[1];
                RuntimeException[] failure = new RuntimeException[1];
                RevalidatorPool r = reval;
                Thread t = new Thread(() -> {
                    try {
                        out[0] = stepPmd(dp.pmd(0), r, warmupS, seconds);
                    } catch (RuntimeException e) {
                        failure[0] = e;
                    }
                }, "pmd-0");
                t.start();
                t.join();
                if (failure[0] != null) {
                    throw failure[0];
                }
                return out[0];
            } finally {
                if (reval != null) {
                    reval.close();
                }
                dp.close();
            }
        }
    }

    private static double stepPmd(PmdAgent pmd, RevalidatorPool reval, double warmupS, double seconds) {
        pmd.onStart();
        runFor(pmd, (long) (warmupS * 1e9));
        long before = pmd.stats().raw(PmdCounter.RX_PACKETS);
        long t0 = System.nanoTime();
        runFor(pmd, (long) (seconds * 1e9));
        long t1 = System.nanoTime();
        long packets = pmd.stats().raw(PmdCounter.RX_PACKETS) - before;
        if (reval != null) {
            reval.stop();
        }
        pmd.onClose();
        return packets / ((t1 - t0) / 1e9) / 1e6;
    }

    private static void runFor(PmdAgent pmd, long ns) {
        long deadline = System.nanoTime() + ns;
        while (true) {
            for (int i = 0; i < 256; i++) {
                pmd.doWork();
            }
            if (System.nanoTime() >= deadline) {
                return;
            }
        }
    }
}
