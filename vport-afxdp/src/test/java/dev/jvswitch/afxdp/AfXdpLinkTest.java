package dev.jvswitch.afxdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.testkit.frame.MarkedFrames;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.sh.Sh;

/**
 * The interface going down, away, changing MTU and coming back while a PMD (the test thread) polls
 * and sends on the port and a control thread refreshes it every 50 ms, as the daemon does; another
 * port keeps forwarding all along, and no mbuf, socket or mapping is left behind.
 */
class AfXdpLinkTest extends XdpNetnsTest {
    @Test
    void interfaceRemovedUnderTrafficThenRecreatedWhileAnotherPortForwards() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        Topology.Veth w = topo.veth(ns, "y");
        long socketsBefore = openSockets();
        long ringsBefore = mappedRings();
        AfXdpNetdev port = open("p1", v.root(), Map.of());
        AfXdpNetdev other = open("p2", w.root(), Map.of());
        int firstIndex = port.ifindex();
        assertThat(mappedRings()).as("four rings per socket").isEqualTo(ringsBefore + 8);
        startControl(port, other);

        // Traffic out of the port while its interface is deleted under it.
        Thread deleter = new Thread(() -> Sh.run("ip", "link", "del", v.root()), "deleter");
        deleter.start();
        pollUntil(port, () -> !port.linkUp() && port.ifindex() == 0, "sockets retired after the veth was deleted");
        deleter.join(WAIT.toMillis());
        assertThat(port.xdpMode()).isEqualTo("none");
        assertThat(port.afXdpStats().lastError()).contains("vanished");
        assertThat(port.status()).containsEntry("xdp-mode", "none").containsKey("error");
        assertThat(port.status().get("error")).contains(v.root()).contains("vanished");
        long linkDownDrops = stats(port).txLinkDown;
        assertThat(pmd.send(port.txq(0), List.of(MarkedFrames.frame(60, 1)))).isZero();
        assertThat(stats(port).txLinkDown).isEqualTo(linkDownDrops + 1);
        // The retired sockets gave their frames back: what is in use is the other port's.
        cache.flush();
        assertThat(pool.inUse()).as("only the other port's fill ring holds mbufs; %s", dump(other)).isEqualTo(512);

        // The other port forwarded all along.
        List<byte[]> frames = everySize(60, 200);
        assertSameFrames(receiveFromPeer(other, w, frames, frames.size()), frames, other);
        assertSameFrames(sendToPeer(other, w, frames, frames.size()), frames, other);

        Sh.run("ip", "link", "add", v.root(), "type", "veth", "peer", "name", v.peer(), "netns", ns);
        topo.configure(v);
        pollUntil(port, port::linkUp, "link up after the veth was re-created");
        assertThat(port.ifindex()).isNotEqualTo(firstIndex).isPositive();
        assertThat(port.xdpMode()).isEqualTo("native");
        assertThat(port.status()).as("no error once the sockets are back").containsOnlyKeys("xdp-mode");
        assertThat(port.afXdpStats().reopens()).isEqualTo(1);
        assertSameFrames(receiveFromPeer(port, v, frames, frames.size()), frames, port);
        assertSameFrames(sendToPeer(port, v, frames, frames.size()), frames, port);

        stopControlAndWait();
        closeAndCheckNoLeaks();
        assertThat(openSockets()).isEqualTo(socketsBefore);
        assertThat(mappedRings()).isEqualTo(ringsBefore);
    }

    @Test
    void linkDownAndUpAgainKeepsTheSockets() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        AfXdpNetdev port = open("p1", v.root(), Map.of());
        startControl(port);

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
        assertThat(port.afXdpStats().reopens()).as("same interface: same sockets").isZero();
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
        AfXdpNetdev port = open("p1", v.root(), Map.of());
        startControl(port);

        Sh.run("ip", "link", "set", v.root(), "mtu", "1400");
        pollUntil(port, () -> port.mtu() == 1400, "MTU 1400 seen");
        assertThat(port.linkUp()).isTrue();
        assertThat(port.mtuChanges()).isEqualTo(1);

        List<byte[]> ok = List.of(MarkedFrames.frame(1414, 1), MarkedFrames.frame(60, 3));
        List<byte[]> frames = List.of(ok.get(0), MarkedFrames.frame(1415, 2), ok.get(1));
        long oversizeBefore = stats(port).txDropped;
        assertSameFrames(sendToPeer(port, v, frames, ok.size()), ok, port);
        assertThat(stats(port).txDropped).isEqualTo(oversizeBefore + 1);
        stopControlAndWait();
        closeAndCheckNoLeaks();
    }
}
