package dev.jvswitch.ofproto.table;

import java.util.Objects;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowStatsRequest;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * Which rules a modify, delete or stats request applies to, as OpenFlow selects them (OVS's
 * {@code rule_criteria}).
 *
 * <ul>
 *   <li><b>Non-strict</b>: every rule whose match is within {@link #match()}
 *       ({@link Match#isSubsetOf}), whatever its priority.</li>
 *   <li><b>Strict</b>: the rule whose match equals {@link #match()} and whose priority equals
 *       {@link #priority()}.</li>
 * </ul>
 * In both cases only rules in {@link #tableId()} (all tables for {@link #ALL_TABLES}) whose
 * cookie agrees with {@link #cookie()} on the bits of {@link #cookieMask()}, that output to
 * {@link #outPort()} unless it is {@link OfPorts#ANY}, and that send to group {@link #outGroup()}
 * unless it is {@link FlowMod#ANY_GROUP}.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record FlowFilter(int tableId, Match match, int priority, long cookie, long cookieMask, int outPort,
        long outGroup) {
    /** {@link #tableId()} that selects every table (OFPTT_ALL). */
    public static final int ALL_TABLES = FlowMod.ALL_TABLES;

    public FlowFilter {
        Objects.requireNonNull(match, "match");
        if (tableId < 0 || tableId > ALL_TABLES) {
            throw new IllegalArgumentException("table " + tableId + " out of range 0.." + ALL_TABLES);
        }
        if (priority < 0 || priority > Rule.MAX_PRIORITY) {
            throw new IllegalArgumentException("priority " + priority + " out of range 0.." + Rule.MAX_PRIORITY);
        }
    }

    /** A filter on table, match, priority and cookie, any port and group. */
    public FlowFilter(int tableId, Match match, int priority, long cookie, long cookieMask) {
        this(tableId, match, priority, cookie, cookieMask, OfPorts.ANY, FlowMod.ANY_GROUP);
    }

    /** Every rule in every table. */
    public static FlowFilter all() {
        return new FlowFilter(ALL_TABLES, Match.ANY, Rule.DEFAULT_PRIORITY, 0, 0);
    }

    /** Rules within {@code match} in every table, any cookie. */
    public static FlowFilter of(Match match) {
        return new FlowFilter(ALL_TABLES, match, Rule.DEFAULT_PRIORITY, 0, 0);
    }

    /** The selection of a modify or delete. */
    public static FlowFilter of(FlowMod fm) {
        return new FlowFilter(fm.tableId(), fm.match(), fm.priority(), fm.cookie(), fm.cookieMask(), fm.outPort(),
                fm.outGroup());
    }

    /** The selection of a stats request (non-strict). */
    public static FlowFilter of(FlowStatsRequest r) {
        return new FlowFilter(r.tableId(), r.match(), Rule.DEFAULT_PRIORITY, r.cookie(), r.cookieMask(), r.outPort(),
                r.outGroup());
    }

    /** Rules whose cookie has {@code cookie} in the bits of {@code mask}, in every table. */
    public static FlowFilter byCookie(long cookie, long mask) {
        return new FlowFilter(ALL_TABLES, Match.ANY, Rule.DEFAULT_PRIORITY, cookie, mask);
    }

    /** The same filter restricted to one table. */
    public FlowFilter inTable(int table) {
        return new FlowFilter(table, match, priority, cookie, cookieMask, outPort, outGroup);
    }

    /** The same filter with a priority (for strict selection). */
    public FlowFilter withPriority(int p) {
        return new FlowFilter(tableId, match, p, cookie, cookieMask, outPort, outGroup);
    }

    /** True if, used non-strictly, this filter selects every rule of the tables it names. */
    public boolean selectsAll() {
        return match.isCatchAll() && cookieMask == 0 && outPort == OfPorts.ANY && outGroup == FlowMod.ANY_GROUP;
    }

    /** True if this filter selects {@code r} (strictly or not). */
    public boolean selects(Rule r, boolean strict) {
        if (tableId != ALL_TABLES && r.tableId() != tableId) {
            return false;
        }
        if (((r.cookie() ^ cookie) & cookieMask) != 0) {
            return false;
        }
        if (strict ? r.priority() != priority || !r.match().equals(match) : !r.match().isSubsetOf(match)) {
            return false;
        }
        if (outPort != OfPorts.ANY && !OfAction.outputsTo(r.actions(), outPort)) {
            return false;
        }
        return outGroup == FlowMod.ANY_GROUP || OfAction.sendsToGroup(r.actions(), outGroup);
    }
}
