package dev.jvswitch.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jvswitch.config.ConfigException;
import dev.jvswitch.config.MirrorSettings;
import dev.jvswitch.config.TestEnvironment;

/** The {@code mirrors} section: every key read with its default, every mistake named by file, line and key. */
class MirrorSectionTest {
    private static final String BRIDGE = """
            bridges:
              br0:
                ports:
                  p1: {type: null, ofport: 1}
                  p2: {type: null, ofport: 2}
            """;
    private final YamlConfigLoader loader = new YamlConfigLoader(TestEnvironment.fixed());

    private List<MirrorSettings> mirrors(String section) throws ConfigException {
        return loader.parse("/etc/j/sw.yaml", BRIDGE + section).mirrors();
    }

    private void refused(String section, String expected) {
        assertThatThrownBy(() -> mirrors(section)).as(section).isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void noSectionNoMirrors() throws Exception {
        assertThat(mirrors("")).isEmpty();
        assertThat(mirrors("mirrors: {}\n")).isEmpty();
    }

    @Test
    void aFileMirrorAndAnInterfaceMirrorWithTheirDefaults() throws Exception {
        List<MirrorSettings> m = mirrors("""
                mirrors:
                  cap1:
                    port: p1
                    file: caps/p1.pcap
                  span:
                    port: p2
                    direction: rx
                    output-interface: mir0
                    snaplen: 128
                    max-pps: 0
                """);
        assertThat(m).containsExactly(
                new MirrorSettings("cap1", "p1", "/etc/j/caps/p1.pcap", null, true, true, 65_535, 100L << 20, 100_000),
                new MirrorSettings("span", "p2", null, "mir0", true, false, 128, Long.MAX_VALUE, 0));
        assertThat(m.get(1).direction()).isEqualTo("rx");
        assertThat(mirrors("mirrors:\n  t:\n    port: p1\n    direction: tx\n    file: /x.pcap\n    max-bytes: 4096\n")
                .get(0)).extracting(MirrorSettings::rx, MirrorSettings::tx, MirrorSettings::maxBytes)
                .containsExactly(false, true, 4096L);
    }

    @Test
    void mistakesAreNamedWithFileLineAndKey() {
        refused("mirrors:\n  m:\n    file: /x.pcap\n", "sw.yaml:7: mirrors.m: a mirror needs a port");
        refused("mirrors:\n  m:\n    port: p9\n    file: /x.pcap\n", "sw.yaml:8: mirrors.m.port: no port named p9 in any bridge");
        refused("mirrors:\n  m:\n    port: p1\n", "sw.yaml:7: mirrors.m: a mirror needs a file or an output-interface");
        refused("mirrors:\n  m:\n    port: p1\n    file: /x.pcap\n    output-interface: mir0\n",
                "sw.yaml:10: mirrors.m.output-interface: a mirror has a file or an output-interface, not both");
        refused("mirrors:\n  m:\n    port: p1\n    output-interface: a/b\n",
                "sw.yaml:9: mirrors.m.output-interface: not a valid interface name");
        refused("mirrors:\n  m:\n    port: p1\n    output-interface: sixteen-bytes-xx\n",
                "sw.yaml:9: mirrors.m.output-interface: an interface name is 1..15 bytes");
        refused("mirrors:\n  m:\n    port: p1\n    file: /x\n    direction: out\n",
                "sw.yaml:10: mirrors.m.direction: must be one of both, rx, tx");
        refused("mirrors:\n  m:\n    port: p1\n    file: /x\n    snaplen: 13\n",
                "sw.yaml:10: mirrors.m.snaplen: must be within 14..65535");
        refused("mirrors:\n  m:\n    port: p1\n    file: /x\n    max-bytes: 100\n",
                "sw.yaml:10: mirrors.m.max-bytes: must be within 4096..");
        refused("mirrors:\n  m:\n    port: p1\n    file: /x\n    max-pps: -1\n",
                "sw.yaml:10: mirrors.m.max-pps: must be within 0..100000000");
        refused("mirrors:\n  m:\n    port: p1\n    file: /x\n    select-all: true\n", "sw.yaml:10: mirrors.m.select-all");
        refused("mirrors:\n  a:\n    port: p1\n    file: /a\n  b:\n    port: p1\n    file: /b\n",
                "sw.yaml:11: mirrors.b.port: port p1 has a mirror already (a): one mirror per port");
        refused("mirrors:\n  'bad name':\n    port: p1\n    file: /a\n", "sw.yaml:7: mirrors.bad name: mirror name must be");
    }

    @Test
    void underADatabaseThePortIsCheckedByTheDaemon() throws Exception {
        List<MirrorSettings> m = loader.parse("/etc/j/sw.yaml", "mirrors:\n  m:\n    port: vm1\n    file: /x.pcap\n")
                .mirrors();
        assertThat(m).extracting(MirrorSettings::port).containsExactly("vm1");
    }
}
