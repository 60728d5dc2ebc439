package dev.jvswitch.bench.pipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.bench.cli.Json;

/**
 * {@code jvs-bench pipeline --repeat N}: the same run N times, each in a JVM of its own, and the
 * median, least and greatest of its figures.
 *
 * <p>A fresh JVM per run, as JMH forks, because what varies from one run to the next on a quiet
 * machine is mostly the JIT's outcome (which methods were compiled in which order, so which were
 * inlined where), and that is decided once per JVM: repeating inside one JVM would repeat one
 * outcome. Each child gets this JVM's flags and class path and the command's own arguments with
 * {@code --json}; the runs go one after the other, never side by side.
 *
 * <p>The text report lists every run and then the spread; {@code --json} prints the fields of the
 * run with the median Mpps (the same fields as a single run), plus {@code repeat},
 * {@code mppsMedian}/{@code Min}/{@code Max}, {@code cpuNsPerPacketMedian}/{@code Min}/{@code Max}
 * and {@code runs}, the children's documents in order.
 */
public final class PipelineRepeat {
    private PipelineRepeat() {
    }

    /**
     * @param childArgs the arguments of one run (without {@code --repeat}; {@code --json} is added)
     */
    static int run(List<String> childArgs, int repeat, boolean json) throws IOException, InterruptedException {
        List<String> docs = new ArrayList<>(repeat);
        double[] mpps = new double[repeat];
        double[] cpuNs = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            String doc = runChild(childArgs);
            docs.add(doc);
            mpps[i] = number(doc, "mpps");
            cpuNs[i] = number(doc, "cpuNsPerPacket");
            if (!json) {
                System.out.printf(Locale.ROOT, "run %d of %d: %.3f Mpps, %.1f ns of PMD CPU time per packet"
                                + " (%.0f%% of wall), warm-up %.1f s, JIT %d ms during the run, load %.2f%n",
                        i + 1, repeat, mpps[i], cpuNs[i], 100 * number(doc, "cpuShare"), number(doc, "warmupSeconds"),
                        (long) number(doc, "jitMsDuringRun"),
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        }
        int medianRun = medianIndex(mpps);
        if (json) {
            String median = docs.get(medianRun);
            Json extra = new Json()
                    .put("repeat", repeat)
                    .put("mppsMedian", median(mpps))
                    .put("mppsMin", min(mpps))
                    .put("mppsMax", max(mpps))
                    .put("cpuNsPerPacketMedian", median(cpuNs))
                    .put("cpuNsPerPacketMin", min(cpuNs))
                    .put("cpuNsPerPacketMax", max(cpuNs))
                    .putRaw("runs", Json.array(docs));
            String e = extra.toString();
            System.out.println(median.substring(0, median.length() - 1) + "," + e.substring(1));
        } else {
            System.out.printf(Locale.ROOT, "pipeline: %d runs, each in its own JVM%n"
                            + "  Mpps:              median %.3f, min %.3f, max %.3f (max/min %.3f)%n"
                            + "  ns CPU per packet: median %.1f, min %.1f, max %.1f (max/min %.3f)%n",
                    repeat, median(mpps), min(mpps), max(mpps), max(mpps) / min(mpps),
                    median(cpuNs), min(cpuNs), max(cpuNs), max(cpuNs) / min(cpuNs));
        }
        return 0;
    }

    /** Runs one {@code pipeline} child JVM and returns its JSON line; its stderr passes through. */
    public static String runChild(List<String> childArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.jvswitch.bench.Main");
        cmd.add("pipeline");
        cmd.addAll(childArgs);
        if (!childArgs.contains("--json")) {
            cmd.add("--json");
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("{")) {
                    last = line;
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0 || last == null) {
            throw new Args.UsageException("pipeline --repeat: a run failed (exit " + rc + ")");
        }
        return last;
    }

    /** A numeric field of a one-line JSON object, NaN if absent. */
    public static double number(String doc, String key) {
        return Json.readNumber(doc, key);
    }

    /** The index of the median value (the lower of the two middle ones for an even count). */
    static int medianIndex(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        return order[(v.length - 1) / 2];
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
