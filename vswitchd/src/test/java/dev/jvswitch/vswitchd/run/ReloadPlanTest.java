package dev.jvswitch.vswitchd.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.vswitchd.config.ConfigError;
import dev.jvswitch.vswitchd.config.ConfigException;
import dev.jvswitch.vswitchd.config.ConfigLoader;
import dev.jvswitch.vswitchd.config.PortSpec;
import dev.jvswitch.vswitchd.config.SwitchConfig;
import dev.jvswitch.vswitchd.ofproto.OfprotoFlowChecker;

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
        BitSet cpus = new BitSet();
        cpus.set(0, 2);
        Path p = dir.resolve("sw.yaml");
        Files.writeString(p, text);
        return new ConfigLoader(new ConfigLoader.Environment(cpus, Set.of("null", "ring"), new OfprotoFlowChecker()))
                .load(p);
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
        assertThat(p.removed).extracting(PortSpec::name).containsExactly("a");
        assertThat(p.added).extracting(PortSpec::name).containsExactly("c");
        assertThat(p.reopened).extracting(PortSpec::name).containsExactly("b");
        assertThat(p.bridgesChanged).isTrue();
        assertThat(p.flowsChanged).isEmpty();
    }

    @Test
    void flowsAndTuningChangeLive() throws Exception {
        ReloadPlan p = ReloadPlan.of(load(BASE), load(BASE.replace("pmd-idle: backoff", "pmd-idle: backoff\n  max-idle: 500")
                + "    flows: [\"actions=drop\"]\n"));
        assertThat(p.tuningChanged).isTrue();
        assertThat(p.flowsChanged).containsExactly("br0");
        assertThat(p.bridgesChanged).isFalse();
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
}
