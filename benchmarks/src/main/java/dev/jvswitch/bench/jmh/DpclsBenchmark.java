package dev.jvswitch.bench.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.annotations.Warmup;

import dev.jvswitch.flowcache.dpcls.Dpcls;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.flowcache.megaflow.Megaflow;

/**
 * Megaflow lookup of a burst of 32 packets, reported per packet, for 1, 5, 20 and 32 subtables
 * and 2 048, 131 072 or 1 048 576 megaflows.
 *
 * <p>The megaflows are spread evenly over the masks; every packet hits a random one of them,
 * with random bits outside its mask, so on average a packet probes half the subtables (hit
 * ranking cannot help uniform traffic; this is the tuple-space search's cost). The bursts
 * rotate over up to 65 536 packets of distinct flows, so that neither the branch predictor nor
 * the caches can learn them: with many megaflows the tables no longer fit in the caches and
 * the figure includes the memory latency a real lookup pays. As in a PMD, the lookup reads 32
 * keys that stay in the cache: each invocation first copies its burst's key words (one flat
 * array read in order, which the hardware prefetches) into them, as the parser would write them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class DpclsBenchmark {
    private static final int BATCH = 32;
    private static final int MAX_KEYS = 65_536;

    @Param({"1", "5", "20", "32"})
    public int subtables;

    @Param({"2048", "131072", "1048576"})
    public int flows;

    private Dpcls dpcls;
    /** Burst b's key i at {@code [(b * BATCH + i) * FlowKey.WORDS, ... + FlowKey.WORDS)}. */
    private long[] burstWords;
    private int burstCount;
    private final FlowKey[] keys = new FlowKey[BATCH];
    private Megaflow[] results;
    private int next;

    @Setup
    public void setUp() {
        Random random = new Random(7);
        FlowMask[] masks = new FlowMask[subtables];
        for (int s = 0; s < subtables; s++) {
            masks[s] = fieldLikeMask(s, random);
        }
        dpcls = new Dpcls();
        Megaflow[] all = new Megaflow[flows];
        FlowKey scratch = new FlowKey();
        for (int i = 0; i < flows; i++) {
            // Actions are not read by a lookup; the benchmark does not depend on their format.
            randomKey(random, scratch);
            all[i] = new Megaflow(scratch, masks[i % subtables], null, 0);
            dpcls.insert(all[i]);
        }
        if (dpcls.subtableCount() != subtables) {
            throw new IllegalStateException("masks must be distinct: " + dpcls.subtableCount());
        }
        burstCount = Math.min(flows, MAX_KEYS) / BATCH;
        burstWords = new long[burstCount * BATCH * FlowKey.WORDS];
        for (int k = 0; k < burstCount * BATCH; k++) {
            FlowKey key = keyMatching(all[random.nextInt(flows)], random);
            System.arraycopy(key.words(), 0, burstWords, k * FlowKey.WORDS, FlowKey.WORDS);
        }
        for (int i = 0; i < BATCH; i++) {
            keys[i] = new FlowKey();
        }
        results = new Megaflow[BATCH];
        for (int b = 0; b < burstCount; b++) {
            if (lookupBatch() != BATCH) {
                throw new IllegalStateException("benchmark keys must all hit");
            }
        }
        dpcls.onSortSubtables();
    }

    /** Masks shaped like real megaflow masks: in_port and eth_type exact, then some L3/L4 fields. */
    private static FlowMask fieldLikeMask(int s, Random random) {
        FlowMask m = new FlowMask();
        long[] w = m.words();
        w[0] = 0xffff_ffffL;                         // in_port
        w[4] = 0xffffL;                              // eth_type
        w[5 + s % 4] = -1L << (64 - 8 - s);          // an address prefix, a different length each
        if (s % 2 == 1) {
            w[10] = 0xffff_0000L;                    // an L4 port
        }
        if (s >= 10) {
            w[12] = 0xffL << (s - 10);               // distinguish the rest
        }
        if (random.nextBoolean()) {
            w[2] = 0xffff_ffff_ffffL;                // eth_dst
        }
        return m;
    }

    private static FlowKey randomKey(Random random, FlowKey k) {
        for (int w = 0; w < FlowKey.WORDS; w++) {
            k.words()[w] = random.nextLong();
        }
        k.hash(EmcBenchmark.hashOf(k));
        return k;
    }

    private static FlowKey keyMatching(Megaflow flow, Random random) {
        FlowKey k = randomKey(random, new FlowKey());
        long[] w = k.words();
        for (int j = 0; j < flow.maskWordCount(); j++) {
            int i = flow.maskWordIndex(j);
            w[i] = (w[i] & ~flow.maskWord(j)) | flow.maskedKeyWord(j);
        }
        k.hash(EmcBenchmark.hashOf(k));
        return k;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int lookupBatch() {
        int base = (next++ & (burstCount - 1)) * BATCH * FlowKey.WORDS;
        for (int i = 0; i < BATCH; i++) {
            System.arraycopy(burstWords, base + i * FlowKey.WORDS, keys[i].words(), 0, FlowKey.WORDS);
        }
        return dpcls.lookupBatch(keys, BATCH, results);
    }
}
