package dev.jvswitch.flowcache.smc;

import java.util.Arrays;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.megaflow.Megaflow;

/**
 * The signature match cache: an optional stage between the EMC and the dpcls (OVS's
 * {@code smc-enable}). Much denser than the EMC because an entry keeps only a 16-bit signature
 * of the key's hash and a megaflow reference, not the key; so it can remember far more
 * microflows, at the price of a {@link Megaflow#matches} check on every candidate.
 *
 * <p>Layout, as OVS's {@code smc_cache}: buckets of {@value #WAYS} entries; the low bits of the
 * hash pick the bucket, the high 16 bits are the signature. A lookup tries the bucket's entries
 * whose signature is equal, and returns the first live flow that matches the key: a signature
 * hit on another flow is only a slower miss, never a wrong answer.
 *
 * <p><b>Replacement.</b> An insert overwrites the entry with the same signature (it is either
 * this key's stale flow or an entry that would keep colliding with it), else takes an empty or
 * dead entry, else evicts a pseudo-random one (xorshift, no allocation), as OVS does.
 *
 * <p><b>Thread-safety:</b> owned by one PMD thread; no other thread may call any method. The
 * only cross-thread read is {@link Megaflow#isDead()} (acquire).
 */
public final class Smc {
    /** Entries per bucket. */
    public static final int WAYS = 4;
    /**
     * The largest cache whose bucket index and signature come from disjoint bits of the hash;
     * OVS uses 4x as many, letting two bits overlap (more signature false hits, still correct).
     */
    public static final int DEFAULT_ENTRIES = WAYS << 16;
    /** OVS's {@code SMC_ENTRIES}. */
    public static final int MAX_ENTRIES = 1 << 20;

    private final int bucketMask;
    private final short[] sigs;
    private final Megaflow[] flows;
    private int size;
    private int random;

    public Smc() {
        this(DEFAULT_ENTRIES);
    }

    /** A cache of {@code entries} entries, a power of two between {@value #WAYS} and {@link #MAX_ENTRIES}. */
    public Smc(int entries) {
        if (entries < WAYS || entries > MAX_ENTRIES || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("smc entries must be a power of two in [" + WAYS + ", "
                + MAX_ENTRIES + "]: " + entries);
        }
        bucketMask = entries / WAYS - 1;
        sigs = new short[entries];
        flows = new Megaflow[entries];
        random = 0x2545f491;
    }

    /** A live flow that matches {@code key} among the entries with its signature, or null. */
    public Megaflow lookup(FlowKey key) {
        int h = key.hash();
        short sig = (short) (h >>> 16);
        int base = (h & bucketMask) * WAYS;
        for (int i = base; i < base + WAYS; i++) {
            Megaflow f = flows[i];
            if (f != null && sigs[i] == sig && f.matches(key) && !f.isDead()) {
                return f;
            }
        }
        return null;
    }

    /** Remembers {@code flow} for keys with {@code key}'s hash. */
    public void insert(FlowKey key, Megaflow flow) {
        int h = key.hash();
        short sig = (short) (h >>> 16);
        int base = (h & bucketMask) * WAYS;
        int free = -1;
        for (int i = base; i < base + WAYS; i++) {
            Megaflow f = flows[i];
            if (f != null && sigs[i] == sig) {
                flows[i] = flow;
                return;
            }
            if (free < 0 && (f == null || f.isDead())) {
                free = i;
            }
        }
        if (free < 0) {
            int r = random;
            r ^= r << 13;
            r ^= r >>> 17;
            r ^= r << 5;
            random = r;
            free = base + (r & (WAYS - 1));
        } else if (flows[free] == null) {
            size++;
        }
        sigs[free] = sig;
        flows[free] = flow;
    }

    /** Empties every entry (the flows themselves are untouched). */
    public void clear() {
        Arrays.fill(flows, null);
        size = 0;
    }

    /** Occupied entries, counting those whose flow died but were not yet overwritten. */
    public int size() {
        return size;
    }

    public int capacity() {
        return flows.length;
    }
}
