package dev.jvswitch.flowcache.dpcls;

import java.util.function.Consumer;

import dev.jvswitch.flowcache.hash.FlowHash;
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
 * <p>The table is open addressing with linear probing. Beside each flow reference it keeps the
 * hash and a copy of the flow's masked key words, in flat arrays, so that a probe compares
 * against contiguous memory and dereferences a flow only on a match (to check its dead flag).
 * Load stays at or below one half, and removal shifts later entries back (no tombstones), so a
 * probe ends at the first empty slot. Growing allocates; lookups never do.
 *
 * <p>Equal matches may coexist (the slow path installing a flow while a dead one with the same
 * match still waits for removal): a lookup returns the first live one.
 *
 * <p><b>Thread-safety:</b> owned by the PMD that owns the {@link Dpcls}; not safe for any other
 * thread.
 */
public final class Subtable {
    private static final int INITIAL_CAPACITY = 8;

    private final int[] wordIndex;
    private final long[] maskWords;
    private int[] hashes;
    /** Slot {@code s}'s masked key words at {@code [s * n, s * n + n)}, n = mask word count. */
    private long[] values;
    private Megaflow[] slots;
    private int capMask;
    private int count;
    long hits;

    /** A subtable for the mask of {@code prototype} (which is not inserted). */
    Subtable(Megaflow prototype) {
        int n = prototype.maskWordCount();
        wordIndex = new int[n];
        maskWords = new long[n];
        for (int j = 0; j < n; j++) {
            wordIndex[j] = prototype.maskWordIndex(j);
            maskWords[j] = prototype.maskWord(j);
        }
        hashes = new int[INITIAL_CAPACITY];
        values = new long[INITIAL_CAPACITY * n];
        slots = new Megaflow[INITIAL_CAPACITY];
        capMask = INITIAL_CAPACITY - 1;
    }

    /** True if {@code flow}'s mask is this subtable's. */
    public boolean hasMaskOf(Megaflow flow) {
        int n = wordIndex.length;
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

    /** Hash of {@code key & mask} over the mask's words. */
    int hashKey(long[] key) {
        int h = 0;
        int[] idx = wordIndex;
        long[] m = maskWords;
        for (int j = 0; j < idx.length; j++) {
            h = FlowHash.mix64(h, key[idx[j]] & m[j]);
        }
        return FlowHash.finish(h, idx.length * 8);
    }

    private int hashFlow(Megaflow flow) {
        int h = 0;
        int n = wordIndex.length;
        for (int j = 0; j < n; j++) {
            h = FlowHash.mix64(h, flow.maskedKeyWord(j));
        }
        return FlowHash.finish(h, n * 8);
    }

    /** The first live flow of this subtable matching {@code key}, or null. */
    public Megaflow lookup(FlowKey key) {
        long[] k = key.words();
        return probe(k, hashKey(k));
    }

    /**
     * The first live flow matching {@code key} whose masked words hash to {@code h}, or null.
     * Split from the hash so that a batch can hash all its packets first: those hashes are
     * independent chains of multiplies the CPU overlaps, while a probe's branches are not.
     */
    Megaflow probe(long[] key, int h) {
        int[] hs = hashes;
        long[] vs = values;
        Megaflow[] sl = slots;
        int[] idx = wordIndex;
        long[] m = maskWords;
        int n = idx.length;
        int cm = capMask;
        Megaflow f;
        for (int s = h & cm; (f = sl[s]) != null; s = (s + 1) & cm) {
            if (hs[s] == h) {
                int j = 0;
                for (int base = s * n; j < n && (key[idx[j]] & m[j]) == vs[base + j]; j++) {
                    // compare the next word
                }
                if (j == n && !f.isDead()) {
                    return f;
                }
            }
        }
        return null;
    }

    /** Adds {@code flow}, which must have this subtable's mask. May allocate (growth). */
    void insert(Megaflow flow) {
        if ((count + 1) * 2 > slots.length) {
            grow();
        }
        int h = hashFlow(flow);
        int s = freeSlot(h);
        hashes[s] = h;
        slots[s] = flow;
        int n = wordIndex.length;
        for (int j = 0; j < n; j++) {
            values[s * n + j] = flow.maskedKeyWord(j);
        }
        count++;
    }

    private int freeSlot(int h) {
        int s = h & capMask;
        while (slots[s] != null) {
            s = (s + 1) & capMask;
        }
        return s;
    }

    private void grow() {
        int[] oldHashes = hashes;
        long[] oldValues = values;
        Megaflow[] oldSlots = slots;
        int n = wordIndex.length;
        hashes = new int[oldSlots.length * 2];
        values = new long[oldSlots.length * 2 * n];
        slots = new Megaflow[oldSlots.length * 2];
        capMask = slots.length - 1;
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldSlots[i] != null) {
                int s = freeSlot(oldHashes[i]);
                hashes[s] = oldHashes[i];
                slots[s] = oldSlots[i];
                System.arraycopy(oldValues, i * n, values, s * n, n);
            }
        }
    }

    /** Removes {@code flow} (by identity). */
    boolean remove(Megaflow flow) {
        int h = hashFlow(flow);
        int s = h & capMask;
        while (slots[s] != flow) {
            if (slots[s] == null) {
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
            if (slots[j] == null) {
                break;
            }
            int home = hashes[j] & capMask;
            boolean stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
            if (!stays) {
                slots[hole] = slots[j];
                hashes[hole] = hashes[j];
                System.arraycopy(values, j * wordIndex.length, values, hole * wordIndex.length, wordIndex.length);
                hole = j;
            }
        }
        slots[hole] = null;
        hashes[hole] = 0;
        count--;
        return true;
    }

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
        return wordIndex.length;
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
