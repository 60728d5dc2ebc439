package dev.jvswitch.ofproto;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.table.FlowFilter;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.ofproto.xlate.LinearTables;
import dev.jvswitch.ofproto.xlate.XlateTables;

/**
 * The rules and groups of one bridge as an immutable value, changed by returning a new one:
 * OpenFlow's add (replacing a rule in the same slot), modify and delete (strict or not, by
 * cookie), and group add, modify and delete. {@link #tables(long)} gives the translation view.
 *
 * <p>This is the façade's adapter to the table package: until its versioned snapshot
 * ({@code OfTables}, with the tuple-space classifier) is in, the view is a {@link LinearTables}.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
final class BridgeTables {
    static final BridgeTables EMPTY = new BridgeTables(new LinkedHashMap<>(), Map.of());

    /** OpenFlow's identity of a rule: two rules with the same slot cannot coexist. */
    private record Slot(int tableId, int priority, Match match) {
        static Slot of(Rule r) {
            return new Slot(r.tableId(), r.priority(), r.match());
        }
    }

    private final LinkedHashMap<Slot, Rule> bySlot;
    private final List<Rule> rules;
    private final Map<Long, Group> groups;

    private BridgeTables(LinkedHashMap<Slot, Rule> bySlot, Map<Long, Group> groups) {
        this.bySlot = bySlot;
        this.rules = Collections.unmodifiableList(new ArrayList<>(bySlot.values()));
        this.groups = groups;
    }

    /** Every rule, in the order added. */
    List<Rule> rules() {
        return rules;
    }

    Collection<Group> groups() {
        return groups.values();
    }

    Group group(long id) {
        return groups.get(id);
    }

    /** Adds rules; each replaces a rule with the same table, priority and match. */
    BridgeTables withRulesAdded(Collection<Rule> added) {
        LinkedHashMap<Slot, Rule> next = new LinkedHashMap<>(bySlot);
        for (Rule r : added) {
            Slot slot = Slot.of(r);
            next.remove(slot); // a replaced rule goes to the end, as if deleted and added
            next.put(slot, r);
        }
        return new BridgeTables(next, groups);
    }

    /** Replaces every rule {@code filter} selects by {@code change} of it; returns null if none. */
    BridgeTables withRulesModified(FlowFilter filter, boolean strict, UnaryOperator<Rule> change, int[] count) {
        LinkedHashMap<Slot, Rule> next = new LinkedHashMap<>();
        int n = 0;
        for (Map.Entry<Slot, Rule> e : bySlot.entrySet()) {
            Rule r = e.getValue();
            if (filter.selects(r, strict)) {
                r = change.apply(r);
                n++;
            }
            next.put(e.getKey(), r);
        }
        count[0] = n;
        return new BridgeTables(next, groups);
    }

    BridgeTables withRulesDeleted(FlowFilter filter, boolean strict, int[] count) {
        LinkedHashMap<Slot, Rule> next = new LinkedHashMap<>();
        for (Map.Entry<Slot, Rule> e : bySlot.entrySet()) {
            if (!filter.selects(e.getValue(), strict)) {
                next.put(e.getKey(), e.getValue());
            }
        }
        count[0] = bySlot.size() - next.size();
        return new BridgeTables(next, groups);
    }

    BridgeTables withGroup(Group g) {
        Map<Long, Group> next = new LinkedHashMap<>(groups);
        next.put(g.groupId(), g);
        return new BridgeTables(bySlot, Collections.unmodifiableMap(next));
    }

    /** Removes group {@code id} and, as OpenFlow requires, every rule that sends to it. */
    BridgeTables withoutGroup(long id) {
        Map<Long, Group> next = new LinkedHashMap<>(groups);
        next.remove(id);
        OfAction.GroupAction sendsThere = new OfAction.GroupAction(id);
        LinkedHashMap<Slot, Rule> kept = new LinkedHashMap<>();
        for (Map.Entry<Slot, Rule> e : bySlot.entrySet()) {
            if (!e.getValue().actions().contains(sendsThere)) {
                kept.put(e.getKey(), e.getValue());
            }
        }
        return new BridgeTables(kept, Collections.unmodifiableMap(next));
    }

    XlateTables tables(long version) {
        return new LinearTables(version, rules, groups.values());
    }
}
