package dev.jvswitch.ofproto.syntax;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.table.Rule;

/**
 * ovs-ofctl flow strings: parse them into rules or selections, print rules the way
 * {@code ovs-ofctl dump-flows} does.
 *
 * <p>A flow string is items separated by commas or white space:
 * {@code table=0,priority=100,in_port=1,tcp,nw_dst=10.0.0.0/24,tp_dst=80,actions=output:2}.
 * {@code table}, {@code priority}, {@code cookie}, {@code idle_timeout} and {@code hard_timeout}
 * describe the rule; {@code actions=} takes the rest of the string; every other item is part of
 * the match ({@link MatchSyntax}). The statistics dump-flows prints ({@code duration},
 * {@code n_packets}, {@code n_bytes}, {@code idle_age}, {@code hard_age}) are ignored, as OVS
 * ignores them, so that dump-flows output can be fed back.
 *
 * <p>Errors are {@link SyntaxException}s whose message names the token and its column, one
 * message per {@link SyntaxError} class.
 *
 * <p><b>Thread-safety:</b> stateless; every method may be called from any thread.
 */
public final class FlowSyntax {
    private static final String KIND = "flow";

    /** What the string is for; decides which parts it must or must not have. */
    private enum Mode { ADD, MODIFY, DELETE }

    private FlowSyntax() {
    }

    /**
     * An {@code add-flow} string as a rule created at {@code createdNs}; it must have
     * {@code actions=}, and its cookie no mask.
     */
    public static Rule parseRule(String text, long createdNs) {
        return parse(text, Mode.ADD).toRule(createdNs);
    }

    /** An {@code add-flow} string as a rule created at time 0. */
    public static Rule parseRule(String text) {
        return parseRule(text, 0);
    }

    /** A {@code mod-flows} string: a selection (cookie may be masked) and the new actions (required). */
    public static FlowSpec parseModify(String text) {
        return parse(text, Mode.MODIFY);
    }

    /** A {@code del-flows} string: a selection only ({@code actions=} is not allowed). */
    public static FlowSpec parseDelete(String text) {
        return parse(text, Mode.DELETE);
    }

    /** The match of a flow string (as a {@code del-flows} selection: no {@code actions=}). */
    public static Match parseMatch(String text) {
        return parse(text, Mode.DELETE).match();
    }

    private static FlowSpec parse(String text, Mode mode) {
        Source src = new Source(text, KIND);
        List<Source.Item> items = src.split(0, text.length());
        MatchSyntax match = new MatchSyntax(src);
        Map<String, Source.Item> seen = new HashMap<>();
        int table = FlowSpec.NO_TABLE;
        int priority = Rule.DEFAULT_PRIORITY;
        long cookie = 0;
        long cookieMask = 0;
        int idle = 0;
        int hard = 0;
        Source.Item actionsItem = null;
        List<Source.Item> actionItems = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Source.Item item = items.get(i);
            int eq = item.indexOf('=');
            String name = eq < 0 ? item.text() : item.text().substring(0, eq);
            String value = eq < 0 ? null : item.text().substring(eq + 1);
            int valueAt = item.start() + eq + 1;
            switch (name) {
                case "actions":
                case "action":
                    if (mode == Mode.DELETE) {
                        throw src.fail(SyntaxError.NOT_ALLOWED, item.start(), name, "when deleting flows");
                    }
                    actionsItem = item;
                    if (value != null && !value.isEmpty()) {
                        actionItems.add(new Source.Item(value, valueAt));
                    }
                    actionItems.addAll(items.subList(i + 1, items.size()));
                    i = items.size();
                    break;
                case "table":
                    once(src, seen, name, item);
                    table = (int) number(src, name, value, item, valueAt, Rule.MAX_TABLE_ID);
                    break;
                case "priority":
                    once(src, seen, name, item);
                    priority = (int) number(src, name, value, item, valueAt, Rule.MAX_PRIORITY);
                    break;
                case "idle_timeout":
                    once(src, seen, name, item);
                    idle = (int) number(src, name, value, item, valueAt, Rule.MAX_TIMEOUT_SEC);
                    break;
                case "hard_timeout":
                    once(src, seen, name, item);
                    hard = (int) number(src, name, value, item, valueAt, Rule.MAX_TIMEOUT_SEC);
                    break;
                case "cookie": {
                    once(src, seen, name, item);
                    int slash = value == null ? -1 : value.indexOf('/');
                    String v = slash < 0 ? value : value.substring(0, slash);
                    cookie = number(src, name, v, item, valueAt, -1L);
                    cookieMask = -1L;
                    if (slash >= 0) {
                        if (mode == Mode.ADD) {
                            throw src.fail(SyntaxError.NOT_ALLOWED, item.start(), item.text(), "when adding a flow");
                        }
                        try {
                            cookieMask = FieldText.number(value.substring(slash + 1), 0, 64);
                        } catch (FieldText.Bad bad) {
                            throw src.fail(SyntaxError.BAD_MASK, valueAt + slash + 1, value.substring(slash + 1),
                                    name);
                        }
                    }
                    break;
                }
                case "duration":
                case "n_packets":
                case "n_bytes":
                case "idle_age":
                case "hard_age":
                    break;
                default:
                    match.add(item, name, value, valueAt);
            }
        }
        Match m = match.finish();
        List<OfAction> actions = null;
        if (actionsItem != null) {
            if (actionItems.isEmpty()) {
                throw src.fail(SyntaxError.MISSING_VALUE, actionsItem.start(), "actions");
            }
            actions = new ActionSyntax(src, m).parse(actionItems);
        } else if (mode != Mode.DELETE) {
            throw src.fail(SyntaxError.MISSING, text.length(), "actions");
        }
        return new FlowSpec(table, priority, m, cookie, cookieMask, idle, hard, actions);
    }

    private static void once(Source src, Map<String, Source.Item> seen, String name, Source.Item item) {
        Source.Item before = seen.putIfAbsent(name, item);
        if (before != null) {
            throw src.fail(SyntaxError.CONFLICT, item.start(), item.text(), before.text(), before.start() + 1);
        }
    }

    private static long number(Source src, String name, String value, Source.Item item, int valueAt, long max) {
        if (value == null || value.isEmpty()) {
            throw src.fail(SyntaxError.MISSING_VALUE, item.start(), name);
        }
        long n;
        try {
            n = FieldText.number(value, 0, 64);
        } catch (FieldText.Bad bad) {
            if (bad.error == SyntaxError.OUT_OF_RANGE) {
                throw src.fail(SyntaxError.OUT_OF_RANGE, valueAt, value, name, "0.." + Long.toUnsignedString(max));
            }
            throw src.fail(SyntaxError.BAD_VALUE, valueAt, value, name, bad.extra);
        }
        if (max != -1L && Long.compareUnsigned(n, max) > 0) {
            throw src.fail(SyntaxError.OUT_OF_RANGE, valueAt, value, name, "0.." + max);
        }
        return n;
    }

    // ---------------------------------------------------------------- print

    /**
     * The rule as {@code ovs-ofctl dump-flows} prints it, without the statistics:
     * {@code cookie=0x0, table=0, idle_timeout=10, priority=100,tcp,nw_dst=10.0.0.0/24 actions=output:2}.
     * {@link #parseRule} reads it back to an equal rule.
     */
    public static String format(Rule r) {
        StringBuilder sb = new StringBuilder();
        sb.append("cookie=0x").append(Long.toHexString(r.cookie())).append(", table=").append(r.tableId())
                .append(", ");
        appendTail(sb, r, "");
        return sb.toString();
    }

    /**
     * The rule with its statistics, as one line of {@code ovs-ofctl dump-flows}:
     * {@code cookie=0x0, duration=1.250s, table=0, n_packets=3, n_bytes=180, idle_age=0, priority=100,ip actions=NORMAL}.
     * Durations and ages are measured from {@code nowNs} in the rule's clock.
     */
    public static String dumpFlow(Rule r, long nowNs) {
        StringBuilder sb = new StringBuilder();
        long durationMs = Math.max(0, (nowNs - r.createdNs()) / 1_000_000);
        long idleAgeSec = Math.max(0, (nowNs - r.stats().lastUsedNs()) / 1_000_000_000L);
        sb.append("cookie=0x").append(Long.toHexString(r.cookie()))
                .append(", duration=").append(durationMs / 1000).append('.')
                .append(String.format("%03d", durationMs % 1000)).append('s')
                .append(", table=").append(r.tableId())
                .append(", n_packets=").append(r.stats().packets())
                .append(", n_bytes=").append(r.stats().bytes()).append(", ");
        appendTail(sb, r, "idle_age=" + idleAgeSec + ", ");
        return sb.toString();
    }

    /** Timeouts, {@code extra} (dump-flows' idle_age), match with priority, actions. */
    private static void appendTail(StringBuilder sb, Rule r, String extra) {
        if (r.idleTimeoutSec() != 0) {
            sb.append("idle_timeout=").append(r.idleTimeoutSec()).append(", ");
        }
        if (r.hardTimeoutSec() != 0) {
            sb.append("hard_timeout=").append(r.hardTimeoutSec()).append(", ");
        }
        sb.append(extra);
        int before = sb.length();
        MatchSyntax.append(sb, r.match(), r.priority());
        if (sb.length() > before) {
            sb.append(' ');
        }
        sb.append("actions=");
        ActionFormat.append(sb, r.actions());
    }

    /** The match (with priority unless default) as dump-flows prints it, e.g. {@code priority=100,tcp,tp_dst=80}. */
    public static String formatMatch(Match m, int priority) {
        return MatchSyntax.append(new StringBuilder(), m, priority).toString();
    }

    /** The actions as dump-flows prints them, {@code drop} for none. */
    public static String formatActions(List<OfAction> actions) {
        return ActionFormat.append(new StringBuilder(), actions).toString();
    }
}
