package dev.jvswitch.ofproto.syntax;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.FieldRef;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.match.PrerequisiteException;
import dev.jvswitch.ofproto.mod.Instruction;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * The action list of a flow or bucket, in ovs-ofctl syntax, both ways. {@link #parse} reads a
 * bucket's actions, {@link #parseInstructions} the items after a flow's {@code actions=};
 * {@link ActionFormat} writes them back. Action names are
 * case-insensitive; a bare port number or reserved port name is an output.
 *
 * <p>{@code set_field}, {@code load} and {@code move} may write only fields the datapath can set
 * (see {@link #WRITABLE}), and, in a flow, only fields whose prerequisites the flow's match
 * establishes, as OVS checks them.
 */
final class ActionSyntax {
    /**
     * Fields that set_field, load and move may write: those the datapath can set, in_port, and
     * the registers and {@code tun_metadataN} (read by a later output to a Geneve port).
     */
    static final Set<FlowField> WRITABLE = EnumSet.of(FlowField.IN_PORT, FlowField.SKB_MARK, FlowField.TUN_ID,
            FlowField.TUN_SRC, FlowField.TUN_DST, FlowField.TUN_TOS, FlowField.TUN_TTL, FlowField.ETH_SRC,
            FlowField.ETH_DST, FlowField.VLAN_TCI, FlowField.NW_SRC, FlowField.NW_DST, FlowField.NW_TOS,
            FlowField.NW_TTL, FlowField.IPV6_SRC, FlowField.IPV6_DST, FlowField.IPV6_LABEL, FlowField.TP_SRC,
            FlowField.TP_DST, FlowField.METADATA, FlowField.ARP_OP, FlowField.ARP_SPA, FlowField.ARP_TPA,
            FlowField.ARP_SHA, FlowField.ARP_THA, FlowField.ICMP_TYPE, FlowField.ICMP_CODE, FlowField.ICMPV6_TYPE,
            FlowField.ICMPV6_CODE);

    static {
        for (FlowField f : FlowField.values()) {
            if (f.isPipeline() && f.ovsName().contains("reg") || f.isTunnelMetadata()) {
                WRITABLE.add(f);
            }
        }
    }



    private static final String PORT_EXPECTED = "a port number or NORMAL, FLOOD, ALL, IN_PORT, LOCAL, CONTROLLER";

    private final Source src;
    private final Match match;
    /** The parsers of conjunction, multipath and bundle. */
    private final HashActionSyntax more;
    /** True while parsing a {@code ct(exec(...))}, the one place ct_mark and ct_label may be written. */
    boolean inCtExec;
    private final LearnSyntax learn;

    /** The flow's match (null in a group bucket), for the checks of actions against it. */
    Match match() {
        return match;
    }

    /** @param match the flow's match, for prerequisite checks; null in a group bucket */
    ActionSyntax(Source src, Match match) {
        this.src = src;
        this.match = match;
        this.more = new HashActionSyntax(this, src);
        this.learn = new LearnSyntax(this, src);
    }

    /** One action item split into its name and argument (null when there is none). */
    record Parts(String name, String arg, int argStart) {
    }

    /** The actions of {@code items}; {@code drop} must be alone and gives the empty list. */
    List<OfAction> parse(List<Source.Item> items) {
        List<OfAction> out = new ArrayList<>();
        Source.Item drop = null;
        for (Source.Item item : items) {
            OfAction a = parseOne(item);
            if (a == null) {
                drop = item;
            } else {
                out.add(a);
            }
        }
        if (drop != null && items.size() > 1) {
            throw src.fail(SyntaxError.NOT_ALLOWED, drop.start(), "drop", "with other actions");
        }
        return out;
    }

    /**
     * The instructions of a flow's {@code actions=} items: apply-actions first, then
     * {@code clear_actions}, {@code write_actions(...)}, {@code write_metadata:V[/M]} and
     * {@code goto_table:N}, each at most once and in that order (OVS refuses other orders too).
     */
    List<Instruction> parseInstructions(List<Source.Item> items) {
        List<OfAction> apply = new ArrayList<>();
        List<Instruction> rest = new ArrayList<>();
        Source.Item drop = null;
        Source.Item lastItem = null;
        Instruction last = null;
        for (Source.Item item : items) {
            Parts p = split(item);
            int at = item.start();
            Instruction in;
            switch (p.name.toLowerCase(Locale.ROOT)) {
                case "clear_actions":
                    noArg(p, at);
                    in = new Instruction.ClearActions();
                    break;
                case "write_actions":
                    in = new Instruction.WriteActions(writeActions(p, at));
                    break;
                case "write_metadata":
                    in = writeMetadata(p, at);
                    break;
                case "goto_table":
                    in = new Instruction.GotoTable((int) number(p, at, "goto_table", 0, 254));
                    break;
                default:
                    if (last != null) {
                        throw src.fail(SyntaxError.NOT_ALLOWED, at, item.text(), "after " + last.ovsName());
                    }
                    OfAction a = parseOne(item, p);
                    if (a == null) {
                        drop = item;
                    } else {
                        apply.add(a);
                    }
                    continue;
            }
            if (last != null && in.order() <= last.order()) {
                if (in.order() == last.order()) {
                    throw src.fail(SyntaxError.CONFLICT, at, item.text(), lastItem.text(), lastItem.start() + 1);
                }
                throw src.fail(SyntaxError.NOT_ALLOWED, at, item.text(), "after " + last.ovsName());
            }
            rest.add(in);
            last = in;
            lastItem = item;
        }
        if (drop != null && items.size() > 1) {
            throw src.fail(SyntaxError.NOT_ALLOWED, drop.start(), "drop", "with other actions");
        }
        more.checkConjunctions(items, apply);
        List<Instruction> out = new ArrayList<>(rest.size() + 1);
        if (!apply.isEmpty()) {
            out.add(new Instruction.ApplyActions(apply));
        }
        out.addAll(rest);
        return out;
    }

    /** {@code write_actions(a,b,...)}: an action set; {@code goto_table} has no place in it. */
    private List<OfAction> writeActions(Parts p, int at) {
        String arg = need(p, at);
        List<Source.Item> inner = src.split(p.argStart, p.argStart + arg.length());
        for (Source.Item i : inner) {
            if (split(i).name.equalsIgnoreCase("goto_table")) {
                throw src.fail(SyntaxError.NOT_ALLOWED, i.start(), i.text(), "inside write_actions");
            }
        }
        return parse(inner);
    }

    /** {@code write_metadata:value[/mask]}, 64 bits each; no mask writes every bit. */
    private Instruction writeMetadata(Parts p, int at) {
        String arg = need(p, at);
        int slash = arg.indexOf('/');
        long value = parseNumber(slash < 0 ? arg : arg.substring(0, slash), p.argStart, "write_metadata", 64);
        long mask = -1L;
        if (slash >= 0) {
            try {
                mask = FieldText.number(arg.substring(slash + 1), 0, 64);
            } catch (FieldText.Bad bad) {
                throw src.fail(SyntaxError.BAD_MASK, p.argStart + slash + 1, arg.substring(slash + 1),
                        "write_metadata");
            }
        }
        return new Instruction.WriteMetadata(value, mask);
    }

    static Parts split(Source.Item item) {
        int colon = item.indexOf(':');
        int paren = item.indexOf('(');
        int n = item.length();
        if (paren >= 0 && (colon < 0 || paren < colon) && item.text().endsWith(")")) {
            String t = item.text();
            return new Parts(item.name(0, paren), t.substring(paren + 1, n - 1), item.start() + paren + 1);
        }
        if (colon >= 0) {
            return new Parts(item.name(0, colon), item.substring(colon + 1), item.start() + colon + 1);
        }
        return new Parts(item.name(0, n), null, -1);
    }

    /** The action of one item, or null for {@code drop}. */
    private OfAction parseOne(Source.Item item) {
        return parseOne(item, split(item));
    }

    /** {@link #parseOne(Source.Item)} of an item split already. */
    private OfAction parseOne(Source.Item item, Parts p) {
        String name = p.name.toLowerCase(Locale.ROOT);
        int at = item.start();
        if (!name.isEmpty() && Character.isDigit(name.charAt(0)) && p.arg == null) {
            return output(p.name, at, "output");
        }
        if (name.startsWith("check_pkt_larger(")) {
            return PinSyntax.checkPktLarger(this, src, item, at);
        }
        switch (name) {
            case "drop":
                noArg(p, at);
                return null;
            case "output": {
                String arg = need(p, at);
                if (arg.indexOf('[') >= 0) {
                    return PinSyntax.outputReg(src, fieldRef(arg, p.argStart, "output", false),
                            OfAction.Controller.DEFAULT_MAX_LEN, p.argStart, arg);
                }
                return output(arg, p.argStart, "output");
            }
            case "normal":
            case "flood":
            case "all":
            case "in_port":
            case "local":
                noArg(p, at);
                return output(name, at, "output");
            case "controller":
                return PinSyntax.controller(this, src, p);
            case "sample":
                return PinSyntax.sample(this, src, p, at);
            case "meter":
                return PinSyntax.meter(this, src, p, at);
            case "mod_vlan_vid":
                return new OfAction.ModVlanVid((int) number(p, at, "mod_vlan_vid", 0, 4095));
            case "mod_vlan_pcp":
                return new OfAction.ModVlanPcp((int) number(p, at, "mod_vlan_pcp", 0, 7));
            case "strip_vlan":
            case "pop_vlan":
                noArg(p, at);
                return new OfAction.StripVlan();
            case "push_vlan": {
                long tpid = number(p, at, "push_vlan", 0, 0xffff);
                if (tpid != 0x8100 && tpid != 0x88a8) {
                    throw src.fail(SyntaxError.BAD_VALUE, p.argStart, p.arg, "push_vlan", "0x8100 or 0x88a8");
                }
                return new OfAction.PushVlan((int) tpid);
            }
            case "mod_dl_src":
                return new OfAction.ModDlSrc(value(p, at, "mod_dl_src", FlowField.ETH_SRC));
            case "mod_dl_dst":
                return new OfAction.ModDlDst(value(p, at, "mod_dl_dst", FlowField.ETH_DST));
            case "mod_nw_src":
                return new OfAction.ModNwSrc((int) value(p, at, "mod_nw_src", FlowField.NW_SRC));
            case "mod_nw_dst":
                return new OfAction.ModNwDst((int) value(p, at, "mod_nw_dst", FlowField.NW_DST));
            case "mod_nw_tos": {
                long tos = number(p, at, "mod_nw_tos", 0, 255);
                if ((tos & 3) != 0) {
                    throw src.fail(SyntaxError.BAD_VALUE, p.argStart, p.arg, "mod_nw_tos", "a multiple of 4");
                }
                return new OfAction.ModNwTos((int) tos);
            }
            case "mod_nw_ttl":
                return new OfAction.ModNwTtl((int) number(p, at, "mod_nw_ttl", 0, 255));
            case "dec_ttl":
                return decTtl(p);
            case "mod_tp_src":
                return new OfAction.ModTpSrc((int) number(p, at, "mod_tp_src", 0, 65535));
            case "mod_tp_dst":
                return new OfAction.ModTpDst((int) number(p, at, "mod_tp_dst", 0, 65535));
            case "set_field":
                return setField(p, at);
            case "load":
                return load(p, at);
            case "move":
                return move(p, at);
            case "resubmit":
                return resubmit(p, at);
            case "goto_table":
                return new OfAction.GotoTable((int) number(p, at, "goto_table", 0, 254));
            case "group":
                return new OfAction.GroupAction(number(p, at, "group", 0, Group.MAX_ID));
            case "set_tunnel":
            case "set_tunnel64":
                return new OfAction.SetTunnel(number(p, at, name, 0, -1L));
            case "note":
                return note(p, at);
            case "conjunction":
                return more.conjunction(p, at);
            case "multipath":
                return more.multipath(p, at);
            case "clone": {
                String arg = p.arg == null ? "" : p.arg;
                List<OfAction> inner = arg.isEmpty() ? List.of()
                        : parse(src.split(p.argStart, p.argStart + arg.length()));
                return new OfAction.Clone(inner);
            }
            case "push":
                return new OfAction.StackPush(fieldRef(need(p, at), p.argStart, "push", false));
            case "pop":
                return new OfAction.StackPop(fieldRef(need(p, at), p.argStart, "pop", true));
            case "learn":
                return learn.learn(p, at);
            case "bundle":
            case "bundle_load":
                return more.bundle(p, at, name.equals("bundle_load"));
            case "ct":
                return CtSyntax.parse(this, src, p, at);
            case "ct_clear":
                noArg(p, at);
                return new OfAction.CtClear();
            case "fin_timeout":
                return FinTimeoutSyntax.parse(this, src, p);
            default: {
                String feature = Unsupported.action(name);
                if (feature != null) {
                    throw src.fail(SyntaxError.NOT_SUPPORTED, at, Unsupported.actionText(p.name, item.text().startsWith(p.name + "(")), feature);
                }
                throw src.fail(SyntaxError.UNKNOWN_ACTION, at, p.name);
            }
        }
    }

    private OfAction output(String port, int at, String what) {
        long n = OfPorts.reserved(port);
        if (n < 0) {
            if (port.isEmpty() || !Character.isDigit(port.charAt(0))) {
                throw src.fail(SyntaxError.BAD_VALUE, at, port, what, PORT_EXPECTED);
            }
            n = parseNumber(port, at, what, 32);
        }
        switch ((int) n) {
            case OfPorts.NORMAL:
                return new OfAction.Normal();
            case OfPorts.FLOOD:
                return new OfAction.Flood();
            case OfPorts.ALL:
                return new OfAction.All();
            case OfPorts.IN_PORT:
                return new OfAction.InPort();
            case OfPorts.LOCAL:
                return new OfAction.Local();
            case OfPorts.CONTROLLER:
                return new OfAction.Controller(OfAction.Controller.DEFAULT_MAX_LEN);
            default:
                if (!OfPorts.isOutputPort((int) n)) {
                    throw src.fail(SyntaxError.BAD_VALUE, at, port, what, PORT_EXPECTED);
                }
                return new OfAction.Output((int) n);
        }
    }

    private OfAction setField(Parts p, int at) {
        String arg = need(p, at);
        int arrow = arg.indexOf("->");
        if (arrow < 0) {
            throw src.fail(SyntaxError.BAD_VALUE, p.argStart, arg, "set_field", "value->field");
        }
        String fieldName = arg.substring(arrow + 2);
        int fieldAt = p.argStart + arrow + 2;
        FlowField f = destination(fieldName, fieldAt, "set_field");
        String text = arg.substring(0, arrow);
        int reserved = f == FlowField.IN_PORT ? OfPorts.reserved(text) : -1;
        if (reserved >= 0) {
            // set_field:ANY->in_port (ovn-controller's, to let a packet go back out of its port).
            return new OfAction.SetField(f, 0, reserved, 0, f.valueMask());
        }
        try {
            int longLength = TunMetadataText.longLength(f);
            if (longLength > 0) {
                return TunMetadataText.setField(f, text, longLength);
            }
            FieldText.Value v = FieldText.parse(f, text, true);
            if (v.maskHigh() == 0 && v.maskLow() == 0) {
                throw src.fail(SyntaxError.BAD_MASK, p.argStart + text.indexOf('/') + 1,
                        text.substring(text.indexOf('/') + 1), fieldName);
            }
            return new OfAction.SetField(f, v.high(), v.low(), v.maskHigh(), v.maskLow());
        } catch (FieldText.Bad bad) {
            throw bad(bad, p.argStart, fieldName);
        }
    }

    private OfAction load(Parts p, int at) {
        String arg = need(p, at);
        int arrow = arg.indexOf("->");
        if (arrow < 0) {
            throw src.fail(SyntaxError.BAD_VALUE, p.argStart, arg, "load", "value->field[start..end]");
        }
        String v = arg.substring(0, arrow);
        long value = parseNumber(v, p.argStart, "load", 64);
        FieldRef dst = fieldRef(arg.substring(arrow + 2), p.argStart + arrow + 2, "load", true);
        if (dst.nBits() > 64) {
            throw src.fail(SyntaxError.BAD_VALUE, p.argStart + arrow + 2, arg.substring(arrow + 2), "load",
                    "at most 64 bits");
        }
        if (dst.nBits() < 64 && (value >>> dst.nBits()) != 0) {
            throw src.fail(SyntaxError.OUT_OF_RANGE, p.argStart, v, "load", FieldText.range(dst.nBits()));
        }
        return new OfAction.Load(value, dst);
    }

    private OfAction move(Parts p, int at) {
        String arg = need(p, at);
        int arrow = arg.indexOf("->");
        if (arrow < 0) {
            throw src.fail(SyntaxError.BAD_VALUE, p.argStart, arg, "move", "field[..]->field[..]");
        }
        FieldRef from = fieldRef(arg.substring(0, arrow), p.argStart, "move", false);
        FieldRef to = fieldRef(arg.substring(arrow + 2), p.argStart + arrow + 2, "move", true);
        if (from.nBits() != to.nBits()) {
            throw src.fail(SyntaxError.BAD_VALUE, p.argStart, arg, "move", "source and destination of equal width");
        }
        return new OfAction.Move(from, to);
    }

    private OfAction resubmit(Parts p, int at) {
        String arg = need(p, at);
        int comma = arg.indexOf(',');
        String port = comma < 0 ? arg : arg.substring(0, comma);
        int portNo = OfPorts.IN_PORT;
        if (!port.isEmpty()) {
            int reserved = OfPorts.reserved(port);
            portNo = reserved >= 0 ? reserved : (int) parseNumber(port, p.argStart, "resubmit", 16);
        }
        int table = OfAction.Resubmit.CURRENT_TABLE;
        int second = comma < 0 ? -1 : arg.indexOf(',', comma + 1);
        if (second >= 0) {
            String third = arg.substring(second + 1);
            if (third.equals("ct")) {
                throw src.fail(SyntaxError.NOT_SUPPORTED, at, "resubmit(...,ct)", "connection tracking");
            }
            if (!third.isEmpty()) {
                throw src.fail(SyntaxError.BAD_VALUE, p.argStart + second + 1, third, "resubmit", "ct or nothing");
            }
            arg = arg.substring(0, second);
        }
        if (comma >= 0 && comma + 1 < arg.length()) {
            String t = arg.substring(comma + 1);
            table = (int) parseNumber(t, p.argStart + comma + 1, "resubmit", 8);
        }
        return new OfAction.Resubmit(portNo, table);
    }

    private OfAction note(Parts p, int at) {
        String arg = p.arg == null ? "" : p.arg;
        String hex = arg.replace(".", "");
        if (hex.length() % 2 != 0 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw src.fail(SyntaxError.BAD_VALUE, p.argStart, arg, "note", "hex bytes such as 01.02.ab");
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return new OfAction.Note(bytes);
    }

    // ---------------------------------------------------------------- helpers

    String need(Parts p, int at) {
        if (p.arg == null || p.arg.isEmpty()) {
            throw src.fail(SyntaxError.MISSING_VALUE, at, p.name);
        }
        return p.arg;
    }

    /**
     * {@code dec_ttl}, or {@code dec_ttl(id,...)} with the controller ids. As OVS, empty
     * parentheses are the plain form (OVS prints a received empty id list as {@code dec_ttl()}).
     */
    private OfAction decTtl(Parts p) {
        if (p.arg == null || p.arg.isBlank()) {
            return new OfAction.DecTtl();
        }
        List<Integer> ids = new ArrayList<>();
        int from = 0;
        for (String id : p.arg.split(",", -1)) {
            ids.add((int) parseNumber(id.trim(), p.argStart + from, "dec_ttl controller id", 16));
            from += id.length() + 1;
        }
        return new OfAction.DecTtl(ids);
    }

    private void noArg(Parts p, int at) {
        if (p.arg != null) {
            throw src.fail(SyntaxError.UNEXPECTED_VALUE, at, p.name);
        }
    }

    private long number(Parts p, int at, String what, long min, long max) {
        String arg = need(p, at);
        long n = parseNumber(arg, p.argStart, what, 64);
        if (max != -1L && (n < min || n > max)) {
            throw src.fail(SyntaxError.OUT_OF_RANGE, p.argStart, arg, what, min + ".." + max);
        }
        return n;
    }

    long parseNumber(String text, int at, String what, int bits) {
        try {
            return FieldText.number(text, 0, bits);
        } catch (FieldText.Bad bad) {
            throw bad(bad, at, what);
        }
    }

    private long value(Parts p, int at, String what, FlowField f) {
        String arg = need(p, at);
        try {
            return FieldText.scalar(f, arg, 0);
        } catch (FieldText.Bad bad) {
            throw bad(bad, p.argStart, what);
        }
    }

    private SyntaxException bad(FieldText.Bad bad, int base, String what) {
        int at = base + bad.offset;
        switch (bad.error) {
            case BAD_MASK:
                return src.fail(SyntaxError.BAD_MASK, at, bad.quoted, what);
            case OUT_OF_RANGE:
                return src.fail(SyntaxError.OUT_OF_RANGE, at, bad.quoted, what, bad.extra);
            default:
                return src.fail(SyntaxError.BAD_VALUE, at, bad.quoted, what, bad.extra);
        }
    }

    private static FlowField fieldNamed(String name) {
        FlowField f = MatchSyntax.fieldNamed(name);
        return f != null ? f : NxmNames.field(name);
    }

    /** A writable field named {@code name} whose prerequisites the match establishes. */
    private FlowField destination(String name, int at, String what) {
        FlowField f = fieldNamed(name);
        if (f == null) {
            throw unknownField(name, at);
        }
        if (!WRITABLE.contains(f) && !(inCtExec && CtSyntax.isExecWritable(f))) {
            throw src.fail(SyntaxError.NOT_ALLOWED, at, name, "as a " + what + " destination");
        }
        checkPrereq(f, name, at);
        return f;
    }

    private SyntaxException unknownField(String name, int at) {
        String feature = Unsupported.field(name);
        return feature != null ? src.fail(SyntaxError.NOT_SUPPORTED, at, name, feature)
                : src.fail(SyntaxError.UNKNOWN_FIELD, at, name);
    }

    private void checkPrereq(FlowField f, String name, int at) {
        if (match != null && !match.establishes(f.prereq())) {
            throw src.fail(SyntaxError.PREREQUISITE, at, name, PrerequisiteException.describe(f.prereq()));
        }
    }

    /** {@code name}, {@code name[]}, {@code name[i]} or {@code name[start..end]}. */
    FieldRef fieldRef(String text, int at, String what, boolean isDestination) {
        int open = text.indexOf('[');
        String name = open < 0 ? text : text.substring(0, open);
        FlowField f;
        if (isDestination) {
            f = destination(name, at, what);
        } else {
            f = fieldNamed(name);
            if (f == null) {
                throw unknownField(name, at);
            }
            checkPrereq(f, name, at);
        }
        return range(f, name, text, open, at, what);
    }

    /** A subfield of any field, checked for nothing but its bits (learn checks the rest). */
    FieldRef subfield(String text, int at, String what) {
        int open = text.indexOf('[');
        String name = open < 0 ? text : text.substring(0, open);
        FlowField f = fieldNamed(name);
        if (f == null) {
            throw unknownField(name, at);
        }
        return range(f, name, text, open, at, what);
    }

    /** {@link #subfield}, or null if {@code text} names no field (it may be a value). */
    FieldRef subfieldOrNull(String text, int at, String what) {
        int open = text.indexOf('[');
        String name = open < 0 ? text : text.substring(0, open);
        FlowField f = fieldNamed(name);
        return f == null ? null : range(f, name, text, open, at, what);
    }

    /** A source field needs its prerequisites in the flow's match (OVS's {@code mf_check_src}). */
    void checkSourcePrereq(FlowField f, String name, int at) {
        checkPrereq(f, name, at);
    }

    /**
     * The bits of {@code f} that {@code text} names. OVS's {@code in_port} and
     * {@code NXM_OF_IN_PORT} are 16 bits wide ({@code in_port_oxm}, {@code OXM_OF_IN_PORT} 32).
     */
    private FieldRef range(FlowField f, String name, String text, int open, int at, String what) {
        int width = f == FlowField.IN_PORT && (name.equals("in_port") || name.equals("NXM_OF_IN_PORT"))
                ? NxmNames.IN_PORT_16 : f.widthBits();
        if (open < 0 || text.equals(name + "[]")) {
            return new FieldRef(f, 0, width);
        }
        String expected = "bits within the field's " + width + ", as " + name + "[start..end]";
        if (!text.endsWith("]")) {
            throw src.fail(SyntaxError.BAD_VALUE, at, text, what, expected);
        }
        String range = text.substring(open + 1, text.length() - 1);
        int dots = range.indexOf("..");
        try {
            int start = Integer.parseInt(dots < 0 ? range : range.substring(0, dots));
            int end = dots < 0 ? start : Integer.parseInt(range.substring(dots + 2));
            if (end >= width) {
                throw new IllegalArgumentException();
            }
            return FieldRef.range(f, start, end);
        } catch (IllegalArgumentException e) {
            throw src.fail(SyntaxError.BAD_VALUE, at, text, what, expected);
        }
    }
}
