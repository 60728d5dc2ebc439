package dev.jvswitch.afpacket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jvswitch.pmd.testing.Relay;
import dev.jvswitch.testkit.frame.MarkedFrames;
import dev.jvswitch.testkit.netns.Peer;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.sh.Sh;

/**
 * Checksum offload: hosts in two namespaces talk UDP and TCP through two AF_PACKET ports joined
 * by a relay, with tx checksum offload left on (the veth default). Their kernels leave
 * TCP/UDP checksums unfinished on the way out; the port must complete them, or the receiving
 * kernel drops the segments as corrupt and nothing gets through.
 */
class AfPacketChecksumTest extends NetnsPortTest {
    private static final String PAYLOAD = MarkedFrames.hex("checksums are complete".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private Topology.Veth a;
    private Topology.Veth b;
    private AfPacketNetdev p1;
    private AfPacketNetdev p2;

    private void twoHosts() throws Exception {
        String nsA = topo.namespace("a");
        String nsB = topo.namespace("b");
        a = topo.veth(nsA, "a");
        b = topo.veth(nsB, "b");
        for (Topology.Veth v : List.of(a, b)) {
            assertThat(Sh.inNs(v.ns(), "ethtool", "-k", v.peer())).contains("tx-checksum-ip-generic: on");
            Sh.inNs(v.ns(), "sysctl", "-qw", "net.ipv6.conf." + v.peer() + ".disable_ipv6=0");
        }
        address(a, "10.77.0.1/24", "fd00:77::1/64");
        address(b, "10.77.0.2/24", "fd00:77::2/64");
        neighbour(a, b, "10.77.0.2", "fd00:77::2");
        neighbour(b, a, "10.77.0.1", "fd00:77::1");
        p1 = open("p1", a.root(), Map.of());
        p2 = open("p2", b.root(), Map.of());
    }

    private static void address(Topology.Veth v, String ipv4, String ipv6) {
        Sh.inNs(v.ns(), "ip", "addr", "add", ipv4, "dev", v.peer());
        Sh.inNs(v.ns(), "ip", "-6", "addr", "add", ipv6, "dev", v.peer(), "nodad");
    }

    /** Static neighbour entries, so no ARP or ND is needed before the first datagram. */
    private static void neighbour(Topology.Veth from, Topology.Veth to, String ipv4, String ipv6) {
        String mac = Sh.inNs(to.ns(), "cat", "/sys/class/net/" + to.peer() + "/address").trim();
        Sh.inNs(from.ns(), "ip", "neigh", "replace", ipv4, "lladdr", mac, "dev", from.peer(), "nud", "permanent");
        Sh.inNs(from.ns(), "ip", "-6", "neigh", "replace", ipv6, "lladdr", mac, "dev", from.peer(), "nud", "permanent");
    }

    /** Relays frames between p1 and p2 while {@code body} runs; returns how many it sent. */
    private long forwardDuring(Runnable body) {
        try (Relay relay = new Relay(p1, p2, pool)) {
            body.run();
            return relay.stop();
        }
    }

    private void exchange(String mode, String from, String to) {
        try (Peer server = Peer.start(b.ns(), mode + "-recv", to, "5555", "15")) {
            server.awaitLine("ready", WAIT);
            try (Peer client = Peer.start(a.ns(), mode + "-send", from, to, "5555", PAYLOAD)) {
                client.awaitExit(WAIT);
            }
            assertThat(server.awaitExit(WAIT)).as("what the receiver got; %s; %s", dump(p1), dump(p2))
                    .containsExactly(PAYLOAD);
        }
    }

    @Test
    void udpAndTcpOverIpv4AndIpv6GetThroughWithOffloadOn() throws Exception {
        twoHosts();
        long forwarded = forwardDuring(() -> {
            exchange("udp", "10.77.0.1", "10.77.0.2");
            exchange("udp", "fd00:77::1", "fd00:77::2");
            exchange("tcp", "10.77.0.1", "10.77.0.2");
            exchange("tcp", "fd00:77::1", "fd00:77::2");
        });
        assertThat(forwarded).isPositive();
        // The path under test was taken: frames arrived unfinished and were completed, both ways.
        assertThat(p1.afPacketStats().rxCsumCompleted()).as(dump(p1)).isGreaterThanOrEqualTo(4);
        assertThat(p2.afPacketStats().rxCsumCompleted()).as(dump(p2)).isGreaterThanOrEqualTo(2);
        assertThat(p1.afPacketStats().rxCsumUnfixed() + p2.afPacketStats().rxCsumUnfixed()).isZero();
        closeAndCheckNoLeaks();
    }
}
