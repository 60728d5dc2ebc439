package dev.jvswitch.flowcache.emc;

import java.util.Arrays;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.megaflow.Megaflow;

/**
 * The exact match cache: the first lookup stage of a PMD, mapping a packet's full flow key
 * (a microflow) to the megaflow that matched it last time.
 *
 * <p>Layout, as OVS's {@code emc_cache}: {@code entries} slots (a power of two), each a copy of a
 * key's {@value FlowKey#WORDS} words in one preallocated {@code long[]}, the key's hash and the
 * megaflow. A key may live in one of two slots (OVS's {@code EM_FLOW_HASH_SEGS} = 2): the low
 * {@code log2(entries)} bits of its hash, and the next {@code log2(entries)} bits. A hit needs
 * equal hash, equal words and a live flow (and, for a key with tunnel options, options the flow
 * matches: the slot keeps the base words only).
 *
 * <p><b>Replacement.</b> An insert updates the slot that already holds the key; else takes an
 * empty slot or one whose flow is dead; else evicts the candidate with the lower stored hash,
 * as OVS does. That choice is arbitrary but deterministic and costs no state.
 *
 * <p><b>Insertion probability.</b> With many microflows per megaflow, inserting every miss
 * thrashes the cache; {@link #maybeInsert} inserts with probability 1/{@code insertInvProb}
 * (OVS's {@code emc-insert-inv-prob}, default {@value #DEFAULT_INSERT_INV_PROB}) using an
 * xorshift generator, so it allocates nothing.
 *
 * <p><b>Dead flows.</b> A dead flow is never returned: a lookup that lands on it clears the
 * slot and misses. {@link #onSweep} clears the rest a few slots at a time, so that dead flows
 * are not kept reachable for long (OVS's slow sweep).
 *
 * <p><b>Thread-safety:</b> owned by one PMD thread; no other thread may call any method. The
 * only cross-thread read is {@link Megaflow#isDead()} (acquire).
 */
public final class Emc {
    /** OVS's default {@code EM_FLOW_HASH_ENTRIES}. */
    public static final int DEFAULT_ENTRIES = 1 << 13;
    /** OVS's default {@code emc-insert-inv-prob}. */
    public static final int DEFAULT_INSERT_INV_PROB = 100;
    /** The largest cache whose two slot indices still come from disjoint bits of a 32-bit hash. */
    public static final int MAX_ENTRIES = 1 << 16;

    private static final int W = FlowKey.WORDS;
    private static final int TUN_MD_LEN_WORD = FlowField.TUN_METADATA_LEN.word();

    private final int mask;
    private final int shift;
    private final long[] keys;
    private final int[] hashes;
    private final Megaflow[] flows;
    private int size;
    private int sweepCursor;
    private long insertThreshold;
    private int insertInvProb;
    private int random;

    public Emc() {
        this(DEFAULT_ENTRIES);
    }

    /** A cache of {@code entries} slots, a power of two between 2 and {@value #MAX_ENTRIES}. */
    public Emc(int entries) {
        if (entries < 2 || entries > MAX_ENTRIES || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("emc entries must be a power of two in [2, "
                + MAX_ENTRIES + "]: " + entries);
        }
        mask = entries - 1;
        shift = Integer.numberOfTrailingZeros(entries);
        keys = new long[entries * W];
        hashes = new int[entries];
        flows = new Megaflow[entries];
        random = 0x9e3779b9;
        setInsertInvProb(DEFAULT_INSERT_INV_PROB);
    }

    /** The flow cached for exactly {@code key}, or null. Dead hits clear their slot and miss. */
    public Megaflow lookup(FlowKey key) {
        int h = key.hash();
        long[] kw = key.words();
        int i = h & mask;
        Megaflow f = flows[i];
        if (f != null && hashes[i] == h && Arrays.equals(keys, i * W, i * W + W, kw, 0, W)) {
            return live(i, f, kw);
        }
        i = (h >>> shift) & mask;
        f = flows[i];
        if (f != null && hashes[i] == h && Arrays.equals(keys, i * W, i * W + W, kw, 0, W)) {
            return live(i, f, kw);
        }
        return null;
    }

    /**
     * The slot's flow if it is live and, for a key with tunnel options (whose words the slot does
     * not keep), if the options match the flow's: the flow then covers the key as a whole.
     */
    private Megaflow live(int slot, Megaflow f, long[] kw) {
        if ((kw[TUN_MD_LEN_WORD] & 0xff) != 0 && !f.matchesTunnelMetadata(kw)) {
            return null;
        }
        return live(slot, f);
    }

    private Megaflow live(int slot, Megaflow f) {
        if (f.isDead()) {
            clearSlot(slot);
            return null;
        }
        return f;
    }

    /** Caches {@code flow} for exactly {@code key} (see the class comment for the victim). */
    public void insert(FlowKey key, Megaflow flow) {
        int h = key.hash();
        long[] kw = key.words();
        int a = h & mask;
        int b = (h >>> shift) & mask;
        if (flows[a] != null && hashes[a] == h && Arrays.equals(keys, a * W, a * W + W, kw, 0, W)) {
            flows[a] = flow;
            return;
        }
        if (flows[b] != null && hashes[b] == h && Arrays.equals(keys, b * W, b * W + W, kw, 0, W)) {
            flows[b] = flow;
            return;
        }
        int victim;
        if (isFree(a)) {
            victim = a;
        } else if (isFree(b)) {
            victim = b;
        } else {
            victim = hashes[b] < hashes[a] ? b : a;
        }
        if (flows[victim] == null) {
            size++;
        }
        System.arraycopy(kw, 0, keys, victim * W, W);
        hashes[victim] = h;
        flows[victim] = flow;
    }

    private boolean isFree(int slot) {
        Megaflow f = flows[slot];
        return f == null || f.isDead();
    }

    /**
     * Inserts with probability 1/{@link #insertInvProb()}.
     *
     * @return true if the entry was inserted
     */
    public boolean maybeInsert(FlowKey key, Megaflow flow) {
        long threshold = insertThreshold;
        if (threshold == 0) {
            return false;
        }
        if (threshold != 0xffff_ffffL) {
            int r = random;
            r ^= r << 13;
            r ^= r >>> 17;
            r ^= r << 5;
            random = r;
            if ((r & 0xffff_ffffL) > threshold) {
                return false;
            }
        }
        insert(key, flow);
        return true;
    }

    /** Sets the inverse insertion probability: 0 never inserts, 1 always, N one miss in N. */
    public void setInsertInvProb(int invProb) {
        if (invProb < 0) {
            throw new IllegalArgumentException("emc-insert-inv-prob must be >= 0: " + invProb);
        }
        insertInvProb = invProb;
        insertThreshold = invProb == 0 ? 0 : 0xffff_ffffL / invProb;
    }

    public int insertInvProb() {
        return insertInvProb;
    }

    /**
     * Examines the next {@code slots} slots (wrapping around) and clears those whose flow is
     * dead; the PMD calls it on a budget from its housekeeping.
     *
     * @return the number of slots cleared
     */
    public int onSweep(int slots) {
        int cleared = 0;
        int cursor = sweepCursor;
        for (int n = Math.min(slots, mask + 1); n > 0; n--) {
            Megaflow f = flows[cursor];
            if (f != null && f.isDead()) {
                clearSlot(cursor);
                cleared++;
            }
            cursor = (cursor + 1) & mask;
        }
        sweepCursor = cursor;
        return cleared;
    }

    /** Empties every slot (the flows themselves are untouched). */
    public void clear() {
        Arrays.fill(flows, null);
        Arrays.fill(hashes, 0);
        size = 0;
    }

    private void clearSlot(int slot) {
        flows[slot] = null;
        size--;
    }

    /** Occupied slots, counting those whose flow died but were not yet cleared. */
    public int size() {
        return size;
    }

    public int capacity() {
        return mask + 1;
    }
}
