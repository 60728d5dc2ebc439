package dev.jvswitch.bench.tables;

import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.bench.cli.Json;
import dev.jvswitch.config.LineWorkers;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.ModResult;
import dev.jvswitch.ofproto.syntax.FlowSyntax;

/**
 * {@code jvs-bench table-bench} (or {@code tables}): what it costs to load, replace and delete large OpenFlow rule
 * sets, the way the daemon does it (ovs-ofctl text parsed to flow mods, then one
 * {@link Ofproto#replaceFlows} per reload, {@link Ofproto#apply} for {@code del-flows}).
 *
 * <p>For each size it prints (wall time, and the CPU time of the process during the step less the
 * probe threads', so the parallel parts, GC and JIT included: the figure to compare on a shared
 * machine): the parse time of the text, on one thread and as the
 * daemon parses a config's lines (in chunks on {@link LineWorkers#threads()} threads); the time of a load into empty tables;
 * of a replace by the identical set, by a set whose rules differ in 10 % (other actions), by a
 * set whose every rule has other actions, by a disjoint set (every rule in a new slot: all
 * deleted, as many added); of a non-strict delete that selects about half the rules; of a delete
 * of everything; and the live heap per rule after the load (tables alone, after a full GC). Each
 * change also reports the GC time spent in it, the peak heap while it ran (the sum of the heap
 * pools' peaks: an upper bound that counts garbage not yet collected), the bytes the changing thread
 * allocated per rule (for the parse, its garbage per line) and, from two probe threads, the longest a
 * translation (what a PMD's upcall does) and a rule-expiry pass (what a revalidator does at the
 * end of each cycle) took while the change ran: the datapath and the revalidators must not wait
 * for a change.
 *
 * <p>Run it with a heap large enough for two versions of the largest set (the default of a
 * quarter of the machine's memory is, on any machine that can hold them).
 */
public final class TableBenchCommand {
    public static final Set<String> OPTIONS = Set.of("rules", "shape");
    public static final Set<String> FLAGS = Set.of("json", "no-probe");
    static final String BRIDGE = "br0";
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private TableBenchCommand() {
    }

    public static int run(String[] argv) throws Exception {
        return run(argv, System.out);
    }

    /** Measures each size of {@code argv} and prints one figure block (or JSON line) per size to {@code out}. */
    static int run(String[] argv, PrintStream out) throws InterruptedException {
        Args args = Args.parse("table-bench", argv, OPTIONS, FLAGS);
        List<Integer> sizes = new ArrayList<>();
        for (String s : args.string("rules", "100000,1000000").split(",")) {
            try {
                int n = Integer.parseInt(s.trim().replace("_", ""));
                if (n < 10 || n > 4_000_000) {
                    throw new NumberFormatException();
                }
                sizes.add(n);
            } catch (NumberFormatException e) {
                throw new Args.UsageException("table-bench: --rules: '" + s + "' is not a count within 10..4000000");
            }
        }
        List<RuleShapes> shapes = new ArrayList<>();
        for (String s : args.string("shape", "5tuple").split(",")) {
            RuleShapes shape = RuleShapes.byLabel(s.trim());
            if (shape == null) {
                throw new Args.UsageException("table-bench: --shape: '" + s + "' is not 5tuple or multi-table");
            }
            shapes.add(shape);
        }
        boolean json = args.flag("json");
        boolean probe = !args.flag("no-probe");
        for (RuleShapes shape : shapes) {
            for (int n : sizes) {
                Figures f = measure(shape, n, probe);
                out.println(json ? f.toJson() : f.toText());
            }
        }
        return 0;
    }

    // ------------------------------------------------------------------ one size

    /** One row per step: its time, GC time and the probes' longest waits. */
    record Step(String name, double ms, double cpuMs, double gcMs, long peakHeapBytes, int added, int deleted,
                double xlateMaxMs, double expireMaxMs, long allocBytesPerRule) {
        String toJson() {
            return new Json().put("step", name).put("ms", ms).put("cpuMs", cpuMs).put("gcMs", gcMs)
                    .put("peakHeapBytes", peakHeapBytes).put("allocBytesPerRule", allocBytesPerRule)
                    .put("added", added).put("deleted", deleted)
                    .put("xlateMaxMs", xlateMaxMs).put("expireMaxMs", expireMaxMs).toString();
        }
    }

    record Figures(String shape, int rules, long heapBytesPerRule, List<Step> steps) {
        String toJson() {
            List<String> s = new ArrayList<>();
            for (Step st : steps) {
                s.add(st.toJson());
            }
            return new Json().put("test", "table-bench").put("shape", shape).put("rules", rules)
                    .put("heapBytesPerRule", heapBytesPerRule).putRaw("steps", Json.array(s)).toString();
        }

        String toText() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "table-bench %s, %d rules: live heap %d bytes per rule%n", shape, rules, heapBytesPerRule));
            for (Step st : steps) {
                sb.append(String.format(Locale.ROOT,
                        "  %-17s %9.1f ms  (cpu %9.1f ms, gc %7.1f ms, peak heap %6d MB, alloc %5d B/rule;"
                                + " +%d -%d; longest xlate %.1f ms, expiry pass %.1f ms)%n",
                        st.name, st.ms, st.cpuMs, st.gcMs, st.peakHeapBytes >> 20, st.allocBytesPerRule, st.added,
                        st.deleted, st.xlateMaxMs, st.expireMaxMs));
            }
            return sb.toString().stripTrailing();
        }
    }

    static Figures measure(RuleShapes shape, int n, boolean probe) throws InterruptedException {
        List<Step> steps = new ArrayList<>();
        long baseline = liveHeap();
        Ofproto ofproto = new Ofproto();
        ofproto.addBridge(new BridgeConfig(BRIDGE, List.of(OfPort.trunk(1, 1, "p1"), OfPort.trunk(2, 2, "p2"))));

        List<String> lines = lines(n, i -> shape.line(i, 0));
        System.gc();
        resetPeakHeap();
        long gc0 = gcMs();
        long cpu0 = processCpuNs();
        long alloc0 = allocated();
        long t0 = System.nanoTime();
        List<FlowMod> mods = parse(lines);
        steps.add(new Step("parse", ms(t0), (processCpuNs() - cpu0) / 1e6, gcMs() - gc0, peakHeap(),
                0, 0, 0, 0, (allocated() - alloc0) / n));
        steps.add(parallelParse(lines, mods));
        lines = null;
        steps.add(change("load", n, ofproto, probe, () -> ofproto.replaceFlows(BRIDGE, mods)));
        mods.clear();
        long heapPerRule = (liveHeap() - baseline) / n;

        List<FlowMod> same = parse(n, i -> shape.line(i, 0));
        steps.add(change("replace-identical", n, ofproto, probe, () -> ofproto.replaceFlows(BRIDGE, same)));
        same.clear();
        List<FlowMod> tenth = parse(n, i -> shape.line(i, i % 10 == 0 ? 1 : 0));
        steps.add(change("replace-10%", n, ofproto, probe, () -> ofproto.replaceFlows(BRIDGE, tenth)));
        tenth.clear();
        List<FlowMod> all = parse(n, i -> shape.line(i, 2));
        steps.add(change("replace-all", n, ofproto, probe, () -> ofproto.replaceFlows(BRIDGE, all)));
        all.clear();
        List<FlowMod> disjoint = parse(n, shape::moved);
        steps.add(change("replace-disjoint", n, ofproto, probe, () -> ofproto.replaceFlows(BRIDGE, disjoint)));
        disjoint.clear();
        FlowMod filter = FlowSyntax.parseDelete(shape == RuleShapes.FIVE_TUPLE ? "tcp,nw_dst=172.16.0.0/13" : "table=1,udp");
        steps.add(change("delete-filter", n, ofproto, probe, () -> ofproto.apply(BRIDGE, filter)));
        steps.add(change("delete-all", n, ofproto, probe, () -> ofproto.apply(BRIDGE, FlowMod.deleteAll())));
        return new Figures(shape.label, n, heapPerRule, steps);
    }

    private static List<FlowMod> parse(int n, IntFunction<String> line) {
        return parse(lines(n, line));
    }

    private static List<String> lines(int n, IntFunction<String> line) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(line.apply(i));
        }
        return out;
    }

    /**
     * The lines parsed as the daemon parses a config's: in chunks on the calling thread and
     * {@link LineWorkers#threads()} - 1 workers (the CPU time and the allocation are those of all of
     * them). The result must equal the one-thread parse.
     */
    private static Step parallelParse(List<String> lines, List<FlowMod> expected) {
        int n = lines.size();
        System.gc();
        resetPeakHeap();
        long gc0 = gcMs();
        long cpu0 = processCpuNs();
        AtomicLong alloc = new AtomicLong();
        long t0 = System.nanoTime();
        FlowMod[] out = new FlowMod[n];
        LineWorkers.forEachChunk(n, (from, to) -> {
            long a0 = allocated();
            for (int i = from; i < to; i++) {
                out[i] = FlowSyntax.parseAdd(lines.get(i));
            }
            alloc.addAndGet(allocated() - a0);
        });
        Step s = new Step("parse-parallel", ms(t0), (processCpuNs() - cpu0) / 1e6, gcMs() - gc0,
                peakHeap(), 0, 0, 0, 0, alloc.get() / n);
        if (!Arrays.asList(out).equals(expected)) {
            throw new IllegalStateException("the parallel parse differs from the one-thread parse");
        }
        return s;
    }

    /** The daemon's way: each line to a flow mod. */
    private static List<FlowMod> parse(List<String> lines) {
        List<FlowMod> out = new ArrayList<>(lines.size());
        for (String l : lines) {
            out.add(FlowSyntax.parseAdd(l));
        }
        return out;
    }

    private interface Change {
        ModResult run();
    }

    /** One change of a set of {@code n} rules; its allocation is counted per rule of the set. */
    private static Step change(String name, int n, Ofproto ofproto, boolean probe, Change c)
            throws InterruptedException {
        System.gc();
        Probes p = probe ? Probes.start(ofproto) : null;
        resetPeakHeap();
        long gc0 = gcMs();
        long probe0 = p == null ? 0 : p.cpuNs();
        long cpu0 = processCpuNs();
        long alloc0 = allocated();
        long t0 = System.nanoTime();
        ModResult r = c.run();
        double ms = ms(t0);
        long cpu = processCpuNs() - cpu0;
        // The change's own: every thread of the process (its parallel steps, GC, JIT) but the probes.
        double cpuMs = Math.max(0, cpu - (p == null ? 0 : p.cpuNs() - probe0)) / 1e6;
        long gc = gcMs() - gc0;
        long peak = peakHeap();
        double[] waits = p == null ? new double[2] : p.stop();
        return new Step(name, ms, cpuMs, gc, peak, r.flowsAdded() + r.flowsModified(), r.flowsDeleted(), waits[0],
                waits[1], (allocated() - alloc0) / n);
    }

    /**
     * CPU time of the whole process so far: a change runs parts in parallel (the replace's first
     * step on up to 4 threads, the parse's chunks) and makes the collector work, all of which the
     * calling thread's own time left out. The JDK reads it in clock ticks (10 ms here): fine for
     * the steps of large sets this is for.
     */
    private static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Bytes this thread allocated so far. */
    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) CPU).getCurrentThreadAllocatedBytes();
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    private static long gcMs() {
        long sum = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, b.getCollectionTime());
        }
        return sum;
    }

    private static void resetPeakHeap() {
        for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) {
            if (b.getType() == MemoryType.HEAP) {
                b.resetPeakUsage();
            }
        }
    }

    /** The heap pools' peaks since {@link #resetPeakHeap()}, summed (they need not peak at once). */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) {
            if (b.getType() == MemoryType.HEAP && b.getPeakUsage() != null) {
                sum += b.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** Heap in use after full collections (System.gc() is a full, stop-the-world GC with G1's defaults). */
    static long liveHeap() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Runtime rt = Runtime.getRuntime();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
