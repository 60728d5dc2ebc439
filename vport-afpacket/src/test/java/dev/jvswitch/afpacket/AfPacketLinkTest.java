package dev.jvswitch.afpacket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.testkit.frame.MarkedFrames;
import dev.jvswitch.testkit.netns.Peer;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.sh.Sh;

/**
 * The interface going down, away, changing MTU, and coming back while a PMD (the test thread)
 * polls the port and a control thread refreshes it every 50 ms, as the daemon will.
 */
class AfPacketLinkTest extends NetnsPortTest {
    @Test
    void interfaceRemovedWhilePollingThenRecreated() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        long socketsBefore = openSockets();
        long ringsBefore = mappedRings();
        AfPacketNetdev port = open("p1", v.root(), Map.of("rxqs", "2"));
        int firstIndex = port.ifindex();
        assertThat(mappedRings()).as("rings of 2 rx and 1 tx queue").isEqualTo(ringsBefore + 3);
        startControl(port);

        Sh.run("ip", "link", "del", v.root());
        pollUntil(port, () -> !port.linkUp(), "link down after the veth was deleted");
        // Down: nothing received, everything sent is dropped as link_down.
        long linkDownDrops = stats(port).txLinkDown;
        assertThat(pmd.send(port.txq(0), List.of(MarkedFrames.frame(60, 1)))).isZero();
        assertThat(stats(port).txLinkDown).isEqualTo(linkDownDrops + 1);
        assertThat(stats(port).linkDownEvents).isEqualTo(1);

        Sh.run("ip", "link", "add", v.root(), "type", "veth", "peer", "name", v.peer(), "netns", ns);
        topo.configure(v);
        pollUntil(port, port::linkUp, "link up after the veth was re-created");
        assertThat(port.ifindex()).isNotEqualTo(firstIndex);
        assertThat(port.afPacketStats().reopens()).isEqualTo(1);

        // Traffic resumes both ways on the new interface, on both fanout queues.
        List<byte[]> frames = new ArrayList<>();
        for (int seq = 0; seq < 100; seq++) {
            frames.add(MarkedFrames.udp4(80, seq));
        }
        List<byte[]> got = new ArrayList<>();
        try (Peer sender = Peer.sender(ns, v.peer(), frames)) {
            pmd.receive(List.of(port.rxq(0), port.rxq(1)), frames.size(), WAIT, MarkedFrames::marked)
                    .forEach(rx -> got.add(rx.bytes()));
            sender.awaitExit(WAIT);
        }
        assertSameFrames(got, frames, port);
        List<byte[]> out = List.of(MarkedFrames.frame(70, 1000));
        assertSameFrames(sendToPeer(port, v, out, 1), out, port);

        stopControlAndWait();
        closeAndCheckNoLeaks();
        // Every socket and ring of both generations was closed and unmapped.
        assertThat(openSockets()).isEqualTo(socketsBefore);
        assertThat(mappedRings()).isEqualTo(ringsBefore);
    }

    @Test
    void linkDownAndUpAgain() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        AfPacketNetdev port = open("p1", v.root(), Map.of());
        startControl(port);

        // The peer going down takes our carrier away (IFF_RUNNING off).
        Sh.inNs(ns, "ip", "link", "set", v.peer(), "down");
        pollUntil(port, () -> !port.linkUp(), "link down after the peer went down");
        Sh.inNs(ns, "ip", "link", "set", v.peer(), "up");
        pollUntil(port, port::linkUp, "link up after the peer came back");

        Sh.run("ip", "link", "set", v.root(), "down");
        pollUntil(port, () -> !port.linkUp(), "link down after our end went down");
        Sh.run("ip", "link", "set", v.root(), "up");
        pollUntil(port, port::linkUp, "link up after our end came back");

        NetdevStats s = stats(port);
        assertThat(s.linkDownEvents).isEqualTo(2);
        assertThat(s.txLinkDown).isPositive();
        List<byte[]> frames = List.of(MarkedFrames.frame(60, 1), MarkedFrames.frame(1514, 2));
        assertSameFrames(receiveFromPeer(port, v, frames, frames.size()), frames, port);
        assertSameFrames(sendToPeer(port, v, frames, frames.size()), frames, port);
        stopControlAndWait();
        closeAndCheckNoLeaks();
    }

    @Test
    void mtuChangeIsPickedUpAndApplied() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        AfPacketNetdev port = open("p1", v.root(), Map.of());
        startControl(port);

        Sh.run("ip", "link", "set", v.root(), "mtu", "1400");
        pollUntil(port, () -> port.mtu() == 1400, "MTU 1400 seen");
        assertThat(port.linkUp()).isTrue();
        assertThat(port.afPacketStats().mtuChanges()).isEqualTo(1);

        List<byte[]> ok = List.of(MarkedFrames.frame(1414, 1), MarkedFrames.frame(60, 3));
        List<byte[]> frames = List.of(ok.get(0), MarkedFrames.frame(1415, 2), ok.get(1));
        long oversizeBefore = port.afPacketStats().txOversize();
        assertSameFrames(sendToPeer(port, v, frames, ok.size()), ok, port);
        assertThat(port.afPacketStats().txOversize()).isEqualTo(oversizeBefore + 1);
        stopControlAndWait();
        closeAndCheckNoLeaks();
    }

    @Test
    void portOpenedOnADownInterfaceComesUpWithIt() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        Sh.run("ip", "link", "set", v.root(), "down");
        AfPacketNetdev port = open("p1", v.root(), Map.of());
        assertThat(port.linkUp()).isFalse();
        startControl(port);

        Sh.run("ip", "link", "set", v.root(), "up");
        pollUntil(port, port::linkUp, "link up");
        List<byte[]> frames = List.of(MarkedFrames.frame(100, 1));
        assertSameFrames(receiveFromPeer(port, v, frames, 1), frames, port);
        stopControlAndWait();
        closeAndCheckNoLeaks();
    }
}
