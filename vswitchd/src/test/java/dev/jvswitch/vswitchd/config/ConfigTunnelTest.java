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
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.config.yaml.YamlConfigLoader;
import dev.jvswitch.vswitchd.ofproto.OfprotoFlowChecker;

/**
 * Tunnel configuration errors as a user sees them, {@code FILE:LINE: KEY: message}, with the real
 * {@code vxlan} port type (switch-config's own tests have no tunnel type on their class path):
 * a port's options one by one, combinations across ports and endpoints, endpoints and routes;
 * and {@code conf/vxlan.yaml}.
 */
class ConfigTunnelTest {
    @TempDir
    Path dir;

    private final YamlConfigLoader loader = new YamlConfigLoader(new ConfigEnvironment(cpus(),
            Set.of("afpacket", "null", "pcap", "ring", "vxlan"), new OfprotoFlowChecker(), OfprotoConfigs.defaults()));

    private static BitSet cpus() {
        BitSet s = new BitSet();
        s.set(0, 2);
        return s;
    }

    /** br-phy (line 2) with {@code phy} (its keys, e.g. local-ip, at line 3 on), br-int's ports after it. */
    private static String config(String phy, String... intPorts) {
        StringBuilder sb = new StringBuilder("bridges:\n  br-phy:\n");
        sb.append(phy);
        sb.append("    ports:\n      eth0: {type: null, ofport: 1}\n  br-int:\n    ports:\n");
        for (String p : intPorts) {
            sb.append("      ").append(p).append('\n');
        }
        return sb.toString();
    }

    private static final String V4 = "    local-ip: 192.0.2.1/24\n";

    private List<String> errors(String text) throws IOException {
        Path p = dir.resolve("sw.yaml");
        Files.writeString(p, text);
        try {
            loader.load(p);
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
        throw new AssertionError("expected the config to be rejected:\n" + text);
    }

    private SwitchConfig load(String text) throws IOException, ConfigException {
        Path p = dir.resolve("ok.yaml");
        Files.writeString(p, text);
        return loader.load(p);
    }

    private String file() {
        return dir.resolve("sw.yaml").toString();
    }

    /** The errors as {@code LINE: KEY: message}, each checked to start with the file's name. */
    private List<String> lines(String text) throws IOException {
        return errors(text).stream().map(e -> {
            assertThat(e).startsWith(file() + ":");
            return e.substring(file().length() + 1);
        }).toList();
    }

    @Test
    void aPortsOwnOptions() throws IOException {
        String opts = "bridges.br-int.ports.%s.options: port %s: ";
        assertThat(lines(config(V4,
                "a: {type: vxlan, ofport: 1, options: {key: 100}}",
                "b: {type: vxlan, ofport: 2, options: {remote_ip: 192.0.2.9, key: 16777216}}",
                "c: {type: vxlan, ofport: 3, options: {remote_ip: 192.0.2.9, tos: 3}}",
                "d: {type: vxlan, ofport: 4, options: {remote_ip: flow, local_ip: flow, ttl: 300}}",
                "e: {type: vxlan, ofport: 5, options: {remote_ip: 192.0.2.9, local_ip: flow}}",
                "f: {type: vxlan, ofport: 6, options: {remote_ip: 2001:db8::9, csum: false}}",
                "g: {type: vxlan, ofport: 7, options: {remote_ip: 224.0.0.1}}",
                "h: {type: vxlan, ofport: 8, options: {remote_ip: 192.0.2.9, vni: 5}}",
                "i: {type: vxlan, ofport: 9, options: {remote_ip: 192.0.2.9, local_ip: 2001:db8::1}}")))
                .containsExactly(
                        "8: " + opts.formatted("a", "a") + "option 'remote_ip' is required for type vxlan (an IPv4 or"
                                + " IPv6 address, or flow)",
                        "9: " + opts.formatted("b", "b") + "option 'key' must be within 0..16777215, got 16777216",
                        "10: " + opts.formatted("c", "c") + "option 'tos' is a DSCP value (a multiple of 4: ECN bits"
                                + " are copied from the inner packet), got 3",
                        "11: " + opts.formatted("d", "d") + "option 'ttl' must be within 1..255, got 300",
                        "12: " + opts.formatted("e", "e") + "option 'local_ip' is flow, which needs 'remote_ip' to be"
                                + " flow too",
                        "13: " + opts.formatted("f", "f") + "option 'csum' cannot be false with an IPv6 remote_ip"
                                + " (IPv6 requires a UDP checksum)",
                        "14: " + opts.formatted("g", "g") + "option 'remote_ip' must not be multicast, got '224.0.0.1'",
                        "15: " + opts.formatted("h", "h") + "unknown option 'vni' for type vxlan (known: csum,"
                                + " df_default, dst_port, key, local_ip, remote_ip, tos, ttl)",
                        "16: " + opts.formatted("i", "i") + "options 'remote_ip' and 'local_ip' must be of one address"
                                + " family, got 192.0.2.9 and 2001:db8::1");
    }

    @Test
    void combinationsAcrossPortsAndEndpoints() throws IOException {
        assertThat(lines(config(V4,
                "a: {type: vxlan, ofport: 1, options: {remote_ip: 2001:db8::9}}",
                "b: {type: vxlan, ofport: 2, options: {remote_ip: 192.0.2.9, local_ip: 192.0.2.7}}",
                "c: {type: vxlan, ofport: 3, options: {remote_ip: 192.0.2.9, key: 5}}",
                "d: {type: vxlan, ofport: 4, options: {remote_ip: 192.0.2.9, key: 5, dst_port: 4789}}",
                "e: {type: vxlan, ofport: 5, options: {remote_ip: 192.0.2.9, key: 5, dst_port: 4790}}",
                "f: {type: vxlan, ofport: 6, options: {remote_ip: flow, key: 5}}")))
                .containsExactly(
                        "8: bridges.br-int.ports.a.options: remote_ip 2001:db8::9: no bridge has an IPv6 local-ip to"
                                + " send from (set local-ip on the underlay bridge)",
                        "9: bridges.br-int.ports.b.options: local_ip 192.0.2.7 is not a local-ip of any bridge",
                        "11: bridges.br-int.ports.d.options: takes the same packets as port c (line 10): vxlan:4789"
                                + " key=5 remote=192.0.2.9 local=any");
    }

    @Test
    void endpoints() throws IOException {
        assertThat(lines(config("    local-ip: [192.0.2.1/33, 2001:db8::1/64]\n    local-mac: 02:00:00:00:00\n")
                + "  br-x:\n    local-mac: 02:00:00:00:00:01\n"
                + "  br-y:\n    local-ip: [192.0.2.5/24, 192.0.2.6/24]\n"))
                .containsExactly(
                        "3: bridges.br-phy.local-ip: expected ADDR/PLEN like 192.0.2.1/24 or 2001:db8::1/64, got"
                                + " '192.0.2.1/33'",
                        "4: bridges.br-phy.local-mac: expected a unicast MAC like 02:00:00:00:00:01, got"
                                + " '02:00:00:00:00'",
                        "10: bridges.br-x.local-mac: local-mac needs local-ip: the MAC is the tunnel endpoint's",
                        "12: bridges.br-y.local-ip: a second IPv4 address: a bridge has at most one of each");
    }

    @Test
    void routes() throws IOException {
        assertThat(lines(config(V4) + "routes:\n  - 198.51.100.0/24 br-int\n  - 198.51.100.0/24 br-phy 2001:db8::1\n"
                + "  - 198.51.100.0/24 br-nope\n  - 198.51.100.0/24\n  - 198.51.100.0/24 br-phy 192.0.2.254\n"
                + "  - 198.51.100.0/33 br-phy\n  - 198.51.100.0/24 br-phy src=192.0.2.9\n"))
                .containsExactly(
                        "9: routes[0]: bridge br-int has no IPv4 local-ip to route 198.51.100.0/24 from",
                        "10: routes[1]: '2001:db8::1' is not of 198.51.100.0/24's address family",
                        "11: routes[2]: no bridge named br-nope",
                        "12: routes[3]: expected \"PREFIX/PLEN BRIDGE [GATEWAY] [src=IP]\", got 1 word(s)",
                        "14: routes[5]: '198.51.100.0/33' is not PREFIX/PLEN like 198.51.100.0/24",
                        "15: routes[6]: src 192.0.2.9 is not bridge br-phy's local-ip 192.0.2.1");
    }

    @Test
    void theShippedExampleIsValid() throws ConfigException {
        Path conf = Path.of(System.getProperty("user.dir")).resolve("../conf").normalize();
        SwitchConfig c = loader.load(conf.resolve("vxlan.yaml"));
        assertThat(c.bridges().get("br-phy").endpoint().ipv4()).hasToString("192.0.2.1");
        assertThat(c.bridges().get("br-int").ports().get("vx0").options()).containsEntry("remote_ip", "192.0.2.2")
                .containsEntry("key", "100");
        assertThat(YamlConfigLoader.socketOf(conf.resolve("vxlan.yaml"))).isEqualTo("/tmp/jvs-demo/jvswitchd.sock");
    }
}
