package dev.jvswitch.ofproto.table;

import java.util.Objects;

import dev.jvswitch.ofproto.match.Match;

/**
 * Which rules a modify or delete applies to, as OpenFlow selects them.
 *
 * <ul>
 *   <li><b>Non-strict</b>: every rule whose match is within {@link #match()}
 *       ({@link Match#isSubsetOf}), whatever its priority.</li>
 *   <li><b>Strict</b>: the rule whose match equals {@link #match()} and whose priority equals
 *       {@link #priority()}.</li>
 * </ul>
 * In both cases only rules in {@link #tableId()} (all tables for {@link #ALL_TABLES}) whose
 * cookie agrees with {@link #cookie()} on the bits of {@link #cookieMask()}.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record FlowFilter(int tableId, Match match, int priority, long cookie, long cookieMask) {
    /** {@link #tableId()} that selects every table (OFPTT_ALL). */
    public static final int ALL_TABLES = 255;

    public FlowFilter {
        Objects.requireNonNull(match, "match");
        if (tableId < 0 || tableId > ALL_TABLES) {
            throw new IllegalArgumentException("table " + tableId + " out of range 0.." + ALL_TABLES);
        }
        if (priority < 0 || priority > Rule.MAX_PRIORITY) {
            throw new IllegalArgumentException("priority " + priority + " out of range 0.." + Rule.MAX_PRIORITY);
        }
    }

    /** Every rule in every table. */
    public static FlowFilter all() {
        return new FlowFilter(ALL_TABLES, Match.ANY, Rule.DEFAULT_PRIORITY, 0, 0);
    }

    /** Rules within {@code match} in every table, any cookie. */
    public static FlowFilter of(Match match) {
        return new FlowFilter(ALL_TABLES, match, Rule.DEFAULT_PRIORITY, 0, 0);
    }

    /** Rules whose cookie has {@code cookie} in the bits of {@code mask}, in every table. */
    public static FlowFilter byCookie(long cookie, long mask) {
        return new FlowFilter(ALL_TABLES, Match.ANY, Rule.DEFAULT_PRIORITY, cookie, mask);
    }

    /** The same filter restricted to one table. */
    public FlowFilter inTable(int table) {
        return new FlowFilter(table, match, priority, cookie, cookieMask);
    }

    /** The same filter with a priority (for strict selection). */
    public FlowFilter withPriority(int p) {
        return new FlowFilter(tableId, match, p, cookie, cookieMask);
    }

    /** True if this filter selects {@code r} (strictly or not). */
    public boolean selects(Rule r, boolean strict) {
        if (tableId != ALL_TABLES && r.tableId() != tableId) {
            return false;
        }
        if (((r.cookie() ^ cookie) & cookieMask) != 0) {
            return false;
        }
        if (strict) {
            return r.priority() == priority && r.match().equals(match);
        }
        return r.match().isSubsetOf(match);
    }
}
