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
 * A bond made by {@code ovs-vsctl add-bond}, as a host bonds two NICs to two ports of a physical
 * switch: host 2's namespace holds a Linux bridge (the physical switch) with two links to the
 * switch namespace, {@code s2} and {@code s3}, the bond's members; host 1 is on {@code s1}. Without
 * the bond the two links would make a loop; with it h1 reaches h2 in active-backup and balance-slb,
 * and keeps reaching it when a member's link goes down, through the other.
 */
class OvsdbBondTest {
    @Test
    void aBondFailsOverWhenAMemberLinkGoesDown(@TempDir Path dir) throws Exception {
        Needs.that(OvsdbDaemonTest.available(), "root, ip, ping and Open vSwitch's ovsdb-server, ovsdb-tool, ovs-vsctl");
        try (Hosts hosts = new Hosts()) {
            hosts.host(1);
            String h2 = hosts.host(2);
            // Host 2 behind a Linux bridge with two uplinks: eth0 (to s2) and eth1 (to s3).
            Sh.run("ip", "-n", hosts.sw, "link", "add", "s3", "type", "veth", "peer", "name", "eth1", "netns", h2);
            Sh.run("ip", "-n", h2, "link", "add", "lb", "type", "bridge");
            Sh.run("ip", "-n", h2, "addr", "del", "10.77.0.2/24", "dev", "eth0");
            Sh.run("ip", "-n", h2, "link", "set", "eth0", "master", "lb");
            Sh.run("ip", "-n", h2, "link", "set", "eth1", "master", "lb");
            Sh.run("ip", "-n", h2, "addr", "add", "10.77.0.2/24", "dev", "lb");
            for (String[] up : new String[][] {{h2, "eth1"}, {h2, "lb"}, {hosts.sw, "s3"}}) {
                Sh.run("ip", "-n", up[0], "link", "set", up[1], "up");
            }
            try (OvsdbServer db = OvsdbServer.start(dir); DaemonProcess d = OvsdbDaemonTest.daemon(dir, hosts.sw, db)) {
                db.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev", "--",
                        "add-port", "br0", "s1", "--", "add-bond", "br0", "bond0", "s2", "s3", "bond_mode=active-backup");
                awaitPing(hosts, d, "active-backup");
                assertThat(db.get("Interface", "s2", "error")).isEqualTo("[]");
                assertThat(db.get("Interface", "s3", "ofport")).matches("[1-9]\\d*");
                // One member, the active one, carries the flood; the backup takes over when its link goes down.
                String flood = "in_port=" + db.get("Interface", "s1", "ofport") + ",dl_dst=ff:ff:ff:ff:ff:ff";
                // Datapath numbers are the OpenFlow ones here (no two ports want the same).
                String dpS2 = db.get("Interface", "s2", "ofport");
                String dpS3 = db.get("Interface", "s3", "ofport");
                String trace = d.ok("ofproto/trace", "br0", flood);
                assertThat(actions(trace)).as(trace).containsOnlyOnce(dpS2).doesNotContain(dpS3);

                // The active member, as OVS shows it and writes it back (its MAC in Port.bond_active_slave).
                String macS2 = db.get("Interface", "s2", "mac_in_use");
                String macS3 = db.get("Interface", "s3", "mac_in_use");
                String show = OvsdbServer.appctl(dir.resolve("ovs-vswitchd.ctl"), "bond/show", "bond0").output();
                assertThat(show).startsWith("---- bond0 ----\nbond_mode: active-backup\n")
                        .contains("active-backup primary: <none>\n", "active member mac: " + macS2 + "(s2)\n",
                                "\nmember s2: enabled\n  active member\n  may_enable: true\n",
                                "\nmember s3: enabled\n  may_enable: true\n");
                Await.until(Duration.ofSeconds(20), () -> db.get("Port", "bond0", "bond_active_slave").equals(macS2),
                        () -> "bond_active_slave " + macS2);
                assertThat(OvsdbServer.appctl(dir.resolve("ovs-vswitchd.ctl"), "bond/show", "nobond").output())
                        .contains("no such bond");

                Sh.run("ip", "-n", hosts.sw, "link", "set", "s2", "down");
                awaitPing(hosts, d, "active-backup after s2 went down");
                assertThat(actions(d.ok("ofproto/trace", "br0", flood))).containsOnlyOnce(dpS3).doesNotContain(dpS2);
                assertThat(d.ok("bond/show")).contains("active member mac: " + macS3 + "(s3)\n",
                        "\nmember s2: disabled\n  may_enable: false\n");
                Await.until(Duration.ofSeconds(20), () -> db.get("Port", "bond0", "bond_active_slave").equals(macS3),
                        () -> "bond_active_slave " + macS3 + " after the failover");
                Sh.run("ip", "-n", hosts.sw, "link", "set", "s2", "up");
                Await.until(Duration.ofSeconds(10), () -> db.get("Interface", "s2", "link_state").equals("up"),
                        () -> "s2's link back up");
                assertThat(actions(d.ok("ofproto/trace", "br0", flood))).as("the active member stays")
                        .containsOnlyOnce(dpS3).doesNotContain(dpS2);

                db.vsctl("set", "port", "bond0", "bond_mode=balance-slb");
                awaitPing(hosts, d, "balance-slb");
                assertThat(hosts.ping(1, 2, 5, 0.1).output()).as("no duplicates through the loop")
                        .contains(" 0% packet loss").doesNotContain("DUP!");
                Sh.run("ip", "-n", hosts.sw, "link", "set", "s3", "down");
                awaitPing(hosts, d, "balance-slb after s3 went down");
                Sh.run("ip", "-n", hosts.sw, "link", "set", "s2", "down");
                Await.until(Duration.ofSeconds(10), () -> hosts.ping(1, 2, 1, 0.2).exit() != 0,
                        () -> "no path with both members down");

                assertThat(d.log()).doesNotContain("ERROR");
                assertThat(d.terminate(Duration.ofSeconds(20))).isZero();
            }
        }
    }

    private static void awaitPing(Hosts hosts, DaemonProcess d, String what) {
        Await.until(Duration.ofSeconds(20), Duration.ofMillis(200), () -> hosts.ping(1, 2, 1, 0.2).exit() == 0,
                () -> "h1 -> h2, " + what + "\n" + d.log());
    }

    /** The datapath actions a trace ends with, one per element. */
    private static java.util.List<String> actions(String trace) {
        int at = trace.lastIndexOf("Datapath actions:");
        String line = at < 0 ? "" : trace.substring(at + "Datapath actions:".length()).trim().split("\n")[0];
        return java.util.List.of(line.split(","));
    }
}
