package dev.jvswitch.vswitchd.ofproto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.ConfigEnvironment;
import dev.jvswitch.config.FlowLine;
import dev.jvswitch.config.LineWorkers;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.config.yaml.YamlConfigLoader;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.vswitchd.config.OfprotoConfigs;

/**
 * A long flow file through the daemon's checker and {@link ConfigFlows}, both of which work in
 * parallel chunks: every add the check parsed (on whichever thread) is the one applied, a line
 * the check skipped (the running config had it) is parsed when applied, and a line that fails
 * then names its file and line, the first such line of the list.
 */
class ConfigFlowsTest {
    private static final int LINES = 10 * LineWorkers.CHUNK_LINES + 3;

    @TempDir
    Path dir;

    private final OfprotoFlowChecker checker = new OfprotoFlowChecker(true);
    private final YamlConfigLoader loader = new YamlConfigLoader(new ConfigEnvironment(cpus(), Set.of("null"), checker,
            OfprotoConfigs.defaults()));

    private static BitSet cpus() {
        BitSet s = new BitSet();
        s.set(0, 2);
        return s;
    }

    private static String rule(int i) {
        return "table=0,priority=" + (i % 100) + ",tcp,nw_src=10." + (i >> 16) + "." + ((i >> 8) & 255) + "."
                + (i & 255) + "/32,tp_dst=" + (1 + i % 1000) + ",actions=output:" + (1 + i % 2);
    }

    private Path config() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < LINES; i++) {
            lines.add(rule(i));
        }
        Files.write(dir.resolve("big.flows"), lines);
        return Files.writeString(dir.resolve("sw.yaml"), """
                bridges:
                  br0:
                    ports:
                      p1: {type: null, ofport: 1}
                    flows: "@big.flows"
                """);
    }

    @Test
    void theAddsTheCheckKeptAreTheOnesAppliedAndALineItSkippedIsParsedThen() throws Exception {
        Path cfg = config();
        SwitchConfig first = loader.load(cfg);
        List<FlowLine> lines = first.bridges().get("br0").flows();
        List<FlowMod> applied = ConfigFlows.flows(lines, checker);
        assertThat(applied).hasSize(LINES);
        for (int i = 0; i < LINES; i++) {
            FlowMod kept = checker.parsedFlow(lines.get(i).text());
            assertThat(kept).as("line %d kept", i + 1).isNotNull();
            assertThat(applied.get(i)).as("line %d", i + 1).isSameAs(kept);
        }
        checker.forget();
        assertThat(checker.parsedFlow(lines.get(0).text())).isNull();

        // Against the running config nothing is checked, so nothing is kept: applied, each line
        // is parsed then, to the same adds.
        SwitchConfig again = loader.load(cfg, first);
        List<FlowLine> same = again.bridges().get("br0").flows();
        assertThat(checker.parsedFlow(same.get(LINES - 1).text())).isNull();
        List<FlowMod> reparsed = ConfigFlows.flows(same, checker);
        assertThat(reparsed).isEqualTo(applied);
    }

    @Test
    void aLineThatFailsWhenAppliedNamesItsFileAndLineTheFirstOfTheList() {
        List<FlowLine> lines = new ArrayList<>();
        for (int i = 0; i < LINES; i++) {
            lines.add(new FlowLine(rule(i), "big.flows", i + 1, "bridges.br0.flows"));
        }
        lines.set(LINES - 2, new FlowLine("in_port=1,actions=bogus", "big.flows", LINES - 1, "bridges.br0.flows"));
        lines.set(12_345, new FlowLine("tcp,tp_dsst=1,actions=drop", "big.flows", 12_346, "bridges.br0.flows"));
        assertThatThrownBy(() -> ConfigFlows.flows(lines, null)).isInstanceOf(OfprotoException.class)
                .hasMessage("big.flows:12346: bridges.br0.flows: flow syntax error at column 5: unknown field"
                        + " 'tp_dsst'");
        lines.set(12_345, new FlowLine(rule(12_345), "big.flows", 12_346, "bridges.br0.flows"));
        assertThatThrownBy(() -> ConfigFlows.flows(lines, null)).isInstanceOf(OfprotoException.class)
                .hasMessageStartingWith("big.flows:" + (LINES - 1) + ": bridges.br0.flows: ");
    }
}
