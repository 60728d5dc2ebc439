package dev.jvswitch.afxdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.jvswitch.pmd.testing.Relay;
import dev.jvswitch.testkit.frame.MarkedFrames;
import dev.jvswitch.testkit.netns.Peer;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.sh.Sh;

/**
 * Checksum offload: hosts in two namespaces talk UDP and TCP through two AF_XDP ports joined by a
 * relay, with tx checksum offload left on (the veth default), in native and generic mode. Their
 * kernels leave TCP/UDP checksums unfinished on the way out; the segments must still arrive whole.
 */
class AfXdpChecksumTest extends XdpNetnsTest {
    private static final String PAYLOAD = MarkedFrames.hex("checksums are complete".getBytes(StandardCharsets.US_ASCII));

    private Topology.Veth a;
    private Topology.Veth b;
    private AfXdpNetdev p1;
    private AfXdpNetdev p2;

    private void twoHosts(String mode) throws Exception {
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
        p1 = open("p1", a.root(), Map.of("xdp-mode", mode));
        p2 = open("p2", b.root(), Map.of("xdp-mode", mode));
    }

    private static void address(Topology.Veth v, String ipv4, String ipv6) {
        Sh.inNs(v.ns(), "ip", "addr", "add", ipv4, "dev", v.peer());
        Sh.inNs(v.ns(), "ip", "-6", "addr", "add", ipv6, "dev", v.peer(), "nodad");
    }

    private static void neighbour(Topology.Veth from, Topology.Veth to, String ipv4, String ipv6) {
        String mac = Sh.inNs(to.ns(), "cat", "/sys/class/net/" + to.peer() + "/address").trim();
        Sh.inNs(from.ns(), "ip", "neigh", "replace", ipv4, "lladdr", mac, "dev", from.peer(), "nud", "permanent");
        Sh.inNs(from.ns(), "ip", "-6", "neigh", "replace", ipv6, "lladdr", mac, "dev", from.peer(), "nud", "permanent");
    }

    private void exchange(String kind, String from, String to) {
        try (Peer server = Peer.start(b.ns(), kind + "-recv", to, "5555", "15")) {
            server.awaitLine("ready", WAIT);
            try (Peer client = Peer.start(a.ns(), kind + "-send", from, to, "5555", PAYLOAD)) {
                client.awaitExit(WAIT);
            }
            assertThat(server.awaitExit(WAIT)).as("what the receiver got; %s; %s", dump(p1), dump(p2))
                    .containsExactly(PAYLOAD);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "generic"})
    void udpAndTcpOverIpv4AndIpv6GetThroughWithOffloadOn(String mode) throws Exception {
        twoHosts(mode);
        long forwarded;
        try (Relay relay = new Relay(p1, p2, pool, Duration.ofMillis(50))) {
            exchange("udp", "10.77.0.1", "10.77.0.2");
            exchange("udp", "fd00:77::1", "fd00:77::2");
            exchange("tcp", "10.77.0.1", "10.77.0.2");
            exchange("tcp", "fd00:77::1", "fd00:77::2");
            forwarded = relay.stop();
        }
        assertThat(forwarded).isPositive();
        assertThat(p1.xdpMode()).isEqualTo(mode);
        // The path under test was taken: frames arrived unfinished and were completed, both ways.
        assertThat(p1.afXdpStats().rxCsumCompleted()).as(dump(p1)).isGreaterThanOrEqualTo(4);
        assertThat(p2.afXdpStats().rxCsumCompleted()).as(dump(p2)).isGreaterThanOrEqualTo(2);
        closeAndCheckNoLeaks();
    }
}
