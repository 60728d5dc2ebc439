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
 * key's {@value FlowKey#WORDS} words (in two preallocated {@code long[]}s: hot and cold words),
 * the key's hash and the megaflow. A key may live in one of two slots (OVS's {@code EM_FLOW_HASH_SEGS} = 2): the low
 * {@code log2(entries)} bits of its hash, and the next {@code log2(entries)} bits. A hit needs
 * equal hash, equal words and a live flow (and, for a key with tunnel options, options the flow
 * matches: the slot keeps the base words only). When the key and the slot's key both have their
 * cold words zero ({@link FlowKey#coldWordsZero()}, which the parser marks for IPv4 packets
 * without ct state or an IPv6 tunnel), only the 11 hot words are compared, not all
 * {@value FlowKey#WORDS}; the hash and that mark share one {@code long} per slot, stored with the hot words apart from the
 * cold ones.
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
    /** A slot's hot part: its meta word, then base words 0-9 and 14 (96 bytes). */
    private static final int HOT = 12;
    /** A slot's cold part: base words 10-13, then 15-31. */
    private static final int COLD = W - 11;
    private static final int COLD_A = 10;
    private static final int COLD_A_LENGTH = 4;
    private static final int COLD_B = 15;
    private static final int TUN_MD_LEN_WORD = FlowField.TUN_METADATA_LEN.word();
    /** The sign bit of a slot's meta word: its key's cold words are zero. */
    private static final long COLD_ZERO = Long.MIN_VALUE;

    static {
        // sameKey compares words 0-9 and 14 by hand, and insert copies them so.
        FlowKey.checkHotWords(0x3ffL | 1L << 14, "Emc.sameKey");
    }

    private final int mask;
    private final int shift;
    /**
     * The slots' hot parts ({@link #HOT} longs each): what a lookup of a marked key reads, next
     * to each other so that a probe touches the flow reference and about two cache lines.
     */
    private final long[] hot;
    /** The slots' cold parts ({@link #COLD} longs each), read only for unmarked keys. */
    private final long[] cold;
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
        hot = new long[entries * HOT];
        cold = new long[entries * COLD];
        flows = new Megaflow[entries];
        random = 0x9e3779b9;
        setInsertInvProb(DEFAULT_INSERT_INV_PROB);
    }

    /** The flow cached for exactly {@code key}, or null. Dead hits clear their slot and miss. */
    public Megaflow lookup(FlowKey key) {
        int h = key.hash();
        long[] kw = key.words();
        boolean coldZero = key.coldWordsZero();
        int i = h & mask;
        Megaflow f = flows[i];
        if (f != null && sameKey(i, h, kw, coldZero)) {
            return live(i, f, kw);
        }
        i = (h >>> shift) & mask;
        f = flows[i];
        if (f != null && sameKey(i, h, kw, coldZero)) {
            return live(i, f, kw);
        }
        return null;
    }

    /**
     * Whether slot {@code slot} holds the base words {@code kw}. When both the key and the slot's
     * key are marked with zero cold words, only the hot words can differ, and only they are
     * compared (11 of the {@value FlowKey#WORDS}: a plain or VXLAN-popped IPv4 packet's case);
     * else every word is.
     */
    private boolean sameKey(int slot, int h, long[] kw, boolean coldZero) {
        long[] k = hot;
        int o = slot * HOT;
        long meta = k[o];
        if ((int) meta != h) {
            return false;
        }
        long d = (k[o + 1] ^ kw[0]) | (k[o + 2] ^ kw[1]) | (k[o + 3] ^ kw[2]) | (k[o + 4] ^ kw[3])
                | (k[o + 5] ^ kw[4]) | (k[o + 6] ^ kw[5]) | (k[o + 7] ^ kw[6]) | (k[o + 8] ^ kw[7])
                | (k[o + 9] ^ kw[8]) | (k[o + 10] ^ kw[9]) | (k[o + 11] ^ kw[14]);
        if (d != 0) {
            return false;
        }
        if (coldZero && meta < 0) {
            return true;
        }
        int c = slot * COLD;
        return Arrays.equals(cold, c, c + COLD_A_LENGTH, kw, COLD_A, COLD_A + COLD_A_LENGTH)
                && Arrays.equals(cold, c + COLD_A_LENGTH, c + COLD, kw, COLD_B, W);
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
        boolean coldZero = key.coldWordsZero();
        int a = h & mask;
        int b = (h >>> shift) & mask;
        if (flows[a] != null && sameKey(a, h, kw, coldZero)) {
            flows[a] = flow;
            return;
        }
        if (flows[b] != null && sameKey(b, h, kw, coldZero)) {
            flows[b] = flow;
            return;
        }
        int victim;
        if (isFree(a)) {
            victim = a;
        } else if (isFree(b)) {
            victim = b;
        } else {
            victim = (int) hot[b * HOT] < (int) hot[a * HOT] ? b : a;
        }
        if (flows[victim] == null) {
            size++;
        }
        int o = victim * HOT;
        hot[o] = (h & 0xffff_ffffL) | (coldZero ? COLD_ZERO : 0);
        System.arraycopy(kw, 0, hot, o + 1, 10);
        hot[o + 11] = kw[14];
        int c = victim * COLD;
        System.arraycopy(kw, COLD_A, cold, c, COLD_A_LENGTH);
        System.arraycopy(kw, COLD_B, cold, c + COLD_A_LENGTH, W - COLD_B);
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
        for (int o = 0; o < hot.length; o += HOT) {
            hot[o] = 0;
        }
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
