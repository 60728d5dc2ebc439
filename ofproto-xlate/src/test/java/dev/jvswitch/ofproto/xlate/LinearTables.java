package dev.jvswitch.ofproto.xlate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.table.Rule;

/**
 * A classifier that tries a table's rules one by one from the highest priority: the reference
 * that translation over the tuple-space classifier is checked against. Its wildcards are the union of the masks of every rule tried, up to and including the
 * one that matched: any packet that agrees on those bits fails and matches the same rules.
 *
 * <p>Rules of equal priority are tried in the order given.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class LinearTables implements XlateTables {
    private final long version;
    private final List<List<Rule>> byTable;
    private final Map<Long, Group> groups;
    private final java.util.Set<Integer> continueOnMiss;

    public LinearTables(long version, Collection<Rule> rules, Collection<Group> groupList) {
        this(version, rules, groupList, java.util.Set.of());
    }

    /** @param continueOnMiss tables whose miss goes on to the next table */
    public LinearTables(long version, Collection<Rule> rules, Collection<Group> groupList,
            java.util.Set<Integer> continueOnMiss) {
        this.version = version;
        this.continueOnMiss = java.util.Set.copyOf(continueOnMiss);
        List<List<Rule>> t = new ArrayList<>(Rule.TABLE_COUNT);
        for (int i = 0; i < Rule.TABLE_COUNT; i++) {
            t.add(new ArrayList<>());
        }
        for (Rule r : rules) {
            t.get(r.tableId()).add(r);
        }
        for (int i = 0; i < Rule.TABLE_COUNT; i++) {
            List<Rule> l = t.get(i);
            l.sort((a, b) -> Integer.compare(b.priority(), a.priority())); // stable
            t.set(i, Collections.unmodifiableList(l));
        }
        this.byTable = t;
        Map<Long, Group> g = new HashMap<>();
        for (Group group : groupList) {
            g.put(group.groupId(), group);
        }
        this.groups = Collections.unmodifiableMap(g);
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public Rule lookup(int tableId, FlowKey flow, FlowMask wc) {
        List<Rule> rules = byTable.get(tableId);
        boolean conjunctive = false;
        for (Rule r : rules) {
            conjunctive |= r.isConjunctive();
        }
        if (!conjunctive) {
            for (Rule r : rules) {
                r.match().orMaskInto(wc);
                if (r.match().matches(flow)) {
                    return r;
                }
            }
            return null;
        }
        for (Rule r : rules) {
            r.match().orMaskInto(wc);
        }
        return conjunctiveLookup(rules, flow, true);
    }

    /**
     * Conjunctions the naive way: the best matching ordinary rule, unless at some priority above it
     * the matching conjunctive flows complete a conjunction whose {@code conj_id} rule matches.
     *
     * <p>The second lookup, with {@code conj_id} set, sees what OVS's {@code classifier_lookup__}
     * sees with conjunctive matches off: of the rules that share one match, only the highest
     * priority; when that one is conjunctive, none of them (checked against OVS 3.1: a
     * {@code priority=20,in_port=3} rule under a {@code priority=50,in_port=3} clause is skipped
     * once the conjunction completes, and hit when it does not).
     */
    private static Rule conjunctiveLookup(List<Rule> rules, FlowKey flow, boolean allowConjunctive) {
        Rule hard = null;
        for (Rule r : rules) {
            if (!r.isConjunctive() && r.match().matches(flow) && (allowConjunctive || !hiddenByHigher(rules, r))) {
                hard = r;
                break;
            }
        }
        if (!allowConjunctive) {
            return hard;
        }
        int floor = hard == null ? -1 : hard.priority();
        int i = 0;
        while (i < rules.size() && rules.get(i).priority() > floor) {
            int p = rules.get(i).priority();
            Map<Long, Long> clauses = new HashMap<>();
            for (; i < rules.size() && rules.get(i).priority() == p; i++) {
                Rule r = rules.get(i);
                if (!r.isConjunctive() || !r.match().matches(flow)) {
                    continue;
                }
                for (var a : r.actions()) {
                    if (a instanceof dev.jvswitch.ofproto.action.OfAction.Conjunction c) {
                        long bits = clauses.merge(c.id(), 1L << (c.clause() - 1), (x, y) -> x | y);
                        if (bits == (1L << c.nClauses()) - 1) {
                            long saved = flow.get(dev.jvswitch.flowcache.key.FlowField.CONJ_ID);
                            flow.set(dev.jvswitch.flowcache.key.FlowField.CONJ_ID, c.id());
                            Rule found = conjunctiveLookup(rules, flow, false);
                            flow.set(dev.jvswitch.flowcache.key.FlowField.CONJ_ID, saved);
                            if (found != null) {
                                return found;
                            }
                        }
                    }
                }
            }
        }
        return hard;
    }

    /** True if a rule of higher priority has exactly {@code r}'s match. */
    private static boolean hiddenByHigher(List<Rule> rules, Rule r) {
        for (Rule other : rules) {
            if (other.priority() <= r.priority()) {
                return false;
            }
            if (other.match().equals(r.match())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Group group(long groupId) {
        return groups.get(groupId);
    }

    @Override
    public boolean missContinues(int tableId) {
        return continueOnMiss.contains(tableId);
    }

    /** The rules of one table, highest priority first. */
    public List<Rule> rules(int tableId) {
        return byTable.get(tableId);
    }

    public Collection<Group> groups() {
        return groups.values();
    }
}
