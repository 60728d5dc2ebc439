package dev.jvswitch.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.jvswitch.config.ConfigException;
import dev.jvswitch.config.MetricsListen;
import dev.jvswitch.config.TestEnvironment;
import dev.jvswitch.config.reload.ReloadPlan;

/** {@code control.log-file} and {@code control.metrics-listen}: read, checked with the line, restart-only. */
class OpsKeysTest {
    private final YamlConfigLoader loader = new YamlConfigLoader(TestEnvironment.fixed());

    @Test
    void absentMeansStderrAndNoEndpoint() throws Exception {
        var c = loader.parse("/etc/j/a.yaml", "datapath: {}\n").control();
        assertThat(c.logFile()).isNull();
        assertThat(c.metricsListen()).isNull();
    }

    @Test
    void logFileIsRelativeToTheConfigAndMetricsDefaultToLoopback() throws Exception {
        var c = loader.parse("/etc/j/a.yaml", "control:\n  log-file: logs/j.log\n  metrics-listen: 9475\n").control();
        assertThat(c.logFile()).isEqualTo("/etc/j/logs/j.log");
        assertThat(c.metricsListen()).isEqualTo("127.0.0.1:9475");
        assertThat(loader.parse("a.yaml", "control:\n  metrics-listen: 0.0.0.0:9100\n").control().metricsListen())
                .isEqualTo("0.0.0.0:9100");
        assertThat(loader.parse("a.yaml", "control:\n  metrics-listen: \"[::1]:9475\"\n").control().metricsListen())
                .isEqualTo("[0:0:0:0:0:0:0:1]:9475");
    }

    @Test
    void badAddressesNameFileLineAndKey() {
        for (String bad : new String[] {"localhost:9475", "127.0.0.1:0", "127.0.0.1:70000", "1.2.3:80", "x"}) {
            assertThatThrownBy(() -> loader.parse("a.yaml", "datapath: {}\ncontrol:\n  metrics-listen: " + bad + "\n"))
                    .as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("a.yaml:3: control.metrics-listen: expected IP:PORT");
            assertThat(MetricsListen.parse(bad)).isNull();
        }
    }

    @Test
    void changingEitherNeedsARestart() throws Exception {
        ReloadPlan p = ReloadPlan.of(loader.parse("a.yaml", "control:\n  metrics-listen: 9475\n"),
                loader.parse("a.yaml", "control:\n  metrics-listen: 9476\n  log-file: /var/log/j.log\n"));
        assertThat(p.restartOnly()).extracting(Object::toString)
                .anyMatch(e -> e.contains("control.metrics-listen"))
                .anyMatch(e -> e.contains("control.log-file"));
    }
}
