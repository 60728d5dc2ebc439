package dev.jvswitch.ofproto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Function;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.table.FlowFilter;
import dev.jvswitch.ofproto.table.OfTables;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.ofproto.xlate.Learned;

/**
 * The table side of {@code learn} (OVS's {@code ofproto_flow_mod_learn} and learned cookies):
 * applying the flows translations learned, refreshing the ones that are already there, and
 * deleting the flows a {@code delete_learned} learn made once no rule with that learn is left.
 *
 * <ul>
 *   <li><b>Learn.</b> A flow whose slot (table, priority, match) already holds the same rule
 *       (same actions, cookie, timeouts and flags) is only refreshed: its hard timeout starts
 *       again, as OVS's refresh sets {@code modified}; nothing is published, so a learn that
 *       keeps being taught the same flow costs no table version and no revalidation. Otherwise
 *       it is added (replacing the rule in its slot), unless the learn has a {@code limit} and
 *       its table already holds that many rules with the learn's cookie.</li>
 *   <li><b>Who applies.</b> Upcalls (PMD threads) and revalidators offer learned flows; the
 *       caller applies them at once if it gets the change lock without waiting, else they wait
 *       in a queue for the next offer or the revalidators' end of cycle. A PMD never waits for
 *       a reload.</li>
 *   <li><b>delete_learned.</b> OVS deletes by cookie: when the last rule whose learn has
 *       {@code delete_learned} with cookie C into table T goes, the rules of T with cookie C go
 *       too.</li>
 * </ul>
 *
 * <p><b>Thread-safety:</b> {@link #offer} from any thread (a lock-free queue); {@link #drain}
 * and {@link #deleteLearned} run with the caller holding {@link Ofproto}'s change lock.
 */
final class LearnedFlows {
    private final ConcurrentLinkedQueue<Learned> pending = new ConcurrentLinkedQueue<>();
    private final LongAdder learned = new LongAdder();
    private final LongAdder refreshed = new LongAdder();
    private final LongAdder overLimit = new LongAdder();

    /** Queues {@code flows} for {@link #drain}. */
    void offer(List<Learned> flows) {
        for (int i = 0, n = flows.size(); i < n; i++) {
            pending.offer(flows.get(i));
        }
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /**
     * Applies the queued flows: refreshes in place (a look into the current tables, no
     * transaction), adds through one transaction per bridge. Caller holds the change lock.
     *
     * @param tables the current tables of a bridge (null if the bridge is gone)
     * @param commit publishes a bridge's transaction
     */
    void drain(long nowNs, Function<String, OfTables> tables, BiConsumer<String, OfTables.Transaction> commit) {
        Map<String, OfTables.Transaction> open = null;
        Learned l;
        while ((l = pending.poll()) != null) {
            FlowMod fm = l.mod();
            OfTables.Transaction tx = open == null ? null : open.get(l.bridge());
            Rule there;
            if (tx != null) {
                there = tx.rule(fm.tableId(), fm.match(), fm.priority());
            } else {
                OfTables t = tables.apply(l.bridge());
                if (t == null) {
                    continue;
                }
                there = t.rule(fm.tableId(), fm.match(), fm.priority());
            }
            if (there != null && there.sameDefinition(fm)) {
                there.stats().refresh(nowNs);
                refreshed.increment();
                continue;
            }
            if (tx == null) {
                if (open == null) {
                    open = new LinkedHashMap<>(2);
                }
                tx = tables.apply(l.bridge()).edit();
                open.put(l.bridge(), tx);
            }
            add(tx, l, there, nowNs);
        }
        if (open != null) {
            for (Map.Entry<String, OfTables.Transaction> e : open.entrySet()) {
                commit.accept(e.getKey(), e.getValue());
            }
        }
    }

    private void add(OfTables.Transaction tx, Learned l, Rule there, long nowNs) {
        FlowMod fm = l.mod();
        if (there == null && l.limit() > 0 && countCookie(tx, fm.tableId(), fm.cookie(), l.limit()) >= l.limit()) {
            overLimit.increment();
            return;
        }
        try {
            tx.add(Rule.of(fm, nowNs));
            learned.increment();
        } catch (IllegalArgumentException e) {
            // A learned output or load the table refuses: nothing learned, as a failed flow mod.
            overLimit.increment();
        }
    }

    private static int countCookie(OfTables.Transaction tx, int table, long cookie, int stopAt) {
        int n = 0;
        for (Rule r : tx.select(FlowFilter.byCookie(cookie, -1L).inTable(table))) {
            if (++n >= stopAt) {
                break;
            }
        }
        return n;
    }

    /**
     * After {@code removed} left the tables of {@code tx}: for each {@code delete_learned} learn
     * among their actions whose (cookie, table) no rule left in {@code tx} still has, removes the
     * rules of that table with that cookie. Returns what it removed.
     */
    static List<Rule> deleteLearned(OfTables.Transaction tx, List<Rule> removed) {
        List<OfAction.Learn> gone = null;
        for (Rule r : removed) {
            for (OfAction a : r.actions()) {
                if (a instanceof OfAction.Learn l && l.deleteLearned()) {
                    if (gone == null) {
                        gone = new ArrayList<>(2);
                    }
                    gone.add(l);
                }
            }
        }
        if (gone == null) {
            return List.of();
        }
        List<Rule> out = new ArrayList<>();
        for (OfAction.Learn l : gone) {
            if (!stillLearns(tx, l)) {
                out.addAll(tx.delete(FlowFilter.byCookie(l.cookie(), -1L).inTable(l.table()), false));
            }
        }
        return out;
    }

    private static boolean stillLearns(OfTables.Transaction tx, OfAction.Learn gone) {
        for (Rule r : tx.select(FlowFilter.all())) {
            for (OfAction a : r.actions()) {
                if (a instanceof OfAction.Learn l && l.deleteLearned() && l.cookie() == gone.cookie()
                        && l.table() == gone.table()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Flows added by learns. */
    long learnedCount() {
        return learned.sum();
    }

    /** Learns that found their flow already there and refreshed it. */
    long refreshedCount() {
        return refreshed.sum();
    }

    /** Learns not applied (limit reached, or the table refused the flow). */
    long refusedCount() {
        return overLimit.sum();
    }
}
