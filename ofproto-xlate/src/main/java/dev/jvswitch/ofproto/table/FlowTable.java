package dev.jvswitch.ofproto.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.match.PrefixFields;

/**
 * One OpenFlow table: a priority classifier by tuple space search. Its rules are grouped in
 * {@link Subtable}s, one per distinct mask, kept sorted by their highest priority.
 *
 * <p><b>Lookup</b> ({@link #lookup}) visits subtables in that order and stops as soon as the next
 * subtable's highest priority is below the best match so far (OVS's {@code classifier_lookup}).
 * Every subtable it visits ORs the bits it compared into the caller's wildcards, so the recorded
 * mask is the union of the masks (or mask stages) examined. That makes the answer a function of
 * the key's bits under the mask: for any key agreeing on them the same subtables are visited,
 * each gives the same rule, and the same rule wins, which is the megaflow contract.
 *
 * <p><b>Prefix tracking.</b> The table keeps a prefix trie per tracked address field
 * ({@link PrefixTries}, configured by {@link PrefixFields}); a lookup asks them before a
 * subtable's address stage and skips subtables that cannot hold a rule for the packet's address,
 * unwildcarding only the address bits that tell it so ({@link TrieLookup}).
 *
 * <p>Ties between overlapping rules of equal priority, which OpenFlow leaves undefined, go to the
 * rule that entered the table first (smallest sequence number), so lookups are deterministic.
 *
 * <p><b>Changes</b> go through an {@link Edit}: every rule enters or leaves a table through its
 * {@link Edit#add}, {@link Edit#remove} and {@link Edit#replace}, whether one rule changes or a
 * reload replaces a million ({@link Edit#empty} starts a table afresh).
 *
 * <p><b>Thread-safety:</b> immutable; any number of threads may look up at once. An {@link Edit}
 * is confined to one thread.
 */
final class FlowTable {
    static final FlowTable EMPTY = new FlowTable(new Subtable[0], new int[0][], PrefixTries.DEFAULT, 0, 0, 0,
            TableMiss.DROP);

    private static final Comparator<Subtable> BY_MAX_PRIORITY =
            (a, b) -> Integer.compare(b.maxPriority, a.maxPriority);

    final Subtable[] subtables;
    /** Per subtable (same order), its prefix lengths on the tracked fields, or null if none. */
    final int[][] triePlens;
    final PrefixTries prefixes;
    /** False when no trie holds a rule: lookups skip the trie machinery. */
    final boolean useTries;
    final int ruleCount;
    /** Conjunctive flows: a table without any takes the plain lookup loop. */
    final int conjunctiveRules;
    /** Rules with an idle or a hard timeout: an expiry pass skips a table without any. */
    final int timedRules;
    final TableMiss miss;

    private FlowTable(Subtable[] subtables, int[][] triePlens, PrefixTries prefixes, int ruleCount,
            int conjunctiveRules, int timedRules, TableMiss miss) {
        this.subtables = subtables;
        this.triePlens = triePlens;
        this.prefixes = prefixes;
        this.useTries = !prefixes.isEmpty();
        this.ruleCount = ruleCount;
        this.conjunctiveRules = conjunctiveRules;
        this.timedRules = timedRules;
        this.miss = miss;
    }

    /** The fields this table tracks prefixes of. */
    PrefixFields prefixFields() {
        return prefixes.config;
    }

    /** The winning rule for {@code key} (words of a flow key), or null; ORs examined bits into {@code wc}. */
    Rule lookup(long[] key, long[] wc) {
        if (conjunctiveRules != 0) {
            return ConjunctiveLookup.lookup(this, key, wc, true);
        }
        Rule best = null;
        Subtable bestSt = null;
        int bestPriority = -1;
        TrieLookup tries = useTries ? TrieLookup.start() : null;
        for (int i = 0; i < subtables.length; i++) {
            Subtable st = subtables[i];
            if (st.maxPriority < bestPriority) {
                break;
            }
            Rule r = st.find(key, wc, tries, prefixes, triePlens[i]);
            if (r != null) {
                int p = r.priority();
                // An equal priority from two subtables (overlapping rules) is rare: ages only then.
                if (p > bestPriority || (p == bestPriority && st.seqOf(r) < bestSt.seqOf(best))) {
                    best = r;
                    bestPriority = p;
                    bestSt = st;
                }
            }
        }
        return best;
    }

    int subtableCount() {
        return subtables.length;
    }

    /** The rule with exactly match {@code m} and {@code priority}, or null (walks the subtables). */
    Rule get(Match m, int priority) {
        for (Subtable st : subtables) {
            if (st.shape.equals(m.shape())) {
                return st.get(m, priority);
            }
        }
        return null;
    }

    /** The subtables by mask, for callers that look many rules up by slot. */
    Map<Match.Shape, Subtable> byShape() {
        Map<Match.Shape, Subtable> out = new HashMap<>(subtables.length * 2);
        for (Subtable st : subtables) {
            out.put(st.shape, st);
        }
        return out;
    }

    /** Calls {@code c} for every rule, in no particular order (no sorting, no list). */
    void forEachRule(Consumer<Rule> c) {
        for (Subtable st : subtables) {
            st.forEachRule(c);
        }
    }

    /** Calls {@code v} for every rule with its age, in no particular order. */
    void forEachRuleWithSeq(Subtable.RuleVisitor v) {
        for (Subtable st : subtables) {
            st.forEachRuleWithSeq(v);
        }
    }

    /** Every rule, in the order a lookup prefers them: priority high to low, then oldest first. */
    List<Rule> rules() {
        Rule[] rules = new Rule[ruleCount];
        long[] seqs = new long[ruleCount];
        int[] n = {0};
        forEachRuleWithSeq((r, seq) -> {
            rules[n[0]] = r;
            seqs[n[0]++] = seq;
        });
        return inLookupOrder(rules, seqs, n[0]);
    }

    /**
     * {@code rules[0..n)} sorted by priority (high first), then age ({@code seqs}, unique within a
     * table): one primitive sort of keys that pack the priority and the rank of the age.
     */
    static List<Rule> inLookupOrder(Rule[] rules, long[] seqs, int n) {
        long[] bySeq = new long[n];
        for (int i = 0; i < n; i++) {
            bySeq[i] = seqs[i];
        }
        Arrays.sort(bySeq);
        long[] keys = new long[n];
        int[] indexOfRank = new int[n];
        for (int i = 0; i < n; i++) {
            int rank = Arrays.binarySearch(bySeq, seqs[i]);
            indexOfRank[rank] = i;
            keys[i] = (long) (Rule.MAX_PRIORITY - rules[i].priority()) << 32 | rank;
        }
        Arrays.sort(keys);
        List<Rule> out = new ArrayList<>(n);
        for (long k : keys) {
            out.add(rules[indexOfRank[(int) k]]);
        }
        return out;
    }

    /**
     * A table being changed inside a transaction. Subtables it has not touched stay shared with
     * the table it started from; touched ones are {@link SubtableBuilder}s until {@link #freeze}.
     */
    static final class Edit {
        /** Subtable i as it was (null for one this edit made). */
        private final List<Subtable> frozen;
        /** Subtable i being changed, or null while untouched. */
        private final List<SubtableBuilder> builders;
        private final Map<Match.Shape, Integer> byShape = new HashMap<>();
        private int ruleCount;
        private int conjunctiveRules;
        private int timedRules;
        private TableMiss miss;
        private PrefixTries prefixes;
        private PrefixTries.Edit prefixEdit;
        /** True while a bulk build keeps the prefix tries apart ({@link #detachPrefixes}). */
        private boolean prefixesApart;
        /** The subtable of the last call: a reload's rules come in runs of one mask. */
        private Match.Shape lastShape;
        private int lastIndex;

        Edit(FlowTable base) {
            this.frozen = new ArrayList<>(Arrays.asList(base.subtables));
            this.builders = new ArrayList<>(base.subtables.length);
            for (int i = 0; i < base.subtables.length; i++) {
                builders.add(null);
                byShape.put(base.subtables[i].shape, i);
            }
            this.ruleCount = base.ruleCount;
            this.conjunctiveRules = base.conjunctiveRules;
            this.timedRules = base.timedRules;
            this.miss = base.miss;
            this.prefixes = base.prefixes;
        }

        /**
         * An empty table with table-miss behaviour {@code miss} tracking prefixes of
         * {@code fields}: the start of a table built afresh.
         */
        static Edit empty(TableMiss miss, PrefixFields fields) {
            Edit e = new Edit(EMPTY);
            e.miss = miss;
            e.prefixes = fields.equals(EMPTY.prefixes.config) ? EMPTY.prefixes : PrefixTries.of(fields);
            return e;
        }

        private int indexOf(Match.Shape shape) {
            if (shape == lastShape) {
                return lastIndex;
            }
            Integer i = byShape.get(shape);
            if (i == null) {
                return -1;
            }
            lastShape = shape;
            lastIndex = i;
            return i;
        }

        private SubtableBuilder builder(int i) {
            SubtableBuilder b = builders.get(i);
            if (b == null) {
                b = frozen.get(i).edit();
                builders.set(i, b);
            }
            return b;
        }

        /** The rule in slot (match, priority), or null. */
        Rule get(Match m, int priority) {
            int i = indexOf(m.shape());
            if (i < 0) {
                return null;
            }
            SubtableBuilder b = builders.get(i);
            return b != null ? b.get(m, priority) : frozen.get(i).get(m, priority);
        }

        /**
         * Before a bulk build: about {@code rules} rules of mask {@code shape} are coming, and
         * their subtable is made for them now (see {@link ChunkTable.Editor#presize}).
         */
        void expect(Match.Shape shape, int rules) {
            int i = indexOf(shape);
            if (i < 0) {
                i = frozen.size();
                frozen.add(Subtable.empty(shape));
                builders.add(null);
                byShape.put(shape, i);
            }
            builder(i).presize(rules);
        }

        /** Adds {@code r}, whose slot is free, with age {@code seq}. */
        void add(Rule r, long seq) {
            Match.Shape shape = r.match().shape();
            int i = indexOf(shape);
            if (i < 0) {
                i = frozen.size();
                frozen.add(Subtable.empty(shape));
                builders.add(null);
                byShape.put(shape, i);
            }
            builder(i).add(r, seq);
            if (!prefixesApart) {
                prefixEdit().add(r.match());
            }
            ruleCount++;
            conjunctiveRules += r.isConjunctive() ? 1 : 0;
            timedRules += r.hasTimeout() ? 1 : 0;
        }

        /**
         * Puts {@code r} in its slot: in place of the rule there, which keeps its age and is
         * returned, or added with age {@code seq} (null returned).
         */
        Rule put(Rule r, long seq) {
            Match.Shape shape = r.match().shape();
            int i = indexOf(shape);
            if (i < 0) {
                add(r, seq);
                return null;
            }
            Rule old = builder(i).put(r, seq);
            if (old == null) {
                if (!prefixesApart) {
                    prefixEdit().add(r.match());
                }
                ruleCount++;
                conjunctiveRules += r.isConjunctive() ? 1 : 0;
                timedRules += r.hasTimeout() ? 1 : 0;
            } else {
                conjunctiveRules += (r.isConjunctive() ? 1 : 0) - (old.isConjunctive() ? 1 : 0);
                timedRules += (r.hasTimeout() ? 1 : 0) - (old.hasTimeout() ? 1 : 0);
            }
            return old;
        }

        /** Removes the rule in {@code r}'s slot, which must be there; returns it. */
        Rule remove(Rule r) {
            Rule gone = builder(indexOf(r.match().shape())).remove(r.match(), r.priority());
            prefixEdit().remove(r.match());
            ruleCount--;
            conjunctiveRules -= gone.isConjunctive() ? 1 : 0;
            timedRules -= gone.hasTimeout() ? 1 : 0;
            return gone;
        }

        /** Puts {@code r} in the slot of the rule with its match and priority, keeping that rule's age; returns that rule. */
        Rule replace(Rule r) {
            SubtableBuilder b = builder(indexOf(r.match().shape()));
            Rule old = b.get(r.match(), r.priority());
            b.replace(r);
            conjunctiveRules += (r.isConjunctive() ? 1 : 0) - (old.isConjunctive() ? 1 : 0);
            timedRules += (r.hasTimeout() ? 1 : 0) - (old.hasTimeout() ? 1 : 0);
            return old;
        }

        /**
         * For a bulk build on an untouched table: from now on {@link #add} and {@link #put} leave
         * the prefix tries alone, and the caller builds them with the edit returned (on another
         * thread if it likes: the edit shares nothing with this one) and gives them back with
         * {@link #attachPrefixes} before this edit is used in any other way.
         */
        PrefixTries.Edit detachPrefixes() {
            if (prefixEdit != null || prefixesApart) {
                throw new IllegalStateException("the prefix tries were changed already");
            }
            prefixesApart = true;
            return prefixes.edit();
        }

        /** The tries built apart for the rules put since {@link #detachPrefixes}. */
        void attachPrefixes(PrefixTries.Edit tries) {
            prefixEdit = tries;
            prefixesApart = false;
        }

        private PrefixTries.Edit prefixEdit() {
            if (prefixEdit == null) {
                prefixEdit = prefixes.edit();
            }
            return prefixEdit;
        }

        /** Tracks prefixes of {@code fields} from now on: the tries are built again from the rules. */
        void prefixFields(PrefixFields fields) {
            PrefixTries now = prefixEdit == null ? prefixes : prefixEdit.freeze();
            if (now.config.equals(fields)) {
                prefixes = now;
                prefixEdit = null;
                return;
            }
            prefixes = PrefixTries.build(fields, this::forEachRule);
            prefixEdit = null;
        }

        PrefixFields prefixFieldsNow() {
            return prefixes.config;
        }

        int ruleCountNow() {
            return ruleCount;
        }

        int timedRulesNow() {
            return timedRules;
        }

        TableMiss miss() {
            return miss;
        }

        void miss(TableMiss m) {
            this.miss = m;
        }

        /** Calls {@code v} for every rule now in the table with its age, in no particular order; {@code v} must not change the table. */
        void forEachRuleWithSeq(Subtable.RuleVisitor v) {
            for (int i = 0; i < frozen.size(); i++) {
                SubtableBuilder b = builders.get(i);
                if (b != null) {
                    b.forEachRuleWithSeq(v);
                } else {
                    frozen.get(i).forEachRuleWithSeq(v);
                }
            }
        }

        /** Calls {@code c} for every rule now in the table, in no particular order; {@code c} must not change the table. */
        void forEachRule(Consumer<Rule> c) {
            forEachRuleWithSeq((r, seq) -> c.accept(r));
        }

        /** Every rule now in the table (a copy, so the caller may change the table meanwhile). */
        List<Rule> rules() {
            List<Rule> out = new ArrayList<>(ruleCount);
            forEachRule(out::add);
            return out;
        }

        FlowTable freeze() {
            List<Subtable> live = new ArrayList<>(frozen.size());
            for (int i = 0; i < frozen.size(); i++) {
                SubtableBuilder b = builders.get(i);
                Subtable st = b != null ? b.freeze() : frozen.get(i);
                if (st.ruleCount > 0) {
                    live.add(st);
                }
            }
            live.sort(BY_MAX_PRIORITY);
            PrefixTries tries = prefixEdit == null ? prefixes : prefixEdit.freeze();
            if (live.isEmpty() && miss == TableMiss.DROP && tries.config.equals(EMPTY.prefixes.config)) {
                return EMPTY;
            }
            int[][] plens = new int[live.size()][];
            for (int i = 0; i < plens.length; i++) {
                plens[i] = tries.plens(live.get(i).mask);
            }
            return new FlowTable(live.toArray(new Subtable[0]), plens, tries, ruleCount, conjunctiveRules, timedRules,
                    miss);
        }
    }
}
