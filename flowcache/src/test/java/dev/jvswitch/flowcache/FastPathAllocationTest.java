package dev.jvswitch.flowcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.dpcls.Dpcls;
import dev.jvswitch.flowcache.emc.Emc;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.flowcache.megaflow.Flows;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import dev.jvswitch.flowcache.smc.Smc;

/**
 * Invariant 6 for the lookup stages: once warm, EMC, SMC and dpcls lookups (hits, misses,
 * batches, dead-entry sweeps) allocate nothing on the calling thread.
 */
class FastPathAllocationTest {
    private static final int LOOKUPS = 1_000_000;
    /** What reading the allocation counter itself may cost; not a per-lookup allowance. */
    private static final long SLACK_BYTES = 512;

    @Test
    void warmLookupsAllocateNothing() {
        Random random = new Random(1);
        FlowMask[] masks = {
            Flows.mask(-1L, -1L), Flows.mask(0, 0xffff_ffffL), Flows.mask(0xff00, 0, 0xffff),
            Flows.mask(0, 0, 0, -1L), Flows.mask(0xffff_ffff_0000_0000L, 0, 0, 0, 1)};
        Dpcls dpcls = new Dpcls();
        Emc emc = new Emc();
        Smc smc = new Smc(1 << 12);
        FlowKey[] hitKeys = new FlowKey[32];
        FlowKey[] missKeys = new FlowKey[32];
        for (int i = 0; i < 1000; i++) {
            FlowKey k = Flows.randomKey(random);
            Megaflow f = new Megaflow(k, masks[i % masks.length], null, 0);
            dpcls.insert(f);
            emc.insert(k, f);
            smc.insert(k, f);
            if (i < 32) {
                hitKeys[i] = k;
            }
        }
        for (int i = 0; i < 32; i++) {
            // Later inserts may have evicted some: cache the probe keys last.
            emc.insert(hitKeys[i], dpcls.lookup(hitKeys[i]));
            smc.insert(hitKeys[i], dpcls.lookup(hitKeys[i]));
            missKeys[i] = Flows.randomKey(random);
            missKeys[i].words()[0] = 0x5555;
            missKeys[i].words()[3] = 0x7777;
        }
        Megaflow[] results = new Megaflow[32];
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();

        long warm = run(emc, smc, dpcls, hitKeys, missKeys, results, 200_000);
        threads.getThreadAllocatedBytes(tid);
        long before = threads.getThreadAllocatedBytes(tid);
        long hits = run(emc, smc, dpcls, hitKeys, missKeys, results, LOOKUPS);
        long after = threads.getThreadAllocatedBytes(tid);

        assertThat(warm).isPositive();
        // Per iteration: 3 single-key hits; per 32 iterations, one batch of 32 hits.
        assertThat(hits).isEqualTo(LOOKUPS * 3L + LOOKUPS / 32 * 32L);
        assertThat(after - before).as("bytes allocated by %d lookups", LOOKUPS).isLessThan(SLACK_BYTES);
    }

    private static long run(Emc emc, Smc smc, Dpcls dpcls, FlowKey[] hitKeys, FlowKey[] missKeys,
                            Megaflow[] results, int iterations) {
        long hits = 0;
        for (int i = 0; i < iterations; i++) {
            FlowKey hit = hitKeys[i & 31];
            FlowKey miss = missKeys[i & 31];
            hits += emc.lookup(hit) != null ? 1 : 0;
            hits += emc.lookup(miss) != null ? 1 : 0;
            hits += smc.lookup(hit) != null ? 1 : 0;
            hits += smc.lookup(miss) != null ? 1 : 0;
            hits += dpcls.lookup(hit) != null ? 1 : 0;
            hits += dpcls.lookup(miss) != null ? 1 : 0;
            if ((i & 31) == 31) {
                hits += dpcls.lookupBatch(hitKeys, 32, results);
                hits += dpcls.lookupBatch(missKeys, 32, results);
                emc.onSweep(64);
            }
            if ((i & 0xffff) == 0) {
                dpcls.onSortSubtables();
            }
        }
        return hits;
    }
}
