package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.netns.Offloads;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/**
 * A VXLAN tunnel configured as OVS's userspace-tunnelling guide does it, with ovs-vsctl against a
 * private ovsdb-server, to the Linux kernel's VXLAN in another namespace:
 *
 * <pre>
 *  namespace A: kernel vx0 (VNI 100, 10.78.0.1/24) over its underlay veth end 192.0.2.2/24
 *        |  underlay veth: br-phy's port
 *  namespace S: jvswitchd; br-phy (its own device br-phy holds 192.0.2.1/24, the tunnel
 *        |      endpoint), br-int (vx0 type=vxlan remote_ip=192.0.2.2 key=100, the access port)
 *        |  access veth
 *  namespace C: 10.78.0.2/24, MTU 1450
 * </pre>
 *
 * The endpoint comes from the address the host gives br-phy's device after the bridges exist,
 * as with OVS; ping both ways across the tunnel, and the host's own address on br-phy stays
 * reachable from the underlay beside the tunnel it terminates.
 */
@Tag("netns")
class OvsdbTunnelTest {
    private static final Duration START = Duration.ofSeconds(60);

    @Test
    void vxlanPortFromTheDatabaseTunnelsToTheKernel(@TempDir Path dir) throws Exception {
        Needs.that(OvsdbDaemonTest.available() && OverlayTopology.available(),
                "root, ip, ping, the vxlan module and Open vSwitch's ovsdb-server, ovsdb-tool, ovs-vsctl");
        try (Topology topo = new Topology()) {
            String nsA = topo.namespace("a");
            String nsC = topo.namespace("c");
            String nsS = topo.namespace("s");
            Topology.Veth underlay = topo.veth(nsA, "u");
            Topology.Veth access = topo.veth(nsC, "c");
            for (Topology.Veth v : new Topology.Veth[] {underlay, access}) {
                Offloads.txChecksumOff(v.ns(), v.peer());
                Sh.run("ip", "link", "set", v.root(), "netns", nsS);
                Sh.inNs(nsS, "ip", "link", "set", v.root(), "up");
            }
            Sh.inNs(nsA, "ip", "addr", "add", "192.0.2.2/24", "dev", underlay.peer());
            Sh.inNs(nsA, "ip", "link", "add", "vx0", "type", "vxlan", "id", "100", "remote", "192.0.2.1", "local",
                    "192.0.2.2", "dstport", "4789", "dev", underlay.peer());
            Sh.inNs(nsA, "ip", "addr", "add", "10.78.0.1/24", "dev", "vx0");
            Sh.inNs(nsA, "ip", "link", "set", "vx0", "up");
            Sh.inNs(nsC, "ip", "addr", "add", "10.78.0.2/24", "dev", access.peer());
            Sh.inNs(nsC, "ip", "link", "set", access.peer(), "mtu", "1450");

            try (OvsdbServer db = OvsdbServer.start(dir); DaemonProcess d = OvsdbDaemonTest.daemon(dir, nsS, db)) {
                db.vsctl("add-br", "br-phy", "--", "set", "bridge", "br-phy", "datapath_type=netdev", "--",
                        "add-port", "br-phy", underlay.root());
                db.vsctl("add-br", "br-int", "--", "set", "bridge", "br-int", "datapath_type=netdev", "--",
                        "add-port", "br-int", access.root(), "--",
                        "add-port", "br-int", "vx0", "--", "set", "interface", "vx0", "type=vxlan",
                        "options:remote_ip=192.0.2.2", "options:key=100");
                assertThat(db.get("Interface", "vx0", "error")).isEqualTo("[]");
                // The endpoint: the host's address on br-phy's own device.
                Sh.inNs(nsS, "ip", "addr", "add", "192.0.2.1/24", "dev", "br-phy");
                Sh.inNs(nsS, "ip", "link", "set", "br-phy", "up");
                Await.until(Duration.ofSeconds(20), Duration.ofMillis(200),
                        () -> d.log().contains("tunnel endpoint: bridge br-phy 192.0.2.1/24"),
                        () -> "the endpoint from br-phy's address\n" + d.log());

                Await.until(Duration.ofSeconds(20), () -> Sh.tryInNs(nsC, "ping", "-n", "-c", "1", "-W", "1",
                        "10.78.0.1").exit() == 0, () -> "C -> A across the tunnel\n" + d.log());
                assertThat(Sh.tryInNs(nsC, "ping", "-n", "-c", "5", "-i", "0.2", "-W", "2", "10.78.0.1").output())
                        .contains(" 0% packet loss");
                assertThat(Sh.tryInNs(nsA, "ping", "-n", "-c", "5", "-i", "0.2", "-W", "2", "10.78.0.2").output())
                        .contains(" 0% packet loss");
                assertThat(d.ok("tnl/neigh/show")).contains("192.0.2.2").contains("br-phy");
                assertThat(d.ok("tnl/ports/show")).contains("vxlan_sys_4789");
                // br-phy's device is the host's as well: its stack answers the underlay.
                assertThat(Sh.tryInNs(nsA, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", "192.0.2.1").output())
                        .as(d.log()).contains(" 0% packet loss");

                // A route of the host's through a gateway on br-phy is a tunnel route too, as OVS copies
                // the kernel's.
                Sh.inNs(nsS, "ip", "route", "add", "198.51.100.0/24", "via", "192.0.2.2", "dev", "br-phy");
                Await.until(Duration.ofSeconds(20), Duration.ofMillis(200),
                        () -> d.ok("ovs/route/show").matches("(?s).*198\\.51\\.100\\.0/24.*192\\.0\\.2\\.2.*"),
                        () -> "the host's gateway route\n" + d.ok("ovs/route/show") + d.log());

                // The same for IPv6 once br-phy's device has a global IPv6 address.
                Sh.inNs(nsS, "ip", "-6", "addr", "add", "2001:db8::1/64", "dev", "br-phy", "nodad");
                Sh.inNs(nsS, "ip", "-6", "route", "add", "2001:db8:100::/48", "via", "2001:db8::2", "dev", "br-phy");
                Await.until(Duration.ofSeconds(20), Duration.ofMillis(200),
                        () -> d.ok("ovs/route/show").matches("(?s).*2001:db8:100::/48.*2001:db8::2.*"),
                        () -> "the host's IPv6 gateway route\n" + d.ok("ovs/route/show") + d.log());

                // The address goes: so does the endpoint, and the tunnel with it.
                assertThat(d.ok("ovs/route/show")).contains("192.0.2.0/24");
                Sh.inNs(nsS, "ip", "addr", "del", "192.0.2.1/24", "dev", "br-phy");
                Await.until(Duration.ofSeconds(20), Duration.ofMillis(200),
                        () -> !d.ok("ovs/route/show").contains("192.0.2."), () -> "the endpoint to go\n" + d.log());
                assertThat(Sh.tryInNs(nsC, "ping", "-n", "-c", "2", "-i", "0.2", "-W", "1", "10.78.0.1").exit())
                        .isNotZero();
                assertThat(d.log()).doesNotContain("ERROR");
                assertThat(d.terminate(Duration.ofSeconds(20))).isZero();
            }
        }
    }
}
