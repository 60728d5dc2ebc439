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
 * A Mirror row made by ovs-vsctl, as OVS's documentation makes one: what s1 receives and what is
 * sent to it is copied to s3, whose host then sees h1's and h2's unicast; s3 belongs to the
 * mirror (h3 reaches nobody) until the mirror is cleared.
 */
class OvsdbMirrorTest {
    @Test
    void aMirrorRowCopiesAPortsTrafficToItsOutputPort(@TempDir Path dir) throws Exception {
        Needs.that(OvsdbDaemonTest.available(), "root, ip, ping and Open vSwitch's ovsdb-server, ovsdb-tool, ovs-vsctl");
        try (Hosts hosts = new Hosts()) {
            hosts.host(1);
            hosts.host(2);
            hosts.host(3);
            try (OvsdbServer db = OvsdbServer.start(dir); DaemonProcess d = OvsdbDaemonTest.daemon(dir, hosts.sw, db)) {
                db.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev", "--",
                        "add-port", "br0", "s1", "--", "add-port", "br0", "s2", "--", "add-port", "br0", "s3");
                Await.until(Duration.ofSeconds(20), Duration.ofMillis(200), () -> hosts.ping(1, 2, 1, 0.2).exit() == 0,
                        () -> "h1 -> h2\n" + d.log());
                assertThat(hosts.ping(3, 1, 1, 0.2).exit()).as("h3 -> h1 before the mirror").isZero();

                db.vsctl("--", "--id=@p", "get", "port", "s1", "--", "--id=@o", "get", "port", "s3", "--", "--id=@m",
                        "create", "mirror", "name=m0", "select-src-port=@p", "select-dst-port=@p", "output-port=@o", "--",
                        "set", "bridge", "br0", "mirrors=@m");
                long before = rxPackets(hosts, 3);
                assertThat(hosts.ping(1, 2, 10, 0.1).output()).contains(" 0% packet loss");
                // Ten requests s1 received and ten replies sent to it: copies of unicast h3 would never get.
                assertThat(rxPackets(hosts, 3) - before).as("copies on h3\n" + d.log()).isGreaterThanOrEqualTo(20);
                assertThat(hosts.ping(3, 1, 1, 0.2).exit()).as("the mirror's port takes nothing in").isNotZero();

                db.vsctl("clear", "bridge", "br0", "mirrors");
                Await.until(Duration.ofSeconds(20), Duration.ofMillis(200), () -> hosts.ping(3, 1, 1, 0.2).exit() == 0,
                        () -> "h3 -> h1 once the mirror is gone\n" + d.log());
                long after = rxPackets(hosts, 3);
                assertThat(hosts.ping(1, 2, 10, 0.1).output()).contains(" 0% packet loss");
                assertThat(rxPackets(hosts, 3) - after).as("no more copies").isLessThan(10);
                assertThat(d.log()).doesNotContain("ERROR");
                assertThat(d.terminate(Duration.ofSeconds(20))).isZero();
            }
        }
    }

    private static long rxPackets(Hosts hosts, int n) {
        return Long.parseLong(Sh.inNs(hosts.hostNs(n), "cat", "/sys/class/net/eth0/statistics/rx_packets").trim());
    }
}
