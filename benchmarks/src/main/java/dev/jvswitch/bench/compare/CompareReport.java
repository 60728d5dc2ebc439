package dev.jvswitch.bench.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.jvswitch.bench.cli.Json;
import dev.jvswitch.bench.cli.Machine;

/**
 * Writes a comparison out: {@code compare.csv} (a row per DUT, flow count and stage),
 * {@code compare.json} (the same rows, the machine, and each search's whole result), and the
 * table a person reads, with each DUT's rate as a ratio to jvswitch's in the same stage.
 */
final class CompareReport {
    static final String CSV_HEADER = "flows,stage,dut,status,mpps,pdr_mpps,cpu_ns_per_packet,p50_us,p90_us,p99_us,"
            + "p99_9_us,max_us,note";
    private static final String REFERENCE = "jvswitch";

    private CompareReport() {
    }

    static void writeCsv(Path file, List<CompareRow> rows) throws IOException {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (CompareRow r : rows) {
            sb.append(r.flows()).append(',').append(r.stage()).append(',').append(r.dut()).append(',')
                    .append(r.status()).append(',').append(num(r.mpps())).append(',').append(num(r.pdrMpps()))
                    .append(',').append(num(r.cpuNsPerPacket())).append(',').append(num(r.latency("p50")))
                    .append(',').append(num(r.latency("p90"))).append(',').append(num(r.latency("p99")))
                    .append(',').append(num(r.latency("p99.9"))).append(',').append(num(r.latency("max")))
                    .append(',').append(r.note() == null ? "" : '"' + r.note().replace("\"", "\"\"") + '"')
                    .append('\n');
        }
        Files.writeString(file, sb);
    }

    /**
     * The rows of a {@code compare.csv} this class wrote (for {@code --replot}): the figures, the
     * latency percentiles that were written, the status and note.
     */
    static List<CompareRow> readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || !lines.get(0).equals(CSV_HEADER)) {
            throw new IOException(file + ": not a compare.csv (its first line is not the expected header)");
        }
        List<CompareRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", 13);
            if (f.length < 12) {
                throw new IOException(file + ":" + (i + 1) + ": expected 13 fields, found " + f.length);
            }
            java.util.Map<String, Double> latency = new java.util.LinkedHashMap<>();
            String[] keys = {"p50", "p90", "p99", "p99.9", "max"};
            for (int k = 0; k < keys.length; k++) {
                if (!f[7 + k].isEmpty()) {
                    latency.put(keys[k], Double.parseDouble(f[7 + k]));
                }
            }
            String note = f.length > 12 && !f[12].isEmpty() ? f[12].replaceAll("^\"|\"$", "").replace("\"\"", "\"")
                    : null;
            rows.add(new CompareRow(Integer.parseInt(f[0]), f[1], f[2], f[3], note, parse(f[4]), parse(f[5]),
                    parse(f[6]), latency));
        }
        return rows;
    }

    private static double parse(String v) {
        return v.isEmpty() ? Double.NaN : Double.parseDouble(v);
    }

    static String json(List<CompareRow> rows, List<String> searches, List<Integer> flowCounts) {
        List<String> r = new ArrayList<>();
        for (CompareRow row : rows) {
            r.add(row.toJson().toString());
        }
        List<String> flows = new ArrayList<>();
        for (int f : flowCounts) {
            flows.add(Integer.toString(f));
        }
        return new Json().put("command", "compare").put("cpus", Machine.cpus()).put("kernel", Machine.kernel())
                .putRaw("flows", Json.array(flows)).putRaw("rows", Json.array(r)).putRaw("searches", Json.array(searches))
                .put("loadAvg1End", Machine.loadAvg1()).toString();
    }

    /** One line per flow count and stage: each DUT's Mpps and its ratio to jvswitch's. */
    static void printTable(PrintStream out, List<CompareRow> rows, List<Integer> flowCounts) {
        out.printf(Locale.ROOT, "%-9s %-9s %-16s %10s %10s %10s %10s  %s%n", "flows", "stage", "dut", "Mpps",
                "PDR Mpps", "x jvswitch", "p99 us", "");
        for (int flows : flowCounts) {
            for (String stage : new String[] {CompareRow.PIPELINE, CompareRow.VETH}) {
                double ref = Double.NaN;
                for (CompareRow r : rows) {
                    if (r.flows() == flows && r.stage().equals(stage) && r.dut().equals(REFERENCE) && r.ok()) {
                        ref = r.mpps();
                    }
                }
                for (CompareRow r : rows) {
                    if (r.flows() != flows || !r.stage().equals(stage)) {
                        continue;
                    }
                    out.printf(Locale.ROOT, "%-9d %-9s %-16s %10s %10s %10s %10s  %s%n", flows, stage, r.dut(),
                            fmt(r.mpps(), 4), fmt(r.pdrMpps(), 4), ref > 0 && r.ok() ? fmt(r.mpps() / ref, 2) : "-",
                            fmt(r.latency("p99"), 1), r.ok() ? "" : r.status() + ": " + r.note());
                }
            }
        }
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }

    private static String fmt(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "-";
    }
}
