package dev.jvswitch.bench.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.jvswitch.bench.cli.Json;

/**
 * The measured run cut into one-second slices, each with its packets and the PMD thread's CPU
 * time: whether a run's rate is steady, or changes part-way through (something else on the host),
 * or is steady at a different level from one JVM run to the next (something fixed when the JVM
 * started, such as where its memory landed).
 *
 * <p>Arrays are sized when the run starts, so recording a slice allocates nothing.
 *
 * <p><b>Thread-safety:</b> written and read by the thread that steps the PMD.
 */
final class PerSecond {
    static final long SLICE_NS = 1_000_000_000L;

    private final long[] packets;
    private final long[] cpuNs;
    private int slices;

    PerSecond(double seconds) {
        int n = (int) Math.ceil(seconds * 1e9 / SLICE_NS) + 1;
        packets = new long[n];
        cpuNs = new long[n];
    }

    /** Records one slice; slices past the expected count are folded into the last. */
    void record(long slicePackets, long sliceCpuNs) {
        int i = Math.min(slices, packets.length - 1);
        packets[i] += slicePackets;
        cpuNs[i] += sliceCpuNs;
        if (slices < packets.length) {
            slices++;
        }
    }

    int slices() {
        return slices;
    }

    /** CPU ns per packet of slice {@code i}, NaN for a slice without packets. */
    double cpuNsPerPacket(int i) {
        return packets[i] == 0 ? Double.NaN : (double) cpuNs[i] / packets[i];
    }

    /** The JSON array of per-slice CPU ns per packet, one decimal. */
    String toJson() {
        List<String> out = new ArrayList<>(slices);
        for (int i = 0; i < slices; i++) {
            double v = cpuNsPerPacket(i);
            out.add(Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.1f", v));
        }
        return Json.array(out);
    }

    /** One line for the text report: the lowest and highest slice. */
    String toText() {
        double lo = Double.NaN;
        double hi = Double.NaN;
        for (int i = 0; i < slices; i++) {
            double v = cpuNsPerPacket(i);
            if (!Double.isNaN(v)) {
                lo = Double.isNaN(lo) ? v : Math.min(lo, v);
                hi = Double.isNaN(hi) ? v : Math.max(hi, v);
            }
        }
        return String.format(Locale.ROOT, "  per second:         %.1f to %.1f ns of PMD CPU time per packet over %d slices",
                lo, hi, slices);
    }
}
