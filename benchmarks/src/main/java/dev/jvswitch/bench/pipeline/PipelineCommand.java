package dev.jvswitch.bench.pipeline;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.bench.cli.JvmPauses;
import dev.jvswitch.bench.cli.Json;
import dev.jvswitch.bench.dut.OvsDpdkPipeline;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.OfprotoRevalidation;
import dev.jvswitch.ofproto.revalidate.FixedRevalidation;
import dev.jvswitch.ofproto.revalidate.Revalidation;
import dev.jvswitch.ofproto.revalidate.RevalidatorConfig;
import dev.jvswitch.ofproto.revalidate.RevalidatorPool;
import dev.jvswitch.ofproto.revalidate.RevalidatorSnapshot;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.pmd.port.NullPort;
import dev.jvswitch.pmd.port.PcapPort;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.pmd.stats.PmdStats;
import dev.jvswitch.pmd.upcall.PortMapUpcallHandler;
import dev.jvswitch.pmd.upcall.UpcallHandler;

/**
 * {@code jvs-bench pipeline}: the in-process forwarding benchmark — a pcap port (port 1) replaying
 * a file from memory into one PMD, which classifies and forwards to a null port (port 2). The PMD
 * runs on this tool's own thread, stepped in a tight loop, so that the heap bytes it allocates can
 * be read exactly ({@code heapBytesPerPacket}). The revalidators run beside it on their own
 * threads ({@code --revalidators}, {@code --max-idle}, {@code --flow-limit}). With
 * {@code --flows FILE} (and {@code --groups FILE}, {@code --meters FILE} in add-meter text) the upcalls translate against those OpenFlow
 * rules on bridge {@code br0} (OpenFlow ports 1 and 2 are datapath ports 1 and 2) and the
 * revalidators are {@link OfprotoRevalidation}; without, the rule is the built-in port 1 to port
 * 2, and the revalidators keep every flow, but idle expiry and the flow limit apply. With
 * {@code --tunnel encap|decap [--vni N]} the switch is {@link TunnelPipeline}'s: the pcap's frames
 * are pushed into VXLAN on the way out, or (from {@code gen-pcap --vxlan N}) popped on the way in;
 * {@code --tunnel-type geneve} does the same with Geneve ({@code gen-pcap --geneve N}).
 * With {@code --latency} (and {@code --rate PPS|max}) the pcap port's arrivals are paced and each
 * frame's time from arrival to the null port is recorded ({@link PipelineLatency}).
 */
public final class PipelineCommand {
    public static final Set<String> OPTIONS = Set.of("pcap", "seconds", "warmup", "emc-insert-inv-prob", "pmd-cpu",
            "flows", "groups", "flow-limit", "max-idle", "revalidators", "repeat", "tunnel", "vni", "dut", "rate",
            "tunnel-type", "meters");
    /** How long the JIT must have compiled nothing before the measured run starts. */
    static final long JIT_QUIET_NS = 500_000_000L;
    /** The longest warm-up may run on past {@code --warmup} waiting for the JIT to go quiet. */
    static final long JIT_WAIT_MAX_NS = 30_000_000_000L;
    public static final Set<String> FLAGS = Set.of("smc", "json", "latency");

    private PipelineCommand() {
    }

    public static int run(String[] argv) throws Exception {
        Args args = Args.parse("pipeline", argv, OPTIONS, FLAGS);
        int repeat = args.intValue("repeat", 1, 1, 1000);
        Path pcap = Path.of(args.required("pcap"));
        if (!Files.isReadable(pcap)) {
            throw new Args.UsageException("pipeline: --pcap " + pcap + ": no such readable file");
        }
        double seconds = args.doubleValue("seconds", 10, 0.1, 86_400);
        double warmup = args.doubleValue("warmup", 2, 0, 3_600);
        int invProb = args.intValue("emc-insert-inv-prob", DatapathConfig.DEFAULT_EMC_INSERT_INV_PROB, 0, 1 << 30);
        int cpu = args.intValue("pmd-cpu", -1, -1, 1023);
        int flowLimit = args.intValue("flow-limit", DatapathConfig.DEFAULT_FLOW_LIMIT, 1, Integer.MAX_VALUE);
        long maxIdleMs = args.longValue("max-idle", RevalidatorConfig.DEFAULT_MAX_IDLE_MS, 1, 86_400_000L);
        int revalidators = args.intValue("revalidators",
                RevalidatorConfig.defaultThreads(Runtime.getRuntime().availableProcessors()), 1,
                RevalidatorConfig.MAX_THREADS);
        List<Path> flowFiles = paths(args.all("flows"));
        List<Path> groupFiles = paths(args.all("groups"));
        if (flowFiles.isEmpty() && !groupFiles.isEmpty()) {
            throw new Args.UsageException("pipeline: --groups needs --flows (the rules that use the groups)");
        }
        List<Path> meterFiles = paths(args.all("meters"));
        if (flowFiles.isEmpty() && !meterFiles.isEmpty()) {
            throw new Args.UsageException("pipeline: --meters needs --flows (the rules that use the meters)");
        }
        String tunnelMode = args.string("tunnel", null);
        if (tunnelMode != null && !flowFiles.isEmpty()) {
            throw new Args.UsageException("pipeline: --tunnel has its own rules; it takes no --flows");
        }
        if (tunnelMode == null && args.string("vni", null) != null) {
            throw new Args.UsageException("pipeline: --vni needs --tunnel");
        }
        int vni = args.intValue("vni", TunnelPipeline.DEFAULT_VNI, 0, 0xff_ffff);
        String tunnelType = args.string("tunnel-type", "vxlan");
        if (tunnelMode == null && args.string("tunnel-type", null) != null) {
            throw new Args.UsageException("pipeline: --tunnel-type needs --tunnel");
        }
        if (repeat > 1) {
            return PipelineRepeat.run(withoutRepeat(argv), repeat, args.flag("json"));
        }
        String dut = args.string("dut", "jvswitch");
        Pace pace = Pace.parse(args.string("rate", null), args.flag("latency"));
        if (dut.equals("ovs-dpdk")) {
            if (pace != null) {
                throw new Args.UsageException("pipeline: --dut ovs-dpdk takes no --rate or --latency");
            }
            if (!meterFiles.isEmpty()) {
                throw new Args.UsageException("pipeline: --dut ovs-dpdk takes no --meters");
            }
            if (!tunnelType.equals("vxlan")) {
                throw new Args.UsageException("pipeline: --dut ovs-dpdk tunnels with vxlan only");
            }
            return ovsDpdk(pcap, tunnelMode, vni, cpu, warmup, seconds, new OvsDpdkPipeline.Rules(flowFiles,
                    groupFiles), args.flag("json"));
        } else if (!dut.equals("jvswitch")) {
            throw new Args.UsageException("pipeline: --dut " + dut + ": expected jvswitch or ovs-dpdk");
        }
        DatapathConfig config = DatapathConfig.defaults()
                .withPmdCpus(cpu)
                .withIdle(DatapathConfig.Idle.BUSY)
                .withEmcInsertInvProb(invProb)
                .withSmc(args.flag("smc"))
                .withFlowLimit(flowLimit);
        UpcallHandler handler;
        Revalidation revalidation;
        PortHook morePorts = PortHook.NONE;
        if (tunnelMode != null) {
            TunnelPipeline tunnel = new TunnelPipeline(TunnelPipeline.Mode.parse(tunnelMode), vni, tunnelType);
            handler = tunnel.ofproto().upcallHandler();
            revalidation = new OfprotoRevalidation(tunnel.ofproto());
            morePorts = tunnel::attach;
        } else if (flowFiles.isEmpty()) {
            handler = PortMapUpcallHandler.crossConnect(1, 2);
            revalidation = new FixedRevalidation();
        } else {
            Ofproto ofproto = PipelineRules.load(flowFiles, groupFiles, meterFiles);
            handler = ofproto.upcallHandler();
            revalidation = new OfprotoRevalidation(ofproto);
            // The meters run in the datapath's table once it exists.
            morePorts = (dp, pool) -> ofproto.bindMeters(dp.meters());
        }
        RevalidatorConfig reval = RevalidatorConfig.defaults().withThreads(revalidators).withMaxIdleMs(maxIdleMs)
                .withFlowLimit(flowLimit);
        Result r = measure(pcap, config, handler, revalidation, reval, warmup, seconds, morePorts, pace);
        System.out.println(args.flag("json") ? r.toJson() : r.toText(pcap));
        return 0;
    }

    /** The same pcap and layout through OVS-DPDK ({@link OvsDpdkPipeline}). */
    private static int ovsDpdk(Path pcap, String tunnelMode, int vni, int cpu, double warmup, double seconds,
            OvsDpdkPipeline.Rules rules, boolean json) throws Exception {
        String missing = OvsDpdkPipeline.missing();
        if (missing != null) {
            System.err.println("pipeline: --dut ovs-dpdk: unavailable: " + missing);
            return 1;
        }
        OvsDpdkPipeline.Layout layout = tunnelMode == null ? OvsDpdkPipeline.Layout.PLAIN
                : TunnelPipeline.Mode.parse(tunnelMode) == TunnelPipeline.Mode.ENCAP ? OvsDpdkPipeline.Layout.ENCAP
                : OvsDpdkPipeline.Layout.DECAP;
        OvsDpdkPipeline.Figures f;
        try {
            f = OvsDpdkPipeline.run(pcap, layout, vni, cpu, warmup, seconds, rules);
        } catch (OvsDpdkPipeline.RulesRefused e) {
            System.err.println("pipeline: --dut ovs-dpdk: " + e.getMessage());
            return 1;
        }
        if (f.packets() == 0) {
            // net_pcap copies the whole file into the port's mempool when the port starts; a file
            // with more frames than the mempool holds (about 130 000 with the 384 MB OVS gets
            // here) leaves the port without a queue, and OVS says so only in its own log.
            System.err.println("pipeline: --dut ovs-dpdk: no packet received from " + pcap + " (more frames than"
                    + " OVS-DPDK's mempool holds? net_pcap loads them all; use fewer --packets in gen-pcap)");
            return 1;
        }
        if (json) {
            System.out.println(new Json().put("dut", "ovs-dpdk").put("mpps", f.mpps())
                    .put("cpuNsPerPacket", f.cpuNsPerPacket())
                    .put("processingCyclesPerPacket", f.processingCyclesPerPacket())
                    .put("processingNsPerPacket", f.processingNsPerPacket()).put("packets", f.packets())
                    .put("seconds", f.seconds()).put("recirculations", f.recirculations())
                    .put("megaflowsEnd", f.megaflows()).toString());
        } else {
            System.out.printf(Locale.ROOT, "pipeline: %s -> OVS-DPDK (%s%s) -> null%n"
                    + "  packets:            %d in %.2f s (%d recirculations)%n"
                    + "  throughput:         %.3f Mpps (%.1f ns of PMD CPU time per packet)%n"
                    + "  OVS's own count:    %.0f processing cycles per packet (%.1f ns)%n"
                    + "  megaflows at end:   %d%n",
                    pcap, layout.name().toLowerCase(Locale.ROOT), rules.flows().isEmpty() ? "" : ", " + rules,
                    f.packets(), f.seconds(), f.recirculations(), f.mpps(), f.cpuNsPerPacket(),
                    f.processingCyclesPerPacket(), f.processingNsPerPacket(), f.megaflows());
        }
        return 0;
    }

    /** The arguments of one run of a {@code --repeat} series. */
    static List<String> withoutRepeat(String[] argv) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            if (argv[i].equals("--repeat")) {
                i++;
            } else if (!argv[i].startsWith("--repeat=")) {
                out.add(argv[i]);
            }
        }
        return out;
    }

    private static List<Path> paths(List<String> names) {
        List<Path> out = new ArrayList<>(names.size());
        for (String n : names) {
            Path p = Path.of(n);
            if (!Files.isReadable(p)) {
                throw new Args.UsageException("pipeline: " + n + ": no such readable file");
            }
            out.add(p);
        }
        return out;
    }

    /** Adds the ports a switch has beyond the pcap (1) and null (2) ports, before the PMD runs. */
    @FunctionalInterface
    interface PortHook {
        PortHook NONE = (dp, pool) -> { };

        void attach(Datapath dp, MbufPool pool) throws NetdevException;
    }

    /**
     * The replay's pace: {@code pps} frames per second, 0 for unpaced (a full batch at every poll),
     * NaN for {@link LatencyResult#AUTO_FRACTION} of the rate measured unpaced.
     */
    record Pace(double pps) {
        static final Pace AUTO = new Pace(Double.NaN);

        /** {@code --rate PPS|max}, {@code --latency}: {@code null} when neither was given. */
        static Pace parse(String rate, boolean latency) {
            if (rate == null) {
                return latency ? AUTO : null;
            }
            if (rate.equals("max")) {
                return new Pace(0);
            }
            try {
                double pps = Double.parseDouble(rate);
                if (pps >= 1 && pps <= 1e9) {
                    return new Pace(pps);
                }
            } catch (NumberFormatException e) {
                // Reported below.
            }
            throw new Args.UsageException("pipeline: --rate takes packets per second within 1..1e9 or 'max', got '"
                    + rate + "'");
        }
    }

    /** Runs the pipeline, with the revalidators beside it, and returns what it measured. */
    static Result measure(Path pcap, DatapathConfig config, UpcallHandler handler, Revalidation revalidation,
                          RevalidatorConfig revalConfig, double warmupS, double seconds, PortHook morePorts)
            throws NetdevException {
        return measure(pcap, config, handler, revalidation, revalConfig, warmupS, seconds, morePorts, null);
    }

    /** As above, the replay paced and its latency recorded by a {@link PipelineLatency} unless {@code pace} is null. */
    static Result measure(Path pcap, DatapathConfig config, UpcallHandler handler, Revalidation revalidation,
                          RevalidatorConfig revalConfig, double warmupS, double seconds, PortHook morePorts,
                          Pace pace) throws NetdevException {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("pipeline", 8192))) {
            Datapath dp = new Datapath(config, pool, handler);
            RevalidatorPool reval = null;
            try {
                Netdev rx = Netdevs.open(new NetdevConfig("pcap0", "pcap", Map.of("file", pcap.toString()), pool));
                dp.addPort(1, rx);
                Netdev sink = Netdevs.open(new NetdevConfig("null0", "null", Map.of(), pool));
                dp.addPort(2, sink);
                PipelineLatency probe = null;
                if (pace != null) {
                    probe = new PipelineLatency(pool.capacity(), System::nanoTime);
                    ((PcapPort) rx).timing(probe);
                    ((NullPort) sink).sinkTap(probe);
                }
                PipelineLatency latency = probe;
                morePorts.attach(dp, pool);
                RevalidatorPool revalidators = new RevalidatorPool(dp, revalidation, revalConfig);
                reval = revalidators;
                revalidators.start();
                Result[] out = new Result[1];
                RuntimeException[] failure = new RuntimeException[1];
                Thread t = new Thread(() -> {
                    try {
                        out[0] = stepPmd(dp, revalidators, config.pmdCpus()[0], warmupS, seconds, latency, pace);
                    } catch (RuntimeException e) {
                        failure[0] = e;
                    }
                }, "pmd-0");
                dp.externallyDriven(true);
                t.start();
                t.join();
                dp.externallyDriven(false);
                if (failure[0] != null) {
                    throw failure[0];
                }
                return out[0];
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            } finally {
                if (reval != null) {
                    reval.close();
                }
                dp.close();
                String leaks = pool.leakReport();
                if (leaks != null) {
                    System.err.println("pipeline: " + leaks);
                }
            }
        }
    }

    private static Result stepPmd(Datapath dp, RevalidatorPool reval, int cpu, double warmupS, double seconds,
                                  PipelineLatency probe, Pace pace) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        PmdAgent pmd = dp.pmd(0);
        pmd.onStart();
        long warm0 = System.nanoTime();
        runFor(pmd, dp, (long) (warmupS * 1e9));
        PmdStats stats = pmd.stats();
        long[] before = new long[PmdCounter.count()];
        long[] after = new long[PmdCounter.count()];
        double unpacedMpps = Double.NaN;
        if (probe != null && Double.isNaN(pace.pps())) {
            unpacedMpps = unpacedMpps(pmd, dp, stats, before, after);
            probe.pace(LatencyResult.AUTO_FRACTION * unpacedMpps * 1e6);
        } else if (probe != null && pace.pps() > 0) {
            probe.pace(pace.pps());
        }
        waitForJitQuiet(pmd, dp, jit);
        double warmedS = (System.nanoTime() - warm0) / 1e9;
        if (probe != null) {
            probe.reset();
        }
        // Made (and its class loaded) before the heap baseline: the run itself allocates nothing.
        PerSecond perSecond = new PerSecond(seconds);
        JvmPauses pauses0 = JvmPauses.now();
        stats.snapshot(before);
        RevalidatorSnapshot revalBefore = reval.snapshot();
        long heapBefore = threads.getCurrentThreadAllocatedBytes();
        long jit0 = jit.getTotalCompilationTime();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        int megaflowsMax = runSliced(pmd, dp, stats, threads, (long) (seconds * 1e9), perSecond, after);
        long t1 = System.nanoTime();
        long cpu1 = threads.getCurrentThreadCpuTime();
        long jitMs = jit.getTotalCompilationTime() - jit0;
        long heapAfter = threads.getCurrentThreadAllocatedBytes();
        JvmPauses pauses = JvmPauses.now().since(pauses0);
        stats.snapshot(after);
        LatencyResult latency = probe == null ? null
                : new LatencyResult(probe.figures(), Double.isNaN(pace.pps()), unpacedMpps, pauses);
        int megaflowsEnd = dp.ukeys().size();
        // Stop the revalidators while the PMD still exists for their last commands.
        reval.stop();
        RevalidatorSnapshot revalAfter = reval.snapshot();
        pmd.onClose();
        Reval r = new Reval(Math.max(megaflowsMax, megaflowsEnd), megaflowsEnd, revalAfter.dumpDurationMsMax(),
                revalAfter.deletedIdle() - revalBefore.deletedIdle(),
                revalAfter.deletedLimit() - revalBefore.deletedLimit(),
                revalAfter.deletedRevalidation() - revalBefore.deletedRevalidation(),
                revalAfter.flowLimit());
        return new Result(before, after, t1 - t0, cpu1 - cpu0, heapAfter - heapBefore, cpu, r, warmedS, jitMs,
                latency, perSecond);
    }

    /**
     * {@link #runFor} for {@code ns} in {@link PerSecond#SLICE_NS} slices, each recorded in
     * {@code perSecond}; {@code scratch} receives the counters between slices.
     */
    private static int runSliced(PmdAgent pmd, Datapath dp, PmdStats stats,
                                 com.sun.management.ThreadMXBean threads, long ns, PerSecond perSecond,
                                 long[] scratch) {
        long end = System.nanoTime() + ns;
        int megaflowsMax = 0;
        stats.snapshot(scratch);
        long packets0 = scratch[PmdCounter.RX_PACKETS.id()];
        long cpu0 = threads.getCurrentThreadCpuTime();
        for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
            megaflowsMax = Math.max(megaflowsMax, runFor(pmd, dp, Math.min(PerSecond.SLICE_NS, end - now)));
            stats.snapshot(scratch);
            long packets1 = scratch[PmdCounter.RX_PACKETS.id()];
            long cpu1 = threads.getCurrentThreadCpuTime();
            perSecond.record(packets1 - packets0, cpu1 - cpu0);
            packets0 = packets1;
            cpu0 = cpu1;
        }
        return megaflowsMax;
    }

    /** The rate the PMD forwards unpaced, over one second after the warm-up, in Mpps. */
    private static double unpacedMpps(PmdAgent pmd, Datapath dp, PmdStats stats, long[] before, long[] after) {
        stats.snapshot(before);
        long t0 = System.nanoTime();
        runFor(pmd, dp, 1_000_000_000L);
        long t1 = System.nanoTime();
        stats.snapshot(after);
        long packets = after[PmdCounter.RX_PACKETS.id()] - before[PmdCounter.RX_PACKETS.id()];
        return packets / ((t1 - t0) / 1e3);
    }

    /**
     * Runs on past the warm-up until the JIT has compiled nothing for {@link #JIT_QUIET_NS}
     * (at most {@link #JIT_WAIT_MAX_NS} more), so that the measured run uses the code the PMD
     * loop settles on. Without this a run that starts while C2 is still compiling the loop (the
     * compiler threads share a busy machine with everything else) measures part of its packets
     * in tier-3 code, several times slower, and reports a fraction of the usual rate.
     */
    private static void waitForJitQuiet(PmdAgent pmd, Datapath dp, java.lang.management.CompilationMXBean jit) {
        if (!jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + JIT_WAIT_MAX_NS;
        long quietSince = System.nanoTime();
        long compiled = jit.getTotalCompilationTime();
        while (System.nanoTime() - quietSince < JIT_QUIET_NS && System.nanoTime() < deadline) {
            runFor(pmd, dp, 50_000_000L);
            long now = jit.getTotalCompilationTime();
            if (now != compiled) {
                compiled = now;
                quietSince = System.nanoTime();
            }
        }
    }

    /** Steps the PMD for {@code ns}; returns the most megaflows seen at once (sampled every 256 steps). */
    private static int runFor(PmdAgent pmd, Datapath dp, long ns) {
        long deadline = System.nanoTime() + ns;
        int megaflowsMax = 0;
        while (true) {
            for (int i = 0; i < 256; i++) {
                pmd.doWork();
            }
            megaflowsMax = Math.max(megaflowsMax, dp.ukeys().size());
            if (System.nanoTime() >= deadline) {
                return megaflowsMax;
            }
        }
    }

    /**
     * The revalidators' figures over the measured run.
     *
     * @param megaflowsMax  most megaflows present at once
     * @param megaflowsEnd  megaflows at the end
     * @param dumpMsMax     longest revalidator dump
     * @param deletedIdle   flows deleted for idleness
     * @param deletedLimit  flows deleted because of the flow limit
     * @param deletedReval  flows deleted by revalidation
     * @param flowLimit     the dynamic flow limit at the end
     */
    record Reval(int megaflowsMax, int megaflowsEnd, long dumpMsMax, long deletedIdle, long deletedLimit,
                 long deletedReval, int flowLimit) {
    }

    /**
     * The measured part of a run: counter deltas, elapsed time and heap bytes allocated, and with
     * a probe its {@code latency} ({@code null} without).
     */
    record Result(long[] before, long[] after, long elapsedNs, long cpuNs, long heapBytes, int cpu, Reval reval,
                  double warmupSeconds, long jitMsDuringRun, LatencyResult latency, PerSecond perSecond) {
        long delta(PmdCounter c) {
            return after[c.id()] - before[c.id()];
        }

        long packets() {
            return delta(PmdCounter.RX_PACKETS);
        }

        double mpps() {
            return packets() / (elapsedNs / 1e9) / 1e6;
        }

        double nsPerPacket() {
            return packets() == 0 ? Double.NaN : (double) elapsedNs / packets();
        }

        /**
         * CPU time of the PMD thread per packet: what the packet path costs, without the time the
         * thread spent descheduled on a shared machine (wall-clock {@link #nsPerPacket} includes it).
         */
        double cpuNsPerPacket() {
            return packets() == 0 ? Double.NaN : (double) cpuNs / packets();
        }

        double heapBytesPerPacket() {
            return packets() == 0 ? Double.NaN : (double) heapBytes / packets();
        }

        double share(PmdCounter c) {
            long total = packets() + delta(PmdCounter.RECIRCULATIONS);
            return total == 0 ? 0 : 100.0 * delta(c) / total;
        }

        String toJson() {
            Json j = new Json()
                    .put("mpps", mpps())
                    .put("nsPerPacket", nsPerPacket())
                    .put("cpuNsPerPacket", cpuNsPerPacket())
                    .put("cpuShare", elapsedNs == 0 ? 0 : (double) cpuNs / elapsedNs)
                    .put("packets", packets())
                    .put("seconds", elapsedNs / 1e9)
                    .put("emcHits", delta(PmdCounter.EMC_HITS))
                    .put("smcHits", delta(PmdCounter.SMC_HITS))
                    .put("megaflowHits", delta(PmdCounter.MEGAFLOW_HITS))
                    .put("upcalls", delta(PmdCounter.UPCALL_OK))
                    .put("failedUpcalls", delta(PmdCounter.UPCALL_FAILED))
                    .put("recirculations", delta(PmdCounter.RECIRCULATIONS))
                    .put("txPackets", delta(PmdCounter.TX_PACKETS))
                    .put("heapBytesPerPacket", heapBytesPerPacket())
                    .put("heapBytes", heapBytes)
                    .put("megaflowsMax", reval.megaflowsMax())
                    .put("megaflowsEnd", reval.megaflowsEnd())
                    .put("revalidatorDumpMsMax", reval.dumpMsMax())
                    .put("flowsDeletedIdle", reval.deletedIdle())
                    .put("flowsDeletedLimit", reval.deletedLimit())
                    .put("flowsDeletedRevalidation", reval.deletedReval())
                    .put("flowLimit", reval.flowLimit())
                    .put("warmupSeconds", warmupSeconds)
                    .put("jitMsDuringRun", jitMsDuringRun)
                    .putRaw("cpuNsPerPacketPerSecond", perSecond.toJson());
            return (latency == null ? j : j.merge(latency.toJson())).toString();
        }

        String toText(Path pcap) {
            String text = String.format(Locale.ROOT,
                    "pipeline: %s -> 1 PMD%s -> null%n"
                            + "  packets:            %d in %.2f s%n"
                            + "  throughput:         %.3f Mpps (%.1f ns/packet; %.1f ns of PMD CPU time, %.0f%% of wall)%n"
                            + "  emc hits:           %d (%.1f%%)%n"
                            + "  smc hits:           %d (%.1f%%)%n"
                            + "  megaflow hits:      %d (%.1f%%)%n"
                            + "  upcalls:            %d ok, %d failed%n"
                            + "  tx packets:         %d%n"
                            + "  heap bytes/packet:  %.4f (%d bytes)%n"
                            + "  megaflows:          %d max, %d at the end (flow limit %d)%n"
                            + "  revalidators:       longest dump %d ms; deleted %d idle, %d by limit, %d by revalidation%n"
                            + "  warm-up:            %.1f s (until the JIT was quiet); JIT %d ms during the run",
                    pcap, cpu >= 0 ? " on cpu " + cpu : "",
                    packets(), elapsedNs / 1e9, mpps(), nsPerPacket(), cpuNsPerPacket(), 100.0 * cpuNs / elapsedNs,
                    delta(PmdCounter.EMC_HITS), share(PmdCounter.EMC_HITS),
                    delta(PmdCounter.SMC_HITS), share(PmdCounter.SMC_HITS),
                    delta(PmdCounter.MEGAFLOW_HITS), share(PmdCounter.MEGAFLOW_HITS),
                    delta(PmdCounter.UPCALL_OK), delta(PmdCounter.UPCALL_FAILED),
                    delta(PmdCounter.TX_PACKETS), heapBytesPerPacket(), heapBytes,
                    reval.megaflowsMax(), reval.megaflowsEnd(), reval.flowLimit(), reval.dumpMsMax(),
                    reval.deletedIdle(), reval.deletedLimit(), reval.deletedReval(), warmupSeconds, jitMsDuringRun);
            text = text + System.lineSeparator() + perSecond.toText();
            return latency == null ? text : text + System.lineSeparator() + latency.toText();
        }
    }
}
