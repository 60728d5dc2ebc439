package dev.jvswitch.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.mirror.PacketTap;

/**
 * What a port mirror costs a PMD per packet, over batches of 32 frames of {@code size} bytes:
 * {@code copy} is the PMD's side when the ring has room (claim, copy, commit; the ring is drained
 * after each batch on the same thread, {@code drainOnly} measures that part alone, to subtract);
 * {@code overRate} is a copy refused by the max-pps window; {@code ringFull} one refused because
 * the writer fell behind. The packets' own path is untouched by a mirror, so this is all it adds.
 *
 * <p>Results: ns/op is per packet; {@code -prof gc} must show gc.alloc.rate.norm ~0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class MirrorBenchmark {
    private static final int BATCH = PacketBatch.MAX_SIZE;

    @Param({"64", "1500"})
    int size;

    private MbufPool pool;
    private final PacketBatch batch = new PacketBatch();
    private PacketTap tap;
    private PacketTap overRate;
    private PacketTap full;
    private long drained;
    private final PacketTap.Sink sink = this::onFrame;

    @Setup
    public void setUp() {
        pool = MbufPool.create(MbufPoolConfig.of("mirror-bench", 256).withCacheSize(0));
        byte[] frame = new byte[size];
        for (int i = 0; i < BATCH; i++) {
            Mbuf m = pool.get();
            m.copyFrom(frame, 0, size);
            batch.add(m);
        }
        tap = new PacketTap(1 << 20, 65_535, 0);
        overRate = new PacketTap(1 << 16, 65_535, 1);
        overRate.copy(batch, 1); // spends the window's one copy
        full = new PacketTap(1 << 16, 65_535, 0);
        while (full.droppedFull() == 0) {
            full.copy(batch, BATCH);
        }
    }

    private void onFrame(long time, int length, DirectBuffer buffer, int offset, int captured) {
        drained += captured;
    }

    @TearDown
    public void tearDown() {
        for (int i = 0; i < batch.size(); i++) {
            pool.put(batch.get(i));
        }
        batch.clear();
        pool.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long copy() {
        tap.copy(batch, BATCH);
        tap.drain(sink, BATCH);
        return drained;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long drainOnly() {
        return tap.drain(sink, BATCH) + drained;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long overRate() {
        overRate.copy(batch, BATCH);
        return overRate.droppedRate();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long ringFull() {
        full.copy(batch, BATCH);
        return full.droppedFull();
    }
}
