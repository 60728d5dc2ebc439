package dev.jvswitch.config.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.ConfigError;
import dev.jvswitch.config.ConfigException;
import dev.jvswitch.config.PortSpec;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.config.TestEnvironment;
import dev.jvswitch.config.yaml.YamlConfigLoader;

/** What a reload would change, computed before anything is touched. */
class ReloadPlanTest {
    @TempDir
    Path dir;

    private static final String BASE = """
            datapath:
              pmd-idle: backoff
            bridges:
              br0:
                ports:
                  a: {type: null, ofport: 1}
                  b: {type: null, ofport: 2}
            """;

    private SwitchConfig load(String text) throws IOException, ConfigException {
        Path p = dir.resolve("sw.yaml");
        Files.writeString(p, text);
        return new YamlConfigLoader(TestEnvironment.fixed()).load(p);
    }

    @Test
    void sameFileChangesNothing() throws Exception {
        assertThat(ReloadPlan.of(load(BASE), load(BASE)).isEmpty()).isTrue();
    }

    @Test
    void portsAddedRemovedAndReopened() throws Exception {
        SwitchConfig next = load(BASE.replace("      b: {type: null, ofport: 2}\n",
                "      b: {type: null, ofport: 2, options: {mtu: 9000}}\n      c: {type: null, ofport: 3}\n")
                .replace("      a: {type: null, ofport: 1}\n", ""));
        ReloadPlan p = ReloadPlan.of(load(BASE), next);
        assertThat(p.removed()).extracting(PortSpec::name).containsExactly("a");
        assertThat(p.added()).extracting(PortSpec::name).containsExactly("c");
        assertThat(p.reopened()).extracting(PortSpec::name).containsExactly("b");
        assertThat(p.bridgesChanged()).isTrue();
        assertThat(p.flowsChanged()).isEmpty();
    }

    @Test
    void flowsAndTuningChangeLive() throws Exception {
        ReloadPlan p = ReloadPlan.of(load(BASE), load(BASE.replace("pmd-idle: backoff", "pmd-idle: backoff\n  max-idle: 500")
                + "    flows: [\"actions=drop\"]\n"));
        assertThat(p.tuningChanged()).isTrue();
        assertThat(p.flowsChanged()).containsExactly("br0");
        assertThat(p.bridgesChanged()).isFalse();
        assertThat(p.restartOnly()).isEmpty();
    }

    @Test
    void settingsThatNeedARestartRefuseTheReload() throws Exception {
        SwitchConfig next = load(BASE.replace("pmd-idle: backoff", "pmd-idle: busy\nmempool:\n  mbufs: 4096"));
        assertThat(ReloadPlan.of(load(BASE), next).restartOnly()).extracting(ConfigError::toString).containsExactly(
                dir.resolve("sw.yaml") + ":2: datapath.pmd-idle: cannot change while jvswitchd runs (was backoff); "
                        + "restart it",
                dir.resolve("sw.yaml") + ":4: mempool.mbufs: cannot change while jvswitchd runs (was 16384); "
                        + "restart it");
    }

    @Test
    void bridgeSettingsChangeLivePerBridge() throws Exception {
        ReloadPlan own = ReloadPlan.of(load(BASE), load(BASE.replace("  br0:\n", "  br0:\n    mac-table-size: 64\n")));
        assertThat(own.settingsChanged()).containsExactly("br0");
        assertThat(own.tuningChanged()).isFalse();
        assertThat(own.bridgesChanged()).isFalse();
        assertThat(own.isEmpty()).isFalse();
        assertThat(own.restartOnly()).isEmpty();
        // The deprecated datapath key is live tuning, and changes every bridge that takes it.
        ReloadPlan old = ReloadPlan.of(load(BASE), load(BASE.replace("pmd-idle: backoff",
                "pmd-idle: backoff\n  mac-aging-time: 30")));
        assertThat(old.tuningChanged()).isTrue();
        assertThat(old.settingsChanged()).containsExactly("br0");
    }
}
