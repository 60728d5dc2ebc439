package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * An OpenFlow meter in the datapath under real traffic: {@code ovs-ofctl add-meter} a 10 pkt/s
 * meter with a burst of 5, a flow {@code meter:1,output:2}, and a burst of pings from host 1:
 * only the burst and what the rate refills during the burst get through, and
 * {@code meter-stats} counts every request and, on its band, the ones it dropped. Deleting the
 * meter deletes the flow.
 */
@Tag("netns")
class MeterPingTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final int BURST = 5;
    private static final int RATE = 10;
    private static final int SENT = 60;

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

    private String ofctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow15"));
        cmd.addAll(List.of(args));
        Sh.Result r = Sh.tryRun(java.util.Map.of("OVS_RUNDIR", dir.toString()), cmd.toArray(String[]::new));
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.output()).isZero();
        return r.output();
    }

    private static int received(Sh.Result ping) {
        Matcher m = Pattern.compile("(\\d+) received").matcher(ping.output());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    @Test
    void aMeteredFlowPassesTheBurstAndTheRateAndCountsTheRest() throws Exception {
        hosts.host(1);
        hosts.host(2);
        net.writeConfig(SwitchedHosts.config(false, "      - priority=20,arp,actions=normal\n"
                + "      - priority=10,in_port=1,actions=output:2\n"
                + "      - priority=10,in_port=2,actions=output:1\n"
                + "    listen: punix:br0.mgmt\n"));
        DaemonProcess d = net.startDaemon(START);
        Await.until(Duration.ofSeconds(20), Duration.ofMillis(200), () -> hosts.ping(1, 2, 1, 0.2).exit() == 0,
                () -> "pings before the meter\n" + d.log());

        ofctl("add-meter", "br0", "meter=1,pktps,burst,stats,bands=type=drop,rate=" + RATE + ",burst_size=" + BURST);
        ofctl("add-flow", "br0", "priority=10,in_port=1,actions=meter:1,output:2");
        assertThat(ofctl("dump-meters", "br0")).contains("meter=1 pktps burst stats bands=\ntype=drop rate=10 burst_size=5");

        long start = System.nanoTime();
        Sh.Result ping = Sh.tryInNs(hosts.hostNs(1), "ping", "-n", "-q", "-c", Integer.toString(SENT), "-i", "0.005",
                "-W", "1", "10.77.0.2");
        double elapsedS = (System.nanoTime() - start) / 1e9;
        int got = received(ping);
        // The bucket starts full (the burst) and refills RATE a second while the requests go out.
        assertThat(got).as("replies to %d requests in %.2f s: %s", SENT, elapsedS, ping.output())
                .isBetween(BURST, BURST + (int) Math.ceil(RATE * elapsedS) + 1);

        Pattern stats = Pattern.compile("meter:1 flow_count:1 packet_in_count:(\\d+) byte_in_count:(\\d+) "
                + "duration:[0-9.]+s bands:\n0: packet_count:(\\d+) byte_count:(\\d+)");
        Matcher m = stats.matcher(ofctl("meter-stats", "br0"));
        assertThat(m.find()).as(ofctl("meter-stats", "br0")).isTrue();
        long in = Long.parseLong(m.group(1));
        long dropped = Long.parseLong(m.group(3));
        assertThat(in).as("every echo request reached the meter").isEqualTo(SENT);
        assertThat(dropped).as("the band counts what it dropped")
                .isBetween(SENT - (long) (BURST + Math.ceil(RATE * elapsedS) + 1), SENT - (long) got);
        assertThat(Long.parseLong(m.group(4))).isEqualTo(dropped * (Long.parseLong(m.group(2)) / in));
        assertThat(d.ok("ofctl/meter-stats", "br0")).contains("meter:1 flow_count:1 packet_in_count:" + in);

        d.ok("ofctl/del-meters", "br0", "meter=1");
        assertThat(ofctl("--no-stats", "dump-flows", "br0")).as("the flow went with its meter")
                .doesNotContain("meter:1");
    }
}
