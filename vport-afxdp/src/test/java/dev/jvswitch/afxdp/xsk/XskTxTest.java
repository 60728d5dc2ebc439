package dev.jvswitch.afxdp.xsk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.QueueCounters;

/**
 * The transmit half against a kernel played by the test: mbufs leave from where they lie and
 * return to the pool only when their completion comes; completions for anything else are ignored;
 * a full ring drops and counts; mbufs of another pool are copied in.
 */
class XskTxTest {
    private static final int MTU = 1500;

    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("xsk-tx", 128).withFrameSlots().withCacheSize(16));
    private final MbufCache cache = pool.newCache();
    private final Umem umem = Umem.of(pool);
    private final FakeKernel kernel = new FakeKernel(32, 16);
    private final XskTx tx = new XskTx(umem, kernel.txRing(), kernel.completionRing(), -1, true);
    private final QueueCounters counters = new QueueCounters();
    private final XskTxCounters xsk = new XskTxCounters();
    private final PacketBatch batch = new PacketBatch();

    @AfterEach
    void noMbufLost() {
        cache.putAll(batch);
        tx.reclaim();
        pool.releaseCache(cache);
        pool.checkNoLeaks();
        pool.close();
    }

    private Mbuf mbuf(MbufCache from, int length) {
        Mbuf m = from.get();
        byte[] f = new byte[length];
        f[12] = 0x08;
        for (int i = 14; i < length; i++) {
            f[i] = (byte) i;
        }
        assertThat(m.copyFrom(f, 0, length)).isTrue();
        return m;
    }

    /** The kernel sends everything queued and completes it; returns the descriptors. */
    private List<long[]> kernelSendsAll() {
        List<long[]> sent = new ArrayList<>();
        long[] d;
        while ((d = kernel.takeTx()) != null) {
            sent.add(d);
            kernel.complete(d[0]);
        }
        return sent;
    }

    @Test
    void mbufsLeaveWhereTheyLieAndReturnOnCompletion() {
        Mbuf a = mbuf(cache, 60);
        Mbuf b = mbuf(cache, 1514);
        batch.add(a);
        batch.add(b);
        assertThat(tx.send(batch, cache, MTU, counters, xsk)).isEqualTo(2);
        assertThat(batch.isEmpty()).isTrue();
        assertThat(tx.inFlight()).isEqualTo(2);
        List<long[]> sent = kernelSendsAll();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0)).containsExactly(umem.dataAddress(a), 60);
        assertThat(sent.get(1)).containsExactly(umem.dataAddress(b), 1514);
        assertThat(pool.inUse()).as("in flight until completed").isEqualTo(2);
        assertThat(tx.reap(cache, xsk)).isEqualTo(2);
        assertThat(tx.inFlight()).isZero();
        assertThat(pool.inUse()).isZero();
        assertThat(counters.get(QueueCounters.PACKETS)).isEqualTo(2);
        assertThat(counters.get(QueueCounters.BYTES)).isEqualTo(1574);
    }

    @Test
    void completionsForFramesNotInFlightAreIgnored() {
        batch.add(mbuf(cache, 100));
        tx.send(batch, cache, MTU, counters, xsk);
        long[] d = kernel.takeTx();
        kernel.complete(d[0]);
        kernel.complete(d[0]);                           // twice
        kernel.complete(umem.bytes());                   // past the UMEM
        kernel.complete(-1L);
        kernel.complete(umem.frameAddress(100));         // a frame never sent
        assertThat(tx.reap(cache, xsk)).isEqualTo(1);
        assertThat(xsk.get(XskTxCounters.BAD_COMPLETIONS)).isEqualTo(4);
        assertThat(pool.inUse()).isZero();
    }

    @Test
    void aFullRingDropsAndCountsTheRest() {
        for (int i = 0; i < PacketBatch.MAX_SIZE; i++) {
            batch.add(mbuf(cache, 64));
        }
        assertThat(tx.send(batch, cache, MTU, counters, xsk)).isEqualTo(16);
        assertThat(counters.get(QueueCounters.QUEUE_FULL)).isEqualTo(16);
        assertThat(counters.get(QueueCounters.DROPPED)).isEqualTo(16);
        assertThat(pool.inUse()).isEqualTo(16);
        kernelSendsAll();
        assertThat(tx.reap(cache, xsk)).isEqualTo(16);
    }

    @Test
    void runtsAndOversizeFramesAreDroppedBeforeTheRing() {
        batch.add(mbuf(cache, 13));
        batch.add(mbuf(cache, 1515));
        Mbuf tagged = mbuf(cache, 1518);
        tagged.buffer().putShort(tagged.dataOffset() + 12, (short) 0x0081);   // 0x8100 in network order
        batch.add(tagged);
        Mbuf qinq = mbuf(cache, 1518);
        qinq.buffer().putShort(qinq.dataOffset() + 12, (short) 0xa888);       // 0x88a8: no extra room on tx
        batch.add(qinq);
        assertThat(tx.send(batch, cache, MTU, counters, xsk)).isEqualTo(1);
        assertThat(counters.get(QueueCounters.ERRORS)).isEqualTo(1);
        assertThat(counters.get(QueueCounters.OVERSIZE)).isEqualTo(2);
        assertThat(kernelSendsAll()).hasSize(1);
        tx.reap(cache, xsk);
    }

    @Test
    void mbufsOfAnotherPoolAreCopiedIntoTheUmem() {
        try (MbufPool other = MbufPool.create(MbufPoolConfig.of("other", 8))) {
            MbufCache otherCache = other.newCache();
            Mbuf foreign = mbuf(otherCache, 200);
            byte[] bytes = foreign.toByteArray();
            batch.add(foreign);
            assertThat(tx.send(batch, cache, MTU, counters, xsk)).isEqualTo(1);
            assertThat(xsk.get(XskTxCounters.COPIED)).isEqualTo(1);
            long[] d = kernel.takeTx();
            Mbuf sent = umem.mbuf(umem.frameOf(d[0]));
            assertThat(sent.toByteArray()).isEqualTo(bytes);
            kernel.complete(d[0]);
            tx.reap(cache, xsk);
            other.releaseCache(otherCache);
            other.checkNoLeaks();
        }
    }

    @Test
    void reclaimReturnsWhatNeverCompleted() {
        for (int i = 0; i < 5; i++) {
            batch.add(mbuf(cache, 64));
        }
        tx.send(batch, cache, MTU, counters, xsk);
        cache.flush();
        assertThat(pool.inUse()).isEqualTo(5);
        assertThat(tx.reclaim()).isEqualTo(5);
        assertThat(pool.inUse()).isZero();
    }
}
