package dev.jvswitch.bench.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.jvswitch.flowcache.emc.Emc;
import dev.jvswitch.flowcache.hash.FlowHash;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.flowcache.megaflow.Megaflow;

/**
 * EMC hit: one exact-match lookup of a cached key (hash, two-slot probe, word compare, dead
 * check), cycling through 1024 cached microflows in a default-size (8192-entry) cache.
 * {@code keys}: {@code full}, every base word random (compared in full); {@code hot}, only the
 * hot words random and the keys marked as the parser marks IPv4 packets (compared on those).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class EmcBenchmark {
    private static final int KEYS = 1024;

    @Param({"full", "hot"})
    public String keyWords;

    private Emc emc;
    private FlowKey[] keys;
    private int next;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        emc = new Emc();
        keys = new FlowKey[KEYS];
        FlowMask mask = new FlowMask();
        mask.words()[0] = -1L;
        mask.words()[1] = -1L;
        for (int i = 0; i < KEYS; i++) {
            FlowKey k = new FlowKey();
            boolean hot = keyWords.equals("hot");
            for (int w = 0; w < FlowKey.WORDS; w++) {
                if (!hot || (FlowKey.HOT_WORD_MASK & 1L << w) != 0) {
                    k.words()[w] = random.nextLong();
                }
            }
            if (hot) {
                k.markColdWordsZero();
            }
            k.hash(hashOf(k));
            keys[i] = k;
            // Actions are not read by a lookup; the benchmark does not depend on their format.
            emc.insert(k, new Megaflow(k, mask, null, 0));
        }
        for (int i = 0; i < KEYS; i++) {
            if (emc.lookup(keys[i]) == null) {
                // A later key evicted it: re-cache so every probe is a hit.
                emc.insert(keys[i], new Megaflow(keys[i], mask, null, 0));
            }
        }
    }

    static int hashOf(FlowKey k) {
        int h = 0;
        for (long w : k.words()) {
            h = FlowHash.mix64(h, w);
        }
        return FlowHash.finish(h, FlowKey.WORDS * 8);
    }

    @Benchmark
    public Megaflow lookupHit() {
        FlowKey k = keys[next++ & (KEYS - 1)];
        return emc.lookup(k);
    }
}
