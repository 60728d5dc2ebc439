package dev.jvswitch.bench.latency;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

import dev.jvswitch.bench.cli.Json;

/**
 * What one phase of a latency run measured: the probes' RTT distribution, the background load,
 * the DUT's CPU use and its own counters, and the machine's load average.
 *
 * @param phase           {@code idle} or {@code load}
 * @param loadFraction    the share of the forwarding rate offered as background load (0 when idle)
 * @param forwardingPps   what the DUT forwarded h1 → h2 with the generator flat out (0 when idle)
 * @param offeredLoadPps  the paced rate asked for
 * @param achievedLoadPps background frames that reached h2 per second during the probes
 * @param probes          what {@link PingProbe} measured
 * @param dutCpuPct       CPU the DUT's processes used, % of one CPU (-1: no process)
 * @param dutCounters     the DUT's own view (e.g. PMD idle %), as it printed it
 * @param loadAvg1        the machine's 1-minute load average at the end of the phase
 */
record PhaseResult(String phase, double loadFraction, double forwardingPps, double offeredLoadPps,
        double achievedLoadPps, PingProbe.Result probes, double dutCpuPct, Map<String, String> dutCounters,
        double loadAvg1) {

    /** min, p50, p90, p99, p99.9, max and mean RTT in µs. */
    Map<String, Double> rttUs() {
        Histogram h = probes.rttUs();
        Map<String, Double> r = new LinkedHashMap<>();
        boolean any = h.getTotalCount() > 0;
        r.put("min", any ? (double) h.getMinValue() : Double.NaN);
        r.put("p50", any ? (double) h.getValueAtPercentile(50) : Double.NaN);
        r.put("p90", any ? (double) h.getValueAtPercentile(90) : Double.NaN);
        r.put("p99", any ? (double) h.getValueAtPercentile(99) : Double.NaN);
        r.put("p99.9", any ? (double) h.getValueAtPercentile(99.9) : Double.NaN);
        r.put("max", any ? (double) h.getMaxValue() : Double.NaN);
        r.put("mean", any ? h.getMean() : Double.NaN);
        return r;
    }

    String toJson() {
        Json rtt = new Json();
        rttUs().forEach(rtt::put);
        Json j = new Json()
                .put("phase", phase)
                .put("loadFraction", loadFraction)
                .put("forwardingPps", forwardingPps)
                .put("offeredLoadPps", offeredLoadPps)
                .put("achievedLoadPps", achievedLoadPps)
                .put("probes", probes.sent())
                .put("replies", probes.replies())
                .put("lost", probes.lost())
                .putRaw("rttUs", rtt.toString())
                .put("dutCpuPct", dutCpuPct)
                .putRaw("dutCounters", Json.object(dutCounters))
                .put("loadAvg1", loadAvg1);
        return j.toString();
    }

    String toText() {
        Map<String, Double> r = rttUs();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "    %-5s %5d/%d replies  RTT us: min %s  p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  (mean %.1f)",
                phase, probes.replies(), probes.sent(), us(r.get("min")), us(r.get("p50")), us(r.get("p90")),
                us(r.get("p99")), us(r.get("p99.9")), us(r.get("max")), r.get("mean")));
        if (phase.equals("load")) {
            sb.append(String.format(Locale.ROOT, "%n          load %.2f x %.0f pps forwarding rate = %.0f pps offered,"
                    + " %.0f pps reached h2", loadFraction, forwardingPps, offeredLoadPps, achievedLoadPps));
        }
        sb.append(String.format(Locale.ROOT, "%n          DUT CPU %s%s; load average %.2f",
                dutCpuPct < 0 ? "n/a (kernel)" : String.format(Locale.ROOT, "%.0f %%", dutCpuPct),
                dutCounters.isEmpty() ? "" : "; " + dutCounters, loadAvg1));
        return sb.toString();
    }

    private static String us(double v) {
        return Double.isNaN(v) ? "-" : Long.toString(Math.round(v));
    }
}
