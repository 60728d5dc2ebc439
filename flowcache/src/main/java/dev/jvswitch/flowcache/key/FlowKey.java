package dev.jvswitch.flowcache.key;

/**
 * A flow key: a fixed array of {@value #WORDS} 64-bit words laid out by the field table, plus the
 * packet hash the parser computed for it.
 *
 * <p>(Placeholder written before the field table; the parser work fills in the layout.)
 */
public final class FlowKey {
    /** Number of 64-bit words in every key and mask. */
    public static final int WORDS = 20;

    private final long[] words = new long[WORDS];
    private int hash;

    /** The key's words; callers may read and write them (owner thread only). */
    public long[] words() {
        return words;
    }

    /** The packet hash used to index the EMC and SMC. */
    public int hash() {
        return hash;
    }

    public void hash(int h) {
        hash = h;
    }
}
