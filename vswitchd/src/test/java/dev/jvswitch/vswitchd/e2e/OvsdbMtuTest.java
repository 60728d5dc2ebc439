package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.netns.Hosts;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/**
 * {@code Interface.mtu_request} on veths: the switch sets the device's MTU, the {@code mtu} column
 * shows it, and frames of the new MTU go through (2020 bytes: larger than the default AF_PACKET tx
 * slot holds, so the slots follow the MTU). A request the mbufs cannot hold is refused in the
 * interface's {@code error} column while the port keeps forwarding at its MTU.
 */
class OvsdbMtuTest {
    private static final int MTU = 2020;

    @Test
    void mtuRequestSetsTheDeviceMtuAndBigFramesFollow(@TempDir Path dir) throws Exception {
        Needs.that(OvsdbDaemonTest.available(), "root, ip, ping and Open vSwitch's ovsdb-server, ovsdb-tool, ovs-vsctl");
        try (Hosts hosts = new Hosts()) {
            String h1 = hosts.host(1);
            String h2 = hosts.host(2);
            for (String h : new String[] {h1, h2}) {
                Sh.run("ip", "-n", h, "link", "set", "eth0", "mtu", Integer.toString(MTU));
            }
            try (OvsdbServer db = OvsdbServer.start(dir); DaemonProcess d = OvsdbDaemonTest.daemon(dir, hosts.sw, db)) {
                db.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev", "--",
                        "add-port", "br0", "s1", "--", "add-port", "br0", "s2");
                Await.until(Duration.ofSeconds(30), Duration.ofMillis(200), () -> hosts.ping(1, 2, 1, 0.2).exit() == 0,
                        () -> "h1 -> h2\n" + d.log());
                assertThat(db.get("Interface", "s1", "mtu")).isEqualTo("1500");
                assertThat(bigPing(h1)).as("a %d-byte packet while the switch's veths are at 1500", MTU).isNotZero();

                db.vsctl("set", "interface", "s1", "mtu_request=" + MTU, "--", "set", "interface", "s2",
                        "mtu_request=" + MTU);
                // ovs-vsctl returns once cur_cfg shows the change in effect.
                assertThat(Sh.run("ip", "-n", hosts.sw, "link", "show", "s1")).contains(" mtu " + MTU + " ");
                assertThat(Sh.run("ip", "-n", hosts.sw, "link", "show", "s2")).contains(" mtu " + MTU + " ");
                assertThat(db.get("Interface", "s1", "mtu")).isEqualTo(Integer.toString(MTU));
                assertThat(db.get("Interface", "s1", "error")).isEqualTo("[]");
                Await.until(Duration.ofSeconds(20), Duration.ofMillis(200), () -> bigPing(h1) == 0,
                        () -> MTU + "-byte packets through the switch\n" + d.ok("ofctl/dump-ports", "br0") + d.log());

                // 2020 -> 9000: an optional column's update2 carries the new value, not a difference.
                db.vsctl("set", "interface", "s1", "mtu_request=9000");
                assertThat(db.get("Interface", "s1", "error")).as(() -> db.vsctl("list", "interface", "s1") + d.log())
                        .contains("mtu_request 9000 needs mbufs of at least 9018"
                        + " bytes (a tagged frame); the mempool's mbuf-size is 2048");
                assertThat(db.get("Interface", "s1", "mtu")).isEqualTo(Integer.toString(MTU));
                assertThat(db.get("Interface", "s1", "ofport")).isEqualTo("1");
                assertThat(bigPing(h1)).as("s1 forwards on at its MTU").isZero();

                db.vsctl("clear", "interface", "s1", "mtu_request");
                assertThat(db.get("Interface", "s1", "error")).isEqualTo("[]");
                assertThat(d.log()).contains("mtu_request 9000 needs mbufs").doesNotContain("ERROR");
                assertThat(d.terminate(Duration.ofSeconds(20))).isZero();
            }
        }
    }

    /** One ping of an IP packet of {@value #MTU} bytes from {@code ns}, not fragmented; its exit status. */
    private static int bigPing(String ns) {
        return Sh.tryInNs(ns, "ping", "-n", "-c", "1", "-W", "2", "-M", "do", "-s", Integer.toString(MTU - 28),
                "10.77.0.2").exit();
    }
}
