package dev.jvswitch.bench.latency;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.bench.cli.CleanupHook;
import dev.jvswitch.bench.cli.Machine;
import dev.jvswitch.bench.cli.RunDirs;
import dev.jvswitch.bench.cli.Json;
import dev.jvswitch.bench.dut.Dut;
import dev.jvswitch.bench.dut.DutHarness;
import dev.jvswitch.bench.dut.DutKind;
import dev.jvswitch.bench.dut.DutOptions;
import dev.jvswitch.bench.dut.DutTopology;
import dev.jvswitch.bench.traffic.PacedUdpLoad;
import dev.jvswitch.bench.traffic.UdpFrames;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;

/**
 * {@code jvs-bench latency}: round-trip latency through a switch under test (root only).
 *
 * <pre>
 *  netns h1: ping (CPU probe-cpu) + UDP load ─veth─ netns sw: DUT (PMD on pmd-cpu) ─veth─ netns h2
 * </pre>
 *
 * For each DUT (and for jvswitch each ring mode × idle strategy asked for) the command makes a
 * fresh {@link DutTopology}, starts the DUT, checks that h1 reaches h2, warms it up with
 * {@code warmup} seconds of UDP at full speed (JIT-compiled, caches warm, as a switch in service
 * is), then runs two phases:
 * <ol>
 *   <li><b>idle</b>: {@code count} pings every {@code interval} seconds, nothing else;</li>
 *   <li><b>load</b> (unless {@code --load 0}): the DUT's forwarding rate is measured first (the
 *       generator flat out from h1, frames counted at h2), then UDP is paced at {@code load} ×
 *       that rate from h1 to h2 while the same pings run.</li>
 * </ol>
 * Each phase reports RTT min/p50/p90/p99/p99.9/max in µs from an HdrHistogram, lost probes, the
 * DUT's CPU use and its own PMD counters, and the load average. A DUT that is not installed is
 * reported as unavailable with the reason; one that fails is reported with its error (exit 1).
 * With {@code --json} the whole invocation is one JSON document on one line.
 *
 * <p><b>Thread-safety:</b> the main thread runs everything; a shutdown hook (SIGINT/SIGTERM) closes
 * the current DUT and topology (both idempotent) so nothing is left behind.
 */
public final class LatencyCommand {
    public static final Set<String> OPTIONS = Set.of("dut", "load", "count", "interval", "probe-cpu", "pmd-cpu", "gen-cpu",
            "pmd-idle", "rx-ring", "jvswitchd", "frame-size", "flows", "rate-seconds", "repeat", "hugepages", "warmup", "load-pps");
    public static final Set<String> FLAGS = Set.of("json");
    private static final long SETTLE_MS = 500;

    private LatencyCommand() {
    }

    /** The run's settings, checked before anything is created. */
    record Settings(List<DutKind> duts, double load, long loadPps, int count, double intervalS, int probeCpu, int pmdCpu, int genCpu,
            List<String> pmdIdles, List<String> rxRings, Path jvswitchd, int frameBytes, int flows, double rateSeconds,
            int repeat, int hugepages, double warmupSeconds, boolean json) {
    }

    /** One DUT configuration's outcome. */
    private record RunResult(Dut dut, String unavailable, String error, List<PhaseResult> phases) {
        String toJson() {
            Json j = new Json().put("dut", dut.kind().label()).putRaw("settings", Json.object(dut.settings()));
            j.put("available", unavailable == null);
            if (unavailable != null) {
                j.put("reason", unavailable);
            }
            if (error != null) {
                j.put("error", error);
            }
            List<String> p = new ArrayList<>();
            for (PhaseResult r : phases) {
                p.add(r.toJson());
            }
            return j.putRaw("phases", Json.array(p)).toString();
        }
    }

    public static int run(String[] argv) throws Exception {
        return run(argv, System.out);
    }

    /** As {@link #run(String[])}, printing the report to {@code out}. */
    public static int run(String[] argv, PrintStream out) throws Exception {
        Settings s = parse(argv);
        Path runDir = Files.createTempDirectory("jvs-latency-");
        List<RunResult> results = new ArrayList<>();
        boolean failed = false;
        try (CleanupHook cleanup = CleanupHook.install("latency");
                MbufPool pool = MbufPool.create(MbufPoolConfig.of("latency-load", 4096))) {
            if (!s.json) {
                out.printf(Locale.ROOT, "latency: %d pings every %.1f ms from h1 (CPU %s) to h2 through the"
                        + " DUT (forwarding thread on CPU %s)%s; %d CPUs, load average %.2f, kernel %s%n", s.count,
                        s.intervalS * 1000, cpu(s.probeCpu), cpu(s.pmdCpu), loadText(s), Machine.cpus(), Machine.loadAvg1(),
                        Machine.kernel());
            }
            for (DutOptions o : variants(s, runDir)) {
                for (DutKind kind : kindsFor(o, s)) {
                    for (int rep = 0; rep < s.repeat; rep++) {
                        RunResult r = runOne(kind, o, s, pool, cleanup);
                        failed |= r.error != null;
                        results.add(r);
                        if (!s.json) {
                            printText(r, out);
                        }
                    }
                }
            }
            if (s.json) {
                List<String> runs = new ArrayList<>();
                for (RunResult r : results) {
                    runs.add(r.toJson());
                }
                out.println(new Json()
                        .put("command", "latency")
                        .put("cpus", Machine.cpus())
                        .put("kernel", Machine.kernel())
                        .put("probeCpu", s.probeCpu)
                        .put("pmdCpu", s.pmdCpu)
                        .put("genCpu", s.genCpu)
                        .put("count", s.count)
                        .put("intervalS", s.intervalS)
                        .put("loadFraction", s.load)
                        .put("loadPps", s.loadPps)
                        .put("frameBytes", s.frameBytes)
                        .put("flows", s.flows)
                        .put("loadAvg1End", Machine.loadAvg1())
                        .putRaw("runs", Json.array(runs)));
            }
            return failed ? 1 : 0;
        } finally {
            RunDirs.removeUnlessFailed("latency", runDir, failed);
        }
    }

    /** jvswitch runs once per ring mode × idle strategy; the others once. */
    private static List<DutOptions> variants(Settings s, Path runDir) {
        List<DutOptions> v = new ArrayList<>();
        for (String ring : s.rxRings) {
            for (String idle : s.pmdIdles) {
                v.add(new DutOptions(s.pmdCpu, s.jvswitchd, ring, idle, runDir, s.hugepages));
            }
        }
        return v;
    }

    /**
     * The first variant carries every DUT; the other variants only jvswitch (they differ in its
     * options alone), jvswitch over afxdp ports only those of the first ring mode (it has no rings).
     */
    private static List<DutKind> kindsFor(DutOptions o, Settings s) {
        boolean firstRing = java.util.Objects.equals(o.rxRing(), s.rxRings.get(0));
        boolean first = firstRing && o.pmdIdle().equals(s.pmdIdles.get(0));
        List<DutKind> kinds = new ArrayList<>();
        for (DutKind k : s.duts) {
            if (first || k == DutKind.JVSWITCH || (k == DutKind.JVSWITCH_AFXDP && firstRing)) {
                kinds.add(k);
            }
        }
        return kinds;
    }

    private static RunResult runOne(DutKind kind, DutOptions o, Settings s, MbufPool pool, CleanupHook cleanup) {
        Dut dut = kind.create(o);
        String missing = kind.missing(o);
        if (missing != null) {
            return new RunResult(dut, missing, null, List.of());
        }
        List<PhaseResult> phases = new ArrayList<>();
        try (DutHarness h = DutHarness.start(dut, topo -> cleanup.set(dut, topo))) {
            cleanup.set(h);
            try (PacedUdpLoad gen = PacedUdpLoad.open("load", h.topo.h1Ns, h.topo.h1If, pool, frames(s), s.genCpu)) {
                cleanup.set(gen, h);
                if (s.warmupSeconds > 0) {
                    // Every DUT forwards a burst first: JIT-compiled and cache-warm, as a switch in
                    // service is, before the first probe.
                    gen.blast();
                    Thread.sleep((long) (s.warmupSeconds * 1000));
                    gen.stop();
                    Thread.sleep(SETTLE_MS);
                }
                phases.add(idlePhase(dut, h.topo, s));
                if (s.load > 0 || s.loadPps > 0) {
                    phases.add(loadPhase(dut, h.topo, s, gen));
                }
            } finally {
                cleanup.set(h);
            }
            return new RunResult(dut, null, null, phases);
        } catch (Exception e) {
            return new RunResult(dut, null, e.getClass().getSimpleName() + ": " + e.getMessage(), phases);
        } finally {
            cleanup.set();
        }
    }

    private static PhaseResult idlePhase(Dut dut, DutTopology topo, Settings s) throws IOException, InterruptedException {
        dut.clearCounters();
        long cpu0 = dut.cpuTimeNs();
        long t0 = System.nanoTime();
        PingProbe.Result probes = PingProbe.run(topo.h1Ns, DutTopology.H2_IP, s.count, s.intervalS, s.probeCpu);
        double cpuPct = cpuPct(dut, cpu0, t0);
        return new PhaseResult("idle", 0, 0, 0, 0, probes, cpuPct, dut.counters(), Machine.loadAvg1());
    }

    private static byte[][] frames(Settings s) {
        byte[][] frames = new byte[s.flows][];
        for (int i = 0; i < s.flows; i++) {
            frames[i] = UdpFrames.frame(s.frameBytes - 4, DutTopology.H2_MAC, DutTopology.H1_MAC,
                    UdpFrames.ipv4(DutTopology.H1_IP), UdpFrames.ipv4(DutTopology.UNOWNED_IP), 1024 + i, 9);
        }
        return frames;
    }

    private static PhaseResult loadPhase(Dut dut, DutTopology topo, Settings s, PacedUdpLoad gen) throws Exception {
        gen.blast();
        Thread.sleep(SETTLE_MS);
        long rx0 = topo.h2RxPackets();
        long t0 = System.nanoTime();
        Thread.sleep((long) (s.rateSeconds * 1000));
        long rx1 = topo.h2RxPackets();
        double forwarding = (rx1 - rx0) / ((System.nanoTime() - t0) / 1e9);
        gen.stop();
        Thread.sleep(SETTLE_MS);
        if (forwarding < 1) {
            throw new IOException("the DUT forwarded nothing from h1 to h2 with the generator flat out (generator "
                    + gen.portStats() + ")");
        }
        // A fixed rate puts every DUT under the same offered load; a fraction, under the same share
        // of its own forwarding rate (which offers a faster DUT more packets).
        double offered = s.loadPps > 0 ? s.loadPps : s.load * forwarding;
        gen.pace(offered);
        try {
            Thread.sleep(SETTLE_MS);
            dut.clearCounters();
            long cpu0 = dut.cpuTimeNs();
            long rxStart = topo.h2RxPackets();
            long start = System.nanoTime();
            PingProbe.Result probes = PingProbe.run(topo.h1Ns, DutTopology.H2_IP, s.count, s.intervalS, s.probeCpu);
            double achieved = (topo.h2RxPackets() - rxStart - probes.replies()) / ((System.nanoTime() - start) / 1e9);
            double cpuPct = cpuPct(dut, cpu0, start);
            Map<String, String> counters = dut.counters();
            return new PhaseResult("load", s.loadPps > 0 ? offered / forwarding : s.load, forwarding, offered, achieved, probes, cpuPct, counters,
                    Machine.loadAvg1());
        } finally {
            gen.stop();
        }
    }

    private static String loadText(Settings s) {
        if (s.loadPps > 0) {
            return String.format(Locale.ROOT, "; then again under %d B UDP at %d pps (generator on CPU %s)",
                    s.frameBytes, s.loadPps, cpu(s.genCpu));
        }
        return s.load > 0 ? String.format(Locale.ROOT,
                "; then again under %d B UDP at %.2f x the DUT's forwarding rate (generator on CPU %s)",
                s.frameBytes, s.load, cpu(s.genCpu)) : "";
    }

    private static double cpuPct(Dut dut, long cpu0, long t0) {
        long cpu1 = dut.cpuTimeNs();
        if (cpu0 < 0 || cpu1 < 0) {
            return -1;
        }
        return 100.0 * (cpu1 - cpu0) / (System.nanoTime() - t0);
    }

    private static void printText(RunResult r, PrintStream out) {
        out.println("  " + r.dut.kind().label() + " " + r.dut.settings());
        if (r.unavailable != null) {
            out.println("    not available: " + r.unavailable);
            return;
        }
        for (PhaseResult p : r.phases) {
            out.println(p.toText());
        }
        if (r.error != null) {
            out.println("    failed: " + r.error);
        }
    }

    private static Settings parse(String[] argv) {
        Args a = Args.parse("latency", argv, OPTIONS, FLAGS);
        List<DutKind> duts = DutKind.parseList("latency", a.required("dut"), DutKind.LATENCY);
        int cpus = Runtime.getRuntime().availableProcessors();
        int probeCpu = a.intValue("probe-cpu", cpus > 1 ? 0 : -1, -1, cpus - 1);
        int pmdCpu = a.intValue("pmd-cpu", cpus > 1 ? 1 : -1, -1, cpus - 1);
        List<String> idles = choices(a, "pmd-idle", "busy,backoff", Set.of("busy", "backoff", "sleep"));
        List<String> rings = a.string("rx-ring", null) == null ? java.util.Collections.singletonList(null)
                : choices(a, "rx-ring", null, Set.of("v2", "v3"));
        return new Settings(duts,
                a.doubleValue("load", 0.5, 0, 1),
                a.longValue("load-pps", 0, 0, 100_000_000),
                a.intValue("count", 3000, 10, 1_000_000),
                a.doubleValue("interval", 0.002, 0.0002, 1),
                probeCpu, pmdCpu,
                a.intValue("gen-cpu", probeCpu, -1, cpus - 1),
                idles, rings,
                Path.of(a.string("jvswitchd", DutOptions.defaultJvswitchd().toString())),
                a.intValue("frame-size", 64, 64, 1518),
                a.intValue("flows", 1, 1, 60_000),
                a.doubleValue("rate-seconds", 2, 0.5, 60),
                a.intValue("repeat", 1, 1, 100),
                a.intValue("hugepages", 256, 64, 65_536),
                a.doubleValue("warmup", 2, 0, 60),
                a.flag("json"));
    }

    private static List<String> choices(Args a, String option, String defaultValue, Set<String> allowed) {
        List<String> out = new ArrayList<>();
        for (String v : a.string(option, defaultValue).split(",")) {
            String t = v.trim().toLowerCase(Locale.ROOT);
            if (!allowed.contains(t)) {
                throw new Args.UsageException("latency: --" + option + " must be one or more of " + allowed
                        + " (comma-separated), got '" + v + "'");
            }
            if (!out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private static String cpu(int cpu) {
        return cpu < 0 ? "any" : Integer.toString(cpu);
    }

}
