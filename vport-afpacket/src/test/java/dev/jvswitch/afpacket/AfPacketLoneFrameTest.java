package dev.jvswitch.afpacket;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import dev.jvswitch.afpacket.rx.RxRingMode;
import dev.jvswitch.afpacket.sys.Native;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.testkit.netns.Peer;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.pmd.netdev.sys.Syscalls;

/**
 * The rx path delivers a lone frame without waiting for a block to fill or a block timer: the
 * rx socket is a per-frame TPACKET_V2 ring unless {@code rx-ring: v3} says otherwise (asked of
 * the kernel, not of our options), and a peer that sends its next frame only once the previous
 * one came back (echoed by the port, through its tx ring) gets every reply. Bounded by count and
 * time; no timing is asserted.
 */
class AfPacketLoneFrameTest extends NetnsPortTest {
    private static final int ECHOES = 200;

    @Test
    void theRxSocketsAreTpacketV2UnlessV3IsAskedFor() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        AfPacketNetdev byDefault = open("p1", v.root(), Map.of("rxqs", "2"));
        for (int q = 0; q < 2; q++) {
            AfPacketRxq rxq = (AfPacketRxq) byDefault.rxq(q);
            assertThat(rxq.ring().mode()).isEqualTo(RxRingMode.V2);
            assertThat(packetVersion(rxq.ring().fd())).as("rxq %d PACKET_VERSION", q).isEqualTo(Native.TPACKET_V2);
        }
        AfPacketNetdev v3 = open("p2", v.root(), Map.of("rx-ring", "v3"));
        AfPacketRxq rxq = (AfPacketRxq) v3.rxq(0);
        assertThat(rxq.ring().mode()).isEqualTo(RxRingMode.V3);
        assertThat(packetVersion(rxq.ring().fd())).isEqualTo(Native.TPACKET_V3);
        closeAndCheckNoLeaks();
    }

    @Test
    void loneFramesAreEchoedOneAtATime() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        AfPacketNetdev port = open("p1", v.root(), Map.of());
        assertThat(echo(port, v, ECHOES)).as(dump(port)).isEqualTo(ECHOES);
        assertThat(stats(port).rxDropped).isZero();
        closeAndCheckNoLeaks();
    }

    /** The V3 ring answers too, only each frame waits for the block timer; a few are enough. */
    @Test
    void loneFramesAreEchoedOverATpacketV3RingToo() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        AfPacketNetdev port = open("p1", v.root(), Map.of("rx-ring", "v3"));
        assertThat(echo(port, v, 20)).as(dump(port)).isEqualTo(20);
        closeAndCheckNoLeaks();
    }

    /**
     * Runs the test peer's echo mode in the peer's namespace and echoes what it sends until it
     * exits; returns its count.
     */
    private int echo(AfPacketNetdev port, Topology.Veth v, int count) {
        try (Peer peer = Peer.start(v.ns(), "echo", v.peer(), Integer.toString(count),
                Long.toString(WAIT.toSeconds()))) {
            peer.awaitLine("ready", Duration.ofSeconds(20));
            PacketBatch rx = new PacketBatch();
            PacketBatch tx = new PacketBatch();
            long deadline = System.nanoTime() + WAIT.toNanos() + TimeUnit.SECONDS.toNanos(5);
            while (peer.isAlive() && System.nanoTime() < deadline) {
                int n = port.rxq(0).recv(rx, cache);
                for (int i = 0; i < n; i++) {
                    Mbuf m = rx.get(i);
                    if (isEcho(m)) {
                        tx.add(m);
                    } else {
                        cache.put(m);
                    }
                }
                rx.clear();
                if (!tx.isEmpty()) {
                    port.txq(0).send(tx, cache);
                }
                if (n == 0) {
                    LockSupport.parkNanos(20_000);
                }
            }
            List<String> lines = peer.awaitExit(Duration.ofSeconds(5));
            return Integer.parseInt(lines.get(lines.size() - 1).replace("echoed ", "").trim());
        }
    }

    private static boolean isEcho(Mbuf m) {
        byte[] b = m.toByteArray();
        return b.length >= 25 && new String(b, 14, 7, StandardCharsets.US_ASCII).equals("JVSECHO");
    }

    /** {@code getsockopt(fd, SOL_PACKET, PACKET_VERSION)}: what the kernel says the ring is. */
    private static int packetVersion(int fd) {
        ByteBuffer bb = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        bb.putInt(4, 4);
        long address = new UnsafeBuffer(bb).addressOffset();
        try {
            assertThat(Syscalls.LIBC.getsockopt(fd, Native.SOL_PACKET, Native.PACKET_VERSION, address, address + 4))
                    .as("getsockopt(PACKET_VERSION)").isZero();
            return bb.getInt(0);
        } finally {
            Reference.reachabilityFence(bb);
        }
    }
}
