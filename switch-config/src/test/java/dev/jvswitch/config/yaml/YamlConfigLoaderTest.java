package dev.jvswitch.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.BridgeSpec;
import dev.jvswitch.config.ConfigError;
import dev.jvswitch.config.ConfigException;
import dev.jvswitch.config.ControlSettings;
import dev.jvswitch.config.MempoolSettings;
import dev.jvswitch.config.PortSpec;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.config.TestEnvironment;
import dev.jvswitch.pmd.DatapathConfig;

/**
 * Config validation: one test per error class, each with the exact {@code FILE:LINE: KEY:
 * message} a user sees, and a valid file read into the model with its defaults. The environment
 * is fixed (CPUs 0-1, the four port types) so messages do not depend on the machine. Flow and
 * group syntax is ofproto's: the daemon's {@code ConfigFlowSyntaxTest} checks those messages.
 */
class YamlConfigLoaderTest {
    @TempDir
    Path dir;

    private static final String PORTS = """
            bridges:
              br0:
                ports:
                  p1: {type: null, ofport: 1}
            """;

    private final YamlConfigLoader loader = new YamlConfigLoader(TestEnvironment.fixed());

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** The errors of loading {@code text}, as printed. */
    private List<String> errors(String text) throws IOException {
        Path p = write("sw.yaml", text);
        try {
            loader.load(p);
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
        throw new AssertionError("expected the config to be rejected:\n" + text);
    }

    private String file() {
        return dir.resolve("sw.yaml").toString();
    }

    @Test
    void unknownKey() throws IOException {
        assertThat(errors("datapath:\n  flow-limit: 10\n  pmd-cpu-maks: 0x1\n")).containsExactly(file()
                + ":3: datapath.pmd-cpu-maks: unknown key (known keys: emc-insert-inv-prob, flow-limit, mac-aging-time,"
                + " mac-table-size, max-idle, n-revalidator-threads, pmd-cpu-mask, pmd-idle, pmd-rxq-assign, smc-enable,"
                + " tx-flush-interval)");
    }

    @Test
    void unknownTopLevelAndPortKeys() throws IOException {
        assertThat(errors("bridge:\n  br0: {}\n" + PORTS.replace("ofport: 1}", "ofport: 1, vlan: 3}")))
                .containsExactly(
                        file() + ":1: bridge: unknown key (known keys: bridges, conntrack, control, datapath, db, mempool, mirrors, routes)",
                        file() + ":6: bridges.br0.ports.p1.vlan: unknown key (known keys: ofport, options, "
                                + "pmd-rxq-affinity, tag, trunks, type)");
    }

    @Test
    void wrongTypeOfScalar() throws IOException {
        assertThat(errors("datapath:\n  flow-limit: lots\n  smc-enable: maybe\n")).containsExactly(
                file() + ":2: datapath.flow-limit: expected an integer, got 'lots'",
                file() + ":3: datapath.smc-enable: expected true or false, got 'maybe'");
    }

    @Test
    void wrongTypeOfSection() throws IOException {
        assertThat(errors("datapath:\n  - flow-limit: 10\nmempool: 7\n")).containsExactly(
                file() + ":2: datapath: expected a mapping (key: value lines), got a list",
                file() + ":3: mempool: expected a mapping (key: value lines), got '7'");
    }

    @Test
    void outOfRange() throws IOException {
        assertThat(errors("datapath:\n  emc-insert-inv-prob: -1\nmempool:\n  mbufs: 10\n")).containsExactly(
                file() + ":2: datapath.emc-insert-inv-prob: must be within 0..2147483647, got -1",
                file() + ":4: mempool.mbufs: must be within 256..16777216, got 10");
    }

    @Test
    void notOneOfTheChoices() throws IOException {
        assertThat(errors("datapath:\n  pmd-rxq-assign: group\n")).containsExactly(
                file() + ":2: datapath.pmd-rxq-assign: must be one of roundrobin, cycles; got 'group'");
    }

    @Test
    void unknownPortType() throws IOException {
        assertThat(errors(PORTS.replace("type: null", "type: afpackt"))).containsExactly(file()
                + ":4: bridges.br0.ports.p1.type: unknown port type 'afpackt' (known: afpacket, null, pcap, ring)");
    }

    @Test
    void duplicateOfport() throws IOException {
        assertThat(errors(PORTS + "      p2: {type: null, ofport: 1}\n")).containsExactly(
                file() + ":5: bridges.br0.ports.p2.ofport: ofport 1 is already used by port p1 (line 4)");
    }

    @Test
    void sameOfportInTwoBridgesIsFineButNotTheSamePortName() throws IOException {
        assertThat(errors(PORTS + "  br1:\n    ports:\n      p1: {type: null, ofport: 1}\n")).containsExactly(
                file() + ":7: bridges.br1.ports.p1: port name p1 is already used in bridge br0 (line 4)");
    }

    @Test
    void missingRequiredKey() throws IOException {
        assertThat(errors("bridges:\n  br0:\n    ports:\n      p1: {ofport: 1}\n")).containsExactly(
                file() + ":4: bridges.br0.ports.p1: missing required key 'type'");
    }

    @Test
    void cpuThatDoesNotExist() throws IOException {
        assertThat(errors("datapath:\n  pmd-cpu-mask: 0x5\n")).containsExactly(file()
                + ":2: datapath.pmd-cpu-mask: CPU 2 does not exist or is not allowed for this process (allowed: 0-1)");
        assertThat(errors("datapath:\n  pmd-cpu-mask: zz\n")).containsExactly(file()
                + ":2: datapath.pmd-cpu-mask: expected a hex CPU mask like 0x6 (bit N = CPU N), got 'zz'");
    }

    @Test
    void rxqAffinityToACpuWithoutPmd() throws IOException {
        assertThat(errors("datapath:\n  pmd-cpu-mask: 0x2\n"
                + PORTS.replace("ofport: 1}", "ofport: 1, pmd-rxq-affinity: \"0:0\"}"))).containsExactly(
                file() + ":6: bridges.br0.ports.p1.pmd-rxq-affinity: CPU 0 has no PMD (pmd-cpu-mask gives CPUs 1)");
    }

    @Test
    void notValidYaml() throws IOException {
        assertThat(errors("datapath:\n  flow-limit: 10\n   max-idle: 5\n")).containsExactly(
                file() + ":3: (yaml): not valid YAML: mapping values are not allowed here");
    }

    @Test
    void duplicateKey() throws IOException {
        assertThat(errors("datapath:\n  flow-limit: 10\n  flow-limit: 20\n")).containsExactly(
                file() + ":3: datapath.flow-limit: duplicate key (first at line 2)");
    }

    @Test
    void everyErrorAtOnceInFileOrder() throws IOException {
        List<String> errors = errors("""
                datapath:
                  pmd-idle: fast
                  flow-limit: 0
                bridges:
                  br0:
                    ports:
                      p1: {type: tap, ofport: 1}
                      p2: {type: null, ofport: 70000}
                control:
                  log-level: loud
                """);
        assertThat(errors).containsExactly(
                file() + ":2: datapath.pmd-idle: must be one of busy, backoff, sleep; got 'fast'",
                file() + ":3: datapath.flow-limit: must be within 1..10000000, got 0",
                file() + ":7: bridges.br0.ports.p1.type: unknown port type 'tap' (known: afpacket, null, pcap, ring)",
                file() + ":8: bridges.br0.ports.p2.ofport: must be within 1..65279, got 70000",
                file() + ":10: control.log-level: must be one of off, error, warn, info, debug, trace; got 'loud'");
    }

    @Test
    void unreadableFile() {
        assertThatThrownBy(() -> loader.load(dir.resolve("absent.yaml"))).isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("absent.yaml") + ":1: (file): cannot read: no such file");
    }

    @Test
    void validFileWithDefaults() throws IOException, ConfigException {
        write("br0.flows", "priority=10,in_port=1,actions=output:2\n");
        SwitchConfig c = loader.load(write("ok.yaml", """
                datapath:
                  pmd-idle: backoff
                  max-idle: 2000
                bridges:
                  br0:
                    ports:
                      a: {type: null, ofport: 1, options: {mtu: 9000}}
                      b: {type: null, ofport: 2, pmd-rxq-affinity: "0:1"}
                    flows:
                      - "@br0.flows"
                      - priority=0,actions=normal
                  br1:
                    ports:
                      c: {type: null, ofport: 1}
                control:
                  socket: run/sw.sock
                """));
        DatapathConfig d = c.datapath();
        assertThat(d.pmdCpus()).containsExactly(1);
        assertThat(d.idle()).isEqualTo(DatapathConfig.Idle.BACKOFF);
        assertThat(d.rxqAssign()).isEqualTo(DatapathConfig.RxqAssign.ROUNDROBIN);
        assertThat(c.revalidators().maxIdleMs()).isEqualTo(2000);
        assertThat(d.flowLimit()).isEqualTo(200_000);
        assertThat(d.emcInsertInvProb()).isEqualTo(100);
        assertThat(c.bridgeDefaults().macAgingSec()).isEqualTo(300);
        assertThat(c.mempool().mbufs()).isEqualTo(MempoolSettings.DEFAULT_MBUFS);
        assertThat(c.control().socket()).isEqualTo(dir.resolve("run/sw.sock").toString());
        assertThat(c.control().logLevel()).isEqualTo("info");
        BridgeSpec br0 = c.bridges().get("br0");
        assertThat(br0.ports().keySet()).containsExactly("a", "b");
        assertThat(br0.ports().get("a").options()).containsEntry("mtu", "9000");
        assertThat(br0.ports().get("b").rxqAffinity()).containsEntry(0, 1);
        assertThat(br0.flowTexts()).containsExactly("priority=10,in_port=1,actions=output:2", "priority=0,actions=normal");
        assertThat(br0.flows().get(0).file()).isEqualTo(dir.resolve("br0.flows").toString());
        assertThat(c.bridges().get("br1").flowTexts()).containsExactly(BridgeSpec.DEFAULT_FLOW);
        assertThat(c.line("datapath.max-idle")).isEqualTo(3);
        assertThat(c.ports()).extracting(PortSpec::name).containsExactly("a", "b", "c");
    }

    @Test
    void cpuMaskSelectsThosePmds() throws IOException, ConfigException {
        SwitchConfig c = loader.load(write("ok.yaml", "datapath:\n  pmd-cpu-mask: \"0x3\"\n"));
        assertThat(c.pmdCpus()).containsExactly(0, 1);
        assertThat(c.datapath().pmdCpus()).containsExactly(0, 1);
    }

    @Test
    void emptyFileIsASwitchWithNoBridges() throws IOException, ConfigException {
        SwitchConfig c = loader.load(write("empty.yaml", ""));
        assertThat(c.bridges()).isEmpty();
        assertThat(c.control().socket()).isEqualTo(ControlSettings.DEFAULT_SOCKET);
    }
}
