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
import dev.jvswitch.ofproto.tnl.TlvMap;

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

    /**
     * {@link #parseAdd(String)} with bridge's TLV map {@code map}: a {@code tun_metadataN} whose
     * option is longer than 4 bytes is matched and set whole (see {@link TunMetadataText}).
     */
    public static FlowMod parseAdd(String text, TlvMap map) {
        return TunMetadataText.with(map, () -> parseAdd(text));
    }

    /** {@link #parse(String, FlowMod.Command)} with bridge's TLV map {@code map} (see {@link #parseAdd(String, TlvMap)}). */
    public static FlowMod parse(String text, FlowMod.Command command, TlvMap map) {
        return TunMetadataText.with(map, () -> parse(text, command));
    }

    /** {@link #parseMatch(String)} with bridge's TLV map {@code map} (see {@link #parseAdd(String, TlvMap)}). */
    public static Match parseMatch(String text, TlvMap map) {
        return TunMetadataText.with(map, () -> parseMatch(text));
    }

    /** {@link #dumpFlow(FlowStats)} through bridge's TLV map {@code map}: a longer option's {@code tun_metadataN} whole. */
    public static String dumpFlow(FlowStats fs, TlvMap map) {
        return TunMetadataText.with(map, () -> dumpFlow(fs));
    }

    /** {@link #format(FlowMod)} through bridge's TLV map {@code map} (see {@link #dumpFlow(FlowStats, TlvMap)}). */
    public static String format(FlowMod fm, TlvMap map) {
        return TunMetadataText.with(map, () -> format(fm));
    }

    /** {@link #formatMatch(Match, int)} through bridge's TLV map {@code map} (see {@link #dumpFlow(FlowStats, TlvMap)}). */
    public static String formatMatch(Match m, int priority, TlvMap map) {
        return TunMetadataText.with(map, () -> formatMatch(m, priority));
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

    /**
     * What a parse reuses on its thread: the item bounds and, per {@link #ONCE} keyword, the item
     * that gave it. A flow string is parsed on one thread from start to end and no parse starts
     * another.
     */
    private static final class Scratch {
        final Source.Spans spans = new Source.Spans();
        final int[] seenFrom = new int[ONCE.length];
        final int[] seenTo = new int[ONCE.length];
        /** Action texts parsed lately whose instructions do not depend on the match, by hash. */
        final String[] actionTexts = new String[ACTION_CACHE];
        final List<Instruction>[] actionLists = newLists();

        @SuppressWarnings("unchecked")
        private static List<Instruction>[] newLists() {
            return new List[ACTION_CACHE];
        }
    }

    /**
     * Slots of the action cache. Config files repeat a few action texts ({@code output:1},
     * {@code goto_table:1}) over a million lines; each parse of one made the same instructions
     * again, and each add kept its own copy until applied.
     */
    private static final int ACTION_CACHE = 64;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * A flow string for {@code command}. The items are read in place in the text: a name is a
     * known word's constant ({@link Words}), a number or match value is read without cutting a
     * string out of the line (a config has a million of them); only the action items and the
     * rare keywords become objects.
     */
    public static FlowMod parse(String text, FlowMod.Command command) {
        boolean add = command == FlowMod.Command.ADD;
        boolean delete = command.isDelete();
        Source src = new Source(text, KIND);
        Scratch scratch = SCRATCH.get();
        Source.Spans items = scratch.spans;
        src.split(0, text.length(), items);
        int n = items.count;
        MatchSyntax match = new MatchSyntax(src);
        java.util.Arrays.fill(scratch.seenFrom, -1);
        int tableId = add ? 0 : FlowMod.ALL_TABLES;
        int priority = FlowMod.DEFAULT_PRIORITY;
        int idle = 0;
        int hard = 0;
        long[] cookie = {0, 0}; // value, mask: set only by a cookie item
        int outPort = OfPorts.ANY;
        long outGroup = FlowMod.ANY_GROUP;
        Set<FlowMod.Flag> flags = null;
        int actionsItem = -1; // the index of the actions item
        int actionsAt = -1;
        int actionsEq = -1;
        for (int k = 0; k < n; k++) {
            int from = items.from(k);
            int to = items.to(k);
            int eq = indexOf(text, '=', from, to);
            String name = Words.of(text, from, eq < 0 ? to : eq);
            FlowMod.Flag flag = eq < 0 ? FlowMod.Flag.find(name) : null;
            if (flag != null) {
                if (delete) {
                    throw src.fail(SyntaxError.NOT_ALLOWED, from, name, "when deleting flows");
                }
                if (flags == null) {
                    flags = EnumSet.noneOf(FlowMod.Flag.class);
                }
                flags.add(flag);
                continue;
            }
            switch (name) {
                case "actions":
                case "action":
                    if (delete) {
                        throw src.fail(SyntaxError.NOT_ALLOWED, from, name, "when deleting flows");
                    }
                    actionsAt = from;
                    actionsEq = eq;
                    actionsItem = k;
                    k = n;
                    break;
                case "table":
                    once(src, scratch, name, from, to);
                    tableId = (int) number(src, name, from, to, eq, FlowMod.MAX_TABLE_ID);
                    break;
                case "priority":
                    once(src, scratch, name, from, to);
                    priority = (int) number(src, name, from, to, eq, FlowMod.MAX_PRIORITY);
                    break;
                case "idle_timeout":
                    once(src, scratch, name, from, to);
                    idle = (int) number(src, name, from, to, eq, FlowMod.MAX_TIMEOUT_SEC);
                    break;
                case "hard_timeout":
                    once(src, scratch, name, from, to);
                    hard = (int) number(src, name, from, to, eq, FlowMod.MAX_TIMEOUT_SEC);
                    break;
                case "cookie":
                    once(src, scratch, name, from, to);
                    cookie(src, cookie, add, src.item(from, to), value(text, eq, to), eq + 1);
                    break;
                case "out_port":
                case "out_group":
                    if (add) {
                        throw src.fail(SyntaxError.NOT_ALLOWED, from, text.substring(from, to), "when adding a flow");
                    }
                    once(src, scratch, name, from, to);
                    if (name.equals("out_port")) {
                        outPort = port(src, value(text, eq, to), src.item(from, to), eq + 1);
                    } else {
                        outGroup = number(src, name, from, to, eq, OfAction.GroupAction.MAX_ID);
                    }
                    break;
                case "duration":
                case "n_packets":
                case "n_bytes":
                case "idle_age":
                case "hard_age":
                    break;
                default:
                    match.add(from, to, name, eq);
            }
        }
        Match m = match.finish();
        List<Instruction> instructions = List.of();
        if (actionsItem >= 0) {
            // The action items: the value of actions= (if any) and every item after it.
            int from = actionsEq >= 0 && actionsEq + 1 < items.to(actionsItem) ? actionsEq + 1
                    : actionsItem + 1 < n ? items.from(actionsItem + 1) : -1;
            if (from < 0) {
                throw src.fail(SyntaxError.MISSING_VALUE, actionsAt, "actions");
            }
            int slot = actionSlot(text, from);
            // A set_field into tun_metadataN reads through the TLV map in effect: not cached.
            boolean cacheable = text.indexOf("tun_metadata", from) < 0;
            String known = cacheable ? scratch.actionTexts[slot] : null;
            if (known != null && known.length() == text.length() - from
                    && text.regionMatches(from, known, 0, known.length())) {
                instructions = scratch.actionLists[slot];
            } else {
                List<Source.Item> actionItems = new ArrayList<>(n - actionsItem);
                if (from < items.to(actionsItem)) {
                    actionItems.add(src.item(from, items.to(actionsItem)));
                }
                for (int j = actionsItem + 1; j < n; j++) {
                    actionItems.add(src.item(items.from(j), items.to(j)));
                }
                instructions = List.copyOf(new ActionSyntax(src, m).parseInstructions(actionItems));
                if (cacheable && matchFree(instructions)) {
                    scratch.actionTexts[slot] = text.substring(from);
                    scratch.actionLists[slot] = instructions;
                }
            }
        } else if (!delete) {
            throw src.fail(SyntaxError.MISSING, text.length(), "actions");
        }
        return new FlowMod(command, tableId, priority, m, cookie[0], cookie[1], outPort, outGroup, idle, hard,
                flags == null ? Set.of() : flags, instructions);
    }

    /** The action cache slot of the action text {@code text[from, length)}. */
    private static int actionSlot(String text, int from) {
        int h = 0;
        for (int i = from; i < text.length(); i++) {
            h = 31 * h + text.charAt(i);
        }
        return (h ^ h >>> 16) & (ACTION_CACHE - 1);
    }

    /**
     * True if {@code instructions} are ones the action text alone decides: apply-actions of
     * outputs, resubmits and groups, and goto_table. (A field write depends on the match, whose
     * prerequisites it needs: such texts are parsed each time.)
     */
    private static boolean matchFree(List<Instruction> instructions) {
        for (Instruction i : instructions) {
            if (i instanceof Instruction.ApplyActions a) {
                for (OfAction x : a.actions()) {
                    if (!(x instanceof OfAction.Output || x instanceof OfAction.Normal || x instanceof OfAction.Flood
                            || x instanceof OfAction.All || x instanceof OfAction.InPort || x instanceof OfAction.Local
                            || x instanceof OfAction.Resubmit || x instanceof OfAction.GroupAction)) {
                        return false;
                    }
                }
            } else if (!(i instanceof Instruction.GotoTable)) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first {@code c} in {@code text[from, to)}, or -1. */
    private static int indexOf(String text, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** The value of an item whose {@code =} is at {@code eq} (-1: none, null), ending at {@code to}. */
    private static String value(String text, int eq, int to) {
        return eq < 0 ? null : text.substring(eq + 1, to);
    }

    /** {@code cookie=V[/M]} into {@code out}: value, then mask (all ones without one). */
    private static void cookie(Source src, long[] out, boolean add, Source.Item item, String value, int valueAt) {
        int slash = value == null ? -1 : value.indexOf('/');
        String v = slash < 0 ? value : value.substring(0, slash);
        out[0] = number(src, "cookie", v, item, valueAt, -1L);
        if (slash < 0) {
            out[1] = -1L;
            return;
        }
        if (add) {
            throw src.fail(SyntaxError.NOT_ALLOWED, item.start(), item.text(), "when adding a flow");
        }
        try {
            out[1] = FieldText.number(value.substring(slash + 1), 0, 64);
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

    private static void once(Source src, Scratch scratch, String name, int from, int to) {
        int k = 0;
        while (!ONCE[k].equals(name)) {
            k++;
        }
        int before = scratch.seenFrom[k];
        if (before >= 0) {
            String t = src.text();
            throw src.fail(SyntaxError.CONFLICT, from, t.substring(from, to), t.substring(before, scratch.seenTo[k]),
                    before + 1);
        }
        scratch.seenFrom[k] = from;
        scratch.seenTo[k] = to;
    }

    /**
     * The number of the item {@code [from, to)} whose {@code =} is at {@code eq}: a short decimal
     * is read in place; anything else goes through {@link #number(Source, String, String, Source.Item, int, long)},
     * which names what is wrong.
     */
    private static long number(Source src, String name, int from, int to, int eq, long max) {
        String text = src.text();
        if (eq >= 0 && to - eq - 1 > 0 && to - eq - 1 <= 18) {
            long n = 0;
            int i = eq + 1;
            while (i < to && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                n = n * 10 + (text.charAt(i++) - '0');
            }
            if (i == to && (max == -1L || Long.compareUnsigned(n, max) <= 0)) {
                return n;
            }
        }
        return number(src, name, value(text, eq, to), src.item(from, to), eq + 1, max);
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
