package dev.jvswitch.afpacket.rx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.afpacket.sys.Native;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.QueueCounters;

/**
 * What every ring reader does with the frames it finds (the per-frame work they share), over
 * memory a subclass lays out as the kernel would for its ring type, with no socket and no root;
 * and the fixture the ring types' own tests use. A subclass makes the ring over {@link #ring} and
 * writes frames into it ({@link #hand}); up to {@link #MEMORY_BYTES} of memory are there.
 */
abstract class ReceiveRingContractTest {
    static final int BLOCK = 4096;
    static final int MEMORY_BYTES = 4 * BLOCK;
    static final ByteOrder HOST = ByteOrder.nativeOrder();

    private final ByteBuffer memory = ByteBuffer.allocateDirect(MEMORY_BYTES);
    final UnsafeBuffer ring = new UnsafeBuffer(memory);
    final QueueCounters counters = new QueueCounters();
    final RxCounters rxCounters = new RxCounters();
    final PacketBatch batch = new PacketBatch();
    MbufPool pool;
    MbufCache cache;

    /** The reader under test, over {@link #ring}. */
    abstract ReceiveRing rx();

    /**
     * Lays {@code frames} out where the kernel would put the next ones (the next slots, or the
     * next block) and hands them to user space.
     */
    abstract void hand(List<Frame> frames);

    /** Asserts that every slot or block {@link #hand} wrote has been given back to the kernel. */
    abstract void assertHandedBack();

    /** A frame as the kernel would lay it in a ring: bytes, {@code tp_len}, status flags, VLAN, {@code sll_pkttype}. */
    record Frame(byte[] data, int wireLength, int status, int tci, int tpid, int pktType) {
        static Frame of(byte[] data) {
            return new Frame(data, data.length, 0, 0, 0, 0);
        }
    }

    @BeforeEach
    void setUpPool() {
        pool = MbufPool.create(MbufPoolConfig.of("rxring-test", 128));
        cache = pool.newCache();
    }

    @AfterEach
    void tearDownPool() {
        rx().close();
        pool.releaseCache(cache);
        pool.checkNoLeaks();
        pool.close();
    }

    /** One {@code readInto} of {@link #rx()}: the frames it delivered, their mbufs back in the cache. */
    List<byte[]> recv(int mtu) {
        return recv(rx(), mtu);
    }

    List<byte[]> recv(ReceiveRing reader, int mtu) {
        int n = reader.readInto(batch, cache, mtu, counters, rxCounters);
        assertThat(batch.size()).isEqualTo(n);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(batch.get(i).toByteArray());
        }
        cache.putAll(batch);
        return out;
    }

    /** An Ethernet frame of {@code size} bytes (EtherType 0x88b5) whose other bytes count up from {@code seed}. */
    static byte[] frame(int size, int seed) {
        byte[] f = new byte[size];
        for (int i = 0; i < size; i++) {
            f[i] = (byte) (seed + i);
        }
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xb5;
        return f;
    }

    /** {@code f} with a VLAN tag after its MAC addresses. */
    static byte[] tagged(byte[] f, int tpid, int tci) {
        return ByteBuffer.allocate(f.length + 4).put(f, 0, 12).putShort((short) tpid).putShort((short) tci)
                .put(f, 12, f.length - 12).array();
    }

    @Test
    void framesAreCopiedAndTagsRestoredWithTheirTpid() {
        byte[] plain = frame(60, 1);
        byte[] dot1q = frame(100, 2);
        byte[] qinq = frame(120, 3);
        int vlan = Tpacket3Flyweight.TP_STATUS_VLAN_VALID;
        int tpid = Tpacket3Flyweight.TP_STATUS_VLAN_TPID_VALID;
        hand(List.of(Frame.of(plain),
                new Frame(dot1q, dot1q.length, vlan, 7, 0, 0),            // old kernel: no tpid, 802.1Q
                new Frame(qinq, qinq.length, vlan | tpid, 9, 0x88a8, 0)));
        assertThat(recv(1500)).containsExactly(plain, tagged(dot1q, 0x8100, 7), tagged(qinq, 0x88a8, 9));
        assertHandedBack();
    }

    @Test
    void truncatedOutgoingAndOversizedFramesAreCountedNotDelivered() {
        byte[] ok = frame(114, 1);
        hand(List.of(
                new Frame(frame(190, 2), 3000, 0, 0, 0, 0),                          // truncated
                new Frame(frame(100, 3), 100, 0, 0, 0, Native.PACKET_OUTGOING),      // our own
                Frame.of(frame(115, 4)),                                             // MTU 100 + 14 + 1
                new Frame(frame(114, 5), 114, Tpacket3Flyweight.TP_STATUS_VLAN_VALID, 5, 0x8100, 0), // tagged: fits
                Frame.of(ok)));
        assertThat(recv(100)).containsExactly(tagged(frame(114, 5), 0x8100, 5), ok);
        assertThat(counters.get(QueueCounters.TRUNCATED)).isEqualTo(1);
        assertThat(counters.get(QueueCounters.OVERSIZE)).isEqualTo(1);
        assertThat(counters.get(QueueCounters.DROPPED)).isEqualTo(2);
        assertThat(rxCounters.get(RxCounters.OUTGOING_SKIPPED)).isEqualTo(1);
        assertHandedBack();
    }

    @Test
    void aPoolRunningDryDropsAndCountsWithoutStallingTheRing() {
        MbufCache empty = pool.newCache();
        List<Mbuf> held = new ArrayList<>();
        Mbuf m;
        while ((m = pool.get()) != null) {
            held.add(m);
        }
        hand(List.of(Frame.of(frame(60, 1)), Frame.of(frame(60, 2))));
        assertThat(rx().readInto(batch, empty, 1500, counters, rxCounters)).isZero();
        assertThat(counters.get(QueueCounters.NO_MBUF)).isEqualTo(2);
        assertHandedBack();
        held.forEach(pool::put);
        pool.releaseCache(empty);
        hand(List.of(Frame.of(frame(60, 3))));
        assertThat(recv(1500)).containsExactly(frame(60, 3));
    }
}
