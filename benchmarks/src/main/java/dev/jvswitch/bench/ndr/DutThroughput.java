package dev.jvswitch.bench.ndr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.jvswitch.bench.cli.Json;
import dev.jvswitch.bench.traffic.TrafficResult;

/**
 * What the throughput search measured through one switch under test: NDR and PDR (or why the DUT
 * could not run), the generator's ceiling, every trial, and the one-way latency at fractions of
 * NDR. Its JSON object is an element of {@code ndr --json}'s {@code runs} and of
 * {@code compare}'s output; the field names are a user contract.
 *
 * @param dut               the DUT's label
 * @param settings          what tells this run apart ({@code Dut#settings})
 * @param unavailable       why the DUT is not installed here, or {@code null}
 * @param error             what made the run fail, or {@code null}
 * @param ceilingPps        the generator's ceiling into this DUT (NaN before it was measured)
 * @param search            the search, or {@code null} if it did not run
 * @param latency           one-way latency runs at fractions of NDR
 * @param loadAvg1          the machine's load average at the end
 */
public record DutThroughput(String dut, Map<String, String> settings, String unavailable, String error,
        double ceilingPps, RateSearch.Result search, List<LatencyPoint> latency, double loadAvg1) {

    /** One latency run at {@code fraction} of NDR. */
    public record LatencyPoint(double fraction, TrafficResult result) {
    }

    /** The rate meeting loss ratio {@code loss}, pps; NaN if the search did not find it. */
    public double ratePps(double loss) {
        if (search == null) {
            return Double.NaN;
        }
        for (RateSearch.Bound b : search.bounds()) {
            if (b.lossRatio() == loss) {
                return b.pps();
            }
        }
        return Double.NaN;
    }

    /** The latency run at {@code fraction} of NDR, or {@code null}. */
    public TrafficResult latencyAt(double fraction) {
        for (LatencyPoint p : latency) {
            if (p.fraction() == fraction) {
                return p.result();
            }
        }
        return null;
    }

    public Json toJson() {
        Json j = new Json().put("dut", dut).putRaw("settings", Json.object(settings)).put("available", unavailable == null);
        if (unavailable != null) {
            j.put("reason", unavailable);
        }
        if (error != null) {
            j.put("error", error);
        }
        j.put("generatorCeilingMpps", ceilingPps / 1e6)
                .put("ndrMpps", ratePps(0) / 1e6)
                .put("pdrMpps", ratePps(0.005) / 1e6);
        if (search != null) {
            List<String> bounds = new ArrayList<>();
            for (RateSearch.Bound b : search.bounds()) {
                bounds.add(new Json().put("loss", b.lossRatio()).put("mpps", b.pps() / 1e6)
                        .put("upperMpps", b.upperPps() / 1e6).put("generatorBound", b.generatorBound()).toString());
            }
            List<String> trials = new ArrayList<>();
            for (RateSearch.Outcome o : search.trials()) {
                trials.add(new Json().put("mpps", o.pps() / 1e6).put("offeredMpps", o.offeredPps() / 1e6)
                        .put("loss", o.lossRatio()).toString());
            }
            j.putRaw("results", Json.array(bounds)).putRaw("trials", Json.array(trials));
        }
        List<String> points = new ArrayList<>();
        for (LatencyPoint p : latency) {
            points.add(new Json().put("fractionOfNdr", p.fraction()).merge(p.result().toJson()).toString());
        }
        return j.putRaw("latency", Json.array(points)).put("loadAvg1", loadAvg1);
    }

    public String toText() {
        StringBuilder sb = new StringBuilder("  " + dut + " " + settings);
        if (unavailable != null) {
            return sb.append("\n    not available: ").append(unavailable).toString();
        }
        if (search != null) {
            for (RateSearch.Bound b : search.bounds()) {
                sb.append(String.format(Locale.ROOT, "%n    %s (loss <= %.1f %%): %.4f Mpps%s", b.lossRatio() == 0 ? "NDR"
                        : "PDR", 100 * b.lossRatio(), b.pps() / 1e6, b.generatorBound() ? " (the generator's ceiling:"
                        + " the DUT may forward more)" : Double.isNaN(b.upperPps()) ? "" : String.format(Locale.ROOT,
                        ", fails at %.4f", b.upperPps() / 1e6)));
            }
            sb.append(String.format(Locale.ROOT, "%n    generator ceiling %.4f Mpps; %d trials", ceilingPps / 1e6,
                    search.trials().size()));
        }
        for (LatencyPoint p : latency) {
            Map<String, Double> l = p.result().latencyUs();
            sb.append(String.format(Locale.ROOT, "%n    at %3.0f %% of NDR (%.4f Mpps): lost %d, one-way us min %.1f"
                    + " p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f p99.99 %.1f max %.1f", 100 * p.fraction(),
                    p.result().offeredPps() / 1e6, p.result().lost(), l.get("min"), l.get("p50"), l.get("p90"),
                    l.get("p99"), l.get("p99.9"), l.get("p99.99"), l.get("max")));
        }
        if (error != null) {
            sb.append("\n    failed: ").append(error);
        }
        return sb.append(String.format(Locale.ROOT, "%n    load average %.2f", loadAvg1)).toString();
    }
}
