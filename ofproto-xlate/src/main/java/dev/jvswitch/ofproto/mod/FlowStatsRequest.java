package dev.jvswitch.ofproto.mod;

import java.util.Objects;

import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * Which rules a flow stats request reports (OVS's {@code ofputil_flow_stats_request}): the
 * non-strict selection of a {@link FlowMod} delete.
 *
 * @param tableId    a table, or {@link FlowMod#ALL_TABLES}
 * @param match      rules whose match is within this one
 * @param cookie     compared on the bits of {@code cookieMask}
 * @param cookieMask 0: any cookie
 * @param outPort    {@link OfPorts#ANY}, or only rules that output to this port
 * @param outGroup   {@link FlowMod#ANY_GROUP}, or only rules that send to this group
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record FlowStatsRequest(int tableId, Match match, long cookie, long cookieMask, int outPort, long outGroup) {
    public FlowStatsRequest {
        Objects.requireNonNull(match, "match");
        if (tableId < 0 || tableId > FlowMod.ALL_TABLES) {
            throw new IllegalArgumentException("table " + tableId + " out of range 0.." + FlowMod.ALL_TABLES);
        }
        cookie &= cookieMask;
    }

    /** Every rule of every table. */
    public static FlowStatsRequest all() {
        return new FlowStatsRequest(FlowMod.ALL_TABLES, Match.ANY, 0, 0, OfPorts.ANY, FlowMod.ANY_GROUP);
    }

    /** The rules a non-strict delete {@code fm} would remove. */
    public static FlowStatsRequest of(FlowMod fm) {
        return new FlowStatsRequest(fm.tableId(), fm.match(), fm.cookie(), fm.cookieMask(), fm.outPort(),
                fm.outGroup());
    }
}
