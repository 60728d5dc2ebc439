package dev.jvswitch.bench.compare;

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
import dev.jvswitch.bench.cli.Machine;
import dev.jvswitch.bench.cli.RunDirs;
import dev.jvswitch.bench.dut.DutKind;
import dev.jvswitch.bench.dut.DutOptions;
import dev.jvswitch.bench.dut.OvsDpdkPipeline;
import dev.jvswitch.bench.dut.Shell;
import dev.jvswitch.bench.dut.TestpmdPipeline;
import dev.jvswitch.bench.ndr.DutThroughput;
import dev.jvswitch.bench.ndr.NdrCommand;
import dev.jvswitch.bench.pcap.GenPcapCommand;
import dev.jvswitch.bench.pipeline.PipelineRepeat;

/**
 * {@code jvs-bench compare}: jvswitch side by side with the other switches on this machine, by
 * flow count. For each count:
 * <ol>
 *   <li><b>in memory</b> ({@code pipeline}): the same pcap of that many flows replayed through
 *       jvswitch's PMD to a null port, and through OVS-DPDK (net_pcap → one PMD → net_null, its
 *       PMD on the same CPU), each in a JVM or daemon of its own, one after the other (those of
 *       the {@code --dut} list: a jvswitch kind runs jvswitch's pipeline, an OVS-DPDK kind
 *       OVS-DPDK's), and through testpmd io (net_pcap → net_null, {@link TestpmdPipeline}: the
 *       I/O floor);</li>
 *   <li><b>through veths</b> ({@code ndr}): the throughput search and latency at fractions of NDR
 *       for every DUT asked for.</li>
 * </ol>
 * Writes {@code compare.csv}, {@code compare.json}, {@code throughput.png} and
 * {@code latency.png} into {@code --out}, and prints a table with each rate's ratio to jvswitch's.
 * A switch that is not installed is a row that says so and what to install ({@code --install}
 * installs it with apt-get).
 *
 * <p><b>Thread-safety:</b> the main thread drives; a {@link CleanupHook} removes what a signal
 * interrupts.
 */
public final class CompareCommand {
    public static final Set<String> OPTIONS = Set.of("flows", "rules", "out", "dut", "size", "trial", "loss", "precision",
            "max-trials", "warmup", "gen-cpu", "rx-cpu", "pmd-cpu", "pmd-idle", "jvswitchd", "hugepages",
            "latency-at", "pipeline-seconds", "pipeline-warmup", "replot");
    public static final Set<String> FLAGS = Set.of("install", "no-pipeline", "no-ndr", "json");
    /** What the comparison needs from Debian beyond jvswitch: OVS-DPDK, its drivers, testpmd. */
    static final List<String> PACKAGES = List.of("openvswitch-switch-dpdk", "dpdk-dev", "librte-net-pcap23",
            "librte-net-null23", "librte-net-af-packet23", "librte-net-af-xdp23", "librte-mempool-ring23",
            "librte-bus-vdev23");

    private CompareCommand() {
    }

    record Settings(List<Integer> flows, Path rules, Path out, List<DutKind> duts, DutOptions dut, Args args,
            double pipelineSeconds, double pipelineWarmup, boolean install, boolean pipeline, boolean ndr,
            boolean json) {
    }

    public static int run(String[] argv) throws Exception {
        return run(argv, System.out);
    }

    /** As {@link #run(String[])}, printing to {@code out}. */
    public static int run(String[] argv, PrintStream out) throws Exception {
        Args replot = Args.parse("compare", argv, OPTIONS, FLAGS);
        if (replot.string("replot", null) != null) {
            return replot(Path.of(replot.string("replot", null)), out);
        }
        Settings s = parse(argv);
        Files.createDirectories(s.out);
        if (s.install) {
            install(out);
        }
        Path runDir = Files.createTempDirectory("jvs-compare-");
        DutOptions options = s.dut.withRunDir(runDir);
        List<CompareRow> rows = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        boolean failed = false;
        out.printf(Locale.ROOT, "compare: flows %s; %d CPUs, load average %.2f, kernel %s; results in %s%n", s.flows,
                Machine.cpus(), Machine.loadAvg1(), Machine.kernel(), s.out);
        try (CleanupHook cleanup = CleanupHook.install("compare")) {
            for (int flows : s.flows) {
                if (s.pipeline) {
                    rows.addAll(pipeline(s, options, flows, out));
                }
                if (s.ndr) {
                    NdrCommand.Search search = NdrCommand.search("compare", s.args, flows);
                    for (DutKind kind : s.duts) {
                        out.printf(Locale.ROOT, "  %d flows, veth NDR: %s%n", flows, kind.label());
                        DutThroughput t = NdrCommand.measure(kind, options, search, cleanup, null);
                        failed |= t.error() != null;
                        rows.add(row(flows, t));
                        searches.add(new dev.jvswitch.bench.cli.Json().put("flows", flows).merge(t.toJson()).toString());
                    }
                }
            }
        } finally {
            RunDirs.removeUnlessFailed("compare", runDir, failed);
        }
        CompareReport.writeCsv(s.out.resolve("compare.csv"), rows);
        String json = CompareReport.json(rows, searches, s.flows);
        Files.writeString(s.out.resolve("compare.json"), json + "\n");
        List<Path> plots = Plots.write(s.out, rows, s.flows.get(0));
        CompareReport.printTable(out, rows, s.flows);
        out.printf(Locale.ROOT, "compare: wrote %s, %s, %s; load average %.2f%n", s.out.resolve("compare.csv"),
                s.out.resolve("compare.json"), plots, Machine.loadAvg1());
        if (s.json) {
            out.println(json);
        }
        return failed ? 1 : 0;
    }

    /** Draws the plots again from an earlier run's {@code compare.csv} in {@code dir}. */
    private static int replot(Path dir, PrintStream out) throws IOException {
        List<CompareRow> rows;
        try {
            rows = CompareReport.readCsv(dir.resolve("compare.csv"));
        } catch (IOException | RuntimeException e) {
            System.err.println("compare: --replot: " + e.getMessage());
            return 1;
        }
        int first = rows.isEmpty() ? 1 : rows.get(0).flows();
        out.println("compare: redrew " + Plots.write(dir, rows, first));
        return 0;
    }

    /** The in-memory rows of {@code flows}: jvswitch, OVS-DPDK, testpmd. */
    private static List<CompareRow> pipeline(Settings s, DutOptions options, int flows, PrintStream out)
            throws IOException, InterruptedException {
        List<CompareRow> rows = new ArrayList<>();
        Path pcap = s.out.resolve("flows-" + flows + ".pcap");
        int size = s.args.intValue("size", 64, 64, 1518);
        GenPcapCommand.write(pcap, flows, Math.max(flows, 1 << 16), size, false, -1);
        try {
            List<String> common = new ArrayList<>(List.of("--pcap", pcap.toString(), "--seconds",
                    Double.toString(s.pipelineSeconds), "--warmup", Double.toString(s.pipelineWarmup), "--pmd-cpu",
                    Integer.toString(Math.max(0, options.pmdCpu()))));
            if (s.rules != null) {
                common.addAll(List.of("--flows", s.rules.toString()));
            }
            if (s.duts.contains(DutKind.JVSWITCH) || s.duts.contains(DutKind.JVSWITCH_AFXDP)) {
                out.printf(Locale.ROOT, "  %d flows, in memory: jvswitch%n", flows);
                rows.add(child(flows, "jvswitch", common));
            }
            if (s.duts.contains(DutKind.OVS_DPDK) || s.duts.contains(DutKind.OVS_DPDK_AFXDP)) {
                String ovs = OvsDpdkPipeline.missing();
                if (ovs != null) {
                    rows.add(CompareRow.unavailable(flows, CompareRow.PIPELINE, "ovs-dpdk", ovs));
                } else {
                    out.printf(Locale.ROOT, "  %d flows, in memory: ovs-dpdk%n", flows);
                    List<String> args = new ArrayList<>(common);
                    args.addAll(List.of("--dut", "ovs-dpdk"));
                    rows.add(child(flows, "ovs-dpdk", args));
                }
            }
            if (s.duts.contains(DutKind.TESTPMD)) {
                String testpmd = TestpmdPipeline.missing();
                if (testpmd != null) {
                    rows.add(CompareRow.unavailable(flows, CompareRow.PIPELINE, "testpmd", testpmd));
                } else {
                    out.printf(Locale.ROOT, "  %d flows, in memory: testpmd io (the I/O floor)%n", flows);
                    rows.add(testpmd(flows, pcap, options.pmdCpu(), s));
                }
            }
        } finally {
            Files.deleteIfExists(pcap);
        }
        return rows;
    }

    private static CompareRow child(int flows, String dut, List<String> args) {
        try {
            String doc = PipelineRepeat.runChild(args);
            return new CompareRow(flows, CompareRow.PIPELINE, dut, "ok", null, PipelineRepeat.number(doc, "mpps"),
                    Double.NaN, PipelineRepeat.number(doc, "cpuNsPerPacket"), java.util.Map.of());
        } catch (IOException | RuntimeException e) {
            return CompareRow.failed(flows, CompareRow.PIPELINE, dut, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompareRow.failed(flows, CompareRow.PIPELINE, dut, "interrupted");
        }
    }

    /** net_pcap -> testpmd io -> net_null: no switching at all, the floor under every in-memory row. */
    private static CompareRow testpmd(int flows, Path pcap, int pmdCpu, Settings s) {
        try {
            TestpmdPipeline.Figures f = TestpmdPipeline.run(pcap, pmdCpu, s.pipelineWarmup, s.pipelineSeconds);
            return new CompareRow(flows, CompareRow.PIPELINE, "testpmd", "ok", null, f.mpps(), Double.NaN,
                    f.cpuNsPerPacket(), java.util.Map.of());
        } catch (IOException | RuntimeException e) {
            return CompareRow.failed(flows, CompareRow.PIPELINE, "testpmd", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompareRow.failed(flows, CompareRow.PIPELINE, "testpmd", "interrupted");
        }
    }

    private static CompareRow row(int flows, DutThroughput t) {
        if (t.unavailable() != null) {
            return CompareRow.unavailable(flows, CompareRow.VETH, t.dut(), t.unavailable());
        }
        if (t.error() != null) {
            return CompareRow.failed(flows, CompareRow.VETH, t.dut(), t.error());
        }
        var half = t.latencyAt(0.5);
        return new CompareRow(flows, CompareRow.VETH, t.dut(), "ok", null, t.ratePps(0) / 1e6, t.ratePps(0.005) / 1e6,
                Double.NaN, half == null ? java.util.Map.of() : half.latencyUs());
    }

    /** {@code apt-get install} of what the comparison needs (root). */
    private static void install(PrintStream out) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y", "--no-install-recommends"));
        cmd.addAll(PACKAGES);
        out.println("compare: " + String.join(" ", cmd));
        Shell.run(1800, cmd);
    }

    static Settings parse(String[] argv) {
        Args a = Args.parse("compare", argv, OPTIONS, FLAGS);
        List<Integer> flows = new ArrayList<>();
        for (String f : a.string("flows", "1,1000,100000,1000000").split(",")) {
            try {
                int n = Integer.parseInt(f.trim());
                if (n < 1 || n > 1_000_000) {
                    throw new NumberFormatException();
                }
                flows.add(n);
            } catch (NumberFormatException e) {
                throw new Args.UsageException("compare: --flows takes flow counts within 1..1000000 (comma-separated),"
                        + " got '" + f + "'");
            }
        }
        String rules = a.string("rules", null);
        if (rules != null && !Files.isReadable(Path.of(rules))) {
            throw new Args.UsageException("compare: --rules " + rules + ": no such readable file");
        }
        NdrCommand.search("compare", a, 1);
        return new Settings(flows, rules == null ? null : Path.of(rules), Path.of(a.string("out", "jvs-compare")),
                DutKind.parseList("compare", a.string("dut", "all"), DutKind.THROUGHPUT),
                NdrCommand.dutOptions("compare", a), a, a.doubleValue("pipeline-seconds", 3, 0.2, 600),
                a.doubleValue("pipeline-warmup", 2, 0, 600), a.flag("install"), !a.flag("no-pipeline"),
                !a.flag("no-ndr"), a.flag("json"));
    }
}
