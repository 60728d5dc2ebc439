package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.frame.Frames;
import dev.jvswitch.testkit.netns.Hosts;
import dev.jvswitch.testkit.netns.Peer;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/**
 * Balance-slb rebalancing under traffic of many flows, as OVS's {@code bond_rebalance} does it: a
 * balance-slb bond of two veths ({@code s2}, {@code s3}) to a Linux bridge in host 2's namespace
 * (the physical switch), {@code bond-rebalance-interval=1000}. Host 1 sends frames from
 * {@value #MACS} source MACs to host 2 while {@code s3} is down, so every hash bucket goes to
 * {@code s2}; {@code s3} comes back and gets nothing by itself (no failback); the next rebalances
 * move loaded buckets to it, after which both members carry the traffic. Everything is awaited
 * with a bound in time; nothing depends on when a rebalance runs.
 */
class OvsdbBondRebalanceTest {
    private static final int MACS = 48;
    private static final int FRAME_BYTES = 1000;
    private static final Pattern HASH = Pattern.compile("  hash (\\d+): (\\d+) kB load");

    @Test
    void rebalancingMovesLoadedBucketsToTheIdleMemberAndBothCarryTraffic(@TempDir Path dir) throws Exception {
        Needs.that(OvsdbDaemonTest.available(), "root, ip, ping, python3 and Open vSwitch's ovsdb-server, ovs-vsctl");
        try (Hosts hosts = new Hosts()) {
            String h1 = hosts.host(1);
            String h2 = hosts.host(2);
            Sh.run("ip", "-n", hosts.sw, "link", "add", "s3", "type", "veth", "peer", "name", "eth1", "netns", h2);
            Sh.run("ip", "-n", h2, "link", "add", "lb", "type", "bridge");
            Sh.run("ip", "-n", h2, "addr", "del", "10.77.0.2/24", "dev", "eth0");
            Sh.run("ip", "-n", h2, "link", "set", "eth0", "master", "lb");
            Sh.run("ip", "-n", h2, "link", "set", "eth1", "master", "lb");
            Sh.run("ip", "-n", h2, "addr", "add", "10.77.0.2/24", "dev", "lb");
            Sh.run("ip", "-n", h2, "link", "set", "eth1", "up");
            Sh.run("ip", "-n", h2, "link", "set", "lb", "up");
            // s3 stays down for now: every bucket the hosts use goes to s2.
            try (OvsdbServer db = OvsdbServer.start(dir); DaemonProcess d = OvsdbDaemonTest.daemon(dir, hosts.sw, db)) {
                db.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev", "--",
                        "add-port", "br0", "s1", "--", "add-bond", "br0", "bond0", "s2", "s3",
                        "bond_mode=balance-slb", "other_config:bond-rebalance-interval=1000");
                Await.until(Duration.ofSeconds(30), Duration.ofMillis(200), () -> hosts.ping(1, 2, 1, 0.2).exit() == 0,
                        () -> "h1 -> h2 through s2\n" + d.log());
                String lbMac = Sh.inNs(h2, "cat", "/sys/class/net/lb/address").trim();
                List<byte[]> burst = burst(lbMac);

                // The buckets' loads come from the megaflows' statistics, pushed by the revalidators.
                String[] before = new String[1];
                Await.until(Duration.ofSeconds(30), Duration.ofMillis(100), () -> {
                    send(h1, burst);
                    before[0] = d.ok("bond/show", "bond0");
                    return hashes(before[0], "s2").size() >= MACS / 4;
                }, () -> "loads on s2's buckets\n" + before[0] + "\n" + d.log());
                assertThat(before[0]).contains("bond_mode: balance-slb\n", "all members active: false\n",
                        "next rebalance: ", "\nmember s3: disabled\n");
                Set<Integer> onS2 = hashes(before[0], "s2");
                assertThat(hashes(before[0], "s3")).isEmpty();

                Sh.run("ip", "-n", hosts.sw, "link", "set", "s3", "up");
                Await.until(Duration.ofSeconds(20), () -> db.get("Interface", "s3", "link_state").equals("up"),
                        () -> "s3's link up\n" + d.log());
                long[] start = txPackets(d);
                // Traffic until a rebalance has given s3 some of s2's loaded buckets and s3 sends.
                Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), () -> {
                    send(h1, burst);
                    String show = d.ok("bond/show", "bond0");
                    Set<Integer> moved = new HashSet<>(hashes(show, "s3"));
                    moved.retainAll(onS2);
                    return !moved.isEmpty() && txPackets(d)[1] > start[1];
                }, () -> "a rebalance moving load to s3\n" + d.ok("bond/show", "bond0") + "\n" + d.log());

                long[] a = settled(d);
                send(h1, burst);
                long[][] b = new long[1][];
                Await.until(Duration.ofSeconds(20), Duration.ofMillis(100), () -> {
                    b[0] = txPackets(d);
                    return b[0][0] - a[0] + b[0][1] - a[1] >= burst.size();
                }, () -> "the burst through the bond\n" + d.ok("ofctl/dump-ports", "br0"));
                assertThat(b[0][0] - a[0]).as("s2 still carries traffic").isPositive();
                assertThat(b[0][1] - a[1]).as("s3 carries the moved buckets' traffic").isPositive();
                assertThat(b[0][0] - a[0] + b[0][1] - a[1]).as("each frame through one member, once")
                        .isLessThanOrEqualTo(burst.size() + 50L);
                assertThat(hosts.ping(1, 2, 3, 0.2).output()).contains(" 0% packet loss").doesNotContain("DUP!");
                assertThat(d.log()).doesNotContain("ERROR");
                assertThat(d.terminate(Duration.ofSeconds(20))).isZero();
            }
        }
    }

    /** {@value #FRAME_BYTES}-byte UDP frames from {@value #MACS} source MACs to host 2, eight rounds. */
    private static List<byte[]> burst(String dstMac) {
        List<byte[]> frames = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            for (int i = 0; i < MACS; i++) {
                frames.add(Frames.udp4().src(String.format("02:00:00:00:7a:%02x", i)).dst(dstMac)
                        .ip("10.77.0.1", "10.77.0.2").ports(40000 + i, 9).size(FRAME_BYTES).build());
            }
        }
        return frames;
    }

    private static void send(String ns, List<byte[]> frames) {
        try (Peer p = Peer.sender(ns, "eth0", frames)) {
            p.awaitExit(Duration.ofSeconds(30));
        }
    }

    /** The hash buckets {@code bond/show} lists under {@code member} (those with at least 1 kB of load). */
    static Set<Integer> hashes(String show, String member) {
        Set<Integer> out = new HashSet<>();
        int at = show.indexOf("\nmember " + member + ":");
        if (at < 0) {
            return out;
        }
        int end = show.indexOf("\nmember ", at + 1);
        Matcher m = HASH.matcher(show.substring(at, end < 0 ? show.length() : end));
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    /** {@link #txPackets} once two readings 300 ms apart agree: the bursts before are through. */
    private static long[] settled(DaemonProcess d) {
        long[][] last = {txPackets(d)};
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(300), () -> {
            long[] now = txPackets(d);
            boolean same = java.util.Arrays.equals(now, last[0]);
            last[0] = now;
            return same;
        }, () -> "s2 and s3 idle");
        return last[0];
    }

    /** Packets s2 and s3 sent, from {@code ofctl/dump-ports}. */
    private static long[] txPackets(DaemonProcess d) {
        String ports = d.ok("ofctl/dump-ports", "br0");
        return new long[] {tx(ports, "s2"), tx(ports, "s3")};
    }

    private static long tx(String ports, String name) {
        Matcher m = Pattern.compile("\\(" + name + "\\): rx pkts=\\d+.*\\n\\s+tx pkts=(\\d+)").matcher(ports);
        if (!m.find()) {
            throw new AssertionError("no tx count of " + name + " in\n" + ports);
        }
        return Long.parseLong(m.group(1));
    }
}
