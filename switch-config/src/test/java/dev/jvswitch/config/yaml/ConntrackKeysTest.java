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
import dev.jvswitch.config.ConntrackSettings;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.config.TestEnvironment;
import dev.jvswitch.config.reload.ReloadPlan;
import dev.jvswitch.conntrack.Conntrack;
import dev.jvswitch.conntrack.CtTimeouts;

/**
 * The {@code conntrack} section: its keys and their defaults, one-line errors with file and line
 * for bad values, a reload plan that sees a change, and applying it to a tracker (limits and
 * policies a new config drops are removed).
 */
class ConntrackKeysTest {
    @TempDir
    Path dir;

    private final YamlConfigLoader loader = new YamlConfigLoader(TestEnvironment.fixed());

    private static final String FULL = """
            conntrack:
              ct-maxconns: 5000
              tcp_seq_chk: false
              default-limit: 100
              timeout-policy: {udp_first: 30, icmp_reply: 5}
              zones:
                5:
                  limit: 10
                  timeout-policy:
                    tcp_established: 3600
                7: {limit: 0}
              ipf: {enabled-v6: false, min-frag-v4: 600, max-nfrags: 50}
            """;

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

    private String file() {
        return dir.resolve("sw.yaml").toString();
    }

    @Test
    void withoutTheSectionTheTrackersDefaults() throws Exception {
        assertThat(load("bridges: {}\n").conntrack()).isEqualTo(ConntrackSettings.DEFAULTS);
        assertThat(ConntrackSettings.DEFAULTS.maxConns()).isEqualTo(3_000_000);
        assertThat(ConntrackSettings.DEFAULTS.tcpSeqChk()).isTrue();
    }

    @Test
    void everyKeyIsRead() throws Exception {
        ConntrackSettings c = load(FULL).conntrack();
        assertThat(c.maxConns()).isEqualTo(5000);
        assertThat(c.tcpSeqChk()).isFalse();
        assertThat(c.defaultLimit()).isEqualTo(100);
        assertThat(c.defaultPolicy()).isEqualTo(Map.of(CtTimeouts.OTHER_FIRST, 30, CtTimeouts.ICMP_REPLY, 5));
        assertThat(c.zoneLimits()).isEqualTo(Map.of(5, 10, 7, 0));
        assertThat(c.zonePolicies()).isEqualTo(Map.of(5, Map.of(CtTimeouts.TCP_ESTABLISHED, 3600)));
        assertThat(c.ipf()).isEqualTo(new ConntrackSettings.IpfSettings(true, false, 600, 1280, 50));
    }

    @Test
    void badValuesAreOneLineErrorsWithFileAndLine() throws Exception {
        List<String> errors = errors("""
                conntrack:
                  ct-maxconns: -1
                  tcp_seq_chk: maybe
                  timeout-policy: {udp_first: 0, tcp_unack: 5}
                  zones:
                    70000: {limit: 1}
                    5: {limit: lots, timeout: 3}
                  ipf: {min-frag-v4: 100}
                """);
        assertThat(errors).containsExactly(
                file() + ":2: conntrack.ct-maxconns: must be within 0..2147483647, got -1",
                file() + ":3: conntrack.tcp_seq_chk: expected true or false, got 'maybe'",
                file() + ":4: conntrack.timeout-policy.tcp_unack: unknown key (known keys: icmp_first, icmp_reply, "
                        + "tcp_close, tcp_established, tcp_fin_wait, tcp_syn_recv, tcp_syn_sent, tcp_time_wait, "
                        + "udp_first, udp_multiple, udp_single)",
                file() + ":4: conntrack.timeout-policy.udp_first: must be within 1..2147483, got 0",
                file() + ":6: conntrack.zones.70000: a zone is named by its number: must be within 0..65535, got 70000",
                file() + ":7: conntrack.zones.5.timeout: unknown key (known keys: limit, timeout-policy)",
                file() + ":7: conntrack.zones.5.limit: expected an integer, got 'lots'",
                file() + ":8: conntrack.ipf.min-frag-v4: must be within 400..65535, got 100");
        assertThat(errors).allSatisfy(e -> assertThat(e).doesNotContain("\n"));
    }

    @Test
    void aReloadSeesAChangeOfTheSection() throws Exception {
        SwitchConfig a = load("bridges: {}\n");
        SwitchConfig b = load(FULL);
        assertThat(ReloadPlan.of(a, a).isEmpty()).isTrue();
        ReloadPlan plan = ReloadPlan.of(a, b);
        assertThat(plan.conntrackChanged()).isTrue();
        assertThat(plan.isEmpty()).isFalse();
        assertThat(plan.restartOnly()).isEmpty();
    }

    @Test
    void applyingSetsTheTrackerAndRemovesWhatTheNewConfigDrops() throws Exception {
        Conntrack ct = new Conntrack();
        ConntrackSettings full = load(FULL).conntrack();
        full.applyTo(ct, null);
        assertThat(ct.config().maxConns()).isEqualTo(5000);
        assertThat(ct.config().tcpSeqChk()).isFalse();
        assertThat(ct.defaultLimit()).isEqualTo(100);
        assertThat(ct.effectiveLimit(5)).isEqualTo(10);
        assertThat(ct.hasOwnLimit(7)).isTrue();
        assertThat(ct.config().timeoutMs(CtTimeouts.OTHER_FIRST)).isEqualTo(30_000);
        assertThat(ct.config().zonePolicy(5)).isEqualTo(Map.of(CtTimeouts.TCP_ESTABLISHED, 3600));
        assertThat(ct.ipf().enabled(true)).isFalse();
        assertThat(ct.ipf().minFragSize(false)).isEqualTo(600);
        assertThat(ct.ipf().maxFrags()).isEqualTo(50);

        ConntrackSettings.DEFAULTS.applyTo(ct, full);
        assertThat(ct.config().maxConns()).isEqualTo(3_000_000);
        assertThat(ct.config().tcpSeqChk()).isTrue();
        assertThat(ct.hasOwnLimit(5)).isFalse();
        assertThat(ct.hasOwnLimit(7)).isFalse();
        assertThat(ct.effectiveLimit(5)).isZero();
        assertThat(ct.config().timeoutMs(CtTimeouts.OTHER_FIRST)).isEqualTo(60_000);
        assertThat(ct.config().zonePolicy(5)).isEmpty();
        assertThat(ct.ipf().enabled(true)).isTrue();
        assertThat(ct.ipf().maxFrags()).isEqualTo(1000);
    }
}
