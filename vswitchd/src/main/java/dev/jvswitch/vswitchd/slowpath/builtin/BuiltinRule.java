package dev.jvswitch.vswitchd.slowpath.builtin;

import java.util.List;

/**
 * A flow of the built-in slow path's single table: priority, match, actions, and counters that
 * the control thread adds megaflow stats into.
 *
 * <p><b>Thread-safety:</b> priority, match, actions and creation time are final and read by PMDs
 * through the published table snapshot. The counters are written and read by the control thread
 * only (the tick that pushes megaflow stats, and {@code ofctl/dump-flows}).
 */
final class BuiltinRule {
    static final int DEFAULT_PRIORITY = 32_768;

    final int priority;
    final BuiltinMatch match;
    final List<RuleAction> actions;
    final long createdMs;
    long packets;
    long bytes;
    long usedMs;

    BuiltinRule(int priority, BuiltinMatch match, List<RuleAction> actions, long createdMs) {
        this.priority = priority;
        this.match = match;
        this.actions = List.copyOf(actions);
        this.createdMs = createdMs;
    }

    /** Same priority and match: an add-flow of one replaces the other, as in OpenFlow. */
    boolean sameSlot(BuiltinRule o) {
        return priority == o.priority && match.equals(o.match);
    }

    /** {@code priority=P,MATCH actions=A} (priority left out when it is the default), as ovs-ofctl prints. */
    String flowText() {
        StringBuilder sb = new StringBuilder();
        String m = match.toString();
        if (priority != DEFAULT_PRIORITY) {
            sb.append("priority=").append(priority);
            if (!m.isEmpty()) {
                sb.append(',');
            }
        }
        sb.append(m);
        if (sb.length() > 0) {
            sb.append(' ');
        }
        sb.append("actions=");
        for (int i = 0; i < actions.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(actions.get(i));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return flowText();
    }
}
