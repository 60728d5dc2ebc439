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
        for (Rule r : byTable.get(tableId)) {
            r.match().orMaskInto(wc);
            if (r.match().matches(flow)) {
                return r;
            }
        }
        return null;
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
