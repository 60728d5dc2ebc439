package dev.jvswitch.ofproto.xlate;

import java.util.List;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.table.Rule;

/**
 * The ovs-ofctl text of rules and actions for trace lines; the one place translation calls the
 * syntax package. Only used while tracing.
 */
public final class OfText {
    private OfText() {
    }

    /** One action as {@code ovs-ofctl dump-flows} prints it, e.g. {@code resubmit(,1)}. */
    public static String action(OfAction a) {
        return FlowSyntax.formatActions(List.of(a));
    }

    /** A list of actions, comma-separated; {@code drop} for none. */
    public static String actions(List<OfAction> actions) {
        return FlowSyntax.formatActions(actions);
    }

    /**
     * A trace table line as OVS writes it ({@code xlate_report_table}): {@code " 0. "}, the match
     * without priority, then {@code priority N} and a non-zero cookie, e.g.
     * {@code " 1. tcp,tp_dst=80, priority 100, cookie 0x5"}; {@code " 0. priority 0"} for a
     * catch-all.
     */
    public static String tableLine(int tableId, Rule r) {
        return tableLine(tableId, r, dev.jvswitch.ofproto.tnl.TlvMap.EMPTY);
    }

    /** {@link #tableLine(int, Rule)} with {@code tun_metadataN} printed through the bridge's TLV map. */
    public static String tableLine(int tableId, Rule r, dev.jvswitch.ofproto.tnl.TlvMap map) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%2d. ", tableId));
        sb.append(FlowSyntax.formatMatch(r.match(), Rule.DEFAULT_PRIORITY, map));
        if (sb.charAt(sb.length() - 1) != ' ') {
            sb.append(", ");
        }
        sb.append("priority ").append(r.priority());
        if (r.cookie() != 0) {
            sb.append(", cookie 0x").append(Long.toHexString(r.cookie()));
        }
        return sb.toString();
    }

    /** The match as {@code ovs-ofctl} prints it (priority left out). */
    public static String match(Match m) {
        return FlowSyntax.formatMatch(m, Rule.DEFAULT_PRIORITY);
    }
}
