package dev.jvswitch.vswitchd.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.BridgeSettings;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.vswitchd.TestSwitch;
import dev.jvswitch.vswitchd.config.OfprotoConfigs;

/**
 * Reloads that change MAC learning: a bridge's own keys change that bridge live, with a line of
 * its own; the deprecated {@code datapath} keys keep their old reply ("datapath tuning changed")
 * and reach every bridge that takes them. The running snapshot is the new one afterwards.
 */
class SwitchReloadTest {
    private static final String BASE = """
            datapath:
              pmd-idle: backoff
            mempool:
              mbufs: 512
            bridges:
              br0:
                ports:
                  a: {type: null, ofport: 1}
              br1:
                mac-table-size: 100
                ports:
                  b: {type: null, ofport: 1}
            control:
              socket: ctl.sock
            """;

    @TempDir
    Path dir;
    private TestSwitch ts;
    private Switch sw;

    private SwitchConfig load(String text) throws Exception {
        return ts.load(text);
    }

    @BeforeEach
    void setUp() throws Exception {
        ts = TestSwitch.start(dir, BASE, false);
        sw = ts.sw;
    }

    @AfterEach
    void tearDown() {
        ts.close();
    }

    @Test
    void aBridgesOwnKeysChangeThatBridge() throws Exception {
        SwitchConfig next = load(BASE.replace("mac-table-size: 100", "mac-table-size: 200\n    mac-aging-time: 30"));
        assertThat(sw.reload(next)).containsExactly("changed the settings of br1 (mac-table-size 200, "
                + "mac-aging-time 30)");
        assertThat(sw.config()).isSameAs(next);
        assertThat(sw.config().bridges().get("br0").settings()).isEqualTo(OfprotoConfigs.defaults().bridge());
    }

    @Test
    void theDeprecatedDatapathKeysStillReadAsTuning() throws Exception {
        SwitchConfig next = load(BASE.replace("pmd-idle: backoff", "pmd-idle: backoff\n  mac-aging-time: 30"));
        assertThat(sw.reload(next)).containsExactly("datapath tuning changed",
                "changed the settings of br1 (mac-table-size 100, mac-aging-time 30)");
        assertThat(sw.config().bridges().get("br0").settings()).isEqualTo(new BridgeSettings(2048, 30));
        assertThat(sw.reload(load(BASE.replace("pmd-idle: backoff", "pmd-idle: backoff\n  mac-aging-time: 30"))))
                .isEmpty();
    }
}
