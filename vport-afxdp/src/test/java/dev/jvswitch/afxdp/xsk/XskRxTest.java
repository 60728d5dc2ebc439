package dev.jvswitch.afxdp.xsk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.QueueCounters;

/**
 * The receive half against a kernel played by the test: frames arrive in place as mbufs, and no
 * descriptor the kernel could write (outside the UMEM, a frame it was never given, a frame given
 * back twice, a length past the frame, a fragment) hands out an mbuf or reads a byte outside one.
 */
class XskRxTest {
    private static final int MTU = 1500;

    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("xsk-rx", 128).withFrameSlots().withCacheSize(16));
    private final MbufCache cache = pool.newCache();
    private final Umem umem = Umem.of(pool);
    private final FakeKernel kernel = new FakeKernel(32, 32);
    private final XskRx rx = new XskRx(umem, kernel.fillRing(), kernel.rxRing(), -1, false);
    private final QueueCounters counters = new QueueCounters();
    private final XskRxCounters xsk = new XskRxCounters();
    private final PacketBatch batch = new PacketBatch();

    @AfterEach
    void noMbufLost() {
        cache.putAll(batch);
        rx.reclaim();
        pool.releaseCache(cache);
        pool.checkNoLeaks();
        pool.close();
    }

    /** The kernel takes a fill address, writes {@code frame} after the XDP headroom and delivers it. */
    private long receiveInto(byte[] frame) {
        long base = kernel.takeFill();
        assertThat(base).as("a frame in the fill ring").isNotNegative();
        assertThat(base % umem.frameBytes()).as("fill addresses are frame bases").isZero();
        long address = base + 256;
        umem.mbuf(umem.frameOf(base)).buffer().putBytes(256, frame);
        kernel.deliver(address, frame.length, 0);
        return address;
    }

    private static byte[] frame(int length, int seq) {
        byte[] f = new byte[length];
        if (length >= 14) {
            f[12] = 0x08;
        }
        for (int i = 14; i < length; i++) {
            f[i] = (byte) (seq + i);
        }
        return f;
    }

    @Test
    void framesArriveInPlaceAsMbufsAndTheFillRingIsToppedUp() {
        assertThat(rx.refill(cache, xsk)).isEqualTo(32);
        assertThat(rx.held()).isEqualTo(32);
        byte[] a = frame(60, 1);
        byte[] b = frame(1514, 2);
        long addrA = receiveInto(a);
        receiveInto(b);
        assertThat(rx.receive(batch, cache, MTU, counters, xsk)).isEqualTo(2);
        Mbuf m = batch.get(0);
        assertThat(m.index()).isEqualTo(umem.frameOf(addrA));
        assertThat(m.dataOffset()).isEqualTo(256);
        assertThat(m.toByteArray()).isEqualTo(a);
        assertThat(batch.get(1).toByteArray()).isEqualTo(b);
        assertThat(counters.get(QueueCounters.PACKETS)).isEqualTo(2);
        assertThat(counters.get(QueueCounters.BYTES)).isEqualTo(60 + 1514);
        // Two frames out of 32 is less than a refill batch: the ring waits until more are missing.
        assertThat(rx.held()).isEqualTo(30);
        cache.putAll(batch);
    }

    @Test
    void descriptorsNamingNoFrameOfOursAreDroppedUnread() {
        rx.refill(cache, xsk);
        long good = receiveInto(frame(100, 1));
        kernel.deliver(good, 100, 0);                       // the same frame a second time
        kernel.deliver(umem.bytes() + 256, 100, 0);         // past the UMEM
        kernel.deliver(-1L, 100, 0);                        // 2^64 - 1
        kernel.deliver(Long.MIN_VALUE, 100, 0);
        long notGiven = umem.frameAddress(pool.capacity() - 1) + 256;
        kernel.deliver(notGiven, 100, 0);                   // a frame never put in the fill ring
        assertThat(rx.receive(batch, cache, MTU, counters, xsk)).isEqualTo(1);
        assertThat(batch.get(0).toByteArray()).isEqualTo(frame(100, 1));
        assertThat(xsk.get(XskRxCounters.BAD_DESCS)).isEqualTo(5);
        assertThat(counters.get(QueueCounters.DROPPED)).isEqualTo(5);
        assertThat(counters.get(QueueCounters.ERRORS)).isEqualTo(5);
        cache.putAll(batch);
    }

    @Test
    void lengthsThatLeaveTheFrameAndFragmentsAreDroppedAndTheFrameKept() {
        rx.refill(cache, xsk);
        long[] addrs = new long[4];
        for (int i = 0; i < addrs.length; i++) {
            addrs[i] = kernel.takeFill() + 256;
        }
        int room = umem.frameBytes() - 256;
        kernel.deliver(addrs[0], room + 1, 0);                          // one byte past the frame
        kernel.deliver(addrs[1], -1, 0);                                // 4 GiB - 1 as u32
        kernel.deliver(addrs[2], 100, dev.jvswitch.afxdp.sys.Native.XDP_PKT_CONTD);
        kernel.deliver(addrs[3] + umem.frameBytes() - 256 - 50, 60, 0);  // starts inside, ends outside
        int heldBefore = rx.held();
        assertThat(rx.receive(batch, cache, MTU, counters, xsk)).isZero();
        assertThat(xsk.get(XskRxCounters.BAD_DESCS)).isEqualTo(4);
        // The frames were ours: they went back to the pool, unread.
        assertThat(rx.held()).isEqualTo(heldBefore - 4);
        assertThat(pool.inUse()).isEqualTo(rx.held());
    }

    @Test
    void runtsAndFramesAboveTheMtuAreDroppedAndCounted() {
        rx.refill(cache, xsk);
        receiveInto(frame(13, 1));
        receiveInto(frame(1515, 2));
        byte[] tagged = frame(1518, 3);
        tagged[12] = (byte) 0x81;
        tagged[13] = 0x00;
        receiveInto(tagged);                           // MTU + 14 + a tag: fine
        byte[] qinq = frame(1522, 4);
        qinq[12] = (byte) 0x88;
        qinq[13] = (byte) 0xa8;
        qinq[16] = (byte) 0x81;
        qinq[17] = 0x00;
        receiveInto(qinq);                             // two tags: fine
        byte[] tooLong = frame(1519, 5);
        tooLong[12] = (byte) 0x81;
        tooLong[13] = 0x00;
        receiveInto(tooLong);
        assertThat(rx.receive(batch, cache, MTU, counters, xsk)).isEqualTo(2);
        assertThat(counters.get(QueueCounters.OVERSIZE)).isEqualTo(2);
        assertThat(counters.get(QueueCounters.ERRORS)).isEqualTo(1);
        assertThat(counters.get(QueueCounters.DROPPED)).isEqualTo(3);
        assertThat(xsk.get(XskRxCounters.BAD_DESCS)).isZero();
        cache.putAll(batch);
    }

    @Test
    void anEmptyPoolLeavesTheFillRingShortAndItIsToppedUpLater() {
        Set<Mbuf> hoard = new HashSet<>();
        Mbuf m;
        while ((m = cache.get()) != null) {
            hoard.add(m);
        }
        assertThat(rx.refill(cache, xsk)).isZero();
        assertThat(xsk.get(XskRxCounters.FILL_SHORTFALL)).isEqualTo(1);
        assertThat(kernel.takeFill()).as("nothing for the kernel").isEqualTo(-1);
        hoard.forEach(cache::put);
        assertThat(rx.refill(cache, xsk)).isEqualTo(32);
    }

    @Test
    void reclaimReturnsEveryFrameTheKernelStillHas() {
        rx.refill(cache, xsk);
        receiveInto(frame(64, 1));
        assertThat(rx.receive(batch, cache, MTU, counters, xsk)).isEqualTo(1);
        cache.putAll(batch);
        cache.flush();
        assertThat(pool.inUse()).isEqualTo(rx.held());
        assertThat(rx.reclaim()).isEqualTo(31);
        assertThat(pool.inUse()).isZero();
    }

    @Test
    void aKernelIndexClaimingMoreThanTheRingHoldsIsClampedToTheRing() {
        rx.refill(cache, xsk);
        receiveInto(frame(64, 1));
        // A producer index far ahead: at most one ring's worth is read, all of it inside the ring.
        kernel.rx.buffer.putIntRelease(FakeKernel.PRODUCER, 1_000_000);
        int got = rx.receive(batch, cache, MTU, counters, xsk);
        assertThat(got).isLessThanOrEqualTo(PacketBatch.MAX_SIZE);
        assertThat(got + xsk.get(XskRxCounters.BAD_DESCS)).isLessThanOrEqualTo(PacketBatch.MAX_SIZE);
        for (int i = 0; i < batch.size(); i++) {
            assertThat(batch.get(i).toByteArray()).isEqualTo(frame(64, 1));
        }
        cache.putAll(batch);
    }
}
