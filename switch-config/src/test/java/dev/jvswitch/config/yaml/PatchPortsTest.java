package dev.jvswitch.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.ConfigError;
import dev.jvswitch.config.ConfigException;
import dev.jvswitch.config.PortSpec;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.config.TestEnvironment;

/** {@code type: patch} ports in the file: two bridges joined as ovs-vsctl joins them. */
class PatchPortsTest {
    private static final String TWO_BRIDGES = """
            bridges:
              br0:
                ports:
                  p1: {type: null, ofport: 1}
                  to-br1: {type: patch, ofport: 2, options: {peer: to-br0}}
              br1:
                ports:
                  p2: {type: null, ofport: 1}
                  to-br0: {type: patch, ofport: 2, options: {peer: to-br1}}
            """;

    @TempDir
    Path dir;

    private final YamlConfigLoader loader = new YamlConfigLoader(TestEnvironment.fixed());

    private SwitchConfig load(String text) throws IOException, ConfigException {
        Path p = dir.resolve("sw.yaml");
        Files.writeString(p, text);
        return loader.load(p);
    }

    private List<String> errors(String text) throws IOException {
        try {
            load(text);
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).map(s -> s.substring(dir.toString().length() + 1))
                    .toList();
        }
        throw new AssertionError("expected the config to be rejected:\n" + text);
    }

    @Test
    void patchPortsJoinTwoBridges() throws Exception {
        SwitchConfig c = load(TWO_BRIDGES);
        PortSpec p = c.port("to-br1");
        assertThat(p.isPatch()).isTrue();
        assertThat(p.patchPeer()).isEqualTo("to-br0");
        assertThat(c.port("to-br0").bridge()).isEqualTo("br1");
    }

    @Test
    void aPeerMustBeAPatchPortOfAnotherBridgeThatNamesItBack() throws Exception {
        assertThat(errors(TWO_BRIDGES.replace("peer: to-br1", "peer: p1"))).containsExactly(
                "sw.yaml:5: bridges.br0.ports.to-br1.options.peer: port to-br0's peer is p1 (a patch port's peer is a"
                        + " patch port of another bridge that names it back)",
                "sw.yaml:9: bridges.br1.ports.to-br0.options.peer: port p1 is not a patch port (a patch port's peer"
                        + " is a patch port of another bridge that names it back)");
        assertThat(errors(TWO_BRIDGES.replace("peer: to-br0}", "peer: p2}"))).first().asString()
                .contains("port p2 is not a patch port");
        assertThat(errors(TWO_BRIDGES.replace("p2: {type: null, ofport: 1}", "p2: {type: patch, ofport: 1, options: {peer: to-br0}}")))
                .first().asString().contains("port to-br0 is in the same bridge");
        assertThat(errors(TWO_BRIDGES.replace("{peer: to-br0}", "{peer: to-br0, mtu: 9000}"))).containsExactly(
                "sw.yaml:5: bridges.br0.ports.to-br1.options: a patch port takes one option, peer: the patch port of"
                        + " another bridge it joins");
    }
}
