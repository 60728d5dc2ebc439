package dev.jvswitch.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.ConfigError;
import dev.jvswitch.config.ConfigException;
import dev.jvswitch.config.Diagnostics;
import dev.jvswitch.config.FlowChecker;
import dev.jvswitch.config.FlowLine;
import dev.jvswitch.config.LineWorkers;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.config.TestEnvironment;

/**
 * Flow lines checked in parallel chunks report what a single thread would: every error at its
 * file and line, in order, the first hundred of a file and a count of the rest; and a load against
 * the running config checks only the lines that changed, sharing the running config's text.
 */
class FlowLinesTest {
    /** Lines of the big file: several chunks, so that several threads may check them. */
    private static final int LINES = 12 * LineWorkers.CHUNK_LINES + 5;

    @TempDir
    Path dir;

    private final AtomicInteger checks = new AtomicInteger();
    /** Counts its calls (from any thread); refuses a flow that does not start with "priority=". */
    private final FlowChecker counting = TestEnvironment.checkingFlows(flow -> {
        checks.incrementAndGet();
        return flow.startsWith("priority=") ? null : "unknown field '" + flow + "'";
    });
    private final YamlConfigLoader loader = new YamlConfigLoader(TestEnvironment.with(counting));

    private Path config(String flows) throws IOException {
        Path p = dir.resolve("sw.yaml");
        Files.writeString(p, """
                bridges:
                  br0:
                    ports:
                      p1: {type: null, ofport: 1}
                    flows: %s
                """.formatted(flows));
        return p;
    }

    private Path flowFile(List<String> lines) throws IOException {
        return Files.write(dir.resolve("big.flows"), lines);
    }

    private static List<String> good(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add("priority=" + (i % 100) + ",in_port=" + i + ",actions=drop");
        }
        return out;
    }

    @Test
    void errorsFoundInParallelKeepTheirFileLineAndOrder() throws Exception {
        List<String> lines = good(LINES);
        // Sparse bad lines in far-apart chunks, the last line among them.
        int[] bad = {1, 2_049, 7_777, 16_384, LINES};
        for (int b : bad) {
            lines.set(b - 1, "bad" + b);
        }
        Path flows = flowFile(lines);
        Path cfg = config("[\"priority=1,actions=drop\", \"@big.flows\", \"inline-bad\"]");
        ConfigException e = load(cfg);
        List<String> expected = new ArrayList<>();
        expected.add(cfg + ":5: bridges.br0.flows[2]: unknown field 'inline-bad'");
        for (int b : bad) {
            expected.add(Diagnostics.safe(flows + ":" + b + ": bridges.br0.flows[1]: unknown field 'bad" + b + "'"));
        }
        assertThat(e.errors().stream().map(ConfigError::toString).toList()).containsExactlyElementsOf(expected);
        assertThat(e.total()).isEqualTo(bad.length + 1);
    }

    @Test
    void aFileOfSparseErrorsShowsItsFirstHundredAndCountsTheRestAcrossChunks() throws Exception {
        List<String> lines = good(LINES);
        int errors = 0;
        for (int i = 3; i <= LINES; i += 3) {
            lines.set(i - 1, "x" + i);
            errors++;
        }
        Path flows = flowFile(lines);
        ConfigException e = load(config("\"@big.flows\""));
        assertThat(e.total()).isEqualTo(errors);
        List<String> shown = e.errors().stream().map(ConfigError::toString).toList();
        assertThat(shown).hasSize(Diagnostics.MAX_ERRORS_PER_FILE + 1);
        for (int k = 0; k < Diagnostics.MAX_ERRORS_PER_FILE; k++) {
            int line = 3 * (k + 1);
            assertThat(shown.get(k)).isEqualTo(flows + ":" + line + ": bridges.br0.flows: unknown field 'x" + line
                    + "'");
        }
        assertThat(shown.get(100)).isEqualTo(flows + ":303: bridges.br0.flows: ... and "
                + (errors - Diagnostics.MAX_ERRORS_PER_FILE) + " more error(s) in this file, not shown (only the first"
                + " 100 of a file are)");
    }

    @Test
    void aLoadAgainstTheRunningConfigChecksOnlyTheLinesThatChanged() throws Exception {
        List<String> lines = good(LINES);
        flowFile(lines);
        Path cfg = config("\"@big.flows\"");
        SwitchConfig first = loader.load(cfg);
        assertThat(checks.getAndSet(0)).as("every line checked once").isEqualTo(LINES);

        SwitchConfig same = loader.load(cfg, first);
        assertThat(checks.getAndSet(0)).as("nothing checked again").isZero();
        List<FlowLine> was = first.bridges().get("br0").flows();
        List<FlowLine> now = same.bridges().get("br0").flows();
        assertThat(now).hasSize(LINES);
        for (int i = 0; i < LINES; i += 997) {
            assertThat(now.get(i)).as("line %d: the running config's", i).isSameAs(was.get(i));
        }

        lines.set(10, "priority=7,actions=drop");
        lines.set(LINES - 1, "bad-last");
        flowFile(lines);
        ConfigException e = load(cfg, first);
        assertThat(checks.getAndSet(0)).as("the two changed lines alone").isEqualTo(2);
        assertThat(e.errors().get(0).toString()).endsWith(":" + LINES + ": bridges.br0.flows: unknown field"
                + " 'bad-last'");

        lines.set(LINES - 1, "priority=8,actions=drop");
        flowFile(lines);
        SwitchConfig changed = loader.load(cfg, first);
        assertThat(checks.getAndSet(0)).isEqualTo(2);
        List<FlowLine> after = changed.bridges().get("br0").flows();
        assertThat(after.get(10).text()).isEqualTo("priority=7,actions=drop");
        assertThat(after.get(11)).isSameAs(was.get(11));
        assertThat(after.get(LINES - 1).line()).isEqualTo(LINES);

        // Positions matter: a line inserted at the top has every line after it checked again.
        lines.add(0, "priority=9,actions=drop");
        flowFile(lines);
        loader.load(cfg, changed);
        assertThat(checks.getAndSet(0)).isEqualTo(LINES + 1);
    }

    private ConfigException load(Path cfg) {
        return load(cfg, null);
    }

    private ConfigException load(Path cfg, SwitchConfig baseline) {
        try {
            loader.load(cfg, baseline);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected errors from " + cfg);
    }
}
