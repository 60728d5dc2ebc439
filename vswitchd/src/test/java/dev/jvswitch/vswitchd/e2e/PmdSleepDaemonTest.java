package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.netns.Hosts;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/**
 * {@code pmd-idle: sleep} in the daemon, over AF_PACKET ports on veths and over AF_XDP ports
 * (whose PMD sleeps on the XDP sockets): once the PMD sleeps in poll(2), a ping through the switch
 * wakes it (its first round trip is bounded loosely: a PMD
 * that only woke at the end of its 100 ms sleep would make the median about 50 ms), and an
 * OpenFlow packet-out with its barrier, which waits for the PMD to send the packet, is answered
 * at once. Whether every command wakes the PMD without waiting for a timeout is pmd-core's
 * {@code PmdSleepTest}, with minute-long sleeps.
 */
@Tag("netns")
class PmdSleepDaemonTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration AWAIT = Duration.ofSeconds(20);
    private static final Pattern SLEEPS = Pattern.compile("idle sleeps: (\\d+)");
    private static final Pattern RTT = Pattern.compile("time=([0-9.]+) ms");
    private static final Pattern TX = Pattern.compile("tx pkts=(\\d+)");
    /** A broadcast frame of a local experimental ethertype, 60 bytes. */
    private static final String FRAME = "ffffffffffff020000000099" + "88b5" + "00".repeat(46);

    @TempDir
    Path dir;

    @Test
    void aSleepingPmdWakesForAPingAndAPacketOut() throws Exception {
        wakesForAPingAndAPacketOut(SwitchedHosts.config(false, SwitchedHosts.NORMAL + "    listen: punix:br0.mgmt\n")
                .replace("pmd-idle: backoff", "pmd-idle: sleep"));
    }

    @Test
    void aPmdOnAfXdpPortsSleepsAndWakesForAPingAndAPacketOut() throws Exception {
        // A mempool of 4 KiB frame slots (the UMEM) with room for both ports' fill rings.
        wakesForAPingAndAPacketOut(SwitchedHosts.config(false, SwitchedHosts.NORMAL + "    listen: punix:br0.mgmt\n")
                .replace("pmd-idle: backoff", "pmd-idle: sleep")
                .replace("mbufs: 2048", "mbufs: 4096")
                .replace("type: afpacket", "type: afxdp")
                .replace("options: {ifname: s1}", "options: {ifname: s1, n_rxq_desc: 512, n_txq_desc: 512}")
                .replace("options: {ifname: s2}", "options: {ifname: s2, n_rxq_desc: 512, n_txq_desc: 512}"));
    }

    private void wakesForAPingAndAPacketOut(String config) throws Exception {
        Needs.that(Sh.onPath("ovs-ofctl"), "ovs-ofctl (openvswitch-common)");
        try (SwitchedHosts net = SwitchedHosts.create(dir)) {
            Hosts hosts = net.hosts;
            hosts.host(1);
            hosts.host(2);
            assertThat(config).contains("pmd-idle: sleep");
            net.writeConfig(config);
            DaemonProcess d = net.startDaemon(START);
            assertThat(hosts.ping(1, 2, 3, 0.2).exit()).as("warm-up ping\n" + d.log()).isZero();

            List<Double> rtts = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                awaitSleeping(d);
                Sh.Result ping = hosts.ping(1, 2, 1, 0.2);
                assertThat(ping.exit()).as("ping after idle\n" + ping.output()).isZero();
                Matcher m = RTT.matcher(ping.output());
                assertThat(m.find()).as(ping.output()).isTrue();
                rtts.add(Double.parseDouble(m.group(1)));
            }
            System.out.println("PmdSleepDaemonTest (" + (config.contains("afxdp") ? "afxdp" : "afpacket")
                    + "): first RTTs (ms) after the PMD slept: " + rtts);
            List<Double> sorted = new ArrayList<>(rtts);
            sorted.sort(null);
            // Every ping was answered (within ping's 2 s); the median is the bound. Under load a
            // single round trip has been seen at 0.3 s and 1.08 s (an ARP retransmitted after 1 s).
            assertThat(sorted.get(2)).as("median first RTT (ms) after the PMD slept, of %s", rtts).isLessThan(20.0);

            for (int i = 1; i <= 3; i++) {
                long tx = txPackets(2);
                awaitSleeping(d);
                long t0 = System.nanoTime();
                ofctl("packet-out", "br0", "in_port=controller packet=" + FRAME + " actions=output:2");
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(took).as("packet-out and barrier to a sleeping PMD").isLessThan(Duration.ofSeconds(2));
                assertThat(txPackets(2)).as("port 2 sent the packet-out").isEqualTo(tx + 1);
            }
        }
    }

    /** Waits until the PMD has gone to sleep twice more: it has been idle and is in (or near) poll(2). */
    private static void awaitSleeping(DaemonProcess d) {
        long before = sleeps(d);
        Await.until(AWAIT, Duration.ofMillis(20), () -> sleeps(d) >= before + 2,
                () -> "the PMD sleeping\n" + d.ok("dpif-netdev/pmd-stats-show"));
    }

    private static long sleeps(DaemonProcess d) {
        Matcher m = SLEEPS.matcher(d.ok("dpif-netdev/pmd-stats-show"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private long txPackets(int port) {
        Matcher m = TX.matcher(ofctl("dump-ports", "br0", Integer.toString(port)));
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private String ofctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13"));
        cmd.addAll(List.of(args));
        Sh.Result r = Sh.tryRun(Map.of("OVS_RUNDIR", dir.toString()), cmd.toArray(String[]::new));
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.output()).isZero();
        return r.output();
    }
}
