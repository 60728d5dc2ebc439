package dev.jvswitch.ofproto.xlate;

import java.util.List;

import dev.jvswitch.ofproto.group.Bucket;
import dev.jvswitch.ofproto.group.Group;

/**
 * The hash-space table of a select group: a power-of-two number of slots, each naming a bucket,
 * with each bucket holding a share of the slots proportional to its weight (OVS's dp_hash
 * "hash map"). A flow's bucket is the slot its hash selects: {@code slots[hash & mask]}.
 *
 * <p>The table is the smallest power of two, at least {@link #MIN_SLOTS}, in which every
 * bucket's share of the slots is within {@link #MAX_DEVIATION} of its share of the weight (up to
 * {@link #MAX_SLOTS}). Slots are dealt out one at a time to the bucket with the highest
 * {@code weight / (2 * slots so far + 1)} (Webster's method; ties to the earlier bucket), which
 * keeps every prefix of the table close to the weights and spreads each bucket's slots over the
 * table. That matters when a
 * bucket is not live: translation then walks forward from the selected slot to the next live
 * bucket, and spread-out slots hand a dead bucket's flows to the others roughly by weight.
 *
 * <p>The table depends on the buckets' weights and order only, so it is the same for every
 * snapshot that holds the group, in every PMD, for the life of the group: invariant 5 of the
 * design (a flow's bucket is stable) rests on this and on the shared hash.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
final class BucketTable {
    /** Fewest slots: enough that small weight ratios come out exact. */
    static final int MIN_SLOTS = 16;
    /** Most slots unless a group has more buckets than this. */
    static final int MAX_SLOTS = 256;
    /** The table grows (up to {@link #MAX_SLOTS}) until every bucket's share is this close to its weight's. */
    static final double MAX_DEVIATION = 0.05;

    private final Group group;
    private final Bucket[] slots;
    private final int mask;

    private BucketTable(Group group, Bucket[] slots) {
        this.group = group;
        this.slots = slots;
        this.mask = slots.length - 1;
    }

    static BucketTable of(Group g) {
        List<Bucket> buckets = g.buckets();
        int n = 0;
        for (Bucket b : buckets) {
            if (b.weight() > 0) {
                n++;
            }
        }
        if (n == 0) {
            return new BucketTable(g, new Bucket[0]);
        }
        int max = Math.max(MAX_SLOTS, nextPow2(n));
        int size = Math.max(MIN_SLOTS, nextPow2(n));
        Bucket[] slots = deal(buckets, size);
        while (size < max && maxDeviation(buckets, slots) > MAX_DEVIATION) {
            size <<= 1;
            slots = deal(buckets, size);
        }
        return new BucketTable(g, slots);
    }

    /** Webster's method: each slot to the bucket with the highest weight / (2 * slots so far + 1). */
    private static Bucket[] deal(List<Bucket> buckets, int size) {
        Bucket[] slots = new Bucket[size];
        long[] dealt = new long[buckets.size()];
        for (int s = 0; s < size; s++) {
            int best = -1;
            for (int i = 0; i < buckets.size(); i++) {
                long w = buckets.get(i).weight();
                if (w == 0) {
                    continue;
                }
                // w_i / (2 a_i + 1) > w_best / (2 a_best + 1), compared without division.
                if (best < 0 || w * (2 * dealt[best] + 1) > buckets.get(best).weight() * (2 * dealt[i] + 1)) {
                    best = i;
                }
            }
            slots[s] = buckets.get(best);
            dealt[best]++;
        }
        return slots;
    }

    /** The largest relative difference between a bucket's share of the slots and of the weight. */
    private static double maxDeviation(List<Bucket> buckets, Bucket[] slots) {
        long total = 0;
        for (Bucket b : buckets) {
            total += b.weight();
        }
        double worst = 0;
        for (Bucket b : buckets) {
            if (b.weight() == 0) {
                continue;
            }
            int count = 0;
            for (Bucket s : slots) {
                if (s == b) {
                    count++;
                }
            }
            double want = (double) b.weight() / total;
            worst = Math.max(worst, Math.abs((double) count / slots.length - want) / want);
        }
        return worst;
    }

    private static int nextPow2(long v) {
        long p = 1;
        while (p < v) {
            p <<= 1;
        }
        return (int) p;
    }

    /** True if this table was made for a group equal to {@code g}. */
    boolean isFor(Group g) {
        return group == g || group.equals(g);
    }

    /** Number of slots; 0 when no bucket has weight. */
    int size() {
        return slots.length;
    }

    /** The hash bits that select a slot ({@code size - 1}). */
    int hashMask() {
        return mask;
    }

    Bucket slot(int i) {
        return slots[i & mask];
    }
}
