package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

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
 * {@code dec_ttl} at TTL 1 as OVS does it (compose_dec_ttl): the packet is not forwarded and the
 * controller ({@code ovs-ofctl monitor} on the management socket) gets a packet-in with reason
 * invalid_ttl, while a packet with TTL to spare goes through decremented.
 */
@Tag("netns")
class DecTtlPacketInTest {
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private SwitchedHosts net;
    private Hosts hosts;
    private Process monitor;

    @BeforeEach
    void setUp() {
        Needs.that(Sh.onPath("ovs-ofctl"), "ovs-ofctl (openvswitch-common)");
        net = SwitchedHosts.create(dir);
        hosts = net.hosts;
    }

    @AfterEach
    void tearDown() {
        if (monitor != null) {
            monitor.destroy();
            try {
                if (!monitor.waitFor(5, TimeUnit.SECONDS)) {
                    monitor.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void ttlOneGoesToTheControllerAsInvalidTtl() throws Exception {
        hosts.host(1);
        hosts.host(2);
        net.writeConfig(SwitchedHosts.config(false, "      - priority=20,arp,actions=normal\n"
                + "      - priority=10,ip,in_port=1,actions=dec_ttl,output:2\n"
                + "      - priority=10,in_port=2,actions=output:1\n"
                + "    listen: punix:br0.mgmt\n"));
        DaemonProcess d = net.startDaemon(START);
        Await.until(Duration.ofSeconds(20), Duration.ofMillis(200), () -> hosts.ping(1, 2, 1, 0.2).exit() == 0,
                () -> "pings with TTL to spare\n" + d.log());

        Path log = dir.resolve("monitor.log");
        ProcessBuilder pb = new ProcessBuilder("ovs-ofctl", "-O", "OpenFlow13", "monitor", "br0")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OVS_RUNDIR", dir.toString());
        monitor = pb.start();
        monitor.getOutputStream().close();
        Await.until(Duration.ofSeconds(20), Duration.ofMillis(300), () -> {
            Sh.Result r = Sh.tryInNs(hosts.hostNs(1), "ping", "-n", "-c", "1", "-t", "1", "-W", "1", "10.77.0.2");
            assertThat(r.exit()).as("TTL 1 is not forwarded: " + r.output()).isNotZero();
            return readQuietly(log).contains("invalid_ttl");
        }, () -> "a packet-in with reason invalid_ttl:\n" + readQuietly(log) + "\n--- daemon ---\n" + d.log());
        String in = Files.readString(log);
        // ovs-ofctl monitor asks for NXT_PACKET_IN2, as it does of OVS.
        assertThat(in).contains("NXT_PACKET_IN2 (OF1.3)").contains("in_port=1 (via invalid_ttl)")
                .contains("icmp,").contains("nw_ttl=1,");
        assertThat(hosts.ping(1, 2, 1, 0.2).exit()).as("TTL 64 still goes through").isZero();
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "(no monitor log: " + e.getMessage() + ")";
        }
    }
}
