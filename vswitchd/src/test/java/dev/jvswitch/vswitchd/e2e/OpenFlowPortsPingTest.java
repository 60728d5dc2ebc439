package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.netns.Hosts;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/**
 * What OpenFlow clients change in the datapath under real traffic: {@code ovs-ofctl mod-port
 * down} stops a port receiving and sending (pings stop) and {@code up} brings it back;
 * {@code dump-group-stats} counts the packets that went through a group; a packet-in carries
 * the packet as the actions before {@code output:CONTROLLER} made it.
 */
@Tag("netns")
class OpenFlowPortsPingTest {
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private SwitchedHosts net;
    private Hosts hosts;

    @BeforeEach
    void setUp() {
        Needs.that(Sh.onPath("ovs-ofctl"), "ovs-ofctl (openvswitch-common)");
        net = SwitchedHosts.create(dir);
        hosts = net.hosts;
    }

    @AfterEach
    void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    private DaemonProcess start(String flows) throws Exception {
        hosts.host(1);
        hosts.host(2);
        net.writeConfig(SwitchedHosts.config(false, flows + "    listen: punix:br0.mgmt\n"));
        return net.startDaemon(START);
    }

    private String ofctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13"));
        cmd.addAll(List.of(args));
        Sh.Result r = Sh.tryRun(java.util.Map.of("OVS_RUNDIR", dir.toString()), cmd.toArray(String[]::new));
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.output()).isZero();
        return r.output();
    }

    private boolean pings(int n) {
        Sh.Result r = hosts.ping(1, 2, n, 0.2);
        return r.exit() == 0 && r.output().contains(" 0% packet loss");
    }

    @Test
    void modPortDownStopsAPortAndUpBringsItBack() throws Exception {
        DaemonProcess d = start(SwitchedHosts.NORMAL);
        Await.until(Duration.ofSeconds(20), Duration.ofMillis(200), () -> pings(2), () -> "pings\n" + d.log());
        ofctl("mod-port", "br0", "2", "down");
        assertThat(ofctl("dump-ports-desc", "br0")).contains("config:     PORT_DOWN");
        assertThat(d.ok("ofctl/show", "br0")).contains("config:     PORT_DOWN");
        assertThat(pings(2)).as("nothing through a port that is down").isFalse();
        ofctl("mod-port", "br0", "2", "up");
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(200), () -> pings(2), () -> "pings after up");
        ofctl("-O", "OpenFlow15", "mod-port", "br0", "1", "no-receive");
        assertThat(pings(2)).as("no-receive").isFalse();
        ofctl("-O", "OpenFlow15", "mod-port", "br0", "1", "receive");
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(200), () -> pings(2), () -> "pings after receive");
    }

    @Test
    void groupStatsCountThePacketsThatWentThroughTheGroup() throws Exception {
        DaemonProcess d = start("      - priority=0,actions=drop\n");
        ofctl("add-group", "br0", "group_id=1,type=all,bucket=output:2");
        ofctl("add-group", "br0", "group_id=2,type=select,bucket=output:1");
        ofctl("add-flow", "br0", "priority=10,in_port=1,actions=group:1");
        ofctl("add-flow", "br0", "priority=10,in_port=2,actions=group:2");
        assertThat(pings(5)).as("pings through the groups\n" + d.log()).isTrue();
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(
                "group_id=1,.*packet_count=(\\d+),byte_count=(\\d+),bucket0:packet_count=(\\d+),byte_count=(\\d+)");
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(200), () -> {
            java.util.regex.Matcher m = p.matcher(ofctl("dump-group-stats", "br0"));
            return m.find() && Long.parseLong(m.group(1)) >= 5 && m.group(1).equals(m.group(3))
                    && Long.parseLong(m.group(2)) >= 5 * 98 && m.group(2).equals(m.group(4));
        }, () -> "group 1 counts 5 pings and more:\n" + ofctl("dump-group-stats", "br0"));
        assertThat(ofctl("-O", "OpenFlow15", "dump-group-stats", "br0")).containsPattern(
                "group_id=2,.*packet_count=[1-9]");
    }
}
