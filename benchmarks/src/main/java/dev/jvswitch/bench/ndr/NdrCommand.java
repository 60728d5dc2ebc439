package dev.jvswitch.bench.ndr;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.bench.cli.CleanupHook;
import dev.jvswitch.bench.cli.Json;
import dev.jvswitch.bench.cli.Machine;
import dev.jvswitch.bench.cli.RunDirs;
import dev.jvswitch.bench.dut.Dut;
import dev.jvswitch.bench.dut.DutHarness;
import dev.jvswitch.bench.dut.DutKind;
import dev.jvswitch.bench.dut.DutOptions;
import dev.jvswitch.bench.dut.DutTopology;
import dev.jvswitch.bench.traffic.FlowReceiver;
import dev.jvswitch.bench.traffic.FrameTemplate;
import dev.jvswitch.bench.traffic.FrameTemplate.FrameSpec;
import dev.jvswitch.bench.traffic.PacedUdpLoad;
import dev.jvswitch.bench.traffic.StampedFlows;
import dev.jvswitch.bench.traffic.TrafficResult;
import dev.jvswitch.bench.traffic.TrafficRun;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;

/**
 * {@code jvs-bench ndr}: the RFC 2544 throughput search through a switch under test (root only).
 *
 * <pre>
 *  netns h1: generator (pktgen's) ─veth─ netns sw: DUT (PMD on pmd-cpu) ─veth─ netns h2: receiver
 * </pre>
 *
 * For each DUT: a fresh {@link DutHarness} (namespaces, veths, the DUT started and forwarding),
 * the generator on h1's veth end and the receiver on h2's, a warm-up blast through the DUT that
 * also measures the generator's ceiling into it, then {@link RateSearch} over trials of
 * {@code --trial} seconds (NDR: no frame lost; PDR: at most 0.5 %), then one-way latency at 10,
 * 50 and 90 % of NDR. Frames go from h1's MAC to h2's (the DUT learned both while the harness
 * checked forwarding) and to an address nobody owns, so h2's kernel drops them after the receiver
 * read them. A DUT that is not installed is reported as such; one that fails, with its error
 * (exit 1).
 *
 * <p><b>Thread-safety:</b> the main thread drives; a {@link CleanupHook} closes the current DUT,
 * namespaces and traffic ports on a signal.
 */
public final class NdrCommand {
    public static final Set<String> OPTIONS = Set.of("dut", "flows", "size", "trial", "loss", "precision", "max-trials",
            "warmup", "gen-cpu", "rx-cpu", "pmd-cpu", "pmd-idle", "jvswitchd", "hugepages", "latency-at");
    public static final Set<String> FLAGS = Set.of("json");
    /** How far behind its schedule a trial's generator may fall before skipping: 20 ms. */
    static final long MAX_BACKLOG_NS = 20_000_000L;
    /** Below this many pps an interval is narrow enough whatever the precision. */
    static final double MIN_STEP_PPS = 1_000;
    private static final int POOL_MBUFS = 8192;
    static final long WARMUP_MIN_FRAMES = 10_000;
    static final long WARMUP_EXTRA_NS = 10_000_000_000L;

    private NdrCommand() {
    }

    /**
     * How to search, for {@code ndr} and {@code compare} alike.
     *
     * @param latencyAt fractions of NDR at which to measure latency (empty: none)
     */
    public record Search(int flows, int sizeBytes, double trialSeconds, double[] losses, double precision,
            int maxTrials, double warmupSeconds, int genCpu, int rxCpu, double[] latencyAt) {
    }

    record Settings(List<DutKind> duts, DutOptions dut, Search search, boolean json) {
    }

    public static int run(String[] argv) throws Exception {
        return run(argv, System.out);
    }

    /** As {@link #run(String[])}, printing to {@code out}. */
    public static int run(String[] argv, PrintStream out) throws Exception {
        Settings s = parse(argv);
        Path runDir = Files.createTempDirectory("jvs-ndr-");
        DutOptions options = s.dut.withRunDir(runDir);
        boolean failed = false;
        List<DutThroughput> results = new ArrayList<>();
        try (CleanupHook cleanup = CleanupHook.install("ndr")) {
            if (!s.json) {
                out.printf(Locale.ROOT, "ndr: %d B IPv4/UDP over %d flow%s from h1 through the DUT (PMD on CPU %d) to"
                        + " h2; trials of %.1f s, precision %.1f %%; %d CPUs, load average %.2f, kernel %s%n",
                        s.search.sizeBytes(), s.search.flows(), s.search.flows() == 1 ? "" : "s", options.pmdCpu(),
                        s.search.trialSeconds(), 100 * s.search.precision(), Machine.cpus(), Machine.loadAvg1(),
                        Machine.kernel());
            }
            for (DutKind kind : s.duts) {
                DutThroughput r = measure(kind, options, s.search, cleanup, s.json ? null : out);
                failed |= r.error() != null;
                results.add(r);
                if (!s.json) {
                    out.println(r.toText());
                }
            }
        } finally {
            RunDirs.removeUnlessFailed("ndr", runDir, failed);
        }
        if (s.json) {
            List<String> runs = new ArrayList<>();
            for (DutThroughput r : results) {
                runs.add(r.toJson().toString());
            }
            out.println(new Json().put("command", "ndr").put("cpus", Machine.cpus()).put("kernel", Machine.kernel())
                    .put("flows", s.search.flows()).put("sizeBytes", s.search.sizeBytes())
                    .put("trialSeconds", s.search.trialSeconds()).put("precision", s.search.precision())
                    .put("pmdCpu", options.pmdCpu()).put("genCpu", s.search.genCpu())
                    .put("loadAvg1End", Machine.loadAvg1()).putRaw("runs", Json.array(runs)));
        }
        return failed ? 1 : 0;
    }

    /**
     * Searches the throughput of one DUT of {@code kind}; never throws for the DUT's own failures
     * (they are in the result's {@code error}).
     *
     * @param progress where to print a line per trial, or {@code null}
     */
    public static DutThroughput measure(DutKind kind, DutOptions options, Search search, CleanupHook cleanup,
            PrintStream progress) {
        Dut dut = kind.create(options);
        String missing = kind.missing(options);
        if (missing != null) {
            return new DutThroughput(kind.label(), dut.settings(), missing, null, Double.NaN, null, List.of(),
                    Machine.loadAvg1());
        }
        double ceiling = Double.NaN;
        RateSearch.Result result = null;
        List<DutThroughput.LatencyPoint> points = new ArrayList<>();
        FrameTemplate template = new FrameTemplate(new FrameSpec(search.sizeBytes(), false, -1, -1, DutTopology.H1_MAC,
                DutTopology.H2_MAC, DutTopology.UNOWNED_IP));
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("ndr", POOL_MBUFS));
                DutHarness h = DutHarness.start(dut, topo -> cleanup.set(dut, topo))) {
            cleanup.set(h);
            try (PacedUdpLoad gen = PacedUdpLoad.open("generator", h.topo.h1Ns, h.topo.h1If, pool,
                    new StampedFlows(template, search.flows(), TrafficRun.nextTag()), search.genCpu());
                    FlowReceiver rx = FlowReceiver.open("receiver", h.topo.h2Ns, h.topo.h2If, pool, search.rxCpu())) {
                cleanup.set(gen, rx, h);
                ceiling = warmUp(gen, search.warmupSeconds());
                RateSearch.Trial trial = pps -> {
                    TrafficResult t = TrafficRun.run(gen, rx, plan(template, search, pps), null);
                    if (progress != null) {
                        progress.printf(Locale.ROOT, "    trial %.4f Mpps: offered %.4f, received %.4f, lost %d%s%n",
                                pps / 1e6, t.offeredPps() / 1e6, t.receivedPps() / 1e6, t.lost(),
                                t.rxRingDrops() > 0 ? " (" + t.rxRingDrops() + " in the receiver's ring)" : "");
                    }
                    return new RateSearch.Outcome(pps, t.offeredPps(), t.lossRatio());
                };
                result = new RateSearch(ceiling, search.losses(), search.precision(), MIN_STEP_PPS,
                        search.maxTrials()).run(trial);
                double ndr = RateSearch.lower(result.trials(), 0);
                for (double f : search.latencyAt()) {
                    if (ndr * f >= 1) {
                        points.add(new DutThroughput.LatencyPoint(f, TrafficRun.run(gen, rx, plan(template, search,
                                ndr * f), null)));
                    }
                }
            } finally {
                cleanup.set(h);
            }
            return new DutThroughput(kind.label(), dut.settings(), null, null, ceiling, result, points,
                    Machine.loadAvg1());
        } catch (Exception e) {
            return new DutThroughput(kind.label(), dut.settings(), null, e.getClass().getSimpleName() + ": "
                    + e.getMessage(), ceiling, result, points, Machine.loadAvg1());
        } finally {
            cleanup.set();
        }
    }

    /**
     * Blasts through the DUT for {@code seconds} (longer, up to {@link #WARMUP_EXTRA_NS}, until
     * {@link #WARMUP_MIN_FRAMES} went: a thread that waits for a busy CPU has not measured
     * anything yet) and returns the rate sent: the generator's ceiling into this DUT.
     */
    private static double warmUp(PacedUdpLoad gen, double seconds) throws IOException, InterruptedException {
        gen.blast();
        Thread.sleep((long) (seconds * 1000));
        long deadline = System.nanoTime() + WARMUP_EXTRA_NS;
        while (gen.txPackets() < WARMUP_MIN_FRAMES && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        gen.stop();
        if (gen.txPackets() == 0) {
            throw new IOException("the generator sent nothing in " + (gen.runNs() / 1e9) + " s: " + gen.portStats());
        }
        return gen.txPackets() / (gen.runNs() / 1e9);
    }

    private static TrafficRun.Plan plan(FrameTemplate template, Search search, double pps) {
        return new TrafficRun.Plan(template, search.flows(), pps, PacedUdpLoad.DEFAULT_BURST, search.trialSeconds(), -1,
                MAX_BACKLOG_NS);
    }

    static Settings parse(String[] argv) {
        Args a = Args.parse("ndr", argv, OPTIONS, FLAGS);
        List<DutKind> duts = DutKind.parseList("ndr", a.required("dut"), DutKind.THROUGHPUT);
        return new Settings(duts, dutOptions("ndr", a), search("ndr", a, a.intValue("flows", 1, 1, 1_000_000)),
                a.flag("json"));
    }

    /** The DUT options {@code ndr} and {@code compare} share. */
    public static DutOptions dutOptions(String command, Args a) {
        int cpus = Machine.cpus();
        String idle = a.string("pmd-idle", "busy");
        if (!idle.equals("busy") && !idle.equals("backoff") && !idle.equals("sleep")) {
            throw new Args.UsageException(command + ": --pmd-idle must be busy, backoff or sleep, got '" + idle + "'");
        }
        return new DutOptions(a.intValue("pmd-cpu", cpus > 1 ? 1 : -1, -1, cpus - 1),
                Path.of(a.string("jvswitchd", DutOptions.defaultJvswitchd().toString())), null, idle, null,
                a.intValue("hugepages", 256, 64, 65_536));
    }

    /** The search options {@code ndr} and {@code compare} share. */
    public static Search search(String command, Args a, int flows) {
        int cpus = Machine.cpus();
        double[] losses = numbers(command, a, "loss", "0,0.005", 0, 0.5);
        double[] at = a.string("latency-at", null) != null && a.string("latency-at", "").isEmpty() ? new double[0]
                : numbers(command, a, "latency-at", "0.1,0.5,0.9", 0.01, 1);
        return new Search(flows, a.intValue("size", 64, 64, 1518), a.doubleValue("trial", 1, 0.1, 600), losses,
                a.doubleValue("precision", 0.01, 0.001, 0.5), a.intValue("max-trials", 20, 1, 200),
                a.doubleValue("warmup", 1, 0.1, 60), a.intValue("gen-cpu", cpus > 1 ? 0 : -1, -1, cpus - 1),
                a.intValue("rx-cpu", -1, -1, cpus - 1), at);
    }

    private static double[] numbers(String command, Args a, String option, String defaultValue, double min,
            double max) {
        String[] parts = a.string(option, defaultValue).split(",");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                v[i] = Double.NaN;
            }
            if (!(v[i] >= min && v[i] <= max)) {
                throw new Args.UsageException(command + ": --" + option + " takes numbers within " + min + ".." + max
                        + " (comma-separated), got '" + parts[i] + "'");
            }
        }
        return v;
    }
}
