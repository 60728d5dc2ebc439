package dev.jvswitch.ofproto.table;

import java.util.List;
import java.util.Objects;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;

/**
 * An OpenFlow rule: in table {@link #tableId()}, a packet that fits {@link #match()} and no rule
 * of higher {@link #priority()} runs {@link #actions()} (the empty list drops).
 *
 * <p>The rule's definition is immutable; {@link #equals} and {@link #hashCode} cover the definition
 * (table, priority, match, actions, cookie, timeouts) and nothing else, so a parsed and printed
 * rule compares equal to the original. Its counters are in {@link #stats()}, which a modify that
 * keeps the rule hands on to the new version ({@link #withActions}).
 *
 * <p>Times are in the tables' monotonic clock ({@code System.nanoTime()} unless a test supplies
 * another): {@link #createdNs()} starts the hard timeout, {@link RuleStats#lastUsedNs()} the idle
 * timeout. A timeout of 0 means none.
 *
 * <p><b>Thread-safety:</b> the definition is immutable and safe to share; {@link RuleStats} is
 * thread-safe on its own (see there).
 */
public final class Rule {
    /** Highest table id; 255 is reserved (it means "all tables" or "current table"). */
    public static final int MAX_TABLE_ID = 254;
    /** Number of flow tables. */
    public static final int TABLE_COUNT = MAX_TABLE_ID + 1;
    /** Priority of a rule added without {@code priority=} (OFP_DEFAULT_PRIORITY). */
    public static final int DEFAULT_PRIORITY = 32768;
    public static final int MAX_PRIORITY = 65535;
    /** Largest idle or hard timeout, in seconds. */
    public static final int MAX_TIMEOUT_SEC = 65535;

    private final int tableId;
    private final int priority;
    private final Match match;
    private final List<OfAction> actions;
    private final long cookie;
    private final int idleTimeoutSec;
    private final int hardTimeoutSec;
    private final long createdNs;
    private final RuleStats stats;

    private Rule(Builder b, RuleStats stats) {
        this.tableId = b.tableId;
        this.priority = b.priority;
        this.match = Objects.requireNonNull(b.match, "match");
        this.actions = List.copyOf(b.actions);
        this.cookie = b.cookie;
        this.idleTimeoutSec = b.idleTimeoutSec;
        this.hardTimeoutSec = b.hardTimeoutSec;
        this.createdNs = b.createdNs;
        this.stats = stats;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder with this rule's definition; a rule it builds gets fresh counters. */
    public Builder toBuilder() {
        return new Builder().tableId(tableId).priority(priority).match(match).actions(actions).cookie(cookie)
                .idleTimeoutSec(idleTimeoutSec).hardTimeoutSec(hardTimeoutSec).createdNs(createdNs);
    }

    /** The same rule (same counters and creation time) with other actions: a modify. */
    public Rule withActions(List<OfAction> newActions) {
        return new Rule(toBuilder().actions(newActions), stats);
    }

    /** The same rule (same counters) with other actions, cookie and timeouts: a modify with a new cookie. */
    public Rule withDefinitionOf(Rule other) {
        return new Rule(toBuilder().actions(other.actions).cookie(other.cookie)
                .idleTimeoutSec(other.idleTimeoutSec).hardTimeoutSec(other.hardTimeoutSec), stats);
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

    /** Immutable; empty means drop. */
    public List<OfAction> actions() {
        return actions;
    }

    public long cookie() {
        return cookie;
    }

    public int idleTimeoutSec() {
        return idleTimeoutSec;
    }

    public int hardTimeoutSec() {
        return hardTimeoutSec;
    }

    public long createdNs() {
        return createdNs;
    }

    public RuleStats stats() {
        return stats;
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
        return tableId == r.tableId && priority == r.priority && cookie == r.cookie
                && idleTimeoutSec == r.idleTimeoutSec && hardTimeoutSec == r.hardTimeoutSec
                && match.equals(r.match) && actions.equals(r.actions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tableId, priority, match, actions, cookie, idleTimeoutSec, hardTimeoutSec);
    }

    @Override
    public String toString() {
        return "Rule[table=" + tableId + ",priority=" + priority + "," + match + ",cookie=0x" + Long.toHexString(cookie)
                + ",actions=" + actions + "]";
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

        public Builder actions(List<OfAction> a) {
            this.actions = List.copyOf(a);
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

        public Builder createdNs(long ns) {
            this.createdNs = ns;
            return this;
        }

        public Rule build() {
            return new Rule(this, new RuleStats(createdNs));
        }

        private static int checkTimeout(String what, int s) {
            if (s < 0 || s > MAX_TIMEOUT_SEC) {
                throw new IllegalArgumentException(what + " " + s + " out of range 0.." + MAX_TIMEOUT_SEC);
            }
            return s;
        }
    }
}
