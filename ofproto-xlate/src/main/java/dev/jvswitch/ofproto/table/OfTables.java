package dev.jvswitch.ofproto.table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.meter.Meter;
import dev.jvswitch.ofproto.meter.MeterEntry;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.match.PrefixFields;

/**
 * One immutable version of a bridge's OpenFlow state: tables 0..254 (rules and table-miss mode)
 * and groups. Translation reads one version from start to end, so a packet never sees half of a
 * change; {@link OfTablesHolder} publishes new versions.
 *
 * <p>Changes are made in a {@link Transaction} ({@link #edit()} or
 * {@link OfTablesHolder#begin()}), which shares every unchanged table with this version and, in a
 * changed table, every unchanged part of the classifier (its subtables are chunked hash tables,
 * {@link ChunkTable}). So a version that changes one rule copies a few chunks of a few hundred
 * slots, adding 100 000 rules one transaction at a time is not quadratic, and a reader holding
 * this version keeps seeing exactly it. Within one transaction the chunks it copied are its own
 * and change in place: a transaction of n rules costs O(n), and {@link Transaction#replace}
 * builds a whole table set in one pass.
 *
 * <p><b>Thread-safety:</b> immutable (all fields final, all structures persistent); any number of
 * PMD and revalidator threads may call every method at once. The nodes of the prefix tries are
 * written in place only by the transaction that made them, before {@link Transaction#build()}
 * returns, and never after; a version reaches other threads through a publication with
 * release semantics ({@link OfTablesHolder}, or the ofproto's volatile snapshot), which makes
 * those writes visible with it. A {@link Transaction} is not thread-safe: one thread (the control
 * thread) builds it.
 */
public final class OfTables {
    private static final OfTables EMPTY;

    static {
        FlowTable[] t = new FlowTable[Rule.TABLE_COUNT];
        java.util.Arrays.fill(t, FlowTable.EMPTY);
        EMPTY = new OfTables(0, 0, t, LongTrieMap.empty(), LongTrieMap.empty());
    }

    private final long version;
    private final long nextSeq;
    final FlowTable[] tables;
    private final LongTrieMap<Group> groups;
    private final LongTrieMap<MeterEntry> meters;

    private OfTables(long version, long nextSeq, FlowTable[] tables, LongTrieMap<Group> groups,
            LongTrieMap<MeterEntry> meters) {
        this.version = version;
        this.nextSeq = nextSeq;
        this.tables = tables;
        this.groups = groups;
        this.meters = meters;
    }

    /** Version 0: no rules, no groups, every table drops on a miss. */
    public static OfTables empty() {
        return EMPTY;
    }

    /** The age the next new rule slot gets: above every age in this version. */
    long nextSeq() {
        return nextSeq;
    }

    /** Starts at 0 and goes up by one with every published change. */
    public long version() {
        return version;
    }

    /** The rule in slot ({@code tableId}, {@code priority}, {@code match}), or null. */
    public Rule rule(int tableId, Match match, int priority) {
        return tables[tableId].get(match, priority);
    }

    /**
     * The rule of table {@code tableId} that {@code key} hits (highest priority; among equal
     * priorities the oldest), or null on a table miss. ORs into {@code wc} every bit the lookup
     * compared, so that any key agreeing with {@code key} on the bits of {@code wc} gets the same
     * answer. Allocates nothing.
     *
     * <p>{@code in_port} in {@code key} must be the OpenFlow port number, as rules match it.
     */
    public Rule lookup(int tableId, FlowKey key, FlowMask wc) {
        return tables[tableId].lookup(key.words(), wc.words());
    }

    /** What table {@code tableId} does with a packet that hits no rule. */
    public TableMiss miss(int tableId) {
        return tables[tableId].miss;
    }

    /** The address fields table {@code tableId} tracks prefixes of. */
    public PrefixFields prefixFields(int tableId) {
        return tables[tableId].prefixFields();
    }

    /** Group {@code groupId}, or null. */
    public Group group(long groupId) {
        return groups.get(groupId);
    }

    /** Meter {@code meterId}, or null. */
    public MeterEntry meter(long meterId) {
        return meters.get(meterId);
    }

    /** Every meter, by id. */
    public List<MeterEntry> meters() {
        return values(meters);
    }

    /** Every group, by id. */
    public List<Group> groups() {
        return values(groups);
    }

    /** The values of {@code map} by key, unmodifiable. */
    private static <T> List<T> values(LongTrieMap<T> map) {
        List<T> out = new ArrayList<>(map.size());
        map.forEachValue(out::add);
        return Collections.unmodifiableList(out);
    }

    /** The rules of one table in lookup preference order: priority high to low, then oldest first. */
    public List<Rule> rules(int tableId) {
        return Collections.unmodifiableList(tables[tableId].rules());
    }

    /** The rules of every table, table by table, each in lookup order. */
    public List<Rule> rules() {
        List<Rule> out = new ArrayList<>();
        for (FlowTable t : tables) {
            if (t.ruleCount > 0) {
                out.addAll(t.rules());
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Calls {@code c} for every rule of every table, in no particular order: the cheap walk for
     * work that needs no order (a whole-table difference, a dump that sorts itself).
     */
    public void forEachRule(Consumer<Rule> c) {
        for (FlowTable t : tables) {
            if (t.ruleCount > 0) {
                t.forEachRule(c);
            }
        }
    }

    public int ruleCount(int tableId) {
        return tables[tableId].ruleCount;
    }

    public int ruleCount() {
        int n = 0;
        for (FlowTable t : tables) {
            n += t.ruleCount;
        }
        return n;
    }

    /** Rules with an idle or a hard timeout, in every table: an expiry pass has nothing to do at 0. */
    public int timedRuleCount() {
        int n = 0;
        for (FlowTable t : tables) {
            n += t.timedRules;
        }
        return n;
    }

    /** Number of subtables (distinct masks) in a table: the most a lookup there visits. */
    public int subtableCount(int tableId) {
        return tables[tableId].subtableCount();
    }

    /** A transaction that starts from this version; {@link Transaction#build()} gives the next one unpublished. */
    public Transaction edit() {
        return new Transaction(this, null);
    }

    @Override
    public String toString() {
        return "OfTables[version=" + version + ", rules=" + ruleCount() + ", groups=" + groups.size() + "]";
    }

    /**
     * A batch of changes to one version, applied with OVS's semantics and made visible all at once
     * by {@link #commit()} (or {@link #build()}). Each method sees the changes made before it in the
     * same transaction.
     *
     * <ul>
     *   <li>{@link #add}: a rule with the match and priority of an existing one replaces it (with
     *       fresh counters, as OpenFlow clears them); otherwise it is added.</li>
     *   <li>{@link #modify}: changes the actions of the selected rules, keeping their counters
     *       (unless asked to reset them), age, cookie, timeouts and flags; selecting none changes
     *       nothing (no implicit add).</li>
     *   <li>{@link #delete}: removes the selected rules; {@link #remove} removes one rule.</li>
     *   <li>{@link #replace}: makes the tables hold exactly what a list of adds makes, in one pass
     *       (a reload, {@code ovs-ofctl replace-flows}).</li>
     *   <li>{@link #overlapping}: what an add with {@code check_overlap} must not meet.</li>
     *   <li>A rule whose actions name a group that does not exist is refused; deleting a group
     *       deletes the rules that name it, as OpenFlow requires.</li>
     * </ul>
     *
     * <p><b>Thread-safety:</b> not thread-safe; one thread builds and commits it.
     */
    public static final class Transaction {
        private final OfTables base;
        private final OfTablesHolder holder;
        private final FlowTable.Edit[] edits = new FlowTable.Edit[Rule.TABLE_COUNT];
        private LongTrieMap<Group> groups;
        private LongTrieMap<MeterEntry> meters;
        private long seq;
        private boolean changed;
        private boolean finished;

        Transaction(OfTables base, OfTablesHolder holder) {
            this.base = base;
            this.holder = holder;
            this.groups = base.groups;
            this.meters = base.meters;
            this.seq = base.nextSeq;
        }

        /** The version this transaction started from. */
        public OfTables base() {
            return base;
        }

        /** True once anything has changed. */
        public boolean changed() {
            return changed;
        }

        private FlowTable.Edit edit(int tableId) {
            check();
            FlowTable.Edit e = edits[tableId];
            if (e == null) {
                e = new FlowTable.Edit(base.tables[tableId]);
                edits[tableId] = e;
            }
            return e;
        }

        private void check() {
            if (finished) {
                throw new IllegalStateException("transaction already committed");
            }
        }

        /** The rule in slot ({@code tableId}, {@code priority}, {@code match}) now, or null. */
        public Rule rule(int tableId, Match match, int priority) {
            if (currentRuleCount(tableId) == 0) {
                return null;
            }
            return edits[tableId] != null ? edits[tableId].get(match, priority) : base.tables[tableId].get(match, priority);
        }

        /** The rules {@code filter} selects now (non-strict), changing nothing. */
        public List<Rule> select(FlowFilter filter) {
            return selected(filter, false);
        }

        /**
         * Adds {@code r} to its table; returns the rule it replaced (same match and priority), or null.
         *
         * @throws IllegalArgumentException naming the group if the actions name one that does not exist
         */
        public Rule add(Rule r) {
            checkGroups(r.actions());
            FlowTable.Edit e = edit(r.tableId());
            Rule old = e.get(r.match(), r.priority());
            if (old != null) {
                e.replace(r);
            } else {
                e.add(r, seq++);
            }
            changed = true;
            return old;
        }

        /**
         * A rule of {@code r}'s table with {@code r}'s priority whose match overlaps {@code r}'s
         * (some packet fits both), or null; null too when a rule has {@code r}'s very match, as
         * OVS checks for overlaps only when the add does not replace a rule. Walks the table.
         */
        public Rule overlapping(Rule r) {
            if (currentRuleCount(r.tableId()) == 0) {
                return null;
            }
            Rule[] found = new Rule[2];
            Consumer<Rule> check = other -> {
                if (other.priority() != r.priority() || found[1] != null) {
                    return;
                }
                if (other.match().equals(r.match())) {
                    found[1] = other;
                } else if (found[0] == null && other.match().overlaps(r.match())) {
                    found[0] = other;
                }
            };
            FlowTable.Edit e = edits[r.tableId()];
            if (e != null) {
                e.forEachRule(check);
            } else {
                base.tables[r.tableId()].forEachRule(check);
            }
            return found[1] != null ? null : found[0];
        }

        /**
         * Gives {@code actions} to the rules {@code filter} selects; returns the new versions of the
         * rules changed (which share counters with the old ones).
         */
        public List<Rule> modify(FlowFilter filter, List<OfAction> actions, boolean strict) {
            return modify(filter, actions, strict, false);
        }

        /**
         * Gives {@code actions} to the rules {@code filter} selects, with counters that start
         * again from zero if {@code resetCounts}; returns the new versions of the rules changed.
         */
        public List<Rule> modify(FlowFilter filter, List<OfAction> actions, boolean strict, boolean resetCounts) {
            checkGroups(actions);
            List<Rule> out = new ArrayList<>();
            for (Rule r : selected(filter, strict)) {
                Rule m = resetCounts ? r.withActionsAndFreshCounters(actions) : r.withActions(actions);
                edit(r.tableId()).replace(m);
                out.add(m);
                changed = true;
            }
            return out;
        }

        /** Removes the rules {@code filter} selects; returns them. */
        public List<Rule> delete(FlowFilter filter, boolean strict) {
            if (!strict && filter.selectsAll()) {
                // Every rule of the tables it names: they start again empty, no rule by rule.
                List<Rule> gone = new ArrayList<>();
                for (int t = firstTable(filter); t <= lastTable(filter); t++) {
                    if (currentRuleCount(t) > 0) {
                        forEachRuleOf(t, gone::add);
                        edits[t] = FlowTable.Edit.empty(edit(t).miss(), edit(t).prefixFieldsNow());
                        changed = true;
                    }
                }
                return gone;
            }
            List<Rule> gone = selected(filter, strict);
            for (Rule r : gone) {
                edit(r.tableId()).remove(r);
                changed = true;
            }
            return gone;
        }

        /** Adds, kept and removed by a {@link #replace}. */
        public record Replacement(int added, int kept, List<Rule> removed) {
        }

        /**
         * Makes the tables hold exactly the rules {@code adds} make (what
         * {@code ovs-ofctl replace-flows} does), built afresh in one pass:
         * <ul>
         *   <li>an add whose slot (table, priority, match) holds a rule of the same definition
         *       keeps that rule object, with its counters and age;</li>
         *   <li>any other add makes a new rule created at {@code nowNs}; in an occupied slot it
         *       takes the age of the rule there (a replacement), else the next one;</li>
         *   <li>where two adds name one slot the later wins, as if added one after the other;</li>
         *   <li>rules of the slots no add names are removed; a table no add names is emptied
         *       (keeping its table-miss behaviour).</li>
         * </ul>
         * Cost: a probe of the old tables per add (in parallel, {@link TableReplace}), an insert
         * into the new ones, a probe of the new ones per old rule; no text, no sorting, no
         * per-rule copy of the old tables. If nothing would change, nothing does
         * ({@link #changed()} stays false).
         *
         * <p>Must be the transaction's first change.
         *
         * @param adds flow mods with {@link FlowMod.Command#ADD}
         * @throws IllegalArgumentException naming the first add that is no add, whose actions name
         *                                  a group that does not exist, or that translation cannot
         *                                  do; the transaction is then unusable
         */
        public Replacement replace(List<FlowMod> adds, long nowNs) {
            check();
            if (changed) {
                throw new IllegalStateException("a replace must be the first change of its transaction");
            }
            TableReplace.Result r = TableReplace.run(base, groups, meters, adds, nowNs, seq);
            if (r.fresh() == null) {
                return r.replacement();
            }
            seq = r.nextSeq();
            for (int t = 0; t < Rule.TABLE_COUNT; t++) {
                if (r.fresh()[t] != null) {
                    edits[t] = r.fresh()[t];
                } else if (base.tables[t].ruleCount > 0) {
                    edits[t] = FlowTable.Edit.empty(base.tables[t].miss, base.tables[t].prefixFields());
                }
            }
            changed = true;
            return r.replacement();
        }

        /**
         * Removes {@code r} if its slot (table, priority, match) holds it; returns whether it did.
         * The cheap delete when the caller already has the rule: no selection, no text.
         */
        public boolean remove(Rule r) {
            if (currentRuleCount(r.tableId()) == 0) {
                return false;
            }
            FlowTable.Edit e = edit(r.tableId());
            Rule in = e.get(r.match(), r.priority());
            if (in != r) {
                return false;
            }
            e.remove(r);
            changed = true;
            return true;
        }

        /**
         * Removes the rules whose idle timeout (since {@link RuleStats#lastUsedNs()}) or hard timeout
         * (since {@link Rule#createdNs()}) has passed at {@code nowNs}; returns them. Tables without
         * a rule that has a timeout are not walked.
         */
        public List<Rule> expire(long nowNs) {
            List<Rule> gone = new ArrayList<>();
            for (int t = 0; t < Rule.TABLE_COUNT; t++) {
                if (currentTimedRules(t) == 0) {
                    continue;
                }
                int from = gone.size();
                forEachRuleOf(t, r -> {
                    if (r.hasTimeout() && (r.idleExpired(nowNs) || r.hardExpired(nowNs))) {
                        gone.add(r);
                    }
                });
                for (int i = from; i < gone.size(); i++) {
                    edit(t).remove(gone.get(i));
                    changed = true;
                }
            }
            return gone;
        }

        /**
         * Makes table {@code tableId} track prefixes of {@code fields} (its tries are built again
         * from its rules, O(rules)); nothing changes if it already does.
         */
        public void setPrefixFields(int tableId, PrefixFields fields) {
            FlowTable.Edit e = edits[tableId];
            PrefixFields now = e != null ? e.prefixFieldsNow() : base.tables[tableId].prefixFields();
            if (now.equals(fields)) {
                return;
            }
            edit(tableId).prefixFields(fields);
            changed = true;
        }

        /** Sets what table {@code tableId} does on a miss. */
        public void setMiss(int tableId, TableMiss miss) {
            FlowTable.Edit e = edit(tableId);
            e.miss(miss);
            changed = true;
        }

        /**
         * Adds a group. A bucket may name a group that does not exist (yet): as in OVS, translation ends that
         * bucket's actions there ({@code output to nonexistent group}).
         *
         * @throws IllegalArgumentException if a group with its id exists
         */
        public void addGroup(Group g) {
            check();
            if (groups.get(g.groupId()) != null) {
                throw new IllegalArgumentException("group " + g.groupId() + " already exists");
            }
            groups = groups.plus(g.groupId(), g);
            changed = true;
        }

        /**
         * Replaces the group with {@code g}'s id; rules that name it keep naming it.
         *
         * @throws IllegalArgumentException if there is no such group
         */
        public void modifyGroup(Group g) {
            check();
            if (groups.get(g.groupId()) == null) {
                throw new IllegalArgumentException("group " + g.groupId() + " does not exist");
            }
            groups = groups.plus(g.groupId(), g);
            changed = true;
        }

        /** Deletes group {@code groupId} and every rule whose actions name it; returns the group or null. */
        public Group deleteGroup(long groupId) {
            return deleteGroup(groupId, new ArrayList<>());
        }

        /**
         * Deletes group {@code groupId} and every rule whose actions name it, adding those rules to
         * {@code removed}; returns the group or null.
         */
        public Group deleteGroup(long groupId, List<Rule> removed) {
            check();
            Group g = groups.get(groupId);
            if (g == null) {
                return null;
            }
            groups = groups.minus(groupId);
            removeRulesIf(r -> OfAction.sendsToGroup(r.actions(), groupId), removed);
            return g;
        }

        /** Removes every rule {@code which} selects, adding them to {@code removed}. */
        private void removeRulesIf(java.util.function.Predicate<Rule> which, List<Rule> removed) {
            for (int t = 0; t < Rule.TABLE_COUNT; t++) {
                if (currentRuleCount(t) == 0) {
                    continue;
                }
                int from = removed.size();
                forEachRuleOf(t, r -> {
                    if (which.test(r)) {
                        removed.add(r);
                    }
                });
                for (int i = from; i < removed.size(); i++) {
                    edit(t).remove(removed.get(i));
                }
            }
            changed = true;
        }

        /** Adds or replaces the meter with {@code m}'s id. */
        public void putMeter(MeterEntry m) {
            check();
            meters = meters.plus(m.meterId(), m);
            changed = true;
        }

        /**
         * Deletes meter {@code meterId} and every rule whose actions name it (OpenFlow's rule),
         * adding those rules to {@code removed}; returns the meter or null.
         */
        public MeterEntry deleteMeter(long meterId, List<Rule> removed) {
            check();
            MeterEntry m = meters.get(meterId);
            if (m == null) {
                return null;
            }
            meters = meters.minus(meterId);
            removeRulesIf(r -> Meter.namedBy(r.actions(), meterId), removed);
            return m;
        }

        /** The meter {@code meterId} as this transaction has it now, or null. */
        public MeterEntry meter(long meterId) {
            return meters.get(meterId);
        }

        /** Every meter as this transaction has them now, by id. */
        public List<MeterEntry> meters() {
            return values(meters);
        }

        /** Deletes every group (and the rules that name them); returns how many groups went. */
        public int deleteAllGroups(List<Rule> removed) {
            List<Group> all = new ArrayList<>();
            groups.forEachValue(all::add);
            for (Group g : all) {
                deleteGroup(g.groupId(), removed);
            }
            return all.size();
        }

        /** The group {@code groupId} as this transaction has it now, or null. */
        public Group group(long groupId) {
            return groups.get(groupId);
        }

        /**
         * The next version, unpublished; the transaction cannot be used afterwards. Without changes
         * this is the base version itself.
         */
        public OfTables build() {
            check();
            finished = true;
            if (!changed) {
                return base;
            }
            FlowTable[] tables = base.tables.clone();
            for (int t = 0; t < tables.length; t++) {
                if (edits[t] != null) {
                    tables[t] = edits[t].freeze();
                }
            }
            return new OfTables(base.version + 1, seq, tables, groups, meters);
        }

        /**
         * Publishes the changes through the holder this transaction came from and returns the new
         * current version (the base itself if nothing changed).
         *
         * @throws IllegalStateException if another transaction was committed since this one began
         */
        public OfTables commit() {
            check();
            if (holder == null) {
                throw new IllegalStateException("transaction was not begun on an OfTablesHolder; use build()");
            }
            return holder.publish(this);
        }

        private int currentRuleCount(int t) {
            return edits[t] != null ? edits[t].ruleCountNow() : base.tables[t].ruleCount;
        }

        private int currentTimedRules(int t) {
            return edits[t] != null ? edits[t].timedRulesNow() : base.tables[t].timedRules;
        }

        /** Calls {@code c} for every rule table {@code t} has now; {@code c} must not change it. */
        private void forEachRuleOf(int t, Consumer<Rule> c) {
            if (edits[t] != null) {
                edits[t].forEachRule(c);
            } else {
                base.tables[t].forEachRule(c);
            }
        }

        private static int firstTable(FlowFilter filter) {
            return filter.tableId() == FlowFilter.ALL_TABLES ? 0 : filter.tableId();
        }

        private static int lastTable(FlowFilter filter) {
            return filter.tableId() == FlowFilter.ALL_TABLES ? Rule.MAX_TABLE_ID : filter.tableId();
        }

        private List<Rule> selected(FlowFilter filter, boolean strict) {
            List<Rule> out = new ArrayList<>();
            for (int t = firstTable(filter); t <= lastTable(filter); t++) {
                if (currentRuleCount(t) == 0) {
                    continue;
                }
                if (strict) {
                    Rule r = edits[t] != null ? edits[t].get(filter.match(), filter.priority())
                            : base.tables[t].get(filter.match(), filter.priority());
                    if (r != null && filter.selects(r, true)) {
                        out.add(r);
                    }
                } else {
                    forEachRuleOf(t, r -> {
                        if (filter.selects(r, false)) {
                            out.add(r);
                        }
                    });
                }
            }
            return out;
        }

        private void checkGroups(List<OfAction> actions) {
            TableReplace.checkGroups(groups, meters, actions);
        }
    }
}
