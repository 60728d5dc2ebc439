package dev.jvswitch.ofproto.syntax;

import java.util.List;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.table.FlowFilter;
import dev.jvswitch.ofproto.table.Rule;

/**
 * Everything a flow string said, before it is used as a new rule ({@link #toRule}) or as the
 * selection of a modify or delete ({@link #toFilter}).
 *
 * @param tableId        the table, or {@link #NO_TABLE} when the text named none
 * @param priority       the priority ({@link Rule#DEFAULT_PRIORITY} when the text named none)
 * @param cookieMask     0 when the text gave no cookie; all ones for {@code cookie=V}
 * @param actions        the actions, or null when the text had no {@code actions=}
 */
public record FlowSpec(int tableId, int priority, Match match, long cookie, long cookieMask,
        int idleTimeoutSec, int hardTimeoutSec, List<OfAction> actions) {
    /** {@link #tableId()} when the text did not say {@code table=}. */
    public static final int NO_TABLE = -1;

    /** The rule to add: table 0 unless named, creation time {@code createdNs}. */
    public Rule toRule(long createdNs) {
        return Rule.builder().tableId(tableId == NO_TABLE ? 0 : tableId).priority(priority).match(match)
                .cookie(cookie).idleTimeoutSec(idleTimeoutSec).hardTimeoutSec(hardTimeoutSec)
                .actions(actions == null ? List.of() : actions).createdNs(createdNs).build();
    }

    /** The selection: every table unless named, the cookie bits given. */
    public FlowFilter toFilter() {
        return new FlowFilter(tableId == NO_TABLE ? FlowFilter.ALL_TABLES : tableId, match, priority, cookie,
                cookieMask);
    }
}
