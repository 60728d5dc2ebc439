package dev.jvswitch.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.BridgeSettings;
import dev.jvswitch.config.ConfigError;
import dev.jvswitch.config.ConfigException;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.config.TestEnvironment;

/**
 * {@code mac-table-size} and {@code mac-aging-time} per bridge (OVS's Bridge other_config), and
 * the same keys under {@code datapath}: still accepted, as the default of every bridge that sets
 * none of its own, with one warning line each naming file and line.
 */
class PerBridgeSettingsTest {
    @TempDir
    Path dir;

    private final YamlConfigLoader loader = new YamlConfigLoader(TestEnvironment.fixed());

    private static final String TWO_BRIDGES = """
            bridges:
              br0:
                mac-table-size: 4096
                ports:
                  a: {type: null, ofport: 1}
              br1:
                ports:
                  b: {type: null, ofport: 1}
                mac-aging-time: 60
            """;

    private SwitchConfig load(String text) throws IOException, ConfigException {
        Path p = dir.resolve("sw.yaml");
        Files.writeString(p, text);
        return loader.load(p);
    }

    private String file() {
        return dir.resolve("sw.yaml").toString();
    }

    @Test
    void eachBridgeHasItsOwnAndTakesOfprotosDefaultsForTheRest() throws Exception {
        SwitchConfig c = load(TWO_BRIDGES);
        assertThat(c.bridges().get("br0").settings()).isEqualTo(new BridgeSettings(4096, 300));
        assertThat(c.bridges().get("br1").settings()).isEqualTo(new BridgeSettings(2048, 60));
        assertThat(c.bridgeDefaults()).isEqualTo(TestEnvironment.OFPROTO.bridge());
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void theOldDatapathKeysAreEveryBridgesDefaultWithAWarningLineEach() throws Exception {
        SwitchConfig c = load("datapath:\n  mac-table-size: 1024\n  flow-limit: 5000\n  mac-aging-time: 30\n"
                + TWO_BRIDGES);
        assertThat(c.bridgeDefaults()).isEqualTo(new BridgeSettings(1024, 30));
        assertThat(c.bridges().get("br0").settings()).isEqualTo(new BridgeSettings(4096, 30));
        assertThat(c.bridges().get("br1").settings()).isEqualTo(new BridgeSettings(1024, 60));
        assertThat(c.warnings()).extracting(ConfigError::toString).containsExactly(
                file() + ":2: datapath.mac-table-size: deprecated: set it per bridge (bridges.NAME.mac-table-size);"
                        + " here it is the default of every bridge that does not",
                file() + ":4: datapath.mac-aging-time: deprecated: set it per bridge (bridges.NAME.mac-aging-time);"
                        + " here it is the default of every bridge that does not");
        assertThat(c.warnings()).allSatisfy(w -> assertThat(w.toString()).doesNotContain("\n"));
    }

    @Test
    void perBridgeValuesAreCheckedLikeTheOthers() throws IOException {
        Path p = dir.resolve("sw.yaml");
        Files.writeString(p, TWO_BRIDGES.replace("mac-table-size: 4096", "mac-table-size: 0")
                .replace("mac-aging-time: 60", "mac-aging-time: soon\n    mac-table: 3"));
        List<String> errors;
        try {
            loader.load(p);
            throw new AssertionError("expected the config to be rejected");
        } catch (ConfigException e) {
            errors = e.errors().stream().map(ConfigError::toString).toList();
        }
        assertThat(errors).containsExactly(
                file() + ":3: bridges.br0.mac-table-size: must be within 1..1000000, got 0",
                file() + ":9: bridges.br1.mac-aging-time: expected an integer, got 'soon'",
                file() + ":10: bridges.br1.mac-table: unknown key (known keys: controller, "
                        + "controller-burst-limit, controller-rate-limit, datapath-id, fail-mode, flow-tables, flows, "
                        + "groups, inactivity-probe, listen, local-ip, local-mac, mac-aging-time, mac-table-size, "
                        + "meters, ports, protocols, tlv-map)");
    }
}
