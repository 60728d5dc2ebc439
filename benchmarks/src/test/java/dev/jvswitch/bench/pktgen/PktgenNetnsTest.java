package dev.jvswitch.bench.pktgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.bench.cli.Args;
import dev.jvswitch.bench.dut.Shell;
import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.bench.dut.Wiring;

/**
 * {@code jvs-bench pktgen} end to end over a veth pair between two namespaces the test makes
 * (root only): a bounded count at a fixed low rate must all arrive, in order, once, with a sane
 * one-way latency, and the JSON must carry every field.
 */
class PktgenNetnsTest {
    private record Run(int status, String out, String err) {
    }

    private static Run pktgen(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PktgenCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":(-?[0-9]+)").matcher(json);
        assertThat(m.find()).as("%s in %s", field, json).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static double decimal(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":(-?[0-9.e+-]+)").matcher(json);
        assertThat(m.find()).as("%s in %s", field, json).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    @Timeout(120)
    void aBoundedPacedRunOverAVethPairArrivesWholeAndInOrder(@TempDir Path dir) throws Exception {
        Needs.that(Shell.isRoot(), "root (namespaces and veths)");
        try (Wiring w = Wiring.create()) {
            String a = w.namespace("a");
            String b = w.namespace("b");
            w.addNamespace(a, false);
            w.addNamespace(b, false);
            w.addVeth(a, w.ifname("a"), b, w.ifname("b"));
            Wiring.configure(a, w.ifname("a"), true, null, 0);
            Wiring.configure(b, w.ifname("b"), true, null, 0);
            Wiring.awaitOperUp(a, w.ifname("a"));
            Wiring.awaitOperUp(b, w.ifname("b"));
            Path hist = dir.resolve("latency.hlog");
            Run r = pktgen("--ns", a, "--port", w.ifname("a"), "--rx-ns", b, "--rx", w.ifname("b"), "--rate", "20000",
                    "--count", "4000", "--seconds", "30", "--flows", "8", "--size", "64", "--calibrate", "0.1",
                    "--histogram", hist.toString(), "--json");
            assertThat(r.status()).as("stderr: %s", r.err()).isZero();
            String json = r.out().trim();
            assertThat(json).startsWith("{\"command\":\"pktgen\"").endsWith("}").doesNotContain("\n");
            assertThat(number(json, "sent")).as(json).isEqualTo(4000);
            assertThat(number(json, "received")).as(json).isEqualTo(4000);
            assertThat(number(json, "lost")).isZero();
            assertThat(number(json, "reordered")).isZero();
            assertThat(number(json, "duplicated")).isZero();
            assertThat(number(json, "flowsWithLoss")).isZero();
            assertThat(number(json, "rxRingDrops")).isZero();
            assertThat(decimal(json, "loss")).isZero();
            // Paced: 4000 frames at 20 kpps take 0.2 s.
            assertThat(decimal(json, "pacingErrorPct")).isBetween(-1.0, 1.0);
            assertThat(decimal(json, "generatorCeilingMpps")).isGreaterThan(0.02);
            for (String p : new String[] {"min", "p50", "p90", "p99", "p99.9", "p99.99", "max"}) {
                // Through one veth: well under a second, never negative.
                assertThat(decimal(json, p)).as(p).isBetween(0.0, 1_000_000.0);
            }
            assertThat(decimal(json, "min")).isLessThanOrEqualTo(decimal(json, "p50"));
            assertThat(decimal(json, "p50")).isLessThanOrEqualTo(decimal(json, "max"));
            assertThat(json).contains("\"perFlow\":[{\"flow\":0,\"sent\":500,\"received\":500,\"lost\":0,");
            assertThat(Files.readString(hist)).contains("#[StartTime:").contains("Interval_Compressed_Histogram")
                    .containsPattern("\\n[0-9.]+,[0-9.]+,[0-9.]+,HIST");
        }
    }

    @Test
    void usageMistakesNameTheOption() {
        assertThatThrownBy(() -> pktgen("--port", "x")).isInstanceOf(Args.UsageException.class)
                .hasMessage("pktgen: --rate is required");
        assertThatThrownBy(() -> pktgen("--port", "x", "--rate", "fast")).isInstanceOf(Args.UsageException.class)
                .hasMessage("pktgen: --rate must be a number, got 'fast'");
        assertThatThrownBy(() -> pktgen("--port", "x", "--rate", "max", "--ipv6", "--size", "70"))
                .isInstanceOf(Args.UsageException.class)
                .hasMessage("pktgen: --size: a stamped IPv6/UDP frame needs at least 82 bytes on the wire, asked for 70");
        assertThatThrownBy(() -> pktgen("--port", "x", "--rate", "max", "--histogram", "h"))
                .isInstanceOf(Args.UsageException.class).hasMessageContaining("--histogram needs --rx");
        assertThatThrownBy(() -> pktgen("--port", "x", "--rate", "max", "--dst-mac", "1:2"))
                .isInstanceOf(Args.UsageException.class).hasMessageContaining("--dst-mac must be a MAC address");
    }

    @Test
    void aMissingInterfaceIsOneLineAndExitStatusOne() throws Exception {
        Needs.that(Shell.isRoot(), "root (AF_PACKET)");
        Run r = pktgen("--port", "jvsnosuchif0", "--rate", "max", "--count", "1", "--seconds", "1");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("pktgen: ").contains("jvsnosuchif0").doesNotContain("\tat ");
        assertThat(r.err().lines().count()).isEqualTo(1);
    }
}
