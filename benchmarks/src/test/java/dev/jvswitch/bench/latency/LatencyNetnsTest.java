package dev.jvswitch.bench.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.bench.dut.DutKind;
import dev.jvswitch.bench.dut.DutOptions;
import dev.jvswitch.bench.dut.Shell;
import dev.jvswitch.testkit.env.Needs;

/**
 * {@code jvs-bench latency} for real, kept tiny (root; jvswitch needs the packaged daemon): a Linux
 * bridge and this build's jvswitchd each answer every probe idle and under a fixed offered load,
 * and {@code --load-pps} offers the same rate to both whatever each one forwards. The RTT figures
 * themselves say little on a shared CI machine; that the phases run and report them does.
 */
class LatencyNetnsTest {
    private static final long LOAD_PPS = 4_000;

    private static double number(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":(-?[0-9.e+-]+)").matcher(json);
        assertThat(m.find()).as("%s in %s", field, json).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    @Timeout(240)
    void bothSwitchesAnswerEveryProbeIdleAndUnderTheSameFixedLoad(@TempDir Path run) throws Exception {
        Needs.that(Shell.isRoot(), "root (namespaces and veths)");
        Needs.none(DutKind.JVSWITCH.missing(new DutOptions(1, DutOptions.defaultJvswitchd(), null, "backoff", run, 256)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = LatencyCommand.run(new String[] {"--dut", "linux-bridge,jvswitch", "--pmd-idle", "backoff",
            "--count", "20", "--interval", "0.005", "--load-pps", Long.toString(LOAD_PPS), "--warmup", "0.5",
            "--rate-seconds", "0.5", "--json"}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String json = bytes.toString(StandardCharsets.UTF_8).trim();
        assertThat(status).as(json).isZero();
        assertThat(json).startsWith("{\"command\":\"latency\"").doesNotContain("\n").contains("\"loadPps\":" + LOAD_PPS);
        List<String> runs = new ArrayList<>();
        for (String dut : new String[] {"linux-bridge", "jvswitch"}) {
            int at = json.indexOf("{\"dut\":\"" + dut + "\"");
            assertThat(at).as(dut + " in " + json).isNotNegative();
            runs.add(json.substring(at));
        }
        runs.set(0, runs.get(0).substring(0, runs.get(0).indexOf("{\"dut\":\"jvswitch\"")));
        for (String r : runs) {
            assertThat(r).contains("\"available\":true").doesNotContain("\"error\"");
            String idle = r.substring(r.indexOf("{\"phase\":\"idle\""), r.indexOf("{\"phase\":\"load\""));
            String load = r.substring(r.indexOf("{\"phase\":\"load\""));
            for (String phase : new String[] {idle, load}) {
                assertThat(number(phase, "replies")).as(phase).isEqualTo(20);
                assertThat(number(phase, "p50")).as(phase).isPositive().isLessThanOrEqualTo(number(phase, "p99"));
            }
            double forwarding = number(load, "forwardingPps");
            assertThat(number(load, "offeredLoadPps")).as(load).isEqualTo(LOAD_PPS);
            assertThat(number(load, "loadFraction")).as(load).isCloseTo(LOAD_PPS / forwarding,
                    org.assertj.core.data.Offset.offset(1e-3));
            assertThat(number(load, "achievedLoadPps")).as(load).isPositive();
        }
    }
}
