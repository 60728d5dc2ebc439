package dev.jvswitch.ofproto.table;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.meter.MeterEntry;
import dev.jvswitch.ofproto.meter.MeterModException;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.mod.FlowMod;

/**
 * The work of {@link OfTables.Transaction#replace}: the tables a list of adds makes, built afresh
 * from one version (a reload, {@code ovs-ofctl replace-flows}).
 *
 * <p><b>Two steps.</b>
 * <ol>
 *   <li>Per add, in parallel chunks ({@link BulkWorkers}): the rule the old version holds in its
 *       slot (table, priority, match) and that rule's age, and the rule the add makes (the old one
 *       when its definition is the same, else a new one whose actions name existing groups). These
 *       read only the old version, which is immutable, and write only the add's own result slots;
 *       the first failing add in list order is the one reported, as a single thread would.</li>
 *   <li>On the calling thread, in list order: each rule into the fresh tables, ages given out
 *       as one add after the other would (the later of two adds of one slot wins and keeps the
 *       earlier one's age), then the rules of the old version no add named, which are removed.
 *       Meanwhile another thread builds the fresh tables' prefix tries from the same rules
 *       ({@link FlowTable.Edit#detachPrefixes}); a prefix an add put in twice (its slot taken
 *       by an earlier add) is taken out again once both are done.</li>
 * </ol>
 * A reload that names every rule of the old version with its own definition stops after the
 * first step without making a rule: nothing changes.
 *
 * <p><b>Thread-safety:</b> called by the transaction's thread; the workers of the first step
 * read the old version and the groups (immutable) and are joined before the second step. The
 * trie thread reads the rules made (written before it starts) and writes only tries no one else
 * touches until it is joined; the join orders its writes before the tables are frozen.
 */
final class TableReplace {
    /**
     * What a replace makes: the fresh edit of every table an add names (null elsewhere; the
     * whole array null when nothing changes), the next age, and the counts.
     */
    record Result(FlowTable.Edit[] fresh, long nextSeq, OfTables.Transaction.Replacement replacement) {
    }

    private TableReplace() {
    }

    /**
     * The tables {@code adds} make from {@code base} (whose groups are {@code groups}), new rules
     * created at {@code nowNs} and new slots aged from {@code seq} on.
     *
     * @throws IllegalArgumentException naming the first add that makes no rule or whose actions
     *                                  name a group that does not exist
     */
    static Result run(OfTables base, LongTrieMap<Group> groups, LongTrieMap<MeterEntry> meters, List<FlowMod> adds,
            long nowNs, long seq) {
        int n = adds.size();
        int oldCount = base.ruleCount();
        long nextSeq = base.nextSeq();
        // Base slots an add names, by age (ages are unique within a version and below nextSeq):
        // a bit set while that is dense, else a probe of the new tables per old rule at the end.
        BitSet named = nextSeq < Integer.MAX_VALUE && nextSeq <= 64L * Math.max(oldCount, n) + (1 << 20)
                ? new BitSet((int) nextSeq) : null;
        FlowMod[] in = adds.toArray(new FlowMod[0]);
        Rule[] was = new Rule[n];
        long[] wasSeq = new long[n];
        Rule[] made = new Rule[n];
        RuleSlots[] slots = new RuleSlots[BulkWorkers.threads()];
        ShapeCounts[] counts = new ShapeCounts[slots.length];
        Map<List<OfAction>, List<OfAction>> sharedActions = new ConcurrentHashMap<>();
        // A reload of the same rules is common (an unchanged file among changed ones): find out
        // first, making no rule, whether every add is the rule it names.
        boolean maybeSame = named != null && n == oldCount;
        BulkWorkers.forEachChunk(n, slots.length, (worker, from, to) -> {
            RuleSlots old = slots[worker];
            if (old == null) {
                old = new RuleSlots(base);
                slots[worker] = old;
                counts[worker] = new ShapeCounts();
            }
            ShapeCounts count = counts[worker];
            for (int i = from; i < to; i++) {
                FlowMod fm = in[i];
                count.add(fm.tableId(), fm.match().shape());
                Rule w = old.get(fm.tableId(), fm.match(), fm.priority());
                was[i] = w;
                wasSeq[i] = old.seq;
                if (w != null && w.sameDefinition(fm)) {
                    made[i] = w;
                } else if (!maybeSame) {
                    made[i] = newRule(fm, nowNs, sharedActions, groups, meters);
                }
            }
        });
        if (maybeSame && namesAll(made, wasSeq, named)) {
            return new Result(null, seq, new OfTables.Transaction.Replacement(0, oldCount, List.of()));
        }
        if (maybeSame) {
            BulkWorkers.forEachChunk(n, slots.length, (worker, from, to) -> {
                for (int i = from; i < to; i++) {
                    if (made[i] == null) {
                        made[i] = newRule(in[i], nowNs, sharedActions, groups, meters);
                    }
                }
            });
        }
        long firstSeq = seq;
        FlowTable.Edit[] fresh = new FlowTable.Edit[Rule.TABLE_COUNT];
        PrefixTries.Edit[] tries = new PrefixTries.Edit[Rule.TABLE_COUNT];
        for (int i = 0; i < n; i++) {
            int t = made[i].tableId();
            if (fresh[t] == null) {
                fresh[t] = FlowTable.Edit.empty(base.tables[t].miss, base.tables[t].prefixFields());
                tries[t] = fresh[t].detachPrefixes();
            }
        }
        // Each subtable made for the rules coming to it: no chunk grows or splits on the way.
        ShapeCounts all = new ShapeCounts();
        for (ShapeCounts c : counts) {
            if (c != null) {
                all.addAll(c);
            }
        }
        all.presize(fresh);
        // The prefix tries take a prefix per rule that enters, whatever the subtables do: built
        // beside them, on a thread of their own (a tenth of the rules' fields a million times).
        TrieBuild trieBuild = new TrieBuild(made, tries);
        Thread trieThread = null;
        if (n >= BulkWorkers.MIN_PARALLEL && BulkWorkers.threads() > 1) {
            trieThread = new Thread(trieBuild, "ofproto-bulk-tries");
            trieThread.setDaemon(true);
            trieThread.start();
        }
        int kept = 0;
        int namedCount = 0; // distinct base slots named, when named is kept
        int[] again = new int[8]; // adds whose slot an earlier add of this replace took: their prefix is in twice
        int agains = 0;
        for (int i = 0; i < n; i++) {
            Rule r = made[i];
            Rule w = was[i];
            int t = r.tableId();
            if (w != null && named != null && !named.get((int) wasSeq[i])) {
                named.set((int) wasSeq[i]);
                namedCount++;
            }
            Rule before = fresh[t].put(r, w != null ? wasSeq[i] : seq);
            if (before == null && w == null) {
                seq++;
            }
            if (before != null) {
                if (agains == again.length) {
                    again = java.util.Arrays.copyOf(again, agains * 2);
                }
                again[agains++] = i;
            }
            kept += (r == w ? 1 : 0) - (before != null && before == w ? 1 : 0);
        }
        trieBuild.finish(trieThread);
        for (int k = 0; k < agains; k++) {
            Rule r = made[again[k]];
            tries[r.tableId()].remove(r.match());
        }
        for (int t = 0; t < Rule.TABLE_COUNT; t++) {
            if (fresh[t] != null) {
                fresh[t].attachPrefixes(tries[t]);
            }
        }
        // The rules no add names, sized once: a disjoint replace of a million removes a million.
        List<Rule> removed = new ArrayList<>(named != null ? Math.max(0, oldCount - namedCount) : 16);
        int total = 0;
        for (int t = 0; t < Rule.TABLE_COUNT; t++) {
            FlowTable.Edit e = fresh[t];
            total += e == null ? 0 : e.ruleCountNow();
            FlowTable o = base.tables[t];
            if (o.ruleCount == 0) {
                continue;
            }
            if (e == null) {
                o.forEachRule(removed::add);
            } else if (named != null) {
                o.forEachRuleWithSeq((r, s) -> {
                    if (!named.get((int) s)) {
                        removed.add(r);
                    }
                });
            } else {
                o.forEachRule(r -> {
                    if (e.get(r.match(), r.priority()) == null) {
                        removed.add(r);
                    }
                });
            }
        }
        int added = total - kept;
        if (added == 0 && removed.isEmpty()) {
            return new Result(null, firstSeq, new OfTables.Transaction.Replacement(0, kept, List.of()));
        }
        return new Result(fresh, seq, new OfTables.Transaction.Replacement(added, kept, removed));
    }

    /**
     * The prefix tries of the fresh tables, one prefix per rule made (run on a thread of its own,
     * or by {@link #finish} on the caller's).
     */
    private static final class TrieBuild implements Runnable {
        private final Rule[] rules;
        private final PrefixTries.Edit[] tries;
        private volatile Throwable failure;
        private boolean done;

        TrieBuild(Rule[] rules, PrefixTries.Edit[] tries) {
            this.rules = rules;
            this.tries = tries;
        }

        @Override
        public void run() {
            try {
                for (Rule r : rules) {
                    tries[r.tableId()].add(r.match());
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        /** Waits for {@code thread} (null: builds here); rethrows what it threw. */
        void finish(Thread thread) {
            if (thread == null) {
                run();
            } else {
                boolean interrupted = false;
                while (true) {
                    try {
                        thread.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true; // the build ends by itself: no part of a change is left half done
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            Throwable t = failure;
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }

    /** One worker's count of the adds per table and mask (adds come in runs of one mask). */
    private static final class ShapeCounts {
        @SuppressWarnings("unchecked")
        private final Map<Match.Shape, int[]>[] byTable = new Map[Rule.TABLE_COUNT];
        private int lastTable = -1;
        private Match.Shape lastShape;
        private int[] last;

        void add(int table, Match.Shape shape) {
            if (table != lastTable || shape != lastShape) {
                Map<Match.Shape, int[]> m = byTable[table];
                if (m == null) {
                    m = new HashMap<>();
                    byTable[table] = m;
                }
                last = m.computeIfAbsent(shape, s -> new int[1]);
                lastTable = table;
                lastShape = shape;
            }
            last[0]++;
        }

        /** Adds another worker's counts to these. */
        void addAll(ShapeCounts other) {
            for (int t = 0; t < byTable.length; t++) {
                if (other.byTable[t] != null) {
                    int table = t;
                    other.byTable[t].forEach((shape, n) -> {
                        add(table, shape);
                        last[0] += n[0] - 1;
                    });
                }
            }
        }

        /** Tells each fresh table how many rules of each mask it gets. */
        void presize(FlowTable.Edit[] fresh) {
            for (int t = 0; t < byTable.length; t++) {
                if (byTable[t] != null) {
                    FlowTable.Edit e = fresh[t];
                    byTable[t].forEach((shape, n) -> e.expect(shape, n[0]));
                }
            }
        }
    }

    /** The rule {@code fm} makes, its actions shared with equal ones; its groups must exist. */
    private static Rule newRule(FlowMod fm, long nowNs, Map<List<OfAction>, List<OfAction>> shared,
            LongTrieMap<Group> groups, LongTrieMap<MeterEntry> meters) {
        Rule r = Rule.of(fm, nowNs, shared);
        checkGroups(groups, meters, r.actions());
        return r;
    }

    /**
     * True if every add is the rule of the old version it names ({@code made[i]} not null), each
     * named once: a replace that changes nothing. Marks the ages it met in {@code named} and
     * clears them again when it says no.
     */
    private static boolean namesAll(Rule[] made, long[] wasSeq, BitSet named) {
        for (int i = 0; i < made.length; i++) {
            if (made[i] == null || named.get((int) wasSeq[i])) {
                named.clear();
                return false;
            }
            named.set((int) wasSeq[i]);
        }
        return true;
    }

    /**
     * Refuses actions that name a group {@code groups} does not have, or a meter {@code meters}
     * does not have, also inside {@code clone} and {@code ct(exec)} (OVS's
     * {@code ofproto_check_ofpacts}: OFPMMFC_INVALID_METER).
     */
    static void checkGroups(LongTrieMap<Group> groups, LongTrieMap<MeterEntry> meters, List<OfAction> actions) {
        for (OfAction a : dev.jvswitch.ofproto.action.ActionCheck.flattened(actions)) {
            if (a instanceof OfAction.GroupAction && groups.get(((OfAction.GroupAction) a).groupId()) == null) {
                throw new IllegalArgumentException("group " + ((OfAction.GroupAction) a).groupId()
                        + " does not exist");
            }
            if (a instanceof OfAction.Meter m && meters.get(m.meterId()) == null) {
                throw new MeterModException(MeterModException.Code.INVALID_METER, "meter " + m.meterId()
                        + " does not exist");
            }
        }
    }
}
