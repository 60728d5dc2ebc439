package dev.jvswitch.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.ConfigError;
import dev.jvswitch.config.ConfigException;
import dev.jvswitch.config.FlowChecker;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.config.TestEnvironment;
import dev.jvswitch.config.reload.ReloadPlan;

/**
 * {@code bridges.NAME.flow-tables.N.prefixes} (OVS's Flow_Table {@code prefixes}): read as a list,
 * a comma-separated string or {@code none}, checked by the OpenFlow side, and every mistake
 * reported with file, line and key.
 */
class FlowTablePrefixesTest {
    @TempDir
    Path dir;

    /** Knows a few field names, as the OpenFlow side would answer for them. */
    private static final FlowChecker CHECKER = new FlowChecker() {
        @Override
        public String checkFlow(String flow) {
            return null;
        }

        @Override
        public String checkGroup(String group) {
            return null;
        }

        @Override
        public String checkVlans() {
            return null;
        }

        @Override
        public String checkPrefixes(List<String> fields) {
            for (String f : fields) {
                if (!List.of("nw_dst", "nw_src", "ipv6_dst", "none").contains(f)) {
                    return "unknown field '" + f + "'";
                }
            }
            return null;
        }
    };

    private final YamlConfigLoader loader = new YamlConfigLoader(TestEnvironment.with(CHECKER));

    private SwitchConfig load(String text) throws IOException, ConfigException {
        Path p = dir.resolve("sw.yaml");
        Files.writeString(p, text);
        return loader.load(p);
    }

    private List<String> errors(String text) throws IOException {
        try {
            load(text);
            throw new AssertionError("expected the config to be rejected");
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
    }

    private static String bridge(String tables) {
        return "bridges:\n  br0:\n    ports:\n      a: {type: null, ofport: 1}\n    flow-tables:\n" + tables;
    }

    @Test
    void listsStringsAndNoneByTable() throws Exception {
        SwitchConfig c = load(bridge("""
                      0:
                        prefixes: [ipv6_dst, nw_src]
                      1:
                        prefixes: nw_dst,nw_src
                      7: {prefixes: none}
                """));
        assertThat(c.bridges().get("br0").settings().prefixes()).isEqualTo(Map.of(0, List.of("ipv6_dst", "nw_src"),
                1, List.of("nw_dst", "nw_src"), 7, List.of("none")));
        assertThat(c.bridges().get("br0").settings().macTableSize()).isEqualTo(2048);
    }

    @Test
    void aBridgeWithoutFlowTablesKeepsTheDefaults() throws Exception {
        SwitchConfig c = load("bridges:\n  br0:\n    ports:\n      a: {type: null, ofport: 1}\n");
        assertThat(c.bridges().get("br0").settings().prefixes()).isEmpty();
        assertThat(c.bridges().get("br0").settings()).isEqualTo(c.bridgeDefaults());
    }

    @Test
    void mistakesNameFileLineAndKey() throws IOException {
        String f = dir.resolve("sw.yaml").toString();
        assertThat(errors(bridge("""
                      0:
                        prefixes: [nw_dst, tp_src]
                      255:
                        prefixes: nw_dst
                      x: {prefixes: nw_dst}
                      1:
                        prefixes: []
                      2:
                        prefix: nw_dst
                      3:
                        prefixes: {a: b}
                """))).containsExactly(
                f + ":7: bridges.br0.flow-tables.0.prefixes: unknown field 'tp_src'",
                f + ":8: bridges.br0.flow-tables.255: a flow table is named by its id: must be within 0..254, got 255",
                f + ":10: bridges.br0.flow-tables.x: a flow table is named by its id: expected an integer, got 'x'",
                f + ":12: bridges.br0.flow-tables.1.prefixes: expected a list of fields like [nw_dst, nw_src], or none",
                f + ":14: bridges.br0.flow-tables.2.prefix: unknown key (known keys: prefixes)",
                f + ":16: bridges.br0.flow-tables.3.prefixes: expected a list of fields like [nw_dst, nw_src], or none,"
                        + " got a mapping");
    }

    @Test
    void aReloadSeesChangedPrefixesAsChangedSettings() throws Exception {
        SwitchConfig a = load(bridge("      0: {prefixes: nw_dst}\n"));
        SwitchConfig b = load(bridge("      0: {prefixes: [nw_dst, nw_src]}\n"));
        assertThat(ReloadPlan.of(a, b).settingsChanged()).containsExactly("br0");
        assertThat(ReloadPlan.of(a, load(bridge("      0: {prefixes: nw_dst}\n"))).settingsChanged()).isEmpty();
    }
}
