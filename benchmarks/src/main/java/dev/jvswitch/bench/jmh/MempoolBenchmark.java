package dev.jvswitch.bench.jmh;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Taking and returning a burst of 32 mbufs through a PMD's private {@link MbufCache}, as an rx
 * poll and the tx (or drop) that follows it do: {@code getPutBurst} is one burst (ns per 32
 * mbufs), {@code getPutOne} a single mbuf for comparison.
 */
public class MempoolBenchmark extends AbstractBenchmark {
    private MbufPool pool;
    private MbufCache cache;
    private final PacketBatch batch = new PacketBatch();

    @Setup(Level.Trial)
    public void setUp() {
        pool = MbufPool.create(MbufPoolConfig.of("bench-mempool", 4096));
        cache = pool.newCache();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.releaseCache(cache);
        pool.checkNoLeaks();
        pool.close();
    }

    @Benchmark
    public int getPutBurst() {
        int n = cache.getBulk(batch.array(), 0, PacketBatch.MAX_SIZE);
        batch.setSize(n);
        cache.putAll(batch);
        return n;
    }

    @Benchmark
    public int getPutOne() {
        Mbuf m = cache.get();
        int index = m.index();
        cache.put(m);
        return index;
    }
}
