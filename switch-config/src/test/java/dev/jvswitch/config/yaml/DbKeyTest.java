package dev.jvswitch.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.jvswitch.config.ConfigException;
import dev.jvswitch.config.TestEnvironment;
import dev.jvswitch.config.reload.ReloadPlan;

/** The top-level {@code db} key: the OVSDB database the bridges come from. */
class DbKeyTest {
    private final YamlConfigLoader loader = new YamlConfigLoader(TestEnvironment.fixed());

    @Test
    void readsUnixAndTcpTargets() throws Exception {
        assertThat(loader.parse("a.yaml", "db: unix:/run/openvswitch/db.sock\n").control().db())
                .isEqualTo("unix:/run/openvswitch/db.sock");
        assertThat(loader.parse("a.yaml", "db: tcp:127.0.0.1:6640\n").control().db()).isEqualTo("tcp:127.0.0.1:6640");
        assertThat(loader.parse("a.yaml", "datapath: {}\n").control().db()).isNull();
    }

    @Test
    void refusesOtherTargetsWithTheLine() {
        assertThatThrownBy(() -> loader.parse("a.yaml", "datapath: {}\ndb: ssl:1.2.3.4:6640\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("a.yaml:2: db: expected unix:/ABSOLUTE/PATH or tcp:IP:PORT, got 'ssl:1.2.3.4:6640'");
    }

    @Test
    void changingItNeedsARestart() throws Exception {
        ReloadPlan p = ReloadPlan.of(loader.parse("a.yaml", "db: tcp:127.0.0.1:6640\n"),
                loader.parse("a.yaml", "db: tcp:127.0.0.1:6641\n"));
        assertThat(p.restartOnly()).extracting(Object::toString).anyMatch(e -> e.contains("db: cannot change"));
    }
}
