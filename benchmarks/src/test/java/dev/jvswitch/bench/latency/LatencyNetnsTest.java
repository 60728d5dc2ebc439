package dev.jvswitch.bench.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.bench.dut.DutKind;
import dev.jvswitch.bench.dut.DutOptions;
import dev.jvswitch.bench.dut.Shell;
import dev.jvswitch.testkit.env.Needs;

/**
 * {@code jvs-bench latency} for real, kept tiny (root; jvswitch needs the packaged daemon): a Linux
 * bridge and this build's jvswitchd each answer the probes idle and under a fixed offered load,
 * and {@code --load-pps} offers the same rate to both whatever each one forwards. The RTT figures
 * themselves say little on a shared CI machine; that the phases run and report them does.
 */
class LatencyNetnsTest {
    private static final long LOAD_PPS = 2_000;

    @Test
    @Timeout(240)
    void bothSwitchesAnswerProbesIdleAndUnderTheSameFixedLoad(@TempDir Path run) throws Exception {
        Needs.that(Shell.isRoot(), "root (namespaces and veths)");
        Needs.none(DutKind.JVSWITCH.missing(new DutOptions(1, DutOptions.defaultJvswitchd(), null, "backoff", run, 256)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = LatencyCommand.run(new String[] {"--dut", "linux-bridge,jvswitch", "--pmd-idle", "backoff",
            "--count", "20", "--interval", "0.005", "--load-pps", Long.toString(LOAD_PPS), "--warmup", "0.5",
            "--rate-seconds", "0.5", "--json"}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String json = bytes.toString(StandardCharsets.UTF_8).trim();
        assertThat(status).as(json).isZero();
        assertThat(json).doesNotContain("\n");
        JsonNode doc = new ObjectMapper().readTree(json);
        assertThat(doc.path("command").asText()).isEqualTo("latency");
        assertThat(doc.path("loadPps").asLong()).isEqualTo(LOAD_PPS);
        List<String> duts = new ArrayList<>();
        for (JsonNode r : doc.path("runs")) {
            duts.add(r.path("dut").asText());
            assertThat(r.path("available").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.has("error")).as(r.toString()).isFalse();
            JsonNode phases = r.path("phases");
            assertThat(phases).hasSize(2);
            assertThat(phases.get(0).path("phase").asText()).isEqualTo("idle");
            JsonNode load = phases.get(1);
            assertThat(load.path("phase").asText()).isEqualTo("load");
            for (JsonNode phase : phases) {
                // A loaded 2-CPU machine may lose a probe or two; a broken phase loses them all.
                long replies = phase.path("replies").asLong();
                assertThat(replies).as(phase.toString()).isGreaterThanOrEqualTo(10);
                assertThat(replies + phase.path("lost").asLong()).as(phase.toString()).isEqualTo(20);
                JsonNode rtt = phase.path("rttUs");
                assertThat(rtt.path("p50").asDouble()).as(phase.toString()).isPositive()
                        .isLessThanOrEqualTo(rtt.path("p99").asDouble());
            }
            double forwarding = load.path("forwardingPps").asDouble();
            assertThat(load.path("offeredLoadPps").asDouble()).as(load.toString()).isEqualTo(LOAD_PPS);
            assertThat(load.path("loadFraction").asDouble()).as(load.toString()).isCloseTo(LOAD_PPS / forwarding,
                    within(1e-3));
            assertThat(load.path("achievedLoadPps").asDouble()).as(load.toString()).isPositive();
        }
        assertThat(duts).containsExactly("linux-bridge", "jvswitch");
    }
}
