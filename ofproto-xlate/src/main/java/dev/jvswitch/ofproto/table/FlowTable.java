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
 * <p>Ties between overlapping rules of equal priority, which OpenFlow leaves undefined, go to the
 * rule that entered the table first (smallest sequence number), so lookups are deterministic.
 *
 * <p><b>Thread-safety:</b> immutable; any number of threads may look up at once.
 */
final class FlowTable {
    static final FlowTable EMPTY = new FlowTable(new Subtable[0], 0, 0, TableMiss.DROP);

    private static final Comparator<Subtable> BY_MAX_PRIORITY =
            (a, b) -> Integer.compare(b.maxPriority, a.maxPriority);

    final Subtable[] subtables;
    final int ruleCount;
    /** How many of the rules are conjunctive flows: with none, a lookup takes the plain path. */
    final int conjunctiveCount;
    final TableMiss miss;

    private FlowTable(Subtable[] subtables, int ruleCount, int conjunctiveCount, TableMiss miss) {
        this.subtables = subtables;
        this.ruleCount = ruleCount;
        this.conjunctiveCount = conjunctiveCount;
        this.miss = miss;
    }

    /** The winning rule for {@code key} (words of a flow key), or null; ORs examined bits into {@code wc}. */
    Rule lookup(long[] key, long[] wc) {
        if (conjunctiveCount != 0) {
            return ConjunctiveLookup.lookup(this, key, wc, true);
        }
        Rule best = null;
        int bestPriority = -1;
        long bestSeq = Long.MAX_VALUE;
        for (Subtable st : subtables) {
            if (st.maxPriority < bestPriority) {
                break;
            }
            Subtable.Entry e = st.find(key, wc);
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
        private int conjunctiveCount;
        private TableMiss miss;

        Edit(FlowTable base) {
            this.subs = new ArrayList<>(Arrays.asList(base.subtables));
            this.ruleCount = base.ruleCount;
            this.conjunctiveCount = base.conjunctiveCount;
            this.miss = base.miss;
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
            ruleCount++;
            conjunctiveCount += r.isConjunctive() ? 1 : 0;
        }

        void remove(Rule r) {
            int i = indexOf(r.match());
            subs.set(i, subs.get(i).minus(r.match(), r.priority()));
            ruleCount--;
            conjunctiveCount -= r.isConjunctive() ? 1 : 0;
        }

        /** Puts {@code r} in the slot of the rule with its match and priority, keeping that rule's age. */
        void replace(Rule r) {
            int i = indexOf(r.match());
            Rule old = get(r.match(), r.priority());
            conjunctiveCount += (r.isConjunctive() ? 1 : 0) - (old != null && old.isConjunctive() ? 1 : 0);
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
            if (live.isEmpty() && miss == TableMiss.DROP) {
                return EMPTY;
            }
            return new FlowTable(live.toArray(new Subtable[0]), ruleCount, conjunctiveCount, miss);
        }
    }
}
