package dev.jvswitch.vswitchd.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.ConfigEnvironment;
import dev.jvswitch.config.RouteSpec;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.config.yaml.YamlConfigLoader;
import dev.jvswitch.vswitchd.config.OfprotoConfigs;
import dev.jvswitch.vswitchd.ofproto.OfprotoFlowChecker;

/** The host's gateway routes through a bridge's own device, as {@code /proc/net/route} lists them. */
class HostRoutesTest {
    @TempDir
    Path dir;

    private SwitchConfig config() throws Exception {
        BitSet cpus = new BitSet();
        cpus.set(0, 2);
        YamlConfigLoader loader = new YamlConfigLoader(new ConfigEnvironment(cpus, Set.of("null"),
                new OfprotoFlowChecker(), OfprotoConfigs.defaults()));
        Path p = dir.resolve("sw.yaml");
        Files.writeString(p, """
                bridges:
                  br-phy:
                    local-ip: 192.0.2.1/24
                    ports:
                      eth0: {type: null, ofport: 1}
                  br-int:
                    ports:
                      p1: {type: null, ofport: 1}
                """);
        return loader.load(p);
    }

    @Test
    void gatewayRoutesThroughAnEndpointBridgesDeviceBecomeItsRoutes() throws Exception {
        List<String> table = List.of(
                "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
                // 198.51.100.0/24 via 192.0.2.254 dev br-phy
                "br-phy\t006433C6\tFE0200C0\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0",
                // the connected route: no gateway, the endpoint's own
                "br-phy\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
                // default via 192.0.2.254 dev br-phy
                "br-phy\t00000000\tFE0200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0",
                // a bridge without an endpoint, and a device that is no bridge
                "br-int\t006433C6\tFE0200C0\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0",
                "eth9\t006433C6\t010A0A0A\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0");
        assertThat(HostRoutes.parse(table, config())).containsExactly(
                new RouteSpec("198.51.100.0/24", "br-phy", "192.0.2.254", null, 1),
                new RouteSpec("0.0.0.0/0", "br-phy", "192.0.2.254", null, 1));
    }
}
