package dev.jvswitch.bench.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.jvswitch.bench.cli.Json;
import dev.jvswitch.bench.cli.Percentiles;

/**
 * What one {@link TrafficRun} measured: sent and offered rate, and with a receiver the frames
 * received, lost, reordered and duplicated, and the one-way latency in µs. The JSON object is the
 * one {@code pktgen --json} prints and a throughput search nests per latency point; its field
 * names are a user contract.
 *
 * @param sent       frames handed to the kernel
 * @param seconds    how long the generator sent
 * @param skipped    frames a paced run gave up behind its schedule
 * @param ringFull   times the generator found its transmit ring full
 * @param received   the receiver's run, or {@code null} without one
 * @param rxRingDrops frames the receiver's own ring had no room for (its loss, not the network's)
 */
public record TrafficResult(TrafficRun.Plan plan, StampedFlows source, long sent, double seconds, long skipped,
        long ringFull, FlowReceiver.Run received, long rxRingDrops) {
    /** Flows listed one by one in the JSON at most. */
    static final int PER_FLOW_MAX = 64;

    public double offeredPps() {
        return seconds > 0 ? sent / seconds : 0;
    }

    /** Distinct stamped frames received. */
    public long receivedFrames() {
        return received == null ? 0 : received.tracker().uniqueReceived();
    }

    public double receivedPps() {
        return seconds > 0 ? receivedFrames() / seconds : 0;
    }

    /** Frames sent that never arrived. */
    public long lost() {
        return received == null ? 0 : received.tracker().lost(source);
    }

    /** Lost frames as a share of those sent, 0..1. */
    public double lossRatio() {
        return sent == 0 ? 0 : (double) lost() / sent;
    }

    /** min/p50/p90/p99/p99.9/p99.99/max/mean one-way latency in µs. */
    public Map<String, Double> latencyUs() {
        return received == null ? Map.of() : Percentiles.of(received.latencyNs(), 1_000.0, Percentiles.ONE_WAY);
    }

    /** The pace's error against the rate asked for, % (NaN flat out). */
    public double pacingErrorPct() {
        return plan.pps() > 0 ? 100.0 * (offeredPps() - plan.pps()) / plan.pps() : Double.NaN;
    }

    /** The figures as one JSON object (without the command's own settings). */
    public Json toJson() {
        Json j = new Json()
                .put("seconds", seconds)
                .put("requestedPps", plan.pps() > 0 ? plan.pps() : Double.NaN)
                .put("sent", sent)
                .put("offeredMpps", offeredPps() / 1e6)
                .put("pacingErrorPct", pacingErrorPct())
                .put("skipped", skipped)
                .put("ringFull", ringFull);
        if (received == null) {
            return j;
        }
        var t = received.tracker();
        j.put("received", receivedFrames())
                .put("receivedMpps", receivedPps() / 1e6)
                .put("lost", lost())
                .put("loss", lossRatio())
                .put("reordered", t.reordered())
                .put("duplicated", t.duplicated())
                .put("flowsWithLoss", t.flowsWithLoss(source))
                .put("foreign", received.foreignFrames())
                .put("rxRingDrops", rxRingDrops)
                .putRaw("latencyUs", Percentiles.json(latencyUs()));
        if (source.flows() <= PER_FLOW_MAX) {
            List<String> flows = new ArrayList<>();
            for (int f = 0; f < source.flows(); f++) {
                long got = t.uniqueReceived(f);
                flows.add(new Json().put("flow", f).put("sent", source.sent(f)).put("received", got)
                        .put("lost", Math.max(0, source.sent(f) - got)).put("reordered", t.reordered(f))
                        .put("duplicated", t.duplicated(f)).toString());
            }
            j.putRaw("perFlow", Json.array(flows));
        }
        return j;
    }

    /** The figures in two or three lines for a person. */
    public String toText() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "  sent %d frames in %.3f s: offered %.4f Mpps%s", sent, seconds, offeredPps() / 1e6,
                plan.pps() > 0 ? String.format(Locale.ROOT, " (asked %.4f, %+.2f %%; %d skipped)", plan.pps() / 1e6,
                        pacingErrorPct(), skipped) : " (flat out)"));
        if (received != null) {
            var t = received.tracker();
            Map<String, Double> l = latencyUs();
            sb.append(String.format(Locale.ROOT, "%n  received %d (%.4f Mpps): lost %d (%.4f %%), reordered %d,"
                    + " duplicated %d, receiver ring drops %d%n  one-way latency us: min %.1f p50 %.1f p90 %.1f"
                    + " p99 %.1f p99.9 %.1f p99.99 %.1f max %.1f", receivedFrames(), receivedPps() / 1e6, lost(),
                    100 * lossRatio(), t.reordered(), t.duplicated(), rxRingDrops, l.get("min"), l.get("p50"),
                    l.get("p90"), l.get("p99"), l.get("p99.9"), l.get("p99.99"), l.get("max")));
        }
        return sb.toString();
    }
}
