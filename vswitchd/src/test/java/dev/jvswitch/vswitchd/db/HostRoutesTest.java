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
                    local-ip: [192.0.2.1/24, 2001:db8::1/64]
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

    @Test
    void ipv6GatewayRoutesThroughAnEndpointBridgesDeviceBecomeItsRoutesToo() throws Exception {
        String any = "00000000000000000000000000000000";
        List<String> table = List.of(
                // 2001:db8:100::/48 via 2001:db8::fe dev br-phy (metric 1024, flags UP|GATEWAY)
                "20010db8010000000000000000000000 30 " + any + " 00 20010db80000000000000000000000fe 00000400 00000001"
                        + " 00000000 00000003     br-phy",
                // the connected route: no gateway
                "20010db8000000000000000000000000 40 " + any + " 00 " + any + " 00000100 00000001 00000000 00000001"
                        + "     br-phy",
                // default via fe80::1 dev br-phy
                any + " 00 " + any + " 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003"
                        + "     br-phy",
                // a bridge without an endpoint, and the loopback
                "20010db8010000000000000000000000 30 " + any + " 00 20010db80000000000000000000000fe 00000400 00000001"
                        + " 00000000 00000003     br-int",
                "00000000000000000000000000000001 80 " + any + " 00 " + any + " 00000000 00000001 00000000 80200001"
                        + "       lo");
        assertThat(HostRoutes.parse6(table, config())).containsExactly(
                new RouteSpec("2001:db8:100::/48", "br-phy", "2001:db8::fe", null, 1),
                new RouteSpec("::/0", "br-phy", "fe80::1", null, 1));
    }
}
