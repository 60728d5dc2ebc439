package dev.jvswitch.bench.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * The figures the tools print of a latency distribution: min, the percentiles asked for, max and
 * mean, scaled from the histogram's unit (e.g. ns to µs), keyed {@code min}, {@code p50},
 * {@code p99.9}, ..., {@code max}, {@code mean}; NaN (JSON null) for an empty histogram.
 */
public final class Percentiles {
    /** The percentiles of a one-way latency: min/p50/p90/p99/p99.9/p99.99/max. */
    public static final double[] ONE_WAY = {50, 90, 99, 99.9, 99.99};

    private Percentiles() {
    }

    /** The summary of {@code h}, each value divided by {@code unitsPerOutput}. */
    public static Map<String, Double> of(Histogram h, double unitsPerOutput, double... percentiles) {
        Map<String, Double> r = new LinkedHashMap<>();
        boolean any = h.getTotalCount() > 0;
        r.put("min", any ? h.getMinValue() / unitsPerOutput : Double.NaN);
        for (double p : percentiles) {
            r.put(key(p), any ? h.getValueAtPercentile(p) / unitsPerOutput : Double.NaN);
        }
        r.put("max", any ? h.getMaxValue() / unitsPerOutput : Double.NaN);
        r.put("mean", any ? h.getMean() / unitsPerOutput : Double.NaN);
        return r;
    }

    /** {@code p50}, {@code p99.9}: the percentile without trailing zeros. */
    static String key(double p) {
        String s = String.format(Locale.ROOT, "%.4f", p).replaceAll("0+$", "").replaceAll("\\.$", "");
        return "p" + s;
    }

    /** The summary as a JSON object. */
    public static String json(Map<String, Double> summary) {
        Json j = new Json();
        summary.forEach(j::put);
        return j.toString();
    }
}
