package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.netns.Hosts;
import dev.jvswitch.testkit.sh.Await;

/**
 * A zone's timeout policy made by {@code ovs-vsctl add-zone-tp netdev zone=5 ...}, as Neutron's
 * and OVN's users set one: the ICMP connection h1's ping commits in zone 5 expires by the
 * policy's {@code icmp_reply} (77 s, not the default 30 s); after {@code del-zone-tp} a new one
 * expires by the default again.
 */
class OvsdbConntrackZoneTest {
    private static final Pattern TIMEOUT = Pattern.compile("timeout=(\\d+)");

    @Test
    void aZoneTimeoutPolicyFromTheDatabaseSetsTheConnectionsExpiry(@TempDir Path dir) throws Exception {
        Needs.that(OvsdbDaemonTest.available(), "root, ip, ping and Open vSwitch's ovsdb-server, ovsdb-tool, ovs-vsctl");
        try (Hosts hosts = new Hosts()) {
            hosts.host(1);
            hosts.host(2);
            try (OvsdbServer db = OvsdbServer.start(dir); DaemonProcess d = OvsdbDaemonTest.daemon(dir, hosts.sw, db)) {
                db.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev", "--",
                        "add-port", "br0", "s1", "--", "add-port", "br0", "s2");
                d.ok("ofctl/add-flow", "br0", "priority=10,icmp,actions=ct(commit,zone=5),NORMAL");
                db.vsctl("add-zone-tp", "netdev", "zone=5", "icmp_first=77", "icmp_reply=77");
                assertThat(db.vsctl("list-zone-tp", "netdev")).contains("Zone:5", "icmp_reply=77");
                Await.until(Duration.ofSeconds(20), Duration.ofMillis(200), () -> hosts.ping(1, 2, 1, 0.2).exit() == 0,
                        () -> "h1 -> h2\n" + d.log());
                // Zone and policy rows came by monitor_cond_change: the conditions follow the references.
                assertThat(d.ok("coverage/show")).containsPattern("ovsdb_cond_changes +.*[1-9]");
                int withPolicy = timeout(d);
                assertThat(withPolicy).as("icmp_reply of zone 5's policy").isBetween(31, 77);

                db.vsctl("del-zone-tp", "netdev", "zone=5");
                d.ok("dpctl/flush-conntrack", "zone=5");
                assertThat(hosts.ping(1, 2, 1, 0.2).exit()).isZero();
                assertThat(timeout(d)).as("the default icmp_reply again").isBetween(1, 30);
                assertThat(d.log()).doesNotContain("ERROR");
                assertThat(d.terminate(Duration.ofSeconds(20))).isZero();
            }
        }
    }

    /** The timeout of the one connection in zone 5. */
    private static int timeout(DaemonProcess d) {
        String dump = d.ok("dpctl/dump-conntrack", "-s", "zone=5");
        Matcher m = TIMEOUT.matcher(dump);
        assertThat(m.find()).as("a connection in zone 5: " + dump).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
