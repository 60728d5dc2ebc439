package dev.jvswitch.bench.ndr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import dev.jvswitch.bench.traffic.FlowReceiver;
import dev.jvswitch.bench.traffic.FrameTemplate;
import dev.jvswitch.bench.traffic.SeqTracker;
import dev.jvswitch.bench.traffic.StampedFlows;
import dev.jvswitch.bench.traffic.TrafficResult;
import dev.jvswitch.bench.traffic.TrafficRun;

/** The JSON of a search's result and of a traffic run: every field a user's script reads, in order. */
class DutThroughputJsonTest {
    private static TrafficResult traffic() {
        FrameTemplate t = new FrameTemplate(new FrameTemplate.FrameSpec(64, false, -1, -1, 1, 2, "10.1.0.1"));
        StampedFlows sent = new StampedFlows(t, 2, 9);
        SeqTracker tracker = new SeqTracker(2);
        Histogram h = new Histogram(FlowReceiver.HIGHEST_NS, 3);
        for (int i = 0; i < 10; i++) {
            sent.commit();
        }
        for (int seq = 0; seq < 5; seq++) {
            if (seq != 3) {
                tracker.onFrame(0, seq);
                h.recordValue(10_000 + seq * 1_000);
            }
            tracker.onFrame(1, seq);
            h.recordValue(20_000);
        }
        TrafficRun.Plan plan = new TrafficRun.Plan(t, 2, 1_000, 32, 0.01, -1, 1_000_000);
        return new TrafficResult(plan, sent, 10, 0.01, 0, 0, new FlowReceiver.Run(9, tracker, h, new long[] {3}), 0);
    }

    @Test
    void aTrafficRunsJsonHasTheCountsLossAndLatencyInMicroseconds() {
        String json = traffic().toJson().toString();
        assertThat(json).startsWith("{\"seconds\":0.0100000,\"requestedPps\":1000.00,\"sent\":10,\"offeredMpps\":0.00100000,"
                + "\"pacingErrorPct\":0.00000,\"skipped\":0,\"ringFull\":0,\"received\":9,\"receivedMpps\":0.000900000,"
                + "\"lost\":1,\"loss\":0.100000,\"reordered\":0,\"duplicated\":0,\"flowsWithLoss\":1,\"foreign\":3,"
                + "\"rxRingDrops\":0,\"latencyUs\":{\"min\":10.0000,\"p50\":20.0150,\"p90\":20.0150,\"p99\":20.0150,"
                + "\"p99.9\":20.0150,\"p99.99\":20.0150,\"max\":20.0150,");
        // 20 000 ns reads back as 20 015: HdrHistogram's 3 significant digits, its highest equivalent value.
        assertThat(json).contains("\"perFlow\":[{\"flow\":0,\"sent\":5,\"received\":4,\"lost\":1,\"reordered\":0,"
                + "\"duplicated\":0},{\"flow\":1,\"sent\":5,\"received\":5,\"lost\":0,");
    }

    @Test
    void aSearchsJsonHasNdrPdrTrialsAndLatencyPoints() {
        RateSearch.Result search = new RateSearch.Result(
                List.of(new RateSearch.Bound(0, 500_000, 505_000, false), new RateSearch.Bound(0.005, 510_000,
                        Double.NaN, true)),
                List.of(new RateSearch.Outcome(600_000, 598_000, 0.1), new RateSearch.Outcome(500_000, 500_000, 0)));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("pmdCpu", "1");
        DutThroughput d = new DutThroughput("jvswitch", settings, null, null, 600_000, search,
                List.of(new DutThroughput.LatencyPoint(0.5, traffic())), 1.5);
        String json = d.toJson().toString();
        assertThat(json).startsWith("{\"dut\":\"jvswitch\",\"settings\":{\"pmdCpu\":\"1\"},\"available\":true,"
                + "\"generatorCeilingMpps\":0.600000,\"ndrMpps\":0.500000,\"pdrMpps\":0.510000,\"results\":[{\"loss\":0.00000,"
                + "\"mpps\":0.500000,\"upperMpps\":0.505000,\"generatorBound\":false},{\"loss\":0.00500000,"
                + "\"mpps\":0.510000,\"upperMpps\":null,\"generatorBound\":true}],\"trials\":[{\"mpps\":0.600000,"
                + "\"offeredMpps\":0.598000,\"loss\":0.100000},")
                .contains("\"latency\":[{\"fractionOfNdr\":0.500000,\"seconds\":0.0100000,")
                .endsWith("\"loadAvg1\":1.50000}");
        assertThat(new DutThroughput("testpmd", Map.of(), "dpdk-testpmd is not installed (Debian: dpdk-dev)", null,
                Double.NaN, null, List.of(), 1.0).toJson().toString()).isEqualTo("{\"dut\":\"testpmd\",\"settings\":{},"
                + "\"available\":false,\"reason\":\"dpdk-testpmd is not installed (Debian: dpdk-dev)\","
                + "\"generatorCeilingMpps\":null,\"ndrMpps\":null,\"pdrMpps\":null,\"latency\":[],\"loadAvg1\":1.00000}");
    }
}
