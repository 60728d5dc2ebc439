package dev.jvswitch.vswitchd.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.ConfigEnvironment;
import dev.jvswitch.config.ConfigError;
import dev.jvswitch.config.ConfigException;
import dev.jvswitch.config.PortSpec;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.config.yaml.YamlConfigLoader;
import dev.jvswitch.vswitchd.ofproto.OfprotoFlowChecker;

/**
 * The config file with the daemon's own flow checker (ofproto's syntax), which switch-config's
 * tests cannot use: flow and group syntax errors with the exact {@code FILE:LINE: KEY: message}
 * a user sees, in the config file and in {@code @file}s, and the shipped configs. The
 * environment is fixed (CPUs 0-1, the four port types) so messages do not depend on the machine.
 */
class ConfigFlowSyntaxTest {
    @TempDir
    Path dir;

    private static final String PORTS = """
            bridges:
              br0:
                ports:
                  p1: {type: null, ofport: 1}
            """;

    private final YamlConfigLoader loader = new YamlConfigLoader(new ConfigEnvironment(cpus(0, 1),
            Set.of("afpacket", "null", "pcap", "ring"), new OfprotoFlowChecker(), OfprotoConfigs.defaults()));

    private static BitSet cpus(int... ids) {
        BitSet s = new BitSet();
        for (int id : ids) {
            s.set(id);
        }
        return s;
    }

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
    void flowThatDoesNotParse() throws IOException {
        assertThat(errors(PORTS + "    flows:\n      - actions=normal\n      - in_port=1,ip,nw_dsst=10.0.0.1,actions=drop\n"))
                .containsExactly(file() + ":7: bridges.br0.flows[1]: flow syntax error at column 14: unknown field "
                        + "'nw_dsst'");
    }

    @Test
    void flowFileErrorsNameTheFlowFileAndItsLine() throws IOException {
        write("br0.flows", "# flows of br0\n\npriority=10,in_port=1,actions=output:2\nin_port=1,actions=outptu:2\n");
        assertThat(errors(PORTS + "    flows: \"@br0.flows\"\n")).containsExactly(dir.resolve("br0.flows")
                + ":4: bridges.br0.flows: flow syntax error at column 19: unknown action 'outptu'");
        assertThat(errors(PORTS + "    flows:\n      - \"@nope.flows\"\n")).containsExactly(
                file() + ":6: bridges.br0.flows[0]: cannot read " + dir.resolve("nope.flows") + ": no such file");
    }

    @Test
    void vlanPortsAndGroupsAreCheckedByTheSlowPath() throws IOException, ConfigException {
        String ports = PORTS.replace("ofport: 1}",
                "ofport: 1, tag: 10}\n      p2: {type: null, ofport: 2, trunks: [10, 20]}");
        SwitchConfig ok = loader.load(write("sw.yaml", ports
                + "    groups:\n      - group_id=1,type=all,bucket=output:1,bucket=output:2\n"
                + "    flows:\n      - in_port=2,actions=group:1\n"));
        assertThat(ok.bridges().get("br0").ports().get("p1").tag()).isEqualTo(10);
        assertThat(ok.bridges().get("br0").ports().get("p2").trunks()).containsExactly(10, 20);
        assertThat(ok.bridges().get("br0").groupTexts()).hasSize(1);
        assertThat(errors(ports + "    groups:\n      - group_id=1,type=fast,bucket=output:1\n")).containsExactly(
                file() + ":7: bridges.br0.groups[0]: group syntax error at column 17: invalid value 'fast' for type "
                        + "(expected all, select, indirect or ff)");
    }

    @Test
    void prefixFieldsAreCheckedByTheSlowPath() throws IOException, ConfigException {
        SwitchConfig ok = loader.load(write("sw.yaml", PORTS
                + "    flow-tables:\n      0: {prefixes: [ipv6_dst, ip_src]}\n      1: {prefixes: none}\n"));
        assertThat(ok.bridges().get("br0").settings().prefixes()).containsOnlyKeys(0, 1);
        assertThat(errors(PORTS + "    flow-tables:\n      0: {prefixes: [nw_dst, tp_src]}\n"
                + "      1: {prefixes: 'nw_dst,nw_src,ipv6_dst,ipv6_src'}\n      2: {prefixes: [nw_dst, nw_dst]}\n"
                + "      3: {prefixes: [none, nw_dst]}\n      4: {prefixes: nw_dstt}\n")).containsExactly(
                file() + ":6: bridges.br0.flow-tables.0.prefixes: field 'tp_src' cannot be prefix-tracked (allowed: "
                        + "tun_id, tun_src, tun_dst, nw_src, nw_dst, ipv6_src, ipv6_dst, or none)",
                file() + ":7: bridges.br0.flow-tables.1.prefixes: 4 prefix fields; a table tracks at most 3",
                file() + ":8: bridges.br0.flow-tables.2.prefixes: field 'nw_dst' is given twice",
                file() + ":9: bridges.br0.flow-tables.3.prefixes: 'none' must be the only prefix field",
                file() + ":10: bridges.br0.flow-tables.4.prefixes: unknown field 'nw_dstt'");
    }

    @Test
    void shippedConfigsAreValid() throws ConfigException {
        Path conf = Path.of(System.getProperty("user.dir")).resolve("../conf").normalize();
        assertThat(loader.load(conf.resolve("jvswitch.yaml")).bridges()).containsKey("br0");
        SwitchConfig demo = loader.load(conf.resolve("demo.yaml"));
        assertThat(demo.ports()).extracting(PortSpec::type).containsOnly("afpacket");
        assertThat(YamlConfigLoader.socketOf(conf.resolve("demo.yaml"))).isEqualTo("/tmp/jvs-demo/jvswitchd.sock");
    }
}
