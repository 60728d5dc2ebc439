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
 * the packet as the actions before {@code output:CONTROLLER} made it; a meter passes the burst
 * and the rate of a burst of pings and counts the rest; {@code dec_ttl} at TTL 1 is a packet-in
 * with reason invalid_ttl.
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

    private static final int BURST = 5;
    private static final int RATE = 10;
    private static final int SENT = 60;

    private static int received(Sh.Result ping) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) received").matcher(ping.output());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
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
        // An OpenFlow barrier answers once the tables changed (as OVS); the megaflows follow right after.
        d.ok("revalidator/wait");
        assertThat(ofctl("dump-ports-desc", "br0")).contains("config:     PORT_DOWN");
        assertThat(d.ok("ofctl/show", "br0")).contains("config:     PORT_DOWN");
        assertThat(pings(2)).as("nothing through a port that is down").isFalse();
        ofctl("mod-port", "br0", "2", "up");
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(200), () -> pings(2), () -> "pings after up");
        ofctl("-O", "OpenFlow15", "mod-port", "br0", "1", "no-receive");
        d.ok("revalidator/wait");
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
        d.ok("revalidator/wait");
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

    /**
     * ovs-ofctl add-meter (10 pkt/s, burst 5), a flow meter:1,output:2 and a burst of 60 pings:
     * the replies stay between the burst and the burst plus what the rate refills meanwhile, and
     * meter-stats counts every request and, on the band, what it dropped. Deleting the meter
     * deletes the flow.
     */
    @Test
    void aMeteredFlowPassesTheBurstAndTheRateAndCountsTheRest() throws Exception {
        DaemonProcess d = start("      - priority=20,arp,actions=normal\n      - priority=10,in_port=1,actions=output:2\n"
                + "      - priority=10,in_port=2,actions=output:1\n");
        Await.until(Duration.ofSeconds(20), Duration.ofMillis(200), () -> pings(1), () -> "pings\n" + d.log());
        ofctl("-O", "OpenFlow15", "add-meter", "br0", "meter=1,pktps,burst,stats,bands=type=drop,rate=" + RATE
                + ",burst_size=" + BURST);
        ofctl("add-flow", "br0", "priority=10,in_port=1,actions=meter:1,output:2");
        d.ok("revalidator/wait");
        assertThat(ofctl("-O", "OpenFlow15", "dump-meters", "br0"))
                .contains("meter=1 pktps burst stats bands=\ntype=drop rate=10 burst_size=5");

        long start = System.nanoTime();
        Sh.Result ping = Sh.tryInNs(hosts.hostNs(1), "ping", "-n", "-q", "-c", Integer.toString(SENT), "-i", "0.005",
                "-W", "1", "10.77.0.2");
        double elapsedS = (System.nanoTime() - start) / 1e9;
        int got = received(ping);
        int most = BURST + (int) Math.ceil(RATE * elapsedS) + 1;
        // The bucket starts full (the burst) and refills RATE a second while the requests go out.
        assertThat(got).as("replies to %d requests in %.2f s: %s", SENT, elapsedS, ping.output()).isBetween(BURST, most);

        String stats = ofctl("-O", "OpenFlow15", "meter-stats", "br0");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("meter:1 flow_count:1 packet_in_count:(\\d+) "
                + "byte_in_count:(\\d+) duration:[0-9.]+s bands:\n0: packet_count:(\\d+) byte_count:(\\d+)")
                .matcher(stats);
        assertThat(m.find()).as(stats).isTrue();
        long in = Long.parseLong(m.group(1));
        long dropped = Long.parseLong(m.group(3));
        assertThat(in).as("every echo request reached the meter").isEqualTo(SENT);
        assertThat(dropped).as("the band counts what it dropped").isBetween((long) SENT - most, (long) SENT - got);
        assertThat(Long.parseLong(m.group(4))).isEqualTo(dropped * (Long.parseLong(m.group(2)) / in));
        assertThat(d.ok("ofctl/meter-stats", "br0")).contains("meter:1 flow_count:1 packet_in_count:" + in);

        d.ok("ofctl/del-meters", "br0", "meter=1");
        assertThat(ofctl("--no-stats", "dump-flows", "br0")).as("the flow went with its meter").doesNotContain("meter:1");
    }

    /**
     * dec_ttl at TTL 1 as OVS's compose_dec_ttl: not forwarded, and the controller (ovs-ofctl
     * monitor on the management socket) gets a packet-in with reason invalid_ttl; TTL to spare
     * goes through.
     */
    @Test
    void ttlOneGoesToTheControllerAsInvalidTtl() throws Exception {
        DaemonProcess d = start("      - priority=20,arp,actions=normal\n      - priority=10,ip,in_port=1,actions=dec_ttl,output:2\n"
                + "      - priority=10,in_port=2,actions=output:1\n");
        Await.until(Duration.ofSeconds(20), Duration.ofMillis(200), () -> pings(1), () -> "pings\n" + d.log());
        Path log = dir.resolve("monitor.log");
        ProcessBuilder pb = new ProcessBuilder("ovs-ofctl", "-O", "OpenFlow13", "monitor", "br0")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OVS_RUNDIR", dir.toString());
        Process monitor = pb.start();
        try {
            monitor.getOutputStream().close();
            Await.until(Duration.ofSeconds(20), Duration.ofMillis(300), () -> {
                Sh.Result r = Sh.tryInNs(hosts.hostNs(1), "ping", "-n", "-c", "1", "-t", "1", "-W", "1", "10.77.0.2");
                assertThat(r.exit()).as("TTL 1 is not forwarded: " + r.output()).isNotZero();
                return readQuietly(log).contains("invalid_ttl");
            }, () -> "a packet-in with reason invalid_ttl:\n" + readQuietly(log) + "\n--- daemon ---\n" + d.log());
            // ovs-ofctl monitor asks for NXT_PACKET_IN2, as it does of OVS.
            assertThat(readQuietly(log)).contains("NXT_PACKET_IN2 (OF1.3)").contains("in_port=1 (via invalid_ttl)")
                    .contains("icmp,").contains("nw_ttl=1,");
            assertThat(pings(1)).as("TTL 64 still goes through").isTrue();
        } finally {
            monitor.destroy();
            if (!monitor.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                monitor.destroyForcibly();
            }
        }
    }

    private static String readQuietly(Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            return "(no monitor log: " + e.getMessage() + ")";
        }
    }
}
