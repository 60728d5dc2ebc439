package dev.jvswitch.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.ConfigException;
import dev.jvswitch.config.OfTarget;
import dev.jvswitch.config.OpenFlowSettings;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.config.TestEnvironment;
import dev.jvswitch.config.reload.ReloadPlan;

/** A bridge's OpenFlow keys: targets, protocols, fail mode, datapath id, limits; errors with file and line. */
class OpenFlowKeysTest {
    @TempDir
    Path dir;

    private final YamlConfigLoader loader = new YamlConfigLoader(TestEnvironment.fixed());

    private SwitchConfig load(String bridgeKeys) throws IOException, ConfigException {
        Path p = dir.resolve("sw.yaml");
        Files.writeString(p, "bridges:\n  br0:\n    ports:\n      a: {type: null, ofport: 1}\n" + bridgeKeys);
        return loader.load(p);
    }

    private List<String> errors(String bridgeKeys) {
        try {
            load(bridgeKeys);
        } catch (ConfigException e) {
            return e.errors().stream().map(Object::toString).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no error");
    }

    @Test
    void aBridgeWithoutKeysHasNoChannel() throws Exception {
        OpenFlowSettings s = load("").bridges().get("br0").openflow();
        assertThat(s).isEqualTo(OpenFlowSettings.NONE);
        assertThat(s.enabled()).isFalse();
    }

    @Test
    void everyKeyIsRead() throws Exception {
        OpenFlowSettings s = load("""
                    controller: [tcp:127.0.0.1:6653, "tcp:10.0.0.1"]
                    listen: [ptcp:6634, "ptcp:6635:0.0.0.0", punix:br0.mgmt]
                    protocols: [OpenFlow15, OpenFlow13]
                    fail-mode: secure
                    datapath-id: 00000000000000a1
                    controller-rate-limit: 1000
                    controller-burst-limit: 100
                    inactivity-probe: 3000
                """).bridges().get("br0").openflow();
        assertThat(s.controllers()).extracting(OfTarget::toString)
                .containsExactly("tcp:127.0.0.1:6653", "tcp:10.0.0.1:6653");
        assertThat(s.listeners()).extracting(OfTarget::toString)
                .containsExactly("ptcp:6634:127.0.0.1", "ptcp:6635:0.0.0.0", "punix:" + dir.resolve("br0.mgmt"));
        assertThat(s.protocols()).containsExactly(4, 6);
        assertThat(s.failMode()).isEqualTo(OpenFlowSettings.FailMode.SECURE);
        assertThat(s.datapathId()).isEqualTo(0xa1);
        assertThat(s.rateLimit()).isEqualTo(1000);
        assertThat(s.burstLimit()).isEqualTo(100);
        assertThat(s.inactivityProbeMs()).isEqualTo(3000);
    }

    @Test
    void aSingleTargetNeedNotBeAList() throws Exception {
        OpenFlowSettings s = load("    controller: unix:/run/ctl.sock\n").bridges().get("br0").openflow();
        assertThat(s.controllers()).extracting(OfTarget::toString).containsExactly("unix:/run/ctl.sock");
        assertThat(s.enabled()).isTrue();
    }

    @Test
    void badValuesNameFileLineAndKey() {
        String f = dir.resolve("sw.yaml").toString();
        assertThat(errors("    controller: ptcp:6653\n"))
                .containsExactly(f + ":5: bridges.br0.controller: expected tcp:IP[:PORT] or unix:PATH, got 'ptcp:6653'");
        assertThat(errors("    listen: [ptcp:70000]\n")).singleElement().asString()
                .startsWith(f + ":5: bridges.br0.listen[0]: bad TCP port '70000'");
        assertThat(errors("    controller: tcp:example.org\n")).singleElement().asString()
                .contains("expected an IP address");
        assertThat(errors("    protocols: [OpenFlow10]\n")).first().asString()
                .contains("bridges.br0.protocols[0]: unknown or unsupported protocol 'OpenFlow10'");
        assertThat(errors("    fail-mode: open\n")).singleElement().asString()
                .contains("bridges.br0.fail-mode: must be one of secure, standalone");
        assertThat(errors("    datapath-id: 12ab\n")).singleElement().asString()
                .contains("expected exactly 16 hex digits");
        assertThat(errors("    controller-rate-limit: 10\n")).singleElement().asString()
                .contains("at least 100");
        assertThat(errors("    inactivity-probe: 10\n")).singleElement().asString()
                .contains("at least 1000 ms");
        assertThat(errors("    controller: [tcp:127.0.0.1, tcp:127.0.0.1:6653]\n")).singleElement().asString()
                .contains("given twice");
    }

    @Test
    void aReloadSeesChannelChanges() throws Exception {
        SwitchConfig a = load("    controller: tcp:127.0.0.1\n");
        SwitchConfig same = load("    controller: tcp:127.0.0.1\n");
        SwitchConfig b = load("    controller: tcp:127.0.0.1\n    fail-mode: secure\n");
        assertThat(ReloadPlan.of(a, same).openflowChanged()).isEmpty();
        assertThat(ReloadPlan.of(a, same).isEmpty()).isTrue();
        assertThat(ReloadPlan.of(a, b).openflowChanged()).containsExactly("br0");
        assertThat(ReloadPlan.of(a, load("")).openflowChanged()).containsExactly("br0");
        assertThatThrownBy(() -> OfTarget.parse("tcp:", true, p -> p)).isInstanceOf(IllegalArgumentException.class);
    }
}
