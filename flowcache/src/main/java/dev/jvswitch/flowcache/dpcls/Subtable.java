package dev.jvswitch.flowcache.dpcls;

import java.util.function.Consumer;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.megaflow.Megaflow;

/**
 * One tuple of the tuple-space search: the megaflows of a {@link Dpcls} that share one mask,
 * in a hash table keyed by the masked key.
 *
 * <p>The mask is kept as its non-zero words only (the miniflow idea): a probe hashes
 * {@code key[i] & mask[i]} for those word indices {@code i} and nothing else, and compares those
 * words with the candidates'. Because every flow here has the same mask, a flow's masked key
 * words hash to exactly what a matching packet's key does.
 *
 * <p><b>Layout.</b> Open addressing with linear probing over three parallel arrays: a 32-bit tag
 * per slot (0 = empty), the masked key words of each slot's flow ({@code n} per slot), and the
 * flow. A probe that misses, which is what most probes of a many-subtable lookup are, reads only
 * the tags, 16 to a cache line; the key words are read on a tag match and the flow (for its dead
 * flag) only on a full match. Load stays at or below one half, and removal shifts later entries
 * back (no tombstones), so a probe ends at the first empty slot. Growing allocates; lookups never
 * do.
 *
 * <p><b>Hash.</b> The subtable's own, never compared with any other hash: the sum over the mask
 * words of {@code (key[i] & mask[i]) * K[j]} with a different odd 64-bit multiplier per position,
 * then one multiply-xorshift round. The products are independent, so the CPU computes them in
 * parallel instead of in one chain of 32-bit mixes; a difference in any single word changes the
 * sum (the multipliers are odd) and the last round spreads it over the bits the slot index and
 * tag take (low 32 and high 32). Masks of up to {@value #UNROLLED} words, which is every IPv4
 * megaflow, are hashed and compared by straight-line code specialised by word count (OVS's
 * specialised subtable lookups); longer ones finish in a loop.
 *
 * <p><b>Batches.</b> {@link #lookupBatch} hashes every pending packet of a batch and reads the
 * tag of its first slot before probing any (OVS prefetches the bucket of each packet the same
 * way): the hashes are independent chains and the tag loads independent cache misses, which the
 * CPU overlaps, where probing one packet at a time would wait for each miss in turn. Matches then
 * dereference their flows in a last pass of their own, for the same reason.
 *
 * <p>Equal matches may coexist (the slow path installing a flow while a dead one with the same
 * match still waits for removal): a lookup returns the first live one.
 *
 * <p><b>Thread-safety:</b> owned by the PMD that owns the {@link Dpcls}; not safe for any other
 * thread.
 */
public final class Subtable {
    private static final int INITIAL_CAPACITY = 8;
    /** Mask words hashed and compared by straight-line code; the rest by a loop. */
    static final int UNROLLED = 8;
    /** One odd multiplier per mask word position (as many as a key has words). */
    private static final long[] K = {
        0x9e3779b97f4a7c15L, 0xc2b2ae3d27d4eb4fL, 0x165667b19e3779f9L, 0xd6e8feb86659fd93L,
        0xff51afd7ed558ccdL, 0xc4ceb9fe1a85ec53L, 0x94d049bb133111ebL, 0xbf58476d1ce4e5b9L,
        0x8cb92ba72f3d8dd7L, 0xa0761d6478bd642fL, 0xe7037ed1a0b428dbL, 0x8ebc6af09c88c6e3L,
        0x589965cc75374cc3L, 0x1d8e4e27c47d124fL, 0xd1b54a32d192ed03L, 0xabc98388fb8fac03L,
        0x8bb84b93962eacc9L, 0x4be98134a5976fd3L, 0x9fb21c651e98df25L,
    };
    private static final long K0 = K[0];
    private static final long K1 = K[1];
    private static final long K2 = K[2];
    private static final long K3 = K[3];
    private static final long K4 = K[4];
    private static final long K5 = K[5];
    private static final long K6 = K[6];
    private static final long K7 = K[7];

    private final int n;
    private final int[] wordIndex;
    private final long[] maskWords;
    // The first UNROLLED mask words as fields, for the straight-line code; unused ones are word
    // 0 with mask 0, which adds nothing to a hash.
    private final int i0;
    private final int i1;
    private final int i2;
    private final int i3;
    private final int i4;
    private final int i5;
    private final int i6;
    private final int i7;
    private final long m0;
    private final long m1;
    private final long m2;
    private final long m3;
    private final long m4;
    private final long m5;
    private final long m6;
    private final long m7;

    private int[] tags;
    /** Slot {@code s}'s masked key words at {@code [s * n, s * n + n)}. */
    private long[] values;
    private Megaflow[] slots;
    private int capMask;
    private int count;
    long hits;

    /** A subtable for the mask of {@code prototype} (which is not inserted). */
    Subtable(Megaflow prototype) {
        n = prototype.maskWordCount();
        if (n > FlowKey.DP_WORDS) {
            throw new IllegalArgumentException("mask of " + n + " words");
        }
        wordIndex = new int[n];
        maskWords = new long[n];
        int[] idx = new int[UNROLLED];
        long[] m = new long[UNROLLED];
        for (int j = 0; j < n; j++) {
            wordIndex[j] = prototype.maskWordIndex(j);
            maskWords[j] = prototype.maskWord(j);
            if (j < UNROLLED) {
                idx[j] = wordIndex[j];
                m[j] = maskWords[j];
            }
        }
        i0 = idx[0];
        i1 = idx[1];
        i2 = idx[2];
        i3 = idx[3];
        i4 = idx[4];
        i5 = idx[5];
        i6 = idx[6];
        i7 = idx[7];
        m0 = m[0];
        m1 = m[1];
        m2 = m[2];
        m3 = m[3];
        m4 = m[4];
        m5 = m[5];
        m6 = m[6];
        m7 = m[7];
        tags = new int[INITIAL_CAPACITY];
        values = new long[INITIAL_CAPACITY * n];
        slots = new Megaflow[INITIAL_CAPACITY];
        capMask = INITIAL_CAPACITY - 1;
    }

    /** True if {@code flow}'s mask is this subtable's. */
    public boolean hasMaskOf(Megaflow flow) {
        if (flow.maskWordCount() != n) {
            return false;
        }
        for (int j = 0; j < n; j++) {
            if (flow.maskWordIndex(j) != wordIndex[j] || flow.maskWord(j) != maskWords[j]) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ hashing

    /** Hash of {@code key & mask} over the mask's words (see the class comment). */
    long hashKey(long[] k) {
        long h = (k[i0] & m0) * K0 + (k[i1] & m1) * K1 + (k[i2] & m2) * K2 + (k[i3] & m3) * K3
                + (k[i4] & m4) * K4 + (k[i5] & m5) * K5 + (k[i6] & m6) * K6 + (k[i7] & m7) * K7;
        if (n > UNROLLED) {
            for (int j = UNROLLED; j < n; j++) {
                h += (k[wordIndex[j]] & maskWords[j]) * K[j];
            }
        }
        return finish(h);
    }

    /** The hash {@link #hashKey} gives a key matching the masked words {@code v[base, base + n)}. */
    private long hashValues(long[] v, int base) {
        long h = 0;
        for (int j = 0; j < n; j++) {
            h += v[base + j] * K[j];
        }
        return finish(h);
    }

    private long hashFlow(Megaflow flow) {
        long h = 0;
        for (int j = 0; j < n; j++) {
            h += flow.maskedKeyWord(j) * K[j];
        }
        return finish(h);
    }

    private static long finish(long h) {
        h = (h ^ (h >>> 31)) * 0xbf58476d1ce4e5b9L;
        return h ^ (h >>> 29);
    }

    /** The tag of a hash: its high half, never 0 (which marks an empty slot). */
    private static int tag(long h) {
        return (int) (h >>> 32) | 1;
    }

    /** True if {@code key & mask} equals the masked words stored at {@code v[base, base + n)}. */
    @SuppressWarnings("fallthrough")
    private boolean matches(long[] k, long[] v, int base) {
        long d = 0;
        switch (n) {
            default:
                for (int j = UNROLLED; j < n; j++) {
                    d |= (k[wordIndex[j]] & maskWords[j]) ^ v[base + j];
                }
                // fall through
            case 8:
                d |= (k[i7] & m7) ^ v[base + 7];
                // fall through
            case 7:
                d |= (k[i6] & m6) ^ v[base + 6];
                // fall through
            case 6:
                d |= (k[i5] & m5) ^ v[base + 5];
                // fall through
            case 5:
                d |= (k[i4] & m4) ^ v[base + 4];
                // fall through
            case 4:
                d |= (k[i3] & m3) ^ v[base + 3];
                // fall through
            case 3:
                d |= (k[i2] & m2) ^ v[base + 2];
                // fall through
            case 2:
                d |= (k[i1] & m1) ^ v[base + 1];
                // fall through
            case 1:
                d |= (k[i0] & m0) ^ v[base];
                // fall through
            case 0:
                break;
        }
        return d == 0;
    }

    // ------------------------------------------------------------------ lookup

    /** The first live flow of this subtable matching {@code key}, or null. */
    public Megaflow lookup(FlowKey key) {
        long[] k = key.words();
        long h = hashKey(k);
        int tag = tag(h);
        for (int s = matchFrom(k, (int) h & capMask, tag); s >= 0; s = matchFrom(k, (s + 1) & capMask, tag)) {
            Megaflow f = slots[s];
            if (!f.isDead()) {
                return f;
            }
        }
        return null;
    }

    /** The first slot from {@code s} on whose flow matches {@code k}, dead or alive, or -1. */
    private int matchFrom(long[] k, int s, int tag) {
        int[] tg = tags;
        long[] v = values;
        int cm = capMask;
        for (int t = tg[s]; t != 0; s = (s + 1) & cm, t = tg[s]) {
            if (t == tag && matches(k, v, s * n)) {
                return s;
            }
        }
        return -1;
    }

    /**
     * Looks up the packets {@code keys[i]} for every bit {@code i} of {@code pending} and stores
     * each live match in {@code results[i]} (others untouched).
     *
     * @param slotScratch and {@code tagScratch}: per-packet scratch of the caller, indexed as
     *                    {@code keys}
     * @return the bits of {@code pending} that matched
     */
    long lookupBatch(FlowKey[] keys, long pending, Megaflow[] results, int[] slotScratch, int[] tagScratch) {
        int[] tg = tags;
        int cm = capMask;
        // Pass 1: hash every packet and read the tag of its first slot: the misses overlap.
        long candidates = 0;
        for (long m = pending; m != 0; m &= m - 1) {
            int i = Long.numberOfTrailingZeros(m);
            long h = hashKey(keys[i].words());
            int s = (int) h & cm;
            slotScratch[i] = s;
            tagScratch[i] = tag(h);
            int t = tg[s];
            // Without a branch on the loaded tag, so that no misprediction waits for the load.
            candidates |= (long) ((t | -t) >>> 31) << i;
        }
        // Pass 2: probe the packets whose first slot is not empty, comparing tags and key words.
        long found = 0;
        for (long m = candidates; m != 0; m &= m - 1) {
            int i = Long.numberOfTrailingZeros(m);
            int s = matchFrom(keys[i].words(), slotScratch[i], tagScratch[i]);
            if (s >= 0) {
                slotScratch[i] = s;
                found |= 1L << i;
            }
        }
        // Pass 3: the flows of the matches, skipping dead ones for a live twin further on.
        Megaflow[] sl = slots;
        for (long m = found; m != 0; m &= m - 1) {
            int i = Long.numberOfTrailingZeros(m);
            Megaflow f = sl[slotScratch[i]];
            if (f.isDead()) {
                f = liveAfter(keys[i].words(), slotScratch[i], tagScratch[i]);
                if (f == null) {
                    found &= ~(1L << i);
                    continue;
                }
            }
            results[i] = f;
        }
        return found;
    }

    /** The first live flow matching {@code k} after slot {@code s}, or null (rare: a dead flow's twin). */
    private Megaflow liveAfter(long[] k, int s, int tag) {
        for (int j = matchFrom(k, (s + 1) & capMask, tag); j >= 0; j = matchFrom(k, (j + 1) & capMask, tag)) {
            if (!slots[j].isDead()) {
                return slots[j];
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ changes (slow path)

    /** Adds {@code flow}, which must have this subtable's mask. May allocate (growth). */
    void insert(Megaflow flow) {
        if ((count + 1) * 2 > slots.length) {
            grow();
        }
        long h = hashFlow(flow);
        int s = freeSlot((int) h & capMask);
        tags[s] = tag(h);
        slots[s] = flow;
        for (int j = 0; j < n; j++) {
            values[s * n + j] = flow.maskedKeyWord(j);
        }
        count++;
    }

    private int freeSlot(int s) {
        while (tags[s] != 0) {
            s = (s + 1) & capMask;
        }
        return s;
    }

    private void grow() {
        int[] oldTags = tags;
        long[] oldValues = values;
        Megaflow[] oldSlots = slots;
        int cap = oldSlots.length * 2;
        tags = new int[cap];
        values = new long[cap * n];
        slots = new Megaflow[cap];
        capMask = cap - 1;
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldTags[i] != 0) {
                int s = freeSlot((int) hashValues(oldValues, i * n) & capMask);
                tags[s] = oldTags[i];
                slots[s] = oldSlots[i];
                System.arraycopy(oldValues, i * n, values, s * n, n);
            }
        }
    }

    /** Removes {@code flow} (by identity). */
    boolean remove(Megaflow flow) {
        int s = (int) hashFlow(flow) & capMask;
        while (slots[s] != flow) {
            if (tags[s] == 0) {
                return false;
            }
            s = (s + 1) & capMask;
        }
        // Backward-shift deletion: move up every later entry of the run whose home slot does
        // not lie cyclically in (hole, entry], so that no probe meets a premature empty slot.
        int hole = s;
        int j = s;
        while (true) {
            j = (j + 1) & capMask;
            if (tags[j] == 0) {
                break;
            }
            int home = (int) hashValues(values, j * n) & capMask;
            boolean stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
            if (!stays) {
                slots[hole] = slots[j];
                tags[hole] = tags[j];
                System.arraycopy(values, j * n, values, hole * n, n);
                hole = j;
            }
        }
        slots[hole] = null;
        tags[hole] = 0;
        count--;
        return true;
    }

    // ------------------------------------------------------------------ inspection

    /** Number of flows, live or dead. */
    public int flowCount() {
        return count;
    }

    /** Hits since the last re-ranking (decayed by {@link Dpcls#onSortSubtables()}). */
    public long hitCount() {
        return hits;
    }

    /** Number of key words the mask touches. */
    public int maskWordCount() {
        return n;
    }

    public int maskWordIndex(int j) {
        return wordIndex[j];
    }

    public long maskWord(int j) {
        return maskWords[j];
    }

    /**
     * Passes every flow to {@code action}, in table order (for dumps, not the hot path).
     * {@code action} must not insert or remove flows.
     */
    public void forEach(Consumer<? super Megaflow> action) {
        Megaflow[] sl = slots;
        for (Megaflow f : sl) {
            if (f != null) {
                action.accept(f);
            }
        }
    }
}
