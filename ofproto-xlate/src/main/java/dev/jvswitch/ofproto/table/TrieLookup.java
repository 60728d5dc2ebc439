package dev.jvswitch.ofproto.table;

import dev.jvswitch.ofproto.match.PrefixFields;

/**
 * One table lookup's questions to the table's prefix tries (OVS's {@code trie_ctx} and
 * {@code check_tries}): each trie is walked at most once per lookup, the first time a subtable
 * needs it, and its answer decides whether a subtable can be skipped before its address stage.
 *
 * <p><b>The rule</b> (for a subtable whose mask has a prefix of length {@code plen} on a tracked
 * field, at the stage holding that field): if no rule in the table has a prefix of length
 * {@code plen} that the packet's address has, no rule of this subtable can match, so the
 * subtable is skipped after unwildcarding only the {@code maskbits} leading address bits the
 * trie's answer depends on (and the stages before). That is done only if those bits are no more
 * than {@code plen} (the subtable would have unwildcarded {@code plen} bits anyway) or are already
 * in the mask: the trie holds every subtable's rules, so its answer may rest on more bits than this
 * subtable looks at.
 *
 * <p>Any packet that agrees with this one on the bits unwildcarded walks the tries the same way
 * ({@link PrefixTrie#lookup}), gets the same answer, and skips the same subtables, so the megaflow
 * stays sound.
 *
 * <p><b>Thread-safety:</b> scratch owned by one thread ({@link #start} hands out the calling
 * thread's), reused by every lookup on it; nothing in it outlives a lookup but numbers.
 */
final class TrieLookup {
    private static final ThreadLocal<TrieLookup> LOCAL = ThreadLocal.withInitial(TrieLookup::new);
    private static final int MAX = PrefixFields.MAX;

    private final boolean[] done = new boolean[MAX];
    private final int[] maskbits = new int[MAX];
    /** Per trie, two words: the lengths with a rule the packet's address has (bit L-1). */
    private final long[] plens = new long[2 * MAX];

    private TrieLookup() {
    }

    /** This thread's scratch, ready for a lookup. Allocates nothing once the thread has one. */
    static TrieLookup start() {
        TrieLookup t = LOCAL.get();
        for (int i = 0; i < MAX; i++) {
            t.done[i] = false;
        }
        return t;
    }

    /**
     * OVS's {@code check_tries}: true if a subtable whose prefix lengths on the tracked fields are
     * {@code subPlens} can be skipped at lookup stage {@code stage}, in which case the address bits
     * that decide it are now in {@code wc}.
     */
    boolean skip(PrefixTries tries, int[] subPlens, int stage, long[] key, long[] wc) {
        PrefixField[] fields = tries.fields;
        for (int j = 0; j < fields.length; j++) {
            int plen = subPlens[j];
            PrefixField f = fields[j];
            if (plen == 0 || f.stage != stage) {
                continue;
            }
            if (!done[j]) {
                walk(tries, j, key);
            }
            if (!PrefixTrie.hasPlen(plens, 2 * j, plen)) {
                int bits = maskbits[j];
                if (bits <= plen) {
                    f.setPrefix(wc, bits);
                    return true;
                }
                if (f.prefixSet(wc, bits)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void walk(PrefixTries tries, int j, long[] key) {
        PrefixField f = tries.fields[j];
        done[j] = true;
        if (!f.prereqMet(key)) {
            // Not an address of this kind (an ARP packet for nw_src): every length may match.
            plens[2 * j] = -1L;
            plens[2 * j + 1] = -1L;
            maskbits[j] = 0;
            return;
        }
        plens[2 * j] = 0;
        plens[2 * j + 1] = 0;
        maskbits[j] = tries.tries[j].lookup(f.hi(key), f.lo(key), f.width(), plens, 2 * j);
    }
}
