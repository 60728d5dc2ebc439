package dev.jvswitch.flowcache.dpcls;

import java.util.Arrays;
import java.util.function.Consumer;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.megaflow.Megaflow;

/**
 * The megaflow classifier of one in_port of one PMD: a tuple-space search over
 * {@link Subtable}s, one per distinct mask, as OVS's {@code dpcls}.
 *
 * <p>A lookup tries the subtables in rank order and stops at the first that holds a live flow
 * matching the key. There are no priorities: the slow path never installs two megaflows that
 * match one packet with different actions, so the first match is as good as any. The batch form
 * probes each subtable only for the packets still unmatched (a bitmap of up to
 * {@value #MAX_BATCH}), so a burst that hits the first subtable never touches the others; within
 * a subtable it hashes all those packets and reads their first slots before probing for any, as
 * OVS does, which lets the CPU overlap the hash computations and the cache misses (see
 * {@link Subtable}).
 *
 * <p><b>Ranking.</b> Each subtable counts its hits; {@link #onSortSubtables()} (called by the
 * PMD about once a second) orders the subtables by that count, most hit first, and halves every
 * count so that the order follows recent traffic with a memory of about one period. An empty
 * subtable is removed as soon as its last flow is.
 *
 * <p><b>Counters.</b> {@link #subtableLookups()} adds, for every hit, the 1-based position of
 * the subtable that matched, so that {@code subtableLookups() / hitCount()} is OVS's "avg.
 * subtable lookups per megaflow hit". Both are plain owner fields: the PMD copies them into
 * its published counters.
 *
 * <p><b>Thread-safety:</b> owned by one PMD thread, which does every lookup, insert, remove,
 * re-sort and dump; no other thread may call any method. Other threads reach the flows through
 * the ukey map and ask the owner for changes through its command queue. The only cross-thread
 * read is {@link Megaflow#isDead()} (acquire): a dead flow is skipped until the owner removes it.
 */
public final class Dpcls {
    /** The largest batch {@link #lookupBatch} accepts (one bit per packet in a {@code long}). */
    public static final int MAX_BATCH = 64;

    private final int[] batchSlots = new int[MAX_BATCH];
    private final int[] batchTags = new int[MAX_BATCH];
    private Subtable[] subtables = new Subtable[4];
    private int subtableCount;
    private int flowCount;
    private long subtableLookups;
    private long hitCount;

    /** Adds {@code flow} to the subtable of its mask, creating it if needed. */
    public void insert(Megaflow flow) {
        Subtable st = find(flow);
        if (st == null) {
            st = new Subtable(flow);
            if (subtableCount == subtables.length) {
                subtables = Arrays.copyOf(subtables, subtableCount * 2);
            }
            // A new mask starts last: it has no hits yet, and the next re-sort places it.
            subtables[subtableCount++] = st;
        }
        st.insert(flow);
        flowCount++;
    }

    /** Removes {@code flow} (by identity); drops its subtable if that becomes empty. */
    public boolean remove(Megaflow flow) {
        Subtable st = find(flow);
        if (st == null || !st.remove(flow)) {
            return false;
        }
        flowCount--;
        if (st.flowCount() == 0) {
            int i = indexOf(st);
            System.arraycopy(subtables, i + 1, subtables, i, subtableCount - i - 1);
            subtables[--subtableCount] = null;
        }
        return true;
    }

    private Subtable find(Megaflow flow) {
        for (int i = 0; i < subtableCount; i++) {
            if (subtables[i].hasMaskOf(flow)) {
                return subtables[i];
            }
        }
        return null;
    }

    private int indexOf(Subtable st) {
        for (int i = 0; i < subtableCount; i++) {
            if (subtables[i] == st) {
                return i;
            }
        }
        throw new IllegalStateException("subtable not ranked");
    }

    /** The live flow matching {@code key} in the first subtable (in rank order) that has one, or null. */
    public Megaflow lookup(FlowKey key) {
        Subtable[] sts = subtables;
        for (int i = 0, n = subtableCount; i < n; i++) {
            Megaflow f = sts[i].lookup(key);
            if (f != null) {
                sts[i].hits++;
                subtableLookups += i + 1;
                hitCount++;
                return f;
            }
        }
        return null;
    }

    /**
     * Looks up {@code keys[0..count)} and stores each result (null on a miss) in
     * {@code results[i]}.
     *
     * @param count at most {@value #MAX_BATCH}
     * @return the number of keys matched
     */
    public int lookupBatch(FlowKey[] keys, int count, Megaflow[] results) {
        if (count > MAX_BATCH) {
            throw new IllegalArgumentException("dpcls batch of " + count + " exceeds " + MAX_BATCH);
        }
        if (count <= 0) {
            return 0;
        }
        long unmatched = count == 64 ? -1L : (1L << count) - 1;
        for (int i = 0; i < count; i++) {
            results[i] = null;
        }
        Subtable[] sts = subtables;
        int matched = 0;
        for (int t = 0, n = subtableCount; t < n && unmatched != 0; t++) {
            Subtable st = sts[t];
            long found = st.lookupBatch(keys, unmatched, results, batchSlots, batchTags);
            if (found != 0) {
                unmatched &= ~found;
                int c = Long.bitCount(found);
                st.hits += c;
                subtableLookups += (long) c * (t + 1);
                matched += c;
            }
        }
        hitCount += matched;
        return matched;
    }

    /** Re-ranks the subtables by hits, most first, and halves every hit count (owner housekeeping). */
    public void onSortSubtables() {
        Subtable[] sts = subtables;
        // Insertion sort: few subtables, usually already in order, stable, allocation-free.
        for (int i = 1; i < subtableCount; i++) {
            Subtable st = sts[i];
            int j = i - 1;
            while (j >= 0 && sts[j].hits < st.hits) {
                sts[j + 1] = sts[j];
                j--;
            }
            sts[j + 1] = st;
        }
        for (int i = 0; i < subtableCount; i++) {
            sts[i].hits >>>= 1;
        }
    }

    /** Sum over hits of the 1-based rank of the matching subtable (see the class comment). */
    public long subtableLookups() {
        return subtableLookups;
    }

    /** Lookups that matched a flow, single or batched. */
    public long hitCount() {
        return hitCount;
    }

    /** Flows in all subtables, live or dead. */
    public int flowCount() {
        return flowCount;
    }

    public int subtableCount() {
        return subtableCount;
    }

    /** The subtable at {@code rank} (0 = probed first), for pmd-stats and tests. */
    public Subtable subtable(int rank) {
        if (rank < 0 || rank >= subtableCount) {
            throw new IndexOutOfBoundsException("subtable rank " + rank + " of " + subtableCount);
        }
        return subtables[rank];
    }

    /**
     * Passes every flow to {@code action}, subtables in rank order (for dumps, not the hot
     * path). {@code action} must not insert or remove flows of this classifier.
     */
    public void forEach(Consumer<? super Megaflow> action) {
        for (int i = 0; i < subtableCount; i++) {
            subtables[i].forEach(action);
        }
    }
}
