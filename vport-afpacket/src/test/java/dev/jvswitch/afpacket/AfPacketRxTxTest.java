package dev.jvswitch.afpacket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.testkit.frame.MarkedFrames;
import dev.jvswitch.testkit.netns.Peer;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.sh.Await;

/** Frames in and out of an AF_PACKET port: sizes, MTU, VLAN tags, truncation, own frames. */
class AfPacketRxTxTest extends NetnsPortTest {

    @Test
    void framesOfEverySizeArriveByteIdentical() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        AfPacketNetdev port = open("p1", v.root(), Map.of());
        assertThat(port.linkUp()).isTrue();
        assertThat(port.mtu()).isEqualTo(1500);

        List<byte[]> frames = everySize(60, 1514);
        assertSameFrames(receiveFromPeer(port, v, frames, frames.size()), frames, port);
        NetdevStats s = stats(port);
        assertThat(s.rxPackets).isGreaterThanOrEqualTo(frames.size());
        assertThat(s.rxDropped).as(dump(port)).isZero();
        closeAndCheckNoLeaks();
    }

    @Test
    void transmittedFramesArriveByteIdenticalAtThePeer() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        AfPacketNetdev port = open("p1", v.root(), Map.of());

        List<byte[]> frames = everySize(60, 1514);
        assertSameFrames(sendToPeer(port, v, frames, frames.size()), frames, port);
        NetdevStats s = stats(port);
        assertThat(s.txPackets).isEqualTo(frames.size());
        assertThat(s.txBytes).isEqualTo(frames.stream().mapToLong(f -> f.length).sum());
        assertThat(s.txDropped).as(dump(port)).isZero();
        closeAndCheckNoLeaks();
    }

    @Test
    void jumboFramesUpToTheMtuPassBothWays() throws Exception {
        usePool(MbufPoolConfig.of("afpacket-jumbo", 512).withDataRoom(9216, 128));
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x", 9000, 9000);
        AfPacketNetdev port = open("p1", v.root(), Map.of("frame-size", "16384", "block-size", "65536"));
        assertThat(port.mtu()).isEqualTo(9000);

        List<byte[]> frames = List.of(MarkedFrames.frame(1515, 1), MarkedFrames.frame(4000, 2), MarkedFrames.frame(9013, 3),
                MarkedFrames.frame(9014, 4));
        assertSameFrames(receiveFromPeer(port, v, frames, frames.size()), frames, port);
        assertSameFrames(sendToPeer(port, v, frames, frames.size()), frames, port);
        closeAndCheckNoLeaks();
    }

    @Test
    void vlanTagsTheKernelStrippedAreRestored() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        AfPacketNetdev port = open("p1", v.root(), Map.of());

        List<byte[]> frames = List.of(
                MarkedFrames.tagged(0x8100, (3 << 13) | 100, MarkedFrames.frame(60, 1)),
                MarkedFrames.tagged(0x8100, 4095, MarkedFrames.frame(1514, 2)),         // MTU-sized payload + tag
                MarkedFrames.tagged(0x8100, 0, MarkedFrames.frame(200, 3)),             // priority tag
                MarkedFrames.tagged(0x88a8, 200, MarkedFrames.frame(300, 4)),           // 802.1ad S-tag
                MarkedFrames.tagged(0x88a8, 300, MarkedFrames.tagged(0x8100, 10, MarkedFrames.frame(400, 5))), // QinQ
                MarkedFrames.frame(100, 6));
        assertSameFrames(receiveFromPeer(port, v, frames, frames.size()), frames, port);
        closeAndCheckNoLeaks();
    }

    @Test
    void vlanTaggedFramesAreTransmittedWithTheirTag() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        AfPacketNetdev port = open("p1", v.root(), Map.of());

        List<byte[]> frames = List.of(
                MarkedFrames.tagged(0x8100, (5 << 13) | 42, MarkedFrames.frame(60, 1)),
                MarkedFrames.tagged(0x8100, 42, MarkedFrames.frame(1514, 2)),
                MarkedFrames.tagged(0x88a8, 7, MarkedFrames.tagged(0x8100, 8, MarkedFrames.frame(100, 3))));
        assertSameFrames(sendToPeer(port, v, frames, frames.size()), frames, port);
        closeAndCheckNoLeaks();
    }

    @Test
    void receivedFramesAboveTheMtuAreDroppedAndCounted() throws Exception {
        String ns = topo.namespace("p");
        // The peer may send up to 9000; the veth passes up to our MTU + 18 (room for a tag).
        Topology.Veth v = topo.veth(ns, "x", 1500, 9000);
        AfPacketNetdev port = open("p1", v.root(), Map.of());

        byte[] atMtu = MarkedFrames.frame(1514, 1);
        byte[] last = MarkedFrames.frame(100, 4);
        List<byte[]> frames = List.of(atMtu, MarkedFrames.frame(1515, 2), MarkedFrames.frame(1518, 3), last);
        assertSameFrames(receiveFromPeer(port, v, frames, 2), List.of(atMtu, last), port);
        NetdevStats s = stats(port);
        assertThat(s.rxOversize).as(dump(port)).isEqualTo(2);
        assertThat(s.rxDropped).isEqualTo(2);
        closeAndCheckNoLeaks();
    }

    @Test
    void transmittedFramesAboveTheMtuAreDroppedAndCounted() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x", 1500, 9000);
        AfPacketNetdev port = open("p1", v.root(), Map.of());

        List<byte[]> ok = List.of(MarkedFrames.frame(1514, 1), MarkedFrames.tagged(0x8100, 9, MarkedFrames.frame(1514, 2)),
                MarkedFrames.frame(60, 9));
        List<byte[]> frames = new ArrayList<>();
        frames.add(ok.get(0));
        frames.add(MarkedFrames.frame(1515, 3));                                   // MTU + 1
        frames.add(ok.get(1));                                               // tagged, MTU + 18
        frames.add(MarkedFrames.tagged(0x8100, 9, MarkedFrames.frame(1515, 4)));         // tagged, one too many
        frames.add(MarkedFrames.tagged(0x88a8, 9, MarkedFrames.frame(1515, 5)));         // the kernel grants only 802.1Q the extra 4
        frames.add(MarkedFrames.frame(2000, 6));                                   // more than a tx slot minus its header
        frames.add(ok.get(2));
        assertSameFrames(sendToPeer(port, v, frames, ok.size()), ok, port);
        NetdevStats s = stats(port);
        assertThat(s.txPackets).isEqualTo(ok.size());
        assertThat(s.txDropped).as(dump(port)).isEqualTo(4);
        assertThat(port.afPacketStats().txOversize()).isEqualTo(4);
        closeAndCheckNoLeaks();
    }

    @Test
    void framesLargerThanARingBlockAreCountedAsTruncated() throws Exception {
        usePool(MbufPoolConfig.of("afpacket-jumbo", 512).withDataRoom(9216, 128));
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x", 9000, 9000);
        AfPacketNetdev port = open("p1", v.root(), Map.of("block-size", "4096", "frame-size", "2048"));

        byte[] small = MarkedFrames.frame(3000, 1);
        byte[] last = MarkedFrames.frame(60, 3);
        List<byte[]> frames = List.of(small, MarkedFrames.frame(5000, 2), last);
        assertSameFrames(receiveFromPeer(port, v, frames, 2), List.of(small, last), port);
        NetdevStats s = stats(port);
        assertThat(s.rxTruncated).as(dump(port)).isEqualTo(1);
        assertThat(s.rxDropped).isEqualTo(1);
        closeAndCheckNoLeaks();
    }

    @Test
    void framesLargerThanAnMbufAreDroppedAndCounted() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x", 9000, 9000);
        AfPacketNetdev port = open("p1", v.root(), Map.of());

        byte[] fits = MarkedFrames.frame(2048, 1);
        byte[] last = MarkedFrames.frame(60, 3);
        List<byte[]> frames = List.of(fits, MarkedFrames.frame(2049, 2), last);
        assertSameFrames(receiveFromPeer(port, v, frames, 2), List.of(fits, last), port);
        assertThat(stats(port).rxOversize).as(dump(port)).isEqualTo(1);
        closeAndCheckNoLeaks();
    }

    @Test
    void theSwitchDoesNotReceiveWhatItTransmits() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        // Without qdisc bypass, sent frames pass the taps that AF_PACKET receive sockets sit on.
        AfPacketNetdev port = open("p1", v.root(), Map.of("qdisc-bypass", "false"));

        byte[] own = MarkedFrames.frame(100, 1);
        assertThat(pmd.send(port.txq(0), List.of(own))).isEqualTo(1);
        // The peer's frame is sent after ours left; once it arrives, ours would have too.
        byte[] fromPeer = MarkedFrames.frame(100, 2);
        assertSameFrames(receiveFromPeer(port, v, List.of(fromPeer), 1), List.of(fromPeer), port);
        assertThat(stats(port).rxPackets).isEqualTo(1);
        closeAndCheckNoLeaks();
    }

    @Test
    void framesTheKernelDropsOnAFullRingAreCountedAsRxDrops() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        // Two 4 KiB blocks hold a handful of 1000-byte frames; nobody polls while the peer sends.
        AfPacketNetdev port = open("p1", v.root(), Map.of("block-size", "4096", "block-count", "2"));
        int count = 200;
        List<byte[]> frames = new ArrayList<>();
        for (int seq = 0; seq < count; seq++) {
            frames.add(MarkedFrames.frame(1000, seq));
        }
        try (Peer sender = Peer.sender(ns, v.peer(), frames)) {
            sender.awaitExit(WAIT);
        }
        List<byte[]> got = new ArrayList<>();
        // Idle polls read the kernel's drop count now and then; poll until every frame is accounted for.
        Await.until(WAIT, () -> {
            got.addAll(pmd.receive(port.rxq(0), count, java.time.Duration.ofMillis(10)));
            return got.size() + port.afPacketStats().rxKernelDrops() >= count;
        }, () -> got.size() + " received; " + dump(port));
        NetdevStats s = stats(port);
        assertThat(got.size() + port.afPacketStats().rxKernelDrops()).as(dump(port)).isEqualTo(count);
        assertThat(got).hasSizeLessThan(count);
        assertThat(s.rxDropped).isEqualTo(port.afPacketStats().rxKernelDrops());
        for (byte[] f : got) {
            assertThat(f).isEqualTo(frames.get(MarkedFrames.seq(f)));
        }
        closeAndCheckNoLeaks();
    }

    @Test
    void framesThatFindTheTxRingFullAreDroppedAndCounted() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        // A tx ring of 2 blocks x 2 slots: a batch of 32 fills 4 slots before the one kick.
        AfPacketNetdev port = open("p1", v.root(), Map.of("block-size", "4096", "block-count", "2"));
        List<byte[]> frames = new ArrayList<>();
        for (int seq = 0; seq < 32; seq++) {
            frames.add(MarkedFrames.frame(100, seq));
        }
        List<byte[]> got = sendToPeer(port, v, frames, 4);
        assertSameFrames(got, frames.subList(0, 4), port);
        NetdevStats s = stats(port);
        assertThat(s.txPackets).isEqualTo(4);
        assertThat(s.txQueueFull).as(dump(port)).isEqualTo(28);
        assertThat(s.txDropped).isEqualTo(28);
        closeAndCheckNoLeaks();
    }
}
