package dev.jvswitch.ofproto.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.jvswitch.flowcache.key.FlowMask;
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
 * each gives the same entry, and the same rule wins, which is the megaflow contract.
 *
 * <p><b>Prefix tracking.</b> The table keeps a prefix trie per tracked address field
 * ({@link PrefixTries}, configured by {@link PrefixFields}); a lookup
 * asks them before a subtable's address stage and skips subtables that cannot hold a rule for the
 * packet's address, unwildcarding only the address bits that tell it so ({@link TrieLookup}).
 *
 * <p>Ties between overlapping rules of equal priority, which OpenFlow leaves undefined, go to the
 * rule that entered the table first (smallest sequence number), so lookups are deterministic.
 *
 * <p><b>Thread-safety:</b> immutable; any number of threads may look up at once.
 */
final class FlowTable {
    static final FlowTable EMPTY = new FlowTable(new Subtable[0], new int[0][], PrefixTries.DEFAULT, 0, TableMiss.DROP);

    private static final Comparator<Subtable> BY_MAX_PRIORITY =
            (a, b) -> Integer.compare(b.maxPriority, a.maxPriority);

    private final Subtable[] subtables;
    /** Per subtable (same order), its prefix lengths on the tracked fields, or null if none. */
    private final int[][] triePlens;
    private final PrefixTries prefixes;
    /** False when no trie holds a rule: lookups skip the trie machinery. */
    private final boolean useTries;
    final int ruleCount;
    final TableMiss miss;

    private FlowTable(Subtable[] subtables, int[][] triePlens, PrefixTries prefixes, int ruleCount, TableMiss miss) {
        this.subtables = subtables;
        this.triePlens = triePlens;
        this.prefixes = prefixes;
        this.useTries = !prefixes.isEmpty();
        this.ruleCount = ruleCount;
        this.miss = miss;
    }

    /** The fields this table tracks prefixes of. */
    PrefixFields prefixFields() {
        return prefixes.config;
    }

    /** The winning rule for {@code key} (words of a flow key), or null; ORs examined bits into {@code wc}. */
    Rule lookup(long[] key, long[] wc) {
        Rule best = null;
        int bestPriority = -1;
        long bestSeq = Long.MAX_VALUE;
        TrieLookup tries = useTries ? TrieLookup.start() : null;
        for (int i = 0; i < subtables.length; i++) {
            Subtable st = subtables[i];
            if (st.maxPriority < bestPriority) {
                break;
            }
            Subtable.Entry e = st.find(key, wc, tries, prefixes, triePlens[i]);
            if (e != null) {
                Rule r = e.rules[0];
                int p = r.priority();
                if (p > bestPriority || (p == bestPriority && e.seqs[0] < bestSeq)) {
                    best = r;
                    bestPriority = p;
                    bestSeq = e.seqs[0];
                }
            }
        }
        return best;
    }

    int subtableCount() {
        return subtables.length;
    }

    /** Calls {@code c} for every rule, in no particular order (no sorting, no list). */
    void forEachRule(Consumer<Rule> c) {
        for (Subtable st : subtables) {
            st.forEachEntry(e -> {
                for (Rule r : e.rules) {
                    c.accept(r);
                }
            });
        }
    }

    /** Every rule, in the order a lookup prefers them: priority high to low, then oldest first. */
    List<Rule> rules() {
        List<Subtable.Entry> entries = new ArrayList<>();
        for (Subtable st : subtables) {
            st.forEachEntry(entries::add);
        }
        List<long[]> order = new ArrayList<>();
        List<Rule> flat = new ArrayList<>();
        for (Subtable.Entry e : entries) {
            for (int i = 0; i < e.rules.length; i++) {
                order.add(new long[] {e.rules[i].priority(), e.seqs[i], flat.size()});
                flat.add(e.rules[i]);
            }
        }
        order.sort((a, b) -> a[0] != b[0] ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));
        List<Rule> out = new ArrayList<>(flat.size());
        for (long[] o : order) {
            out.add(flat.get((int) o[2]));
        }
        return out;
    }

    /**
     * A table being changed inside a transaction: the subtables are persistent, the list of them is
     * the transaction's own until {@link #freeze}.
     */
    static final class Edit {
        private final List<Subtable> subs;
        private final Map<FlowMask, Integer> byMask = new HashMap<>();
        private int ruleCount;
        private TableMiss miss;
        private PrefixTries prefixes;
        private PrefixTries.Edit prefixEdit;

        Edit(FlowTable base) {
            this.subs = new ArrayList<>(Arrays.asList(base.subtables));
            this.ruleCount = base.ruleCount;
            this.miss = base.miss;
            this.prefixes = base.prefixes;
            for (int i = 0; i < subs.size(); i++) {
                byMask.put(maskOf(subs.get(i)), i);
            }
        }

        private static FlowMask maskOf(Subtable st) {
            FlowMask m = new FlowMask();
            System.arraycopy(st.mask, 0, m.words(), 0, st.mask.length);
            return m;
        }

        private int indexOf(Match m) {
            Integer i = byMask.get(m.mask());
            return i == null ? -1 : i;
        }

        /** The rule in slot (match, priority), or null. */
        Rule get(Match m, int priority) {
            int i = indexOf(m);
            Subtable.Entry e = i < 0 ? null : subs.get(i).entry(m);
            int at = e == null ? -1 : e.indexOf(priority);
            return at < 0 ? null : e.rules[at];
        }

        void add(Rule r, long seq) {
            int i = indexOf(r.match());
            if (i < 0) {
                i = subs.size();
                subs.add(Subtable.empty(r.match()));
                byMask.put(r.match().mask(), i);
            }
            subs.set(i, subs.get(i).plus(r, seq));
            prefixEdit().add(r.match());
            ruleCount++;
        }

        void remove(Rule r) {
            int i = indexOf(r.match());
            subs.set(i, subs.get(i).minus(r.match(), r.priority()));
            prefixEdit().remove(r.match());
            ruleCount--;
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

        /** Puts {@code r} in the slot of the rule with its match and priority, keeping that rule's age. */
        void replace(Rule r) {
            int i = indexOf(r.match());
            subs.set(i, subs.get(i).replace(r));
        }

        int ruleCountNow() {
            return ruleCount;
        }

        void miss(TableMiss m) {
            this.miss = m;
        }

        /** Calls {@code c} for every rule now in the table, in no particular order; {@code c} must not change the table. */
        void forEachRule(Consumer<Rule> c) {
            for (Subtable st : subs) {
                st.forEachEntry(e -> {
                    for (Rule r : e.rules) {
                        c.accept(r);
                    }
                });
            }
        }

        /** Every rule now in the table (a copy, so the caller may change the table meanwhile). */
        List<Rule> rules() {
            List<Rule> out = new ArrayList<>();
            for (Subtable st : subs) {
                st.forEachEntry(e -> out.addAll(Arrays.asList(e.rules)));
            }
            return out;
        }

        FlowTable freeze() {
            List<Subtable> live = new ArrayList<>(subs.size());
            for (Subtable st : subs) {
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
            return new FlowTable(live.toArray(new Subtable[0]), plens, tries, ruleCount, miss);
        }
    }
}
