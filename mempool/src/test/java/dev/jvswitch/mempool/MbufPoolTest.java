package dev.jvswitch.mempool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

class MbufPoolTest {

    @Test
    void exhaustionReturnsNullAndCountsWithoutThrowing() {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("exhaust", 4))) {
            List<Mbuf> taken = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                taken.add(pool.get());
            }
            assertThat(taken).doesNotContainNull().doesNotHaveDuplicates();
            assertThat(pool.get()).isNull();
            assertThat(pool.getFailures()).isEqualTo(1);
            assertThat(pool.inUse()).isEqualTo(4);
            assertThat(pool.available()).isZero();
            taken.forEach(pool::put);
            assertThat(pool.available()).isEqualTo(4);
        }
    }

    @Test
    void cacheBulkGetReturnsWhatIsLeftWhenShort() {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("bulk", 40).withCacheSize(8))) {
            MbufCache cache = pool.newCache();
            PacketBatch a = new PacketBatch();
            PacketBatch b = new PacketBatch();
            a.setSize(cache.getBulk(a.array(), 0, 32));
            assertThat(a.size()).isEqualTo(32);
            b.setSize(cache.getBulk(b.array(), 0, 32));
            assertThat(b.size()).isEqualTo(8);
            assertThat(pool.inUse()).isEqualTo(40);
            assertThat(cache.get()).isNull();
            assertThat(pool.getFailures()).isEqualTo(2);
            cache.putAll(a);
            cache.putAll(b);
            assertThat(a.isEmpty()).isTrue();
            assertThat(pool.inUse()).isZero();
            assertThat(cache.count()).isLessThanOrEqualTo(12);
            pool.releaseCache(cache);
            assertThat(pool.available()).isEqualTo(40);
            pool.checkNoLeaks();
        }
    }

    @Test
    void leakCheckNamesTheMissingMbufs() {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("leaky", 16))) {
            MbufCache cache = pool.newCache();
            Mbuf kept = cache.get();
            kept.inPort(7);
            Mbuf returned = cache.get();
            cache.put(returned);
            assertThat(pool.leakCount()).isEqualTo(1);
            assertThat(pool.leakReport())
                    .isEqualTo("mempool 'leaky': 1 of 16 mbufs never returned (first: #" + kept.index() + " len=0 port=7)");
            assertThatThrownBy(pool::checkNoLeaks).hasMessageContaining("1 of 16 mbufs never returned");
            cache.put(kept);
            assertThat(pool.leakReport()).isNull();
        }
    }

    @Test
    void mbufOfAnotherPoolGoesHome() {
        try (MbufPool a = MbufPool.create(MbufPoolConfig.of("a", 4));
             MbufPool b = MbufPool.create(MbufPoolConfig.of("b", 4))) {
            MbufCache cacheA = a.newCache();
            Mbuf fromB = b.get();
            cacheA.put(fromB);
            assertThat(b.available()).isEqualTo(4);
            assertThat(cacheA.count()).isZero();
            a.checkNoLeaks();
            b.checkNoLeaks();
        }
    }

    /**
     * Several threads, each with its own cache, take random bulks, mark every mbuf they hold in a
     * shared ownership table (a duplicate hand-out would find the mark set), pass some mbufs to
     * another thread's queue and free the rest. At the end every mbuf is back exactly once.
     */
    @Test
    void concurrentGetAndPutLoseAndDuplicateNothing() throws Exception {
        int threads = 4;
        int mbufs = 1024;
        int rounds = 20_000;
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("concurrent", mbufs).withCacheSize(64))) {
            AtomicIntegerArray owner = new AtomicIntegerArray(mbufs);
            org.jctools.queues.MpmcArrayQueue<Mbuf> handoff = new org.jctools.queues.MpmcArrayQueue<>(mbufs);
            ExecutorService exec = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Long>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t + 1;
                results.add(exec.submit(() -> {
                    MbufCache cache = pool.newCache();
                    Mbuf[] held = new Mbuf[32];
                    java.util.SplittableRandom rnd = new java.util.SplittableRandom(id);
                    long moved = 0;
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        int n = cache.getBulk(held, 0, 1 + rnd.nextInt(32));
                        for (int i = 0; i < n; i++) {
                            if (!owner.compareAndSet(held[i].index(), 0, id)) {
                                throw new AssertionError("mbuf " + held[i].index() + " handed out twice");
                            }
                        }
                        for (int i = 0; i < n; i++) {
                            owner.set(held[i].index(), 0);
                            if ((i & 3) == 0 && handoff.offer(held[i])) {
                                moved++;
                            } else {
                                cache.put(held[i]);
                            }
                        }
                        Mbuf foreign;
                        int drained = 0;
                        while (drained++ < 8 && (foreign = handoff.poll()) != null) {
                            cache.put(foreign);
                        }
                    }
                    pool.releaseCache(cache);
                    return moved;
                }));
            }
            start.countDown();
            long moved = 0;
            for (Future<Long> f : results) {
                moved += f.get(120, TimeUnit.SECONDS);
            }
            exec.shutdown();
            Mbuf rest;
            while ((rest = handoff.poll()) != null) {
                pool.put(rest);
            }
            assertThat(moved).isPositive();
            pool.checkNoLeaks();
            assertThat(pool.available()).isEqualTo(mbufs);
            BitSet seen = new BitSet(mbufs);
            Mbuf[] all = new Mbuf[mbufs];
            assertThat(pool.getBulk(all, 0, mbufs)).isEqualTo(mbufs);
            for (Mbuf m : all) {
                assertThat(seen.get(m.index())).as("duplicate mbuf %d in the ring", m.index()).isFalse();
                seen.set(m.index());
            }
            assertThat(seen.cardinality()).isEqualTo(mbufs);
            for (Mbuf m : all) {
                pool.put(m);
            }
        }
    }

    @Test
    void memoryIsOnePageAlignedRangeOfSlots() {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("range", 10))) {
            assertThat(pool.memoryAddress() % 4096).isZero();
            assertThat(pool.slotBytes()).isEqualTo(2176);
            assertThat(pool.memoryBytes()).isEqualTo(10L * 2176);
            for (int i = 0; i < pool.capacity(); i++) {
                assertThat(pool.mbuf(i).slotAddress()).isEqualTo(pool.memoryAddress() + (long) i * pool.slotBytes());
            }
        }
    }

    @Test
    void frameSlotsArePowersOfTwoThatNeverShrinkTheDataRoom() {
        assertThat(MbufPoolConfig.of("f", 1).withFrameSlots().slotBytes()).isEqualTo(4096);
        assertThat(MbufPoolConfig.of("f", 1).withDataRoom(1920, 128).withFrameSlots().slotBytes()).isEqualTo(2048);
        assertThat(MbufPoolConfig.of("f", 1).withDataRoom(64, 0).withFrameSlots().slotBytes()).isEqualTo(2048);
        assertThat(MbufPoolConfig.of("f", 1).withDataRoom(9216, 128).withFrameSlots().slotBytes()).isEqualTo(16384);
        assertThat(MbufPoolConfig.of("f", 1).withDataRoom(1920, 129).slotBytes()).isEqualTo(2112);
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("frames", 8).withFrameSlots())) {
            assertThat(pool.slotBytes()).isEqualTo(4096);
            for (int i = 0; i < pool.capacity(); i++) {
                Mbuf m = pool.mbuf(i);
                assertThat(m.slotAddress() % 4096).as("slot %d on a page of its own", i).isZero();
                assertThat(m.dataRoom()).isGreaterThanOrEqualTo(MbufPoolConfig.DEFAULT_DATA_ROOM_BYTES);
            }
        }
    }
}
