package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.frame.MarkedFrames;
import dev.jvswitch.testkit.netns.Hosts;
import dev.jvswitch.testkit.netns.Peer;
import dev.jvswitch.testkit.sh.Await;

/**
 * {@code vlan_mode} native-untagged and native-tagged from ovs-vsctl: host 1 is on an access port
 * of VLAN 10; host 2's port has native VLAN 10. Native-untagged, host 2 talks untagged; switched
 * to native-tagged, VLAN 10 reaches host 2 tagged (seen on a raw socket), and host 2's untagged
 * interface no longer answers.
 */
class OvsdbNativeVlanTest {
    @Test
    void aNativeVlanPortCarriesItsNativeVlanUntaggedThenTagged(@TempDir Path dir) throws Exception {
        Needs.that(OvsdbDaemonTest.available(), "root, ip, ping and Open vSwitch's ovsdb-server, ovsdb-tool, ovs-vsctl");
        try (Hosts hosts = new Hosts()) {
            String h1 = hosts.host(1);
            String h2 = hosts.host(2);
            try (OvsdbServer db = OvsdbServer.start(dir); DaemonProcess d = OvsdbDaemonTest.daemon(dir, hosts.sw, db)) {
                db.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev", "--",
                        "add-port", "br0", "s1", "tag=10", "--", "add-port", "br0", "s2", "tag=10",
                        "vlan_mode=native-untagged", "trunks=20");
                Await.until(Duration.ofSeconds(30), Duration.ofMillis(200), () -> hosts.ping(1, 2, 1, 0.2).exit() == 0,
                        () -> "h1 -> h2 untagged in the native VLAN\n" + d.log());
                assertThat(db.get("Interface", "s2", "error")).isEqualTo("[]");
                String trace = d.ok("ofproto/trace", "br0", "in_port=1,dl_dst=ff:ff:ff:ff:ff:ff");
                // s2 (datapath port 2) untagged; br0's own port, a trunk, gets the frame tagged.
                assertThat(trace.substring(trace.lastIndexOf("Datapath actions:"))).as(trace)
                        .startsWith("Datapath actions: 2,push_vlan(vid=10");

                db.vsctl("set", "port", "s2", "vlan_mode=native-tagged");
                String tagged = d.ok("ofproto/trace", "br0", "in_port=1,dl_dst=ff:ff:ff:ff:ff:ff");
                assertThat(tagged.substring(tagged.lastIndexOf("Datapath actions:"))).as(tagged)
                        .startsWith("Datapath actions: push_vlan(vid=10,pcp=0),2,");
                // A flooded frame from h1 reaches h2 with a VLAN 10 tag (restored from the packet's auxdata).
                try (Peer rx = Peer.receiver(h2, "eth0", 1, Duration.ofSeconds(20))) {
                    try (Peer tx = Peer.sender(h1, "eth0", List.of(MarkedFrames.frame(100, 1)))) {
                        tx.awaitExit(Duration.ofSeconds(20));
                    }
                    byte[] f = rx.awaitFrames(Duration.ofSeconds(30)).get(0);
                    assertThat(((f[12] & 0xff) << 8) | (f[13] & 0xff)).as("TPID").isEqualTo(0x8100);
                    assertThat((((f[14] & 0xff) << 8) | (f[15] & 0xff)) & 0xfff).as("VID").isEqualTo(10);
                }
                assertThat(hosts.ping(1, 2, 1, 0.2).exit()).as("h2's untagged eth0 no longer answers").isNotZero();

                db.vsctl("set", "port", "s2", "vlan_mode=dot1q-tunnel");
                assertThat(db.get("Interface", "s2", "error")).contains("vlan_mode dot1q-tunnel is not supported yet");
                assertThat(d.log()).doesNotContain("ERROR");
                assertThat(d.terminate(Duration.ofSeconds(20))).isZero();
            }
        }
    }
}
