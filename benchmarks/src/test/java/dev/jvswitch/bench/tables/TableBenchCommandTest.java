package dev.jvswitch.bench.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jvswitch.bench.cli.Args;

/**
 * {@code jvs-bench table-bench} at a small count: every step runs and reports what it changed,
 * the figures are present and sane (timings are not asserted: CI machines are shared), and the
 * JSON line carries every field.
 */
class TableBenchCommandTest {
    private static final List<String> STEPS = List.of("parse", "parse-parallel", "load", "replace-identical", "replace-10%",
            "replace-all", "replace-disjoint", "delete-filter", "delete-all");

    @Test
    void everyStepRunsAndCountsWhatItChanged() throws Exception {
        int n = 20_000;
        TableBenchCommand.Figures f = TableBenchCommand.measure(RuleShapes.FIVE_TUPLE, n, true);
        assertThat(f.steps()).extracting(TableBenchCommand.Step::name).containsExactlyElementsOf(STEPS);
        assertThat(f.rules()).isEqualTo(n);
        // The tables alone, after a full GC: well under the 1 KB per rule the daemon must stay within.
        assertThat(f.heapBytesPerRule()).isBetween(50L, 1000L);
        int[][] addedDeleted = {{0, 0}, {0, 0}, {n, 0}, {0, 0}, {n / 10, 0}, {n, 0}, {n, n}};
        for (int i = 0; i < addedDeleted.length; i++) {
            TableBenchCommand.Step s = f.steps().get(i);
            assertThat(new int[] {s.added(), s.deleted()}).as(s.name()).containsExactly(addedDeleted[i]);
        }
        TableBenchCommand.Step filter = f.steps().get(7);
        TableBenchCommand.Step all = f.steps().get(8);
        // Parsing a line allocates something, the same on one thread or several (the parallel
        // parse is checked against the one-thread parse by the benchmark itself).
        long parse = f.steps().get(0).allocBytesPerRule();
        assertThat(parse).isPositive();
        assertThat(f.steps().get(1).allocBytesPerRule()).isBetween(parse / 2, parse * 2);
        assertThat(filter.deleted()).isBetween(n / 4, 3 * n / 4);
        assertThat(filter.deleted() + all.deleted()).isEqualTo(n);
        for (TableBenchCommand.Step s : f.steps()) {
            assertThat(s.ms()).as(s.name()).isPositive();
            assertThat(s.cpuMs()).as(s.name()).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(s.ms() * 4 + 50);
            assertThat(s.gcMs()).as(s.name()).isGreaterThanOrEqualTo(0);
            assertThat(s.peakHeapBytes()).as(s.name()).isPositive();
            assertThat(s.xlateMaxMs()).as(s.name()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void jsonIsOneLinePerSizeWithEveryField() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = TableBenchCommand.run(new String[] {"--rules", "200,1_000", "--shape", "multi-table", "--json",
            "--no-probe"}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(status).isZero();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("{\"test\":\"table-bench\",\"shape\":\"multi-table\",\"rules\":200,")
                .contains("\"heapBytesPerRule\":");
        assertThat(lines.get(1)).contains("\"rules\":1000,");
        for (String line : lines) {
            assertThat(line).endsWith("]}");
            for (String step : STEPS) {
                assertThat(line).contains("{\"step\":\"" + step + "\",\"ms\":");
            }
            for (String field : List.of("cpuMs", "gcMs", "peakHeapBytes", "allocBytesPerRule", "added", "deleted",
                    "xlateMaxMs",
                    "expireMaxMs")) {
                assertThat(line.split("\"" + field + "\":", -1)).as(field).hasSize(STEPS.size() + 1);
            }
        }
    }

    @Test
    void textNamesEachStep() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TableBenchCommand.run(new String[] {"--rules", "100", "--no-probe"},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).matches("table-bench 5tuple, 100 rules: live heap -?\\d+ bytes per rule");
        assertThat(lines).hasSize(1 + STEPS.size());
        for (int i = 0; i < STEPS.size(); i++) {
            assertThat(lines.get(1 + i)).startsWith("  " + STEPS.get(i) + " ").contains(" ms  (cpu ", "peak heap");
        }
    }

    @Test
    void badCountsAndShapesAreOneLineUsageErrors() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> TableBenchCommand.run(new String[] {"--rules", "5"}, out))
                .isInstanceOf(Args.UsageException.class)
                .hasMessage("table-bench: --rules: '5' is not a count within 10..4000000");
        assertThatThrownBy(() -> TableBenchCommand.run(new String[] {"--shape", "acl"}, out))
                .isInstanceOf(Args.UsageException.class)
                .hasMessage("table-bench: --shape: 'acl' is not 5tuple or multi-table");
    }
}
