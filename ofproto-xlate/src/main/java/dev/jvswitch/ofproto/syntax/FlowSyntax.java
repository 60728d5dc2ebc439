package dev.jvswitch.ofproto.syntax;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.mod.Instruction;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * ovs-ofctl flow strings, one producer of the flow-mod model: {@code add-flow},
 * {@code mod-flows} and {@code del-flows} text becomes a {@link FlowMod}; a {@link FlowMod} and a
 * {@link FlowStats} print the way {@code ovs-ofctl} writes them.
 *
 * <p>A flow string is items separated by commas or white space:
 * {@code table=0,priority=100,in_port=1,tcp,nw_dst=10.0.0.0/24,tp_dst=80,actions=output:2}.
 * {@code table}, {@code priority}, {@code cookie}, {@code idle_timeout}, {@code hard_timeout},
 * {@code out_port}, {@code out_group} and the flags ({@code send_flow_rem}, {@code check_overlap},
 * {@code reset_counts}, {@code no_packet_counts}, {@code no_byte_counts}) describe the change;
 * {@code actions=} takes the rest of the string (apply-actions, then the instructions
 * {@code clear_actions}, {@code write_actions(...)}, {@code write_metadata:V[/M]},
 * {@code goto_table:N}, in that order); every other item is part of the match
 * ({@link MatchSyntax}). The statistics dump-flows prints ({@code duration}, {@code n_packets},
 * {@code n_bytes}, {@code idle_age}, {@code hard_age}) are ignored, as OVS ignores them, so that
 * dump-flows output can be fed back.
 *
 * <p>What each command's text may say, as ovs-ofctl has it: an add needs {@code actions=} and
 * takes no cookie mask and no {@code out_port}/{@code out_group}; a modify needs
 * {@code actions=}; a delete takes no {@code actions=} and no flags. Without {@code table=} an
 * add goes to table 0 and a modify or delete selects in every table; {@code cookie=V} without a
 * mask selects exactly V.
 *
 * <p>Errors are {@link SyntaxException}s whose message names the token and its column, one
 * message per {@link SyntaxError} class.
 *
 * <p><b>Thread-safety:</b> stateless; every method may be called from any thread.
 */
public final class FlowSyntax {
    private static final String KIND = "flow";
    private static final String PORT_EXPECTED = "a port number or a reserved port name";

    private FlowSyntax() {
    }

    /** An {@code add-flow} string: it must have {@code actions=}, and its cookie no mask. */
    public static FlowMod parseAdd(String text) {
        return parse(text, FlowMod.Command.ADD);
    }

    /** A {@code mod-flows} string: a selection (cookie may be masked) and the new actions (required). */
    public static FlowMod parseModify(String text) {
        return parseModify(text, false);
    }

    /** A {@code mod-flows [--strict]} string. */
    public static FlowMod parseModify(String text, boolean strict) {
        return parse(text, strict ? FlowMod.Command.MODIFY_STRICT : FlowMod.Command.MODIFY);
    }

    /** A {@code del-flows} string: a selection only ({@code actions=} is not allowed); {@code ""} selects all. */
    public static FlowMod parseDelete(String text) {
        return parseDelete(text, false);
    }

    /** A {@code del-flows [--strict]} string. */
    public static FlowMod parseDelete(String text, boolean strict) {
        return parse(text, strict ? FlowMod.Command.DELETE_STRICT : FlowMod.Command.DELETE);
    }

    /** The match of a flow string (read as a {@code del-flows} selection: no {@code actions=}). */
    public static Match parseMatch(String text) {
        return parse(text, FlowMod.Command.DELETE).match();
    }

    /** A flow string for {@code command}. */
    public static FlowMod parse(String text, FlowMod.Command command) {
        boolean add = command == FlowMod.Command.ADD;
        boolean delete = command.isDelete();
        Source src = new Source(text, KIND);
        List<Source.Item> items = src.split(0, text.length());
        MatchSyntax match = new MatchSyntax(src);
        Source.Item[] seen = new Source.Item[ONCE.length];
        FlowMod.Builder b = FlowMod.builder(command);
        Set<FlowMod.Flag> flags = EnumSet.noneOf(FlowMod.Flag.class);
        Source.Item actionsItem = null;
        List<Source.Item> actionItems = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Source.Item item = items.get(i);
            int eq = item.indexOf('=');
            String name = item.name(0, eq < 0 ? item.length() : eq);
            String value = eq < 0 ? null : item.substring(eq + 1);
            int valueAt = item.start() + eq + 1;
            FlowMod.Flag flag = eq < 0 ? FlowMod.Flag.find(name) : null;
            if (flag != null) {
                if (delete) {
                    throw src.fail(SyntaxError.NOT_ALLOWED, item.start(), name, "when deleting flows");
                }
                flags.add(flag);
                continue;
            }
            switch (name) {
                case "actions":
                case "action":
                    if (delete) {
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
                    b.tableId((int) number(src, name, value, item, valueAt, FlowMod.MAX_TABLE_ID));
                    break;
                case "priority":
                    once(src, seen, name, item);
                    b.priority((int) number(src, name, value, item, valueAt, FlowMod.MAX_PRIORITY));
                    break;
                case "idle_timeout":
                    once(src, seen, name, item);
                    b.idleTimeoutSec((int) number(src, name, value, item, valueAt, FlowMod.MAX_TIMEOUT_SEC));
                    break;
                case "hard_timeout":
                    once(src, seen, name, item);
                    b.hardTimeoutSec((int) number(src, name, value, item, valueAt, FlowMod.MAX_TIMEOUT_SEC));
                    break;
                case "cookie":
                    once(src, seen, name, item);
                    cookie(src, b, add, item, value, valueAt);
                    break;
                case "out_port":
                case "out_group":
                    if (add) {
                        throw src.fail(SyntaxError.NOT_ALLOWED, item.start(), item.text(), "when adding a flow");
                    }
                    once(src, seen, name, item);
                    if (name.equals("out_port")) {
                        b.outPort(port(src, value, item, valueAt));
                    } else {
                        b.outGroup(number(src, name, value, item, valueAt, OfAction.GroupAction.MAX_ID));
                    }
                    break;
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
        b.match(m).flags(flags);
        if (actionsItem != null) {
            if (actionItems.isEmpty()) {
                throw src.fail(SyntaxError.MISSING_VALUE, actionsItem.start(), "actions");
            }
            b.instructions(new ActionSyntax(src, m).parseInstructions(actionItems));
        } else if (!delete) {
            throw src.fail(SyntaxError.MISSING, text.length(), "actions");
        }
        return b.build();
    }

    private static void cookie(Source src, FlowMod.Builder b, boolean add, Source.Item item, String value,
            int valueAt) {
        int slash = value == null ? -1 : value.indexOf('/');
        String v = slash < 0 ? value : value.substring(0, slash);
        b.cookie(number(src, "cookie", v, item, valueAt, -1L));
        if (slash < 0) {
            b.cookieMask(-1L);
            return;
        }
        if (add) {
            throw src.fail(SyntaxError.NOT_ALLOWED, item.start(), item.text(), "when adding a flow");
        }
        try {
            b.cookieMask(FieldText.number(value.substring(slash + 1), 0, 64));
        } catch (FieldText.Bad bad) {
            throw src.fail(SyntaxError.BAD_MASK, valueAt + slash + 1, value.substring(slash + 1), "cookie");
        }
    }

    private static int port(Source src, String value, Source.Item item, int valueAt) {
        if (value == null || value.isEmpty()) {
            throw src.fail(SyntaxError.MISSING_VALUE, item.start(), "out_port");
        }
        int reserved = OfPorts.reserved(value);
        if (reserved >= 0) {
            return reserved;
        }
        if (!Character.isDigit(value.charAt(0))) {
            throw src.fail(SyntaxError.BAD_VALUE, valueAt, value, "out_port", PORT_EXPECTED);
        }
        long n = number(src, "out_port", value, item, valueAt, OfPorts.NONE);
        if (!OfPorts.isPhysical((int) n) && !OfPorts.isReserved((int) n)) {
            throw src.fail(SyntaxError.BAD_VALUE, valueAt, value, "out_port", PORT_EXPECTED);
        }
        return (int) n;
    }

    /** Each of these may be given once per flow string. */
    private static final String[] ONCE = {"table", "priority", "idle_timeout", "hard_timeout", "cookie", "out_port",
        "out_group"};

    private static void once(Source src, Source.Item[] seen, String name, Source.Item item) {
        int k = 0;
        while (!ONCE[k].equals(name)) {
            k++;
        }
        Source.Item before = seen[k];
        if (before != null) {
            throw src.fail(SyntaxError.CONFLICT, item.start(), item.text(), before.text(), before.start() + 1);
        }
        seen[k] = item;
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
     * The flow mod as ovs-ofctl text that {@link #parse} reads back to an equal flow mod. An add
     * prints as {@code ovs-ofctl dump-flows} prints a rule, without the statistics:
     * {@code cookie=0x0, table=0, idle_timeout=10, priority=100,tcp,nw_dst=10.0.0.0/24 actions=output:2};
     * a modify or delete prints only what it selects by
     * ({@code table=1, cookie=0x5/0xff, out_port=2, tcp actions=drop}).
     */
    public static String format(FlowMod fm) {
        StringBuilder sb = new StringBuilder();
        if (fm.command() == FlowMod.Command.ADD) {
            sb.append("cookie=0x").append(Long.toHexString(fm.cookie())).append(", table=").append(fm.tableId())
                    .append(", ");
        } else {
            if (fm.tableId() != FlowMod.ALL_TABLES) {
                sb.append("table=").append(fm.tableId()).append(", ");
            }
            if (fm.cookieMask() != 0) {
                sb.append("cookie=0x").append(Long.toHexString(fm.cookie()));
                if (fm.cookieMask() != -1L) {
                    sb.append("/0x").append(Long.toHexString(fm.cookieMask()));
                }
                sb.append(", ");
            }
            if (fm.outPort() != OfPorts.ANY) {
                sb.append("out_port=").append(OfPorts.format(fm.outPort())).append(", ");
            }
            if (fm.outGroup() != FlowMod.ANY_GROUP) {
                sb.append("out_group=").append(fm.outGroup()).append(", ");
            }
        }
        appendTimeouts(sb, fm.idleTimeoutSec(), fm.hardTimeoutSec());
        appendFlags(sb, fm.flags());
        int before = sb.length();
        MatchSyntax.append(sb, fm.match(), fm.priority());
        if (fm.command().isDelete()) {
            trimSeparator(sb);
            return sb.toString();
        }
        if (sb.length() > before) {
            sb.append(' ');
        }
        sb.append("actions=");
        ActionFormat.appendInstructions(sb, fm.instructions(), NxmNames.protoOf(fm.match()));
        return sb.toString();
    }

    /**
     * One line of {@code ovs-ofctl dump-flows}:
     * {@code cookie=0x0, duration=1.250s, table=0, n_packets=3, n_bytes=180, idle_age=0, priority=100,ip actions=NORMAL}.
     * {@link #parseAdd} reads it back to the add that makes the rule again.
     */
    public static String dumpFlow(FlowStats fs) {
        StringBuilder sb = new StringBuilder();
        long durationMs = Math.max(0, fs.durationNs() / 1_000_000);
        long idleAgeSec = Math.max(0, fs.idleAgeNs() / 1_000_000_000L);
        sb.append("cookie=0x").append(Long.toHexString(fs.cookie()))
                .append(", duration=").append(durationMs / 1000).append('.')
                .append(String.format("%03d", durationMs % 1000)).append('s')
                .append(", table=").append(fs.tableId())
                .append(", n_packets=").append(fs.packets())
                .append(", n_bytes=").append(fs.bytes()).append(", ");
        appendTimeouts(sb, fs.idleTimeoutSec(), fs.hardTimeoutSec());
        appendFlags(sb, fs.flags());
        sb.append("idle_age=").append(idleAgeSec).append(", ");
        int before = sb.length();
        MatchSyntax.append(sb, fs.match(), fs.priority());
        if (sb.length() > before) {
            sb.append(' ');
        }
        sb.append("actions=");
        ActionFormat.appendInstructions(sb, fs.instructions(), NxmNames.protoOf(fs.match()));
        return sb.toString();
    }

    private static void appendTimeouts(StringBuilder sb, int idleTimeoutSec, int hardTimeoutSec) {
        if (idleTimeoutSec != 0) {
            sb.append("idle_timeout=").append(idleTimeoutSec).append(", ");
        }
        if (hardTimeoutSec != 0) {
            sb.append("hard_timeout=").append(hardTimeoutSec).append(", ");
        }
    }

    /** OVS's {@code ofputil_flow_mod_flags_format}: each flag's name and a space. */
    private static void appendFlags(StringBuilder sb, Set<FlowMod.Flag> flags) {
        for (FlowMod.Flag f : FlowMod.Flag.values()) {
            if (flags.contains(f)) {
                sb.append(f.ovsName()).append(' ');
            }
        }
    }

    private static void trimSeparator(StringBuilder sb) {
        int n = sb.length();
        while (n > 0 && (sb.charAt(n - 1) == ' ' || sb.charAt(n - 1) == ',')) {
            n--;
        }
        sb.setLength(n);
    }

    /** The match (with priority unless default) as dump-flows prints it, e.g. {@code priority=100,tcp,tp_dst=80}. */
    public static String formatMatch(Match m, int priority) {
        return MatchSyntax.append(new StringBuilder(), m, priority).toString();
    }

    /** The actions as dump-flows prints them, {@code drop} for none. */
    public static String formatActions(List<OfAction> actions) {
        return ActionFormat.append(new StringBuilder(), actions).toString();
    }

    /** The instructions as dump-flows prints them after {@code actions=}, {@code drop} for none. */
    public static String formatInstructions(List<Instruction> instructions) {
        return ActionFormat.appendInstructions(new StringBuilder(), instructions).toString();
    }
}
