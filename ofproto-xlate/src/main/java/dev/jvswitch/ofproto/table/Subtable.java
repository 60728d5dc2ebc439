package dev.jvswitch.ofproto.table;

import java.util.Arrays;
import java.util.function.Consumer;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.match.Match;

/**
 * The rules of one table that share one mask: a tuple of the tuple space search (OVS's
 * {@code cls_subtable}). Rules are found by hashing the masked key; the hash covers only the
 * words the mask touches.
 *
 * <p><b>Staged lookup.</b> As in OVS, the mask is cut into stages (metadata, L2, L3, L4 words).
 * For every stage but the last the subtable keeps the set of partial hashes (words up to the end
 * of that stage) of its rules. A lookup that finds its partial hash missing stops there and
 * unwildcards only the words up to that stage: a UDP packet meeting a subtable of
 * {@code tcp,tp_dst=N} rules leaves {@code tp_dst} out of its megaflow. A hash collision only
 * makes the lookup go on (and unwildcard more), never miss a rule, so the answer is exact.
 *
 * <p><b>Prefix tries.</b> Before hashing a stage that holds a prefix-tracked address field, a
 * lookup asks the table's tries ({@link TrieLookup}) whether any rule of this subtable can have the
 * packet's address; if none can, it stops there having unwildcarded only the address bits that
 * tell it so (and the stages before).
 *
 * <p><b>Ports trie.</b> A subtable whose mask covers L4 ports keeps a trie of the masked port
 * values of its entries (OVS's {@code ports_trie}). When the full lookup finds no entry, the
 * port bits go into the megaflow only as far as the trie needs them to tell the packet's ports
 * apart from every entry's (a packet with {@code tp_src=1028} missing a {@code tp_src=1024} rule
 * leaves {@code tp_src=1028/0xfffc}); every other bit of the mask still goes in.
 *
 * <p><b>Megaflow rule.</b> {@link #find} ORs into the caller's wildcards every bit it compared,
 * so any key that agrees with the looked-up one on those bits takes the same path through the
 * stages and gets the same entry.
 *
 * <p><b>Thread-safety:</b> immutable and persistent: {@link #plus} and {@link #minus} return a new
 * subtable sharing most of this one's structure.
 */
final class Subtable {
    /** Exclusive end word of each stage: metadata 0-4, L2 5-7, L3 8-13, L4 and ND 14-18. */
    private static final int[] STAGE_END = {5, 8, 14, FlowKey.WORDS};
    private static final long SEED = 0x2545f4914f6cdd1dL;
    /** The word holding tp_src (bits 48-63) and tp_dst (bits 32-47). */
    private static final int PORTS_WORD = FlowField.TP_SRC.word();
    private static final long PORTS_BITS = 0xffff_ffff_0000_0000L;

    /** All the rules of one subtable that have one masked value, by priority (high first), then age. */
    static final class Entry {
        final long[] value;
        final Rule[] rules;
        final long[] seqs;

        Entry(long[] value, Rule[] rules, long[] seqs) {
            this.value = value;
            this.rules = rules;
            this.seqs = seqs;
        }

        /** Index of the rule with {@code priority}, or -1. */
        int indexOf(int priority) {
            for (int i = 0; i < rules.length; i++) {
                if (rules[i].priority() == priority) {
                    return i;
                }
            }
            return -1;
        }

        Entry plus(Rule r, long seq) {
            int at = 0;
            while (at < rules.length && (rules[at].priority() > r.priority()
                    || (rules[at].priority() == r.priority() && seqs[at] < seq))) {
                at++;
            }
            Rule[] nr = new Rule[rules.length + 1];
            long[] ns = new long[seqs.length + 1];
            System.arraycopy(rules, 0, nr, 0, at);
            System.arraycopy(seqs, 0, ns, 0, at);
            nr[at] = r;
            ns[at] = seq;
            System.arraycopy(rules, at, nr, at + 1, rules.length - at);
            System.arraycopy(seqs, at, ns, at + 1, seqs.length - at);
            return new Entry(value, nr, ns);
        }

        /** Without the rule at {@code i}; null if it was the only one. */
        Entry minus(int i) {
            if (rules.length == 1) {
                return null;
            }
            Rule[] nr = new Rule[rules.length - 1];
            long[] ns = new long[seqs.length - 1];
            System.arraycopy(rules, 0, nr, 0, i);
            System.arraycopy(seqs, 0, ns, 0, i);
            System.arraycopy(rules, i + 1, nr, i, nr.length - i);
            System.arraycopy(seqs, i + 1, ns, i, ns.length - i);
            return new Entry(value, nr, ns);
        }

        /** The same rule slot holding {@code r} (same priority, same age). */
        Entry with(int i, Rule r) {
            Rule[] nr = rules.clone();
            nr[i] = r;
            return new Entry(value, nr, seqs);
        }
    }

    final long[] mask;
    /** Indices of the words the mask touches, ascending. */
    private final int[] words;
    /** For stage s (all but the last used one), how many of {@link #words} it covers in total. */
    private final int[] stageWordEnd;
    /** For each used stage (the last included), its index in {@link #STAGE_END}. */
    private final int[] stageIds;
    /** The masked port values of the entries, when the mask covers ports (else empty). */
    private final PrefixTrie portsTrie;
    /** Partial-hash counts per stage (all but the last used one): how many entries have each. */
    private final LongTrieMap<Integer>[] stageHashes;
    /** Entries by full hash; an array because two masked values may share a hash. */
    private final LongTrieMap<Entry[]> entries;
    /** Rule counts by priority, keyed {@code priority << 48} so the largest key is the top priority. */
    private final LongTrieMap<Integer> priorities;
    final int maxPriority;
    final int ruleCount;

    private Subtable(long[] mask, int[] words, int[] stageWordEnd, int[] stageIds, LongTrieMap<Integer>[] stageHashes,
            LongTrieMap<Entry[]> entries, PrefixTrie portsTrie, LongTrieMap<Integer> priorities, int ruleCount) {
        this.mask = mask;
        this.words = words;
        this.stageWordEnd = stageWordEnd;
        this.stageIds = stageIds;
        this.portsTrie = portsTrie;
        this.stageHashes = stageHashes;
        this.entries = entries;
        this.priorities = priorities;
        this.ruleCount = ruleCount;
        this.maxPriority = priorities.isEmpty() ? -1 : (int) (priorities.maxKey() >>> 48);
    }

    /** An empty subtable for the mask of {@code m}. */
    @SuppressWarnings("unchecked")
    static Subtable empty(Match m) {
        long[] mask = new long[FlowKey.WORDS];
        int n = 0;
        for (int i = 0; i < FlowKey.WORDS; i++) {
            mask[i] = m.maskWord(i);
            n += mask[i] != 0 ? 1 : 0;
        }
        int[] words = new int[n];
        n = 0;
        for (int i = 0; i < FlowKey.WORDS; i++) {
            if (mask[i] != 0) {
                words[n++] = i;
            }
        }
        // Stages that add words; the last of them is the full lookup and keeps no hash set.
        int[] ends = new int[STAGE_END.length];
        int[] ids = new int[STAGE_END.length];
        int used = 0;
        int covered = 0;
        for (int s = 0; s < STAGE_END.length; s++) {
            int c = covered;
            while (c < words.length && words[c] < STAGE_END[s]) {
                c++;
            }
            if (c > covered) {
                ids[used] = s;
                ends[used++] = c;
                covered = c;
            }
        }
        int partial = Math.max(0, used - 1);
        LongTrieMap<Integer>[] sets = new LongTrieMap[partial];
        Arrays.fill(sets, LongTrieMap.empty());
        return new Subtable(mask, words, Arrays.copyOf(ends, partial), Arrays.copyOf(ids, used), sets,
                LongTrieMap.empty(), PrefixTrie.EMPTY, LongTrieMap.empty(), 0);
    }

    /** The lookup stage (index in the stage table) that holds key word {@code word}. */
    static int stageOf(int word) {
        int s = 0;
        while (word >= STAGE_END[s]) {
            s++;
        }
        return s;
    }

    /** Leading bits of the 32-bit ports value (tp_src, tp_dst) the mask covers; 0 if none. */
    private int portsMaskLen() {
        long ports = mask[PORTS_WORD] >>> 32;
        return ports == 0 ? 0 : 32 - Long.numberOfTrailingZeros(ports);
    }

    /** An entry value's masked ports as {@link PrefixTrie} holds them (left-aligned). */
    private static long portsOf(long word) {
        return word & PORTS_BITS;
    }

    boolean sameMask(Match m) {
        for (int i = 0; i < FlowKey.WORDS; i++) {
            if (mask[i] != m.maskWord(i)) {
                return false;
            }
        }
        return true;
    }

    private static long mix(long h, long v) {
        return Long.rotateLeft(h ^ (v * 0xc2b2ae3d27d4eb4fL), 31) * 0x9e3779b97f4a7c15L;
    }

    /** Final scramble so the trie's top digits depend on every word. */
    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        return h ^ (h >>> 33);
    }

    // ---------------------------------------------------------------- lookup

    /**
     * The entry whose masked value equals {@code key & mask}, or null; ORs into {@code wc} the mask
     * bits it compared (all of them, or those up to the stage where it stopped, or fewer port or
     * address bits where a trie tells the miss with fewer). {@code tries} (null: none) with
     * {@code triePlens} (this mask's prefix lengths on the table's tracked fields, null if none)
     * lets the lookup skip on the table's prefix tries. Allocates nothing.
     */
    Entry find(long[] key, long[] wc, TrieLookup tries, PrefixTries table, int[] triePlens) {
        boolean checkTries = tries != null && triePlens != null;
        long h = SEED;
        int j = 0;
        for (int s = 0; s < stageWordEnd.length; s++) {
            if (checkTries && tries.skip(table, triePlens, stageIds[s], key, wc)) {
                fold(wc, j);
                return null;
            }
            int end = stageWordEnd[s];
            for (; j < end; j++) {
                int w = words[j];
                h = mix(h, key[w] & mask[w]);
            }
            if (stageHashes[s].get(finish(h)) == null) {
                fold(wc, end);
                return null;
            }
        }
        if (checkTries && stageIds.length > 0 && tries.skip(table, triePlens, stageIds[stageIds.length - 1], key, wc)) {
            fold(wc, j);
            return null;
        }
        for (; j < words.length; j++) {
            int w = words[j];
            h = mix(h, key[w] & mask[w]);
        }
        Entry[] bucket = entries.get(finish(h));
        if (bucket != null) {
            for (Entry e : bucket) {
                if (matches(e, key)) {
                    fold(wc, words.length);
                    return e;
                }
            }
        }
        if (!portsTrie.isEmpty()) {
            foldNarrowingPorts(key, wc);
        } else {
            fold(wc, words.length);
        }
        return null;
    }

    /** ORs into {@code wc} the mask of the first {@code n} of {@link #words}. */
    private void fold(long[] wc, int n) {
        for (int i = 0; i < n; i++) {
            wc[words[i]] |= mask[words[i]];
        }
    }

    /**
     * After a full-lookup miss: every mask bit into {@code wc} except the port bits past those the
     * ports trie needs to tell the packet's ports from every entry's (OVS's
     * {@code find_match_wc}). Port bits already in {@code wc} stay.
     */
    private void foldNarrowingPorts(long[] key, long[] wc) {
        long portsMask = mask[PORTS_WORD] & PORTS_BITS;
        int bits = portsTrie.lookup(portsOf(key[PORTS_WORD] & portsMask), 0, 32, null, 0);
        long before = wc[PORTS_WORD] & PORTS_BITS;
        fold(wc, words.length);
        long needed = portsMask & PrefixTrie.maskHi(bits);
        wc[PORTS_WORD] = (wc[PORTS_WORD] & ~PORTS_BITS) | before | needed;
    }

    private boolean matches(Entry e, long[] key) {
        for (int w : words) {
            if ((key[w] & mask[w]) != e.value[w]) {
                return false;
            }
        }
        return true;
    }

    /** The entry holding rules with exactly the value of {@code m} (whose mask is this one's), or null. */
    Entry entry(Match m) {
        long h = hashes(m, null);
        Entry[] bucket = entries.get(h);
        if (bucket != null) {
            for (Entry e : bucket) {
                if (sameValue(e, m)) {
                    return e;
                }
            }
        }
        return null;
    }

    private boolean sameValue(Entry e, Match m) {
        for (int w : words) {
            if (e.value[w] != m.valueWord(w)) {
                return false;
            }
        }
        return true;
    }

    /** The full hash of {@code m}'s value; fills {@code stageOut} with the partial hashes if not null. */
    private long hashes(Match m, long[] stageOut) {
        long h = SEED;
        int j = 0;
        for (int s = 0; s < stageWordEnd.length; s++) {
            for (; j < stageWordEnd[s]; j++) {
                h = mix(h, m.valueWord(words[j]));
            }
            if (stageOut != null) {
                stageOut[s] = finish(h);
            }
        }
        for (; j < words.length; j++) {
            h = mix(h, m.valueWord(words[j]));
        }
        return finish(h);
    }

    // ---------------------------------------------------------------- updates

    /** This subtable plus {@code r} (whose mask is this one's, and whose slot is free) with age {@code seq}. */
    Subtable plus(Rule r, long seq) {
        Match m = r.match();
        long[] stage = new long[stageWordEnd.length];
        long h = hashes(m, stage);
        Entry[] bucket = entries.get(h);
        LongTrieMap<Integer>[] sets = stageHashes;
        PrefixTrie ports = portsTrie;
        Entry[] nb;
        int at = indexIn(bucket, m);
        if (at >= 0) {
            nb = bucket.clone();
            nb[at] = bucket[at].plus(r, seq);
        } else {
            long[] value = new long[FlowKey.WORDS];
            for (int w : words) {
                value[w] = m.valueWord(w);
            }
            Entry e = new Entry(value, new Rule[] {r}, new long[] {seq});
            nb = bucket == null ? new Entry[] {e} : Arrays.copyOf(bucket, bucket.length + 1);
            nb[nb.length - 1] = e;
            sets = adjust(stage, +1);
            int portsLen = portsMaskLen();
            if (portsLen > 0) {
                ports = ports.plus(portsOf(value[PORTS_WORD]), 0, portsLen);
            }
        }
        return new Subtable(mask, words, stageWordEnd, stageIds, sets, entries.plus(h, nb), ports,
                count(priorities, (long) r.priority() << 48, +1), ruleCount + 1);
    }

    /** This subtable without the rule of {@code m} and {@code priority}, which must be in it. */
    Subtable minus(Match m, int priority) {
        long[] stage = new long[stageWordEnd.length];
        long h = hashes(m, stage);
        Entry[] bucket = entries.get(h);
        int at = indexIn(bucket, m);
        int i = at < 0 ? -1 : bucket[at].indexOf(priority);
        if (i < 0) {
            throw new IllegalStateException("no rule with priority " + priority + " and " + m);
        }
        Entry e = bucket[at].minus(i);
        LongTrieMap<Entry[]> ne;
        LongTrieMap<Integer>[] sets = stageHashes;
        PrefixTrie ports = portsTrie;
        if (e != null) {
            Entry[] nb = bucket.clone();
            nb[at] = e;
            ne = entries.plus(h, nb);
        } else {
            sets = adjust(stage, -1);
            int portsLen = portsMaskLen();
            if (portsLen > 0) {
                ports = ports.minus(portsOf(bucket[at].value[PORTS_WORD]), 0, portsLen);
            }
            if (bucket.length == 1) {
                ne = entries.minus(h);
            } else {
                Entry[] nb = new Entry[bucket.length - 1];
                System.arraycopy(bucket, 0, nb, 0, at);
                System.arraycopy(bucket, at + 1, nb, at, nb.length - at);
                ne = entries.plus(h, nb);
            }
        }
        return new Subtable(mask, words, stageWordEnd, stageIds, sets, ne, ports,
                count(priorities, (long) priority << 48, -1), ruleCount - 1);
    }

    /** This subtable with the rule in {@code r}'s slot (same match and priority) replaced by {@code r}. */
    Subtable replace(Rule r) {
        Match m = r.match();
        long h = hashes(m, null);
        Entry[] bucket = entries.get(h);
        int at = indexIn(bucket, m);
        int i = at < 0 ? -1 : bucket[at].indexOf(r.priority());
        if (i < 0) {
            throw new IllegalStateException("no rule to replace for " + r);
        }
        Entry[] nb = bucket.clone();
        nb[at] = bucket[at].with(i, r);
        return new Subtable(mask, words, stageWordEnd, stageIds, stageHashes, entries.plus(h, nb), portsTrie,
                priorities, ruleCount);
    }

    private int indexIn(Entry[] bucket, Match m) {
        if (bucket != null) {
            for (int i = 0; i < bucket.length; i++) {
                if (sameValue(bucket[i], m)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private LongTrieMap<Integer>[] adjust(long[] stage, int delta) {
        LongTrieMap<Integer>[] sets = stageHashes.clone();
        for (int s = 0; s < sets.length; s++) {
            sets[s] = count(sets[s], stage[s], delta);
        }
        return sets;
    }

    private static LongTrieMap<Integer> count(LongTrieMap<Integer> map, long key, int delta) {
        Integer old = map.get(key);
        int n = (old == null ? 0 : old) + delta;
        return n == 0 ? map.minus(key) : map.plus(key, n);
    }

    /** Calls {@code action} with every entry. */
    void forEachEntry(Consumer<Entry> action) {
        entries.forEachValue(bucket -> {
            for (Entry e : bucket) {
                action.accept(e);
            }
        });
    }
}
