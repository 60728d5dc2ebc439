package dev.jvswitch.bench.pipeline;

import java.util.Locale;
import java.util.Map;

import dev.jvswitch.bench.cli.JvmPauses;
import dev.jvswitch.bench.cli.Json;
import dev.jvswitch.bench.cli.Percentiles;

/**
 * What {@code pipeline --latency} adds to the pipeline's figures: the pace, the latency from
 * arrival at the pcap port to the null port, the PMD loop's stalls, and the JVM's collections and
 * safepoints during the measured run (the goal is no collection at all).
 *
 * @param probe         the probe's figures ({@link PipelineLatency})
 * @param autoRate      true when the rate was chosen as {@link #AUTO_FRACTION} of the unpaced rate
 * @param unpacedMpps   that unpaced rate (NaN when the rate was given)
 * @param pauses        GC and safepoints over the measured run
 */
record LatencyResult(PipelineLatency.Figures probe, boolean autoRate, double unpacedMpps, JvmPauses pauses) {
    /** Without {@code --rate}: half of what the PMD forwards unpaced, as a load that leaves it idle time. */
    static final double AUTO_FRACTION = 0.5;

    Map<String, Double> latencyUs() {
        return Percentiles.of(probe.latencyNs(), 1_000.0, Percentiles.ONE_WAY);
    }

    /** The fields added to the pipeline's JSON. */
    Json toJson() {
        return new Json()
                .put("ratePps", probe.ratePps())
                .put("rateAuto", autoRate)
                .put("unpacedMpps", unpacedMpps)
                .putRaw("latencyUs", Percentiles.json(latencyUs()))
                .put("latencySamples", probe.latencyNs().getTotalCount())
                .put("rxMissed", probe.missed())
                .put("unstamped", probe.unstamped())
                .put("latencyClamped", probe.clamped())
                .put("pmdStallMaxUs", probe.maxGapNs() / 1e3)
                .put("pmdStalls", probe.stalls())
                .put("pmdStalledMs", probe.stalledNs() / 1e6)
                .merge(pauses.toJson());
    }

    /** The lines added to the pipeline's text report. */
    String toText() {
        Map<String, Double> us = latencyUs();
        String rate = probe.ratePps() == 0 ? "unpaced (a full batch at every poll)"
                : String.format(Locale.ROOT, "%.0f pps%s", probe.ratePps(), autoRate
                        ? String.format(Locale.ROOT, " (%.0f %% of the %.3f Mpps forwarded unpaced in warm-up;"
                                + " --rate to choose)", AUTO_FRACTION * 100, unpacedMpps) : "");
        return String.format(Locale.ROOT,
                "  rate:               %s%n"
                        + "  latency (us):       min %.2f  p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  p99.99 %.2f"
                        + "  max %.2f (%d frames)%n"
                        + "  rx ring (%d):     %d frames missed; %d unstamped%n"
                        + "  PMD stalls:         longest gap between polls %.1f us; %d over %d us, %.2f ms in all%n"
                        + "  GC:                 %d collections, %d ms (%s); safepoints %s",
                rate, us.get("min"), us.get("p50"), us.get("p90"), us.get("p99"), us.get("p99.9"), us.get("p99.99"),
                us.get("max"), probe.latencyNs().getTotalCount(), PipelineLatency.RX_RING, probe.missed(),
                probe.unstamped(), probe.maxGapNs() / 1e3, probe.stalls(), PipelineLatency.STALL_NS / 1000,
                probe.stalledNs() / 1e6, pauses.gcEvents(), pauses.gcMs(), String.join(", ", pauses.collectors()),
                pauses.safepoints() < 0 ? "unknown (needs --add-exports java.management/sun.management)"
                        : pauses.safepoints() + ", " + pauses.safepointMs() + " ms");
    }
}
