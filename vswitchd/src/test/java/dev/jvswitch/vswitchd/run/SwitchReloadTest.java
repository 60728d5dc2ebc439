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

    @Test
    void theConntrackSectionAppliesOnReloadAndAnUnchangedOneKeepsWhatCommandsSet() throws Exception {
        var ct = sw.datapath().conntrack();
        String withCt = BASE + """
                conntrack:
                  ct-maxconns: 1000
                  zones:
                    5: {limit: 7, timeout-policy: {udp_first: 9}}
                """;
        assertThat(sw.reload(load(withCt))).containsExactly("conntrack settings changed");
        assertThat(ct.config().maxConns()).isEqualTo(1000);
        assertThat(ct.effectiveLimit(5)).isEqualTo(7);
        assertThat(ct.config().zonePolicy(5)).containsEntry(dev.jvswitch.conntrack.CtTimeouts.OTHER_FIRST, 9);
        ct.config().maxConns(2000); // as dpctl/ct-set-maxconns would
        assertThat(sw.reload(load(withCt))).isEmpty();
        assertThat(ct.config().maxConns()).isEqualTo(2000);
        assertThat(sw.reload(load(BASE))).containsExactly("conntrack settings changed");
        assertThat(ct.config().maxConns()).isEqualTo(3_000_000);
        assertThat(ct.hasOwnLimit(5)).isFalse();
        assertThat(ct.config().zonePolicy(5)).isEmpty();
    }

    /** A port reopens after its old netdev closes; when the new one cannot open, the old one comes back. */
    @Test
    void aReopenThatCannotOpenBringsTheOldPortBackAndChangesNothing() throws Exception {
        var before = sw.datapath().port(sw.dpPort("a"));
        SwitchConfig bad = load(BASE.replace("a: {type: null, ofport: 1}",
                "a: {type: afpacket, ofport: 1, options: {ifname: nosuchdev0}}"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sw.reload(bad))
                .isInstanceOf(dev.jvswitch.config.ConfigException.class).hasMessageContaining("nosuchdev0");
        assertThat(sw.config().bridges().get("br0").ports().get("a").type()).isEqualTo("null");
        var after = sw.datapath().port(sw.dpPort("a"));
        assertThat(after).as("a null port again, in the same datapath slot").isNotNull().isNotSameAs(before);
        assertThat(after.getClass()).isEqualTo(before.getClass());
        assertThat(sw.reload(load(BASE.replace("a: {type: null, ofport: 1}", "a: {type: null, ofport: 1, "
                + "options: {mtu: 9000}}")))).containsExactly("reopened port a (type, options or pmd-rxq-affinity changed)");
    }
}
