package dev.jvswitch.ofproto.table;

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
 * values of its rules (OVS's {@code ports_trie}). When the full lookup finds no rule, the port
 * bits go into the megaflow only as far as the trie needs them to tell the packet's ports apart
 * from every rule's (a packet with {@code tp_src=1028} missing a {@code tp_src=1024} rule leaves
 * {@code tp_src=1028/0xfffc}); every other bit of the mask still goes in.
 *
 * <p><b>Megaflow rule.</b> {@link #find} ORs into the caller's wildcards every bit it compared,
 * so any key that agrees with the looked-up one on those bits takes the same path through the
 * stages and gets the same rule.
 *
 * <p><b>Storage.</b> Three {@link ChunkTable}s: the rules by the full hash of their masked value
 * (a slot holds the rule itself, its age in the slot's {@code long}, or an {@link Entry} when
 * rules of several priorities share one value), the partial hashes of each stage with the number
 * of values that have each, and the number of rules of each priority (for
 * {@link #maxPriority}). A rule's masked value is its {@link Match}'s own compact words: nothing
 * per rule is copied, and a rule costs a slot (about 36 bytes at the tables' load) plus a slot
 * per stage where its partial value is new.
 *
 * <p><b>Changes</b> go through a {@link SubtableBuilder}, which owns the chunks it copies: one rule
 * changed in a version copies a few chunks, a whole reload's worth of rules is written in place,
 * and {@link SubtableBuilder#freeze()} makes the next immutable subtable.
 *
 * <p><b>Thread-safety:</b> immutable once frozen; any number of threads may call {@link #find}
 * and the other readers at once. A {@link SubtableBuilder} is confined to one thread.
 */
final class Subtable {
    /**
     * Exclusive end of each stage as a rank ({@link Match.Shape#rank}): the pipeline words
     * (registers, metadata, ranks below {@link #PIPELINE}), datapath words 0-4, the tunnel
     * metadata words and the ct state, zone, mark and label are the metadata stage, as in OVS;
     * then L2 5-7, L3 8-13 with the ct tuple's addresses, L4 and ND 14-18 with its ports. A shape
     * lists its words in rank order.
     */
    static final int PIPELINE = FlowKey.ALL_WORDS - FlowKey.PIPELINE_WORD;
    private static final int TUN_MD = FlowKey.TUN_METADATA_WORDS;
    static final int[] STAGE_END = {PIPELINE + TUN_MD + 8, PIPELINE + TUN_MD + 11, PIPELINE + TUN_MD + 22,
        FlowKey.ALL_WORDS};
    static final long SEED = 0x2545f4914f6cdd1dL;
    /** The item of a counting slot (the count is the slot's {@code long}). */
    static final Object COUNTED = new Object();
    /** The word holding tp_src (bits 48-63) and tp_dst (bits 32-47). */
    static final int PORTS_WORD = FlowField.TP_SRC.word();
    static final long PORTS_BITS = 0xffff_ffff_0000_0000L;

    /** Rules of several priorities that have one masked value: by priority (high first), then age. */
    static final class Entry {
        final Rule[] rules;
        final long[] seqs;

        Entry(Rule[] rules, long[] seqs) {
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
            return new Entry(nr, ns);
        }

        /** Without the rule at {@code i} (which must leave at least one). */
        Entry minus(int i) {
            Rule[] nr = new Rule[rules.length - 1];
            long[] ns = new long[seqs.length - 1];
            System.arraycopy(rules, 0, nr, 0, i);
            System.arraycopy(seqs, 0, ns, 0, i);
            System.arraycopy(rules, i + 1, nr, i, nr.length - i);
            System.arraycopy(seqs, i + 1, ns, i, ns.length - i);
            return new Entry(nr, ns);
        }

        /** The same rule slot holding {@code r} (same priority, same age). */
        Entry with(int i, Rule r) {
            Rule[] nr = rules.clone();
            nr[i] = r;
            return new Entry(nr, seqs);
        }
    }

    /** What to do with each rule and its age. */
    interface RuleVisitor {
        void visit(Rule r, long seq);
    }

    final Match.Shape shape;
    final long[] mask;
    /** Indices of the words the mask touches, in the shape's (lookup) order. */
    final int[] words;
    /** For stage s (all but the last used one), how many of {@link #words} it covers in total. */
    final int[] stageWordEnd;
    /** For each used stage (the last included), its index in {@link #STAGE_END}. */
    final int[] stageIds;
    /** The masked port values of the rules, when the mask covers ports (else empty). */
    final PrefixTrie portsTrie;
    /** Per stage (all but the last used one): partial hashes, each with how many values have it. */
    final ChunkTable[] stageHashes;
    /** Rules by full hash: a {@link Rule} (the slot's long is its age) or an {@link Entry}. */
    final ChunkTable entries;
    /** Priorities in use: the slot's long is {@code priority << 32 | rules of that priority}. */
    final ChunkTable priorities;
    final int maxPriority;
    final int ruleCount;

    Subtable(Match.Shape shape, long[] mask, int[] words, int[] stageWordEnd, int[] stageIds,
            PrefixTrie portsTrie, ChunkTable[] stageHashes, ChunkTable entries, ChunkTable priorities,
            int maxPriority, int ruleCount) {
        this.shape = shape;
        this.mask = mask;
        this.words = words;
        this.stageWordEnd = stageWordEnd;
        this.stageIds = stageIds;
        this.portsTrie = portsTrie;
        this.stageHashes = stageHashes;
        this.entries = entries;
        this.priorities = priorities;
        this.maxPriority = maxPriority;
        this.ruleCount = ruleCount;
    }

    /** An empty subtable for the mask {@code shape}. */
    static Subtable empty(Match.Shape shape) {
        long[] mask = new long[FlowKey.ALL_WORDS];
        for (int i = 0; i < FlowKey.ALL_WORDS; i++) {
            mask[i] = shape.maskWord(i);
        }
        int[] words = new int[shape.wordCount()];
        for (int j = 0; j < words.length; j++) {
            words[j] = shape.word(j);
        }
        // Stages that add words; the last of them is the full lookup and keeps no hash set.
        int[] ends = new int[STAGE_END.length];
        int[] ids = new int[STAGE_END.length];
        int used = 0;
        int covered = 0;
        for (int s = 0; s < STAGE_END.length; s++) {
            int c = covered;
            while (c < words.length && rank(words[c]) < STAGE_END[s]) {
                c++;
            }
            if (c > covered) {
                ids[used] = s;
                ends[used++] = c;
                covered = c;
            }
        }
        int partial = Math.max(0, used - 1);
        ChunkTable[] sets = new ChunkTable[partial];
        java.util.Arrays.fill(sets, ChunkTable.EMPTY);
        return new Subtable(shape, mask, words, java.util.Arrays.copyOf(ends, partial),
                java.util.Arrays.copyOf(ids, used), PrefixTrie.EMPTY, sets, ChunkTable.EMPTY, ChunkTable.EMPTY, -1, 0);
    }

    /** The lookup stage (index in the stage table) that holds key word {@code word}. */
    static int stageOf(int word) {
        int s = 0;
        while (rank(word) >= STAGE_END[s]) {
            s++;
        }
        return s;
    }

    /** Leading bits of the 32-bit ports value (tp_src, tp_dst) the mask covers; 0 if none. */
    int portsMaskLen() {
        long ports = mask[PORTS_WORD] >>> 32;
        return ports == 0 ? 0 : 32 - Long.numberOfTrailingZeros(ports);
    }

    /** A rule's masked ports as {@link PrefixTrie} holds them (left-aligned). */
    static long portsOf(Match m) {
        return m.valueWord(PORTS_WORD) & PORTS_BITS;
    }

    /** Position of key word {@code w} in lookup order (see {@link Match.Shape#word}). */
    static int rank(int w) {
        return Match.Shape.rank(w);
    }

    /**
     * The rule just below {@code r} (next lower priority) with the same match in this subtable, or
     * null: where a conjunctive lookup drops back to when {@code r}'s conjunction did not complete.
     */
    Rule below(Rule r) {
        Match m = r.match();
        long h = hashes(m, null);
        ChunkTable.Chunk c = entries.chunk(h);
        int i = indexIn(c, h, m);
        if (i >= 0 && c.items[i] instanceof Entry e) {
            for (int k = 0; k + 1 < e.rules.length; k++) {
                if (e.rules[k] == r) {
                    return e.rules[k + 1];
                }
            }
        }
        return null;
    }

    static long mix(long h, long v) {
        return Long.rotateLeft(h ^ (v * 0xc2b2ae3d27d4eb4fL), 31) * 0x9e3779b97f4a7c15L;
    }

    /** Final scramble so that the table's top bits (directory) and low bits (slot) depend on every word. */
    static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        return h ^ (h >>> 33);
    }

    static long priorityHash(int priority) {
        return finish(mix(SEED, priority));
    }

    /** The best rule of a slot's item. */
    static Rule top(Object item) {
        return item instanceof Entry e ? e.rules[0] : (Rule) item;
    }

    // ---------------------------------------------------------------- lookup

    /**
     * The best rule (highest priority, then oldest) whose masked value equals {@code key & mask},
     * or null; ORs into {@code wc} the mask bits it compared (all of them, or those up to the
     * stage where it stopped, or fewer port or address bits where a trie tells the miss with
     * fewer). {@code tries} (null: none) with {@code triePlens} (this mask's prefix lengths on the
     * table's tracked fields, null if none) lets the lookup skip on the table's prefix tries.
     * Allocates nothing.
     */
    Rule find(long[] key, long[] wc, TrieLookup tries, PrefixTries table, int[] triePlens) {
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
            if (!stageHashes[s].contains(finish(h))) {
                fold(wc, end);
                return null;
            }
        }
        if (checkTries && stageIds.length > 0
                && tries.skip(table, triePlens, stageIds[stageIds.length - 1], key, wc)) {
            fold(wc, j);
            return null;
        }
        for (; j < words.length; j++) {
            int w = words[j];
            h = mix(h, key[w] & mask[w]);
        }
        long f = finish(h);
        ChunkTable.Chunk c = entries.chunk(f);
        for (int i = c.home(f); c.items[i] != null; i = c.next(i)) {
            if (c.hashes[i] == f && matches(top(c.items[i]).match(), key)) {
                fold(wc, words.length);
                return top(c.items[i]);
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
    void fold(long[] wc, int n) {
        for (int i = 0; i < n; i++) {
            wc[words[i]] |= mask[words[i]];
        }
    }

    /**
     * After a full-lookup miss: every mask bit into {@code wc} except the port bits past those the
     * ports trie needs to tell the packet's ports from every rule's (OVS's
     * {@code find_match_wc}). Port bits already in {@code wc} stay.
     */
    void foldNarrowingPorts(long[] key, long[] wc) {
        long portsMask = mask[PORTS_WORD] & PORTS_BITS;
        int bits = portsTrie.lookup(key[PORTS_WORD] & portsMask, 0, 32, null, 0);
        long before = wc[PORTS_WORD] & PORTS_BITS;
        fold(wc, words.length);
        long needed = portsMask & PrefixTrie.maskHi(bits);
        wc[PORTS_WORD] = (wc[PORTS_WORD] & ~PORTS_BITS) | before | needed;
    }

    boolean matches(Match m, long[] key) {
        for (int j = 0; j < words.length; j++) {
            int w = words[j];
            if ((key[w] & mask[w]) != m.valueAt(j)) {
                return false;
            }
        }
        return true;
    }

    /** The age (sequence number) of {@code r} in this subtable, or -1 if it is not here. Allocates nothing. */
    long seqOf(Rule r) {
        Match m = r.match();
        long h = hashes(m, null);
        ChunkTable.Chunk c = entries.chunk(h);
        int i = indexIn(c, h, m);
        if (i < 0) {
            return -1;
        }
        Object item = c.items[i];
        if (item == r) {
            return c.aux[i];
        }
        if (item instanceof Entry e) {
            for (int k = 0; k < e.rules.length; k++) {
                if (e.rules[k] == r) {
                    return e.seqs[k];
                }
            }
        }
        return -1;
    }

    /**
     * The rule with exactly the match {@code m} (of this mask) and {@code priority}, or null; its
     * age goes to {@code seqOut[0]}. One probe.
     */
    Rule get(Match m, int priority, long[] seqOut) {
        long h = hashes(m, null);
        ChunkTable.Chunk c = entries.chunk(h);
        int i = indexIn(c, h, m);
        if (i < 0) {
            return null;
        }
        Object item = c.items[i];
        if (item instanceof Entry e) {
            int k = e.indexOf(priority);
            if (k < 0) {
                return null;
            }
            seqOut[0] = e.seqs[k];
            return e.rules[k];
        }
        Rule r = (Rule) item;
        if (r.priority() != priority) {
            return null;
        }
        seqOut[0] = c.aux[i];
        return r;
    }

    /** The rule with exactly the match {@code m} (of this mask) and {@code priority}, or null. */
    Rule get(Match m, int priority) {
        long h = hashes(m, null);
        ChunkTable.Chunk c = entries.chunk(h);
        int i = indexIn(c, h, m);
        return i < 0 ? null : ruleIn(c.items[i], priority);
    }

    static Rule ruleIn(Object item, int priority) {
        if (item instanceof Entry e) {
            int k = e.indexOf(priority);
            return k < 0 ? null : e.rules[k];
        }
        Rule r = (Rule) item;
        return r.priority() == priority ? r : null;
    }

    /** Index in {@code c} of the slot whose value is {@code m}'s, or -1. */
    int indexIn(ChunkTable.Chunk c, long h, Match m) {
        for (int i = c.home(h); c.items[i] != null; i = c.next(i)) {
            if (c.hashes[i] == h && sameValue(top(c.items[i]).match(), m)) {
                return i;
            }
        }
        return -1;
    }

    boolean sameValue(Match a, Match b) {
        for (int j = 0; j < words.length; j++) {
            if (a.valueAt(j) != b.valueAt(j)) {
                return false;
            }
        }
        return true;
    }

    /** The full hash of {@code m}'s value; fills {@code stageOut} with the partial hashes if not null. */
    long hashes(Match m, long[] stageOut) {
        long h = SEED;
        int j = 0;
        for (int s = 0; s < stageWordEnd.length; s++) {
            for (; j < stageWordEnd[s]; j++) {
                h = mix(h, m.valueAt(j));
            }
            if (stageOut != null) {
                stageOut[s] = finish(h);
            }
        }
        for (; j < words.length; j++) {
            h = mix(h, m.valueAt(j));
        }
        return finish(h);
    }

    /** Calls {@code v} for every rule with its age, in no particular order. */
    void forEachRuleWithSeq(RuleVisitor v) {
        entries.forEach(slots(v));
    }

    /** Calls {@code c} for every rule, in no particular order. */
    void forEachRule(Consumer<Rule> c) {
        entries.forEach(slots((r, seq) -> c.accept(r)));
    }

    /** The rules (with their ages) of each slot of {@link #entries}. */
    static ChunkTable.SlotVisitor slots(RuleVisitor v) {
        return (h, item, aux) -> {
            if (item instanceof Entry e) {
                for (int k = 0; k < e.rules.length; k++) {
                    v.visit(e.rules[k], e.seqs[k]);
                }
            } else {
                v.visit((Rule) item, aux);
            }
        };
    }

    // ---------------------------------------------------------------- updates

    /** A builder starting from this subtable. */
    SubtableBuilder edit() {
        return new SubtableBuilder(this);
    }
}
