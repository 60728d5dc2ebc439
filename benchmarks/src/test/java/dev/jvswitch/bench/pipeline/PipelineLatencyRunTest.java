package dev.jvswitch.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.bench.pcap.GenPcapCommand;
import dev.jvswitch.bench.pipeline.PipelineCommand.Pace;
import dev.jvswitch.bench.pipeline.PipelineCommand.Result;
import dev.jvswitch.ofproto.revalidate.FixedRevalidation;
import dev.jvswitch.ofproto.revalidate.RevalidatorConfig;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.pmd.upcall.PortMapUpcallHandler;

/**
 * {@code pipeline --rate --latency} run for real: paced replay, every frame timed from arrival to
 * the null port, no heap allocated by the PMD thread with the probe on, and the whole command
 * end to end in a JVM of its own with its JSON complete and sane.
 */
class PipelineLatencyRunTest {
    /** ThreadMXBean's own bookkeeping and the PMD's once-a-second housekeeping; per packet would be megabytes. */
    private static final long SLACK_BYTES = 2048;

    @TempDir
    Path dir;

    @Test
    void aPacedRunTimesEveryFrameWithoutAllocating() throws Exception {
        Path pcap = dir.resolve("flows.pcap");
        GenPcapCommand.write(pcap, 1000, 1000, 64, false, -1);
        DatapathConfig config = DatapathConfig.defaults().withIdle(DatapathConfig.Idle.BUSY);
        Result r = PipelineCommand.measure(pcap, config, PortMapUpcallHandler.crossConnect(1, 2),
                new FixedRevalidation(), RevalidatorConfig.defaults().withThreads(1), 1.0, 1.0,
                PipelineCommand.PortHook.NONE, new Pace(200_000));

        assertThat(r.heapBytes()).as("PMD heap bytes for %d packets", r.packets()).isLessThan(SLACK_BYTES);
        LatencyResult l = r.latency();
        // Paced: 200 000 frames in the measured second, received or missed by the emulated ring,
        // give or take what a stall at either end moved across the boundary.
        double seconds = r.elapsedNs() / 1e9;
        double slack = 200_000 * 2 * l.probe().maxGapNs() / 1e9 + 2 * PipelineLatency.RX_RING + 32;
        assertThat((double) r.packets() + l.probe().missed()).isCloseTo(200_000 * seconds,
                org.assertj.core.data.Offset.offset(slack));
        assertThat(r.delta(PmdCounter.TX_PACKETS)).isEqualTo(r.packets());
        // Every frame sent was received in the run or just before it (at most the ring's depth).
        assertThat(l.probe().latencyNs().getTotalCount())
                .isBetween(r.packets() - PipelineLatency.RX_RING, r.packets() + PipelineLatency.RX_RING);
        assertThat(l.probe().unstamped()).isZero();
        assertThat(l.probe().latencyNs().getMinValue()).isPositive();
        assertThat(l.pauses().collectors()).isNotEmpty();
    }

    @Test
    void endToEndTheJsonHasEveryFigureAndTheyAreSane() throws Exception {
        Path pcap = dir.resolve("flows.pcap");
        GenPcapCommand.write(pcap, 100, 1000, 64, false, -1);
        String doc = PipelineRepeat.runChild(List.of("--pcap", pcap.toString(), "--latency", "--seconds", "1",
                "--warmup", "0.5", "--json"));

        for (String field : List.of("mpps", "cpuNsPerPacket", "heapBytesPerPacket", "ratePps", "rateAuto",
                "unpacedMpps", "latencyUs", "latencySamples", "rxMissed", "unstamped", "pmdStallMaxUs", "pmdStalls",
                "gc", "collectors", "events", "safepoints")) {
            assertThat(doc).as(doc).contains("\"" + field + "\":");
        }
        assertThat(doc).contains("\"rateAuto\":true");
        // Without --rate the pace is half of the rate measured unpaced, and the run keeps to it.
        double unpaced = PipelineRepeat.number(doc, "unpacedMpps");
        double rate = PipelineRepeat.number(doc, "ratePps");
        assertThat(unpaced).isPositive();
        assertThat(rate / 1e6).isCloseTo(unpaced * LatencyResult.AUTO_FRACTION,
                org.assertj.core.data.Percentage.withPercentage(0.1));
        double seconds = PipelineRepeat.number(doc, "seconds");
        double maxGapS = PipelineRepeat.number(doc, "pmdStallMaxUs") / 1e6;
        double slack = rate * 2 * maxGapS + 2 * PipelineLatency.RX_RING + 32;
        assertThat(PipelineRepeat.number(doc, "packets") + PipelineRepeat.number(doc, "rxMissed")).as(doc)
                .isCloseTo(rate * seconds, org.assertj.core.data.Offset.offset(slack));
        double[] us = new double[7];
        String[] keys = {"min", "p50", "p90", "p99", "p99.9", "p99.99", "max"};
        String latency = doc.substring(doc.indexOf("\"latencyUs\":"));
        for (int i = 0; i < keys.length; i++) {
            us[i] = number(latency, keys[i]);
            assertThat(us[i]).as("%s in %s", keys[i], doc).isPositive();
            if (i > 0) {
                assertThat(us[i]).as("%s in %s", keys[i], doc).isGreaterThanOrEqualTo(us[i - 1]);
            }
        }
        // A frame waits at most the ring's depth before a poll takes it, and the PMD then sends it
        // in the same iteration unless the thread stops, which is a gap before the next poll.
        double boundUs = (PipelineLatency.RX_RING / rate + maxGapS) * 1e6 * 1.002 + 1;
        assertThat(us[6]).as(doc).isLessThanOrEqualTo(boundUs);
        assertThat(PipelineRepeat.number(doc, "latencySamples")).isPositive();
        assertThat(PipelineRepeat.number(doc, "unstamped")).isZero();
        assertThat(PipelineRepeat.number(doc, "heapBytes")).as(doc).isLessThan(SLACK_BYTES);
    }

    /** The first number under {@code key} in {@code doc} (keys such as {@code p99.9} too). */
    private static double number(String doc, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + java.util.regex.Pattern.quote(key)
                + "\":(-?[0-9.eE+-]+)").matcher(doc);
        assertThat(m.find()).as("%s in %s", key, doc).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void rateOptionsAreChecked() {
        assertThat(Pace.parse(null, false)).isNull();
        assertThat(Pace.parse(null, true).pps()).isNaN();
        assertThat(Pace.parse("max", false).pps()).isZero();
        assertThat(Pace.parse("250000", true).pps()).isEqualTo(250_000);
        assertThatThrownBy(() -> Pace.parse("fast", true)).isInstanceOf(Args.UsageException.class)
                .hasMessage("pipeline: --rate takes packets per second within 1..1e9 or 'max', got 'fast'");
        assertThatThrownBy(() -> Pace.parse("0", false)).isInstanceOf(Args.UsageException.class);
        assertThatThrownBy(() -> PipelineCommand.run(new String[] {"--pcap", "/dev/null", "--dut", "ovs-dpdk",
                "--latency"})).isInstanceOf(Args.UsageException.class)
                .hasMessage("pipeline: --dut ovs-dpdk takes no --rate or --latency");
    }
}
