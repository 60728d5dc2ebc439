package dev.jvswitch.afxdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.testkit.frame.MarkedFrames;
import dev.jvswitch.testkit.netns.Topology;

/** Frames in and out of an AF_XDP port, in native and generic mode: sizes, MTU, VLAN tags. */
class AfXdpRxTxTest extends XdpNetnsTest {

    @ParameterizedTest
    @ValueSource(strings = {"native", "generic"})
    void framesOfEverySizeArriveByteIdentical(String mode) throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        // A fill ring larger than the burst: the peer sends every frame at once, and a receiver
        // descheduled on a loaded machine must not find the kernel out of frames (no_mbuf drops).
        AfXdpNetdev port = open("p1", v.root(), Map.of("xdp-mode", mode, "n_rxq_desc", "2048"));
        assertThat(port.linkUp()).isTrue();
        assertThat(port.mtu()).isEqualTo(1500);
        assertThat(port.status()).containsEntry("xdp-mode", mode);

        List<byte[]> frames = everySize(60, 1514);
        assertSameFrames(receiveFromPeer(port, v, frames, frames.size()), frames, port);
        NetdevStats s = stats(port);
        assertThat(s.rxPackets).isGreaterThanOrEqualTo(frames.size());
        assertThat(s.rxDropped).as(dump(port)).isZero();
        closeAndCheckNoLeaks();
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "generic"})
    void transmittedFramesArriveByteIdenticalAtThePeer(String mode) throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        AfXdpNetdev port = open("p1", v.root(), Map.of("xdp-mode", mode));

        List<byte[]> frames = everySize(60, 1514);
        assertSameFrames(sendToPeer(port, v, frames, frames.size()), frames, port);
        NetdevStats s = stats(port);
        assertThat(s.txPackets).isEqualTo(frames.size());
        assertThat(s.txBytes).isEqualTo(frames.stream().mapToLong(f -> f.length).sum());
        assertThat(s.txDropped).as(dump(port)).isZero();
        closeAndCheckNoLeaks();
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "generic"})
    void vlanTaggedFramesPassBothWaysWithTheirTags(String mode) throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        AfXdpNetdev port = open("p1", v.root(), Map.of("xdp-mode", mode));

        List<byte[]> frames = List.of(
                MarkedFrames.tagged(0x8100, (3 << 13) | 100, MarkedFrames.frame(60, 1)),
                MarkedFrames.tagged(0x8100, 4095, MarkedFrames.frame(1514, 2)),         // MTU-sized payload + tag
                MarkedFrames.tagged(0x8100, 0, MarkedFrames.frame(200, 3)),             // priority tag
                MarkedFrames.tagged(0x88a8, 200, MarkedFrames.frame(300, 4)),           // 802.1ad S-tag
                MarkedFrames.tagged(0x88a8, 300, MarkedFrames.tagged(0x8100, 10, MarkedFrames.frame(400, 5))), // QinQ
                MarkedFrames.frame(100, 6));
        assertSameFrames(receiveFromPeer(port, v, frames, frames.size()), frames, port);
        List<byte[]> out = List.of(
                MarkedFrames.tagged(0x8100, (5 << 13) | 42, MarkedFrames.frame(60, 11)),
                MarkedFrames.tagged(0x8100, 42, MarkedFrames.frame(1514, 12)),
                MarkedFrames.tagged(0x88a8, 7, MarkedFrames.tagged(0x8100, 8, MarkedFrames.frame(100, 13))));
        assertSameFrames(sendToPeer(port, v, out, out.size()), out, port);
        closeAndCheckNoLeaks();
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "generic"})
    void receivedFramesAboveTheMtuAreDroppedAndCounted(String mode) throws Exception {
        String ns = topo.namespace("p");
        // The peer may send up to 3000; the veth passes up to our MTU + 18 (room for a tag).
        Topology.Veth v = topo.veth(ns, "x", 1500, 3000);
        AfXdpNetdev port = open("p1", v.root(), Map.of("xdp-mode", mode));

        byte[] atMtu = MarkedFrames.frame(1514, 1);
        byte[] last = MarkedFrames.frame(100, 4);
        List<byte[]> frames = List.of(atMtu, MarkedFrames.frame(1515, 2), MarkedFrames.frame(1518, 3), last);
        assertSameFrames(receiveFromPeer(port, v, frames, 2), List.of(atMtu, last), port);
        NetdevStats s = stats(port);
        assertThat(s.rxOversize).as(dump(port)).isEqualTo(2);
        assertThat(s.rxDropped).isEqualTo(2);
        closeAndCheckNoLeaks();
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "generic"})
    void transmittedFramesAboveTheMtuAreDroppedAndCounted(String mode) throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x", 1500, 3000);
        AfXdpNetdev port = open("p1", v.root(), Map.of("xdp-mode", mode));

        List<byte[]> ok = List.of(MarkedFrames.frame(1514, 1), MarkedFrames.tagged(0x8100, 9, MarkedFrames.frame(1514, 2)),
                MarkedFrames.frame(60, 9));
        List<byte[]> frames = new ArrayList<>();
        frames.add(ok.get(0));
        frames.add(MarkedFrames.frame(1515, 3));                                         // MTU + 1
        frames.add(ok.get(1));                                                           // tagged, MTU + 18
        frames.add(MarkedFrames.tagged(0x8100, 9, MarkedFrames.frame(1515, 4)));         // tagged, one too many
        frames.add(MarkedFrames.tagged(0x88a8, 9, MarkedFrames.frame(1515, 5)));         // only 802.1Q gets the extra 4
        frames.add(MarkedFrames.frame(2000, 6));
        frames.add(ok.get(2));
        assertSameFrames(sendToPeer(port, v, frames, ok.size()), ok, port);
        NetdevStats s = stats(port);
        assertThat(s.txPackets).isEqualTo(ok.size());
        assertThat(s.txDropped).as(dump(port)).isEqualTo(4);
        closeAndCheckNoLeaks();
    }
}
