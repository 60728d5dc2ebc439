package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.netns.Hosts;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/**
 * The daemon switching real traffic, as a user would run it: jvswitchd in a JVM of its own inside
 * a switch namespace, AF_PACKET ports on veths to host namespaces, pings through NORMAL (MAC
 * learning in ofproto) and through explicit flows, jvsctl checked for content, a port added
 * and the flows replaced by reload while a ping runs (not one echo lost), flows added and
 * removed at run time taking effect when the command returns, and SIGTERM leaving no process,
 * namespace or leaked mbuf behind.
 */
@Tag("netns")
class NetnsDaemonTest {
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private SwitchedHosts net;
    private Hosts hosts;

    private static final String NORMAL = SwitchedHosts.NORMAL;
    private static final String EXPLICIT = "      - priority=10,in_port=1,actions=output:2\n"
            + "      - priority=10,in_port=2,actions=output:1\n" + NORMAL;

    @BeforeEach
    void setUp() {
        net = SwitchedHosts.create(dir);
        hosts = net.hosts;
    }

    @AfterEach
    void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    private static String config(boolean withH3, String flows) {
        return SwitchedHosts.config(withH3, flows);
    }

    private void writeConfig(String text) throws IOException {
        net.writeConfig(text);
    }

    private static void assertNoLoss(Sh.Result ping) {
        assertThat(ping.output()).contains(" 0% packet loss");
        assertThat(ping.exit()).isZero();
    }

    @Test
    void switchesPingsReloadsUnderTrafficAndStopsClean() throws Exception {
        hosts.host(1);
        hosts.host(2);
        hosts.host(3); // its switch port joins by reload
        writeConfig(config(false, NORMAL));
        DaemonProcess d = net.startDaemon(START);

        // Through NORMAL: MAC learning, megaflows with the addresses, rule counters pushed by the revalidators.
        assertNoLoss(hosts.ping(1, 2, 3, 0.2));
        String mac1 = hosts.mac(1);
        String mac2 = hosts.mac(2);
        assertThat(d.ok("dpctl/dump-flows")).contains("in_port(1),eth(src=" + mac1 + ",dst=" + mac2 + ")")
                .contains("in_port(2),eth(src=" + mac2 + ",dst=" + mac1 + ")").contains("actions:2", "actions:1");
        assertThat(d.ok("dpctl/dump-flows", "-m")).contains("dp-extra-info:pmd=0");
        assertThat(packetsReceived(d.ok("dpif-netdev/pmd-stats-show"))).isGreaterThanOrEqualTo(6);
        assertThat(d.ok("fdb/show", "br0")).contains("    1     0  " + mac1, "    2     0  " + mac2);
        assertThat(d.ok("ofproto/trace", "br0", "in_port=1,dl_src=" + mac1 + ",dl_dst=" + mac2))
                .contains("bridge(\"br0\")", "priority 0", "NORMAL", "forwarding to learned port")
                .endsWith("Datapath actions: 2\n");
        assertThat(d.ok("upcall/show")).containsPattern("flows         : \\(current [1-9]");
        Await.until(Duration.ofSeconds(5), Duration.ofMillis(20), () -> !d.ok("ofctl/dump-flows", "br0").contains("n_packets=0,"),
                () -> "the NORMAL rule's counters to include the megaflows' packets");
        assertThat(d.ok("ofctl/dump-ports", "br0")).containsPattern("port  1 \\(h1\\): rx pkts=[1-9]");

        // Reload under traffic: a third port, and explicit in_port flows in front of NORMAL.
        Process ping = new ProcessBuilder(Sh.nsCommand(hosts.hostNs(1), "ping", "-n", "-c", "40", "-i", "0.05", "-W",
                "2", "10.77.0.2")).redirectErrorStream(true).start();
        ping.getOutputStream().close();
        Thread.sleep(500); // let the ping run before the reload, so the reload happens under traffic
        writeConfig(config(true, EXPLICIT));
        assertThat(d.ok("reload")).contains("added port h3 to bridge br0 as datapath port 3",
                "replaced the flows of br0 (3)");
        assertThat(ping.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String pingOut = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(pingOut).as("ping during reload").contains("40 received", " 0% packet loss");
        // Megaflows NORMAL made from h1 still send to port 2, as the explicit flow does: the
        // revalidators keep them (a mask wider than the new translation needs is still correct).
        assertThat(d.ok("dpctl/dump-flows").lines().filter(l -> l.contains("in_port(1)")))
                .isNotEmpty().allSatisfy(l -> assertThat(l).endsWith("actions:2"));
        assertThat(d.ok("dpctl/del-flows")).startsWith("deleted ");
        // The explicit flows send whatever h1 says to h2 only: h3 cannot be reached from h1.
        assertThat(hosts.ping(1, 3, 2, 0.2).output()).contains("100% packet loss");
        // The explicit flow needs no addresses in its megaflow.
        assertThat(d.ok("dpctl/dump-flows")).contains("recirc_id(0),in_port(1),").doesNotContain("in_port(1),eth(src=");
        assertThat(d.ok("ofctl/del-flows", "br0", "in_port=1")).isEmpty();
        assertThat(d.ok("ofctl/del-flows", "br0", "in_port=2")).isEmpty();
        assertThat(d.ok("ofctl/dump-flows", "br0")).doesNotContain("in_port=");
        // h1's kernel remembers that ARP for h3 failed and would refuse at once for a while.
        Sh.inNs(hosts.hostNs(1), "ip", "neigh", "flush", "all");
        assertNoLoss(hosts.ping(1, 3, 2, 0.2));
        assertNoLoss(hosts.ping(3, 2, 2, 0.2));

        // A flow change at run time takes effect when the command returns.
        assertThat(d.ok("ofctl/add-flow", "br0", "priority=100,in_port=3,actions=drop")).isEmpty();
        // The change barrier: when the command returns, no megaflow from h3 forwards any more.
        assertThat(d.ok("dpctl/dump-flows").lines().filter(l -> l.contains("in_port(3)")))
                .allSatisfy(l -> assertThat(l).endsWith("actions:drop"));
        Sh.Result dropped = hosts.ping(3, 1, 2, 0.2);
        assertThat(dropped.output()).contains("100% packet loss");
        assertThat(d.ok("ofctl/del-flows", "br0", "in_port=3")).isEmpty();
        assertNoLoss(hosts.ping(3, 1, 2, 0.2));

        // SIGTERM: a clean stop, every mbuf back in the pool.
        long pid = d.pid();
        assertThat(d.terminate(Duration.ofSeconds(30))).isZero();
        assertThat(d.log()).contains("shutting down (SIGTERM)", "datapath stopped: PMDs drained, 3 port(s) closed",
                "leak check: all 2048 mbufs returned to mempool 'jvswitch'").doesNotContain("ERROR");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(dir.resolve("jvswitchd.sock")).doesNotExist();
    }

    @Test
    void accessPortsSeparateVlansAndGroupsForward() throws Exception {
        hosts.host(1);
        hosts.host(2);
        hosts.host(3);
        writeConfig("""
                datapath:
                  pmd-idle: backoff
                mempool:
                  mbufs: 2048
                bridges:
                  br0:
                    ports:
                      h1: {type: afpacket, ofport: 1, tag: 10, options: {ifname: s1}}
                      h2: {type: afpacket, ofport: 2, tag: 10, options: {ifname: s2}}
                      h3: {type: afpacket, ofport: 3, tag: 20, options: {ifname: s3}}
                    flows:
                      - priority=0,actions=normal
                control:
                  socket: jvswitchd.sock
                """);
        DaemonProcess d = net.startDaemon(START);

        // h1 and h2 share VLAN 10; h3 is alone in VLAN 20.
        assertNoLoss(hosts.ping(1, 2, 3, 0.2));
        assertThat(hosts.ping(1, 3, 2, 0.2).output()).contains("100% packet loss");
        assertThat(d.ok("fdb/show", "br0")).contains("    1    10  " + hosts.mac(1), "    2    10  " + hosts.mac(2));
        assertThat(d.ok("ofproto/trace", "br0", "in_port=3,dl_dst=ff:ff:ff:ff:ff:ff"))
                .endsWith("Datapath actions: drop\n"); // no other port in VLAN 20

        // Explicit flows and a group join h3 and h1 past the VLANs, from the moment the commands return.
        assertThat(d.ok("ofctl/add-group", "br0", "group_id=1,type=all,bucket=output:1")).isEmpty();
        assertThat(d.ok("ofctl/add-flow", "br0", "priority=10,in_port=3,actions=group:1")).isEmpty();
        assertThat(d.ok("ofctl/add-flow", "br0", "priority=10,in_port=1,actions=output:3")).isEmpty();
        Sh.inNs(hosts.hostNs(1), "ip", "neigh", "flush", "all");
        Sh.inNs(hosts.hostNs(3), "ip", "neigh", "flush", "all");
        assertNoLoss(hosts.ping(3, 1, 3, 0.2));
        assertThat(d.ok("ofctl/dump-groups", "br0")).isEqualTo(" group_id=1,type=all,bucket=actions=output:1\n");
        Await.until(Duration.ofSeconds(5), Duration.ofMillis(20), () -> d.ok("ofctl/dump-flows", "br0")
                .matches("(?s).*n_packets=[1-9]\\d*, n_bytes=\\d+, idle_age=\\d+, priority=10,in_port=3 .*"),
                () -> "the group flow's counters to count h3's packets");

        assertThat(d.terminate(Duration.ofSeconds(30))).isZero();
        assertThat(d.log()).contains("leak check: all 2048 mbufs returned").doesNotContain("ERROR");
    }

    private static long packetsReceived(String pmdStats) {
        Matcher m = Pattern.compile("packets received: (\\d+)").matcher(pmdStats);
        assertThat(m.find()).as(pmdStats).isTrue();
        return Long.parseLong(m.group(1));
    }
}
