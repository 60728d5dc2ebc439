package dev.jvswitch.ofproto.table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.mod.Instruction;

/**
 * An OpenFlow rule: in table {@link #tableId()}, a packet that fits {@link #match()} and no rule
 * of higher {@link #priority()} runs {@link #actions()} (the empty list drops).
 *
 * <p><b>Actions and instructions.</b> {@link #actions()} is what translation runs: the flow's
 * apply-actions followed, when the flow has a {@code goto_table} instruction, by an
 * {@link OfAction.GotoTable} as the last element (OVS keeps instructions in its ofpacts list the
 * same way). {@link #of} makes that list from a {@link FlowMod}'s instructions and
 * {@link #instructions()} gives them back. The other instructions (clear_actions, write_actions,
 * write_metadata) are refused by {@link #of} until translation does them.
 *
 * <p>The rule's definition is immutable; {@link #equals} and {@link #hashCode} cover the definition
 * (table, priority, match, actions, cookie, timeouts, flags) and nothing else, so a rule made again
 * from its dumped text compares equal to the original. Its counters are in {@link #stats()}, which
 * a modify that keeps the rule hands on to the new version ({@link #withActions}).
 *
 * <p>Times are in the tables' monotonic clock ({@code System.nanoTime()} unless a test supplies
 * another): {@link #createdNs()} starts the hard timeout, {@link RuleStats#lastUsedNs()} the idle
 * timeout. A timeout of 0 means none. A {@code fin_timeout} action lowers the timeouts in force
 * ({@link #idleTimeoutInForceSec()}), kept in the stats beside the definition's own; a rule
 * holding one is expirable even without timeouts of its own ({@link #hasTimeout()}).
 *
 * <p><b>Size.</b> A table may hold a million rules, so a rule is small: its scalars packed in
 * a few fields, a {@link Match} that keeps only the words its mask touches and shares the mask,
 * an action list that rules made together share when equal ({@link #of(FlowMod, long, Map)}).
 * Its counters are its own fields: a rule <em>is</em> the {@link RuleStats} of its first version
 * (96 bytes in all, where a rule and its counters apart took 104 in two objects), and a later
 * version made by a modify points at those ({@link #stats()}), so that the counters of every
 * version stay one.
 *
 * <p><b>Thread-safety:</b> the definition is immutable and safe to share; {@link RuleStats} is
 * thread-safe on its own (see there).
 */
public final class Rule extends RuleStats {
    /** Highest table id; 255 is reserved (it means "all tables" or "current table"). */
    public static final int MAX_TABLE_ID = FlowMod.MAX_TABLE_ID;
    /** Number of flow tables. */
    public static final int TABLE_COUNT = MAX_TABLE_ID + 1;
    /** Priority of a rule added without {@code priority=} (OFP_DEFAULT_PRIORITY). */
    public static final int DEFAULT_PRIORITY = FlowMod.DEFAULT_PRIORITY;
    public static final int MAX_PRIORITY = FlowMod.MAX_PRIORITY;
    /** Largest idle or hard timeout, in seconds. */
    public static final int MAX_TIMEOUT_SEC = FlowMod.MAX_TIMEOUT_SEC;

    /** Every set of flags, by the bit set of their ordinals: a rule keeps the bits. */
    private static final List<Set<FlowMod.Flag>> FLAG_SETS;

    static {
        FlowMod.Flag[] all = FlowMod.Flag.values();
        List<Set<FlowMod.Flag>> sets = new ArrayList<>(1 << all.length);
        for (int bits = 0; bits < 1 << all.length; bits++) {
            EnumSet<FlowMod.Flag> s = EnumSet.noneOf(FlowMod.Flag.class);
            for (FlowMod.Flag f : all) {
                if ((bits & 1 << f.ordinal()) != 0) {
                    s.add(f);
                }
            }
            sets.add(s.isEmpty() ? Set.of() : Collections.unmodifiableSet(s));
        }
        FLAG_SETS = List.copyOf(sets);
    }

    private final long cookie;
    private final long createdNs;
    private final int priority;
    /** {@code idle_timeout << 16 | hard_timeout}, seconds. */
    private final int timeouts;
    private final short tableId;
    private final byte flagBits;
    /** The actions hold a {@code fin_timeout} (which may give the rule timeouts). */
    private final boolean finTimeout;
    private final Match match;
    private final List<OfAction> actions;
    /** The counters of the rule's first version when this is a later one (a modify), else null: this rule's own. */
    private final RuleStats shared;
    /** The clauses this flow is part of when it is a conjunctive flow, else null. */
    private final OfAction.Conjunction[] conjunctions;

    /** {@code stats}: the counters of an earlier version, or null for counters of its own. */
    private Rule(Builder b, RuleStats stats) {
        this(b.tableId, b.priority, Objects.requireNonNull(b.match, "match"), b.actions, b.cookie, b.idleTimeoutSec,
                b.hardTimeoutSec, bits(b.flags), b.createdNs, stats);
    }

    /** Trusts its arguments (the builder and {@link #of} check them). */
    private Rule(int tableId, int priority, Match match, List<OfAction> actions, long cookie, int idleTimeoutSec,
            int hardTimeoutSec, int flagBits, long createdNs, RuleStats stats) {
        super(createdNs);
        this.tableId = (short) tableId;
        this.priority = priority;
        this.match = match;
        this.actions = actions;
        this.cookie = cookie;
        this.timeouts = idleTimeoutSec << 16 | hardTimeoutSec;
        this.flagBits = (byte) flagBits;
        this.createdNs = createdNs;
        this.shared = stats;
        this.conjunctions = conjunctionsOf(actions);
        this.finTimeout = holdsFinTimeout(actions);
    }

    private static boolean holdsFinTimeout(List<OfAction> actions) {
        for (OfAction a : actions) {
            if (a instanceof OfAction.FinTimeout || a instanceof OfAction.Clone c && holdsFinTimeout(c.actions())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The conjunctions of a conjunctive flow, or null: OVS lets {@code conjunction} share a flow
     * only with {@code note}.
     */
    private static OfAction.Conjunction[] conjunctionsOf(List<OfAction> actions) {
        boolean any = false;
        for (int i = 0; i < actions.size() && !any; i++) {
            any = actions.get(i) instanceof OfAction.Conjunction;
        }
        if (!any) {
            return null; // no list per rule: a million rules are made at a time
        }
        List<OfAction.Conjunction> out = new ArrayList<>(2);
        boolean other = false;
        for (OfAction a : actions) {
            if (a instanceof OfAction.Conjunction c) {
                out.add(c);
            } else if (!(a instanceof OfAction.Note)) {
                other = true;
            }
        }
        if (out.isEmpty()) {
            return null;
        }
        if (other) {
            throw new IllegalArgumentException("\"conjunction\" actions may be used along with \"note\" but not any"
                    + " other kind of action");
        }
        return out.toArray(new OfAction.Conjunction[0]);
    }

    /** True for a conjunctive flow: its actions are {@code conjunction(...)} (and notes). */
    public boolean isConjunctive() {
        return conjunctions != null;
    }

    /** The clauses of a conjunctive flow (shared: do not change), null for any other flow. */
    OfAction.Conjunction[] conjunctions() {
        return conjunctions;
    }

    private static int bits(Set<FlowMod.Flag> flags) {
        int bits = 0;
        for (FlowMod.Flag f : flags) {
            bits |= 1 << f.ordinal();
        }
        return bits;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The rule an add makes, created at {@code createdNs}: the add's table, priority, match,
     * cookie, timeouts, state flags ({@link FlowMod.Flag#isRuleState()}) and instructions.
     *
     * @throws IllegalArgumentException if {@code add} is no add, or names an instruction
     *                                  translation does not do yet ({@code write_actions is not supported yet})
     */
    public static Rule of(FlowMod add, long createdNs) {
        return of(add, createdNs, null);
    }

    /**
     * {@link #of(FlowMod, long)}, giving the rule the list of {@code shared} equal to its actions
     * if there is one (and adding its own otherwise), so that the rules of one change that do the
     * same thing hold one list. A null {@code shared} shares nothing.
     */
    public static Rule of(FlowMod add, long createdNs, Map<List<OfAction>, List<OfAction>> shared) {
        if (add.command() != FlowMod.Command.ADD) {
            throw new IllegalArgumentException("a rule is made by an add, not a " + add.command());
        }
        List<OfAction> actions = actionsOf(add.instructions());
        if (shared != null) {
            List<OfAction> same = shared.putIfAbsent(actions, actions);
            if (same != null) {
                actions = same;
            }
        }
        return new Rule(add.tableId(), add.priority(), add.match(), actions, add.cookie(), add.idleTimeoutSec(),
                add.hardTimeoutSec(), stateBits(add), createdNs, null);
    }

    private static int stateBits(FlowMod add) {
        int bits = 0;
        for (FlowMod.Flag f : add.flags()) {
            if (f.isRuleState()) {
                bits |= 1 << f.ordinal();
            }
        }
        return bits;
    }

    /**
     * True if {@link #of} would make of {@code add} a rule equal to this one: same table,
     * priority, match, cookie, timeouts, state flags and actions. Allocates nothing, so that
     * replacing a table by an identical set costs no new rules.
     */
    public boolean sameDefinition(FlowMod add) {
        if (add.command() != FlowMod.Command.ADD || tableId != add.tableId() || priority != add.priority()
                || cookie != add.cookie() || idleTimeoutSec() != add.idleTimeoutSec()
                || hardTimeoutSec() != add.hardTimeoutSec() || flagBits != stateBits(add) || !match.equals(add.match())) {
            return false;
        }
        int at = 0;
        for (Instruction i : add.instructions()) {
            if (i instanceof Instruction.ApplyActions a) {
                for (OfAction x : a.actions()) {
                    if (at >= actions.size() || !actions.get(at++).equals(x)) {
                        return false;
                    }
                }
            } else if (i instanceof Instruction.GotoTable g) {
                if (at >= actions.size() || !(actions.get(at++) instanceof OfAction.GotoTable t && t.table() == g.tableId())) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return at == actions.size();
    }

    /**
     * The action list translation runs for {@code instructions}: the apply-actions, then a
     * {@link OfAction.GotoTable} for {@code goto_table}.
     *
     * @throws IllegalArgumentException naming the first instruction translation does not do yet
     */
    public static List<OfAction> actionsOf(List<Instruction> instructions) {
        if (instructions.isEmpty()) {
            return List.of();
        }
        if (instructions.size() == 1 && instructions.get(0) instanceof Instruction.ApplyActions a) {
            return a.actions(); // immutable already, and never holds goto_table
        }
        List<OfAction> out = new ArrayList<>();
        for (Instruction i : instructions) {
            if (i instanceof Instruction.ApplyActions a) {
                out.addAll(a.actions());
            } else if (i instanceof Instruction.GotoTable g) {
                out.add(new OfAction.GotoTable(g.tableId()));
            } else if (i instanceof Instruction.WriteMetadata w) {
                out.add(new OfAction.WriteMetadata(w.metadata(), w.mask()));
            } else {
                throw new IllegalArgumentException(i.ovsName() + " is not supported yet");
            }
        }
        return List.copyOf(out);
    }

    /** A builder with this rule's definition; a rule it builds gets fresh counters. */
    public Builder toBuilder() {
        return new Builder().tableId(tableId).priority(priority).match(match).actions(actions).cookie(cookie)
                .idleTimeoutSec(idleTimeoutSec()).hardTimeoutSec(hardTimeoutSec()).flags(flags()).createdNs(createdNs);
    }

    /** The same rule (same counters and creation time) with other actions: a modify. */
    public Rule withActions(List<OfAction> newActions) {
        return new Rule(toBuilder().actions(newActions), stats());
    }

    /**
     * A modify with {@code reset_counts}: other actions and counters that start again from zero
     * (the idle time still runs from the last use).
     */
    public Rule withActionsAndFreshCounters(List<OfAction> newActions) {
        return new Rule(toBuilder().actions(newActions), new RuleStats(stats().lastUsedNs()));
    }

    /** The same rule (same counters) with other actions, cookie and timeouts: a modify with a new cookie. */
    public Rule withDefinitionOf(Rule other) {
        return new Rule(toBuilder().actions(other.actions).cookie(other.cookie)
                .idleTimeoutSec(other.idleTimeoutSec()).hardTimeoutSec(other.hardTimeoutSec()), stats());
    }

    public int tableId() {
        return tableId;
    }

    public int priority() {
        return priority;
    }

    public Match match() {
        return match;
    }

    /** Immutable; empty means drop. A {@link OfAction.GotoTable} can only be the last. */
    public List<OfAction> actions() {
        return actions;
    }

    /** The flow's instructions, in execution order (what a flow stats reply reports). */
    public List<Instruction> instructions() {
        int n = actions.size();
        Instruction jump = null;
        if (n > 0 && actions.get(n - 1) instanceof OfAction.GotoTable g) {
            jump = new Instruction.GotoTable(g.table());
            n--;
        }
        Instruction meta = null;
        if (n > 0 && actions.get(n - 1) instanceof OfAction.WriteMetadata w) {
            meta = new Instruction.WriteMetadata(w.metadata(), w.mask());
            n--;
        }
        List<Instruction> out = new ArrayList<>(3);
        if (n > 0) {
            out.add(new Instruction.ApplyActions(actions.subList(0, n)));
        }
        if (meta != null) {
            out.add(meta);
        }
        if (jump != null) {
            out.add(jump);
        }
        return List.copyOf(out);
    }

    public long cookie() {
        return cookie;
    }

    public int idleTimeoutSec() {
        return timeouts >>> 16;
    }

    public int hardTimeoutSec() {
        return timeouts & 0xffff;
    }

    /**
     * True if the rule has an idle or a hard timeout, or a {@code fin_timeout} that may give it
     * one (a rule the expiry pass must look at).
     */
    public boolean hasTimeout() {
        return timeouts != 0 || finTimeout;
    }

    /** The idle timeout in force: the rule's own, or shorter if a {@code fin_timeout} lowered it. */
    public int idleTimeoutInForceSec() {
        return stats().idleTimeoutSec(idleTimeoutSec());
    }

    /** The hard timeout in force: the rule's own, or shorter if a {@code fin_timeout} lowered it. */
    public int hardTimeoutInForceSec() {
        return stats().hardTimeoutSec(hardTimeoutSec());
    }

    /** A {@code fin_timeout} saw a FIN or RST: lowers the timeouts in force (OVS's {@code ofproto_rule_reduce_timeouts}). */
    public void reduceTimeouts(int idleSec, int hardSec) {
        stats().reduceTimeouts(idleSec, hardSec, idleTimeoutSec(), hardTimeoutSec());
    }

    /** The flags the rule keeps ({@link FlowMod.Flag#isRuleState()}); immutable. */
    public Set<FlowMod.Flag> flags() {
        return FLAG_SETS.get(flagBits);
    }

    public long createdNs() {
        return createdNs;
    }

    /**
     * The rule's counters, shared by every version of it: its own (this very object) for a rule
     * made by an add or a builder, those of the version it was made from for a modify.
     */
    public RuleStats stats() {
        return shared != null ? shared : this;
    }

    // The counters a rule inherits are those of stats(): a later version of a rule passes every
    // call on to its first version's, so that no caller can count on a copy no one reads.

    @Override
    public void add(long packetCount, long byteCount, long usedNs) {
        if (shared != null) {
            shared.add(packetCount, byteCount, usedNs);
        } else {
            super.add(packetCount, byteCount, usedNs);
        }
    }

    @Override
    public void touch(long usedNs) {
        if (shared != null) {
            shared.touch(usedNs);
        } else {
            super.touch(usedNs);
        }
    }

    @Override
    public long packets() {
        return shared != null ? shared.packets() : super.packets();
    }

    @Override
    public long bytes() {
        return shared != null ? shared.bytes() : super.bytes();
    }

    @Override
    public long lastUsedNs() {
        return shared != null ? shared.lastUsedNs() : super.lastUsedNs();
    }

    @Override
    public void refresh(long nowNs) {
        if (shared != null) {
            shared.refresh(nowNs);
        } else {
            super.refresh(nowNs);
        }
    }

    @Override
    public long refreshedNs() {
        return shared != null ? shared.refreshedNs() : super.refreshedNs();
    }

    @Override
    public void reduceTimeouts(int idleSec, int hardSec, int ownIdleSec, int ownHardSec) {
        if (shared != null) {
            shared.reduceTimeouts(idleSec, hardSec, ownIdleSec, ownHardSec);
        } else {
            super.reduceTimeouts(idleSec, hardSec, ownIdleSec, ownHardSec);
        }
    }

    @Override
    public int idleTimeoutSec(int ownSec) {
        return shared != null ? shared.idleTimeoutSec(ownSec) : super.idleTimeoutSec(ownSec);
    }

    @Override
    public int hardTimeoutSec(int ownSec) {
        return shared != null ? shared.hardTimeoutSec(ownSec) : super.hardTimeoutSec(ownSec);
    }

    /** The rule as a flow stats reply reports it at {@code nowNs} (counters read now). */
    public FlowStats flowStats(long nowNs) {
        return new FlowStats(tableId, priority, match, cookie, idleTimeoutInForceSec(), hardTimeoutInForceSec(), flags(),
                instructions(),
                nowNs - createdNs, nowNs - stats().lastUsedNs(), stats().packets(), stats().bytes());
    }

    /** True if the hard timeout has passed at {@code nowNs} (since creation, or a learn's refresh). */
    public boolean hardExpired(long nowNs) {
        int hard = hardTimeoutInForceSec();
        long refreshed = stats().refreshedNs();
        long since = refreshed != 0 && refreshed - createdNs > 0 ? refreshed : createdNs;
        return hard > 0 && nowNs - since >= hard * 1_000_000_000L;
    }

    /** True if the idle timeout has passed at {@code nowNs} (since {@link RuleStats#lastUsedNs()}). */
    public boolean idleExpired(long nowNs) {
        int idle = idleTimeoutInForceSec();
        return idle > 0 && nowNs - stats().lastUsedNs() >= idle * 1_000_000_000L;
    }

    /** True if this rule and {@code other} have the same table, priority and match (OpenFlow's identity). */
    public boolean sameSlot(Rule other) {
        return tableId == other.tableId && priority == other.priority && match.equals(other.match);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Rule)) {
            return false;
        }
        Rule r = (Rule) o;
        return tableId == r.tableId && priority == r.priority && cookie == r.cookie && timeouts == r.timeouts
                && flagBits == r.flagBits && match.equals(r.match) && actions.equals(r.actions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tableId(), priority, match, actions, cookie, idleTimeoutSec(), hardTimeoutSec(), flags());
    }

    @Override
    public String toString() {
        return "Rule[table=" + tableId + ",priority=" + priority + "," + match + ",cookie=0x" + Long.toHexString(cookie)
                + (flagBits == 0 ? "" : ",flags=" + flags()) + ",actions=" + actions + "]";
    }

    /** Collects a rule's definition. Not thread-safe. */
    public static final class Builder {
        private int tableId;
        private int priority = DEFAULT_PRIORITY;
        private Match match = Match.ANY;
        private List<OfAction> actions = List.of();
        private long cookie;
        private int idleTimeoutSec;
        private int hardTimeoutSec;
        private Set<FlowMod.Flag> flags = Set.of();
        private long createdNs;

        private Builder() {
        }

        public Builder tableId(int t) {
            if (t < 0 || t > MAX_TABLE_ID) {
                throw new IllegalArgumentException("table " + t + " out of range 0.." + MAX_TABLE_ID);
            }
            this.tableId = t;
            return this;
        }

        public Builder priority(int p) {
            if (p < 0 || p > MAX_PRIORITY) {
                throw new IllegalArgumentException("priority " + p + " out of range 0.." + MAX_PRIORITY);
            }
            this.priority = p;
            return this;
        }

        public Builder match(Match m) {
            this.match = Objects.requireNonNull(m, "match");
            return this;
        }

        /**
         * @throws IllegalArgumentException if a {@link OfAction.GotoTable} is not the last action
         *                                  (goto_table is an instruction, which ends the list)
         */
        public Builder actions(List<OfAction> a) {
            List<OfAction> copy = List.copyOf(a);
            for (int i = 0; i < copy.size() - 1; i++) {
                if (copy.get(i) instanceof OfAction.GotoTable) {
                    throw new IllegalArgumentException("goto_table must be the last action of a rule");
                }
                if (copy.get(i) instanceof OfAction.WriteMetadata && !(copy.get(i + 1) instanceof OfAction.GotoTable)) {
                    throw new IllegalArgumentException("write_metadata can only be followed by goto_table");
                }
            }
            this.actions = copy;
            return this;
        }

        public Builder cookie(long c) {
            this.cookie = c;
            return this;
        }

        public Builder idleTimeoutSec(int s) {
            this.idleTimeoutSec = checkTimeout("idle_timeout", s);
            return this;
        }

        public Builder hardTimeoutSec(int s) {
            this.hardTimeoutSec = checkTimeout("hard_timeout", s);
            return this;
        }

        /** The rule's flags; only {@linkplain FlowMod.Flag#isRuleState() state flags} are allowed. */
        public Builder flags(Set<FlowMod.Flag> f) {
            for (FlowMod.Flag flag : f) {
                if (!flag.isRuleState()) {
                    throw new IllegalArgumentException(flag.ovsName() + " is no flag a rule keeps");
                }
            }
            this.flags = Set.copyOf(f);
            return this;
        }

        public Builder createdNs(long ns) {
            this.createdNs = ns;
            return this;
        }

        public Rule build() {
            return new Rule(this, null);
        }

        private static int checkTimeout(String what, int s) {
            if (s < 0 || s > MAX_TIMEOUT_SEC) {
                throw new IllegalArgumentException(what + " " + s + " out of range 0.." + MAX_TIMEOUT_SEC);
            }
            return s;
        }
    }
}
