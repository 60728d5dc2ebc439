package dev.jvswitch.ofproto.syntax;

import java.util.ArrayList;
import java.util.List;

import dev.jvswitch.flowcache.key.FieldFormat;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.FieldRef;
import dev.jvswitch.ofproto.action.LearnSpec;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.match.PrerequisiteException;

/**
 * {@code learn(...)} in ovs-ofctl syntax, both ways (OVS's {@code learn_parse} and
 * {@code learn_format}). The arguments are {@code key=value} settings ({@code table},
 * {@code priority}, {@code idle_timeout}, {@code hard_timeout}, {@code fin_idle_timeout},
 * {@code fin_hard_timeout}, {@code cookie},
 * {@code send_flow_rem}, {@code delete_learned}, {@code limit}, {@code result_dst}) and specs
 * ({@link LearnSpec}). As OVS checks them: a source field needs its prerequisites in the learning
 * flow's match; a field the learned flow matches needs its prerequisites among the immediate
 * values before it ({@code eth_type=0x800} before {@code NXM_OF_IP_SRC[]}); a load destination
 * must be writable.
 */
final class LearnSyntax {
    private final ActionSyntax syntax;
    private final Source src;

    LearnSyntax(ActionSyntax syntax, Source src) {
        this.syntax = syntax;
        this.src = src;
    }

    /** The learn of {@code p} (its argument is everything inside the parentheses). */
    OfAction learn(ActionSyntax.Parts p, int at) {
        String arg = p.arg() == null ? "" : p.arg();
        int table = OfAction.Learn.DEFAULT_TABLE;
        int idle = 0;
        int hard = 0;
        int finIdle = 0;
        int finHard = 0;
        int priority = 32768;
        long cookie = 0;
        boolean flowRem = false;
        boolean deleteLearned = false;
        int limit = 0;
        FieldRef resultDst = null;
        List<LearnSpec> specs = new ArrayList<>();
        Match.Builder learned = Match.builder();
        for (Source.Item item : src.split(p.argStart(), p.argStart() + arg.length())) {
            String t = item.text();
            int eq = t.indexOf('=');
            int colon = t.indexOf(':');
            boolean isKeyValue = eq > 0 && (colon < 0 || eq < colon);
            String name = isKeyValue ? t.substring(0, eq) : colon > 0 ? t.substring(0, colon) : t;
            String value = isKeyValue ? t.substring(eq + 1) : colon > 0 ? t.substring(colon + 1) : null;
            int valueAt = item.start() + name.length() + 1;
            switch (name) {
                case "table":
                    table = (int) number(value, valueAt, item, "learn table", 254);
                    break;
                case "priority":
                    priority = (int) number(value, valueAt, item, "learn priority", 65535);
                    break;
                case "idle_timeout":
                    idle = (int) number(value, valueAt, item, "learn idle_timeout", 65535);
                    break;
                case "hard_timeout":
                    hard = (int) number(value, valueAt, item, "learn hard_timeout", 65535);
                    break;
                case "fin_idle_timeout":
                    finIdle = (int) number(value, valueAt, item, "learn fin_idle_timeout", 65535);
                    break;
                case "fin_hard_timeout":
                    finHard = (int) number(value, valueAt, item, "learn fin_hard_timeout", 65535);
                    break;
                case "cookie":
                    cookie = syntax.parseNumber(need(value, item), valueAt, "learn cookie", 64);
                    break;
                case "send_flow_rem":
                    flowRem = noValue(value, item);
                    break;
                case "delete_learned":
                    deleteLearned = noValue(value, item);
                    break;
                case "limit":
                    limit = (int) number(value, valueAt, item, "learn limit", 0xffff_ffffL >>> 1);
                    break;
                case "result_dst":
                    resultDst = syntax.fieldRef(need(value, item), valueAt, "learn result_dst", true);
                    if (resultDst.nBits() != 1) {
                        throw src.fail(SyntaxError.BAD_VALUE, valueAt, value, "learn result_dst", "a single bit");
                    }
                    break;
                case "load":
                    specs.add(load(need(value, item), valueAt, learned));
                    break;
                case "output":
                    specs.add(LearnSpec.fromField(LearnSpec.Kind.OUTPUT,
                            syntax.fieldRef(need(value, item), valueAt, "learn output", false), null));
                    break;
                default:
                    if (!isKeyValue && colon > 0) {
                        throw src.fail(SyntaxError.BAD_VALUE, item.start(), t, "learn",
                                "a setting, field[=value], load:...->field or output:field");
                    }
                    specs.add(match(name, value, item, learned));
            }
        }
        return new OfAction.Learn(table, idle, hard, finIdle, finHard, priority, cookie, flowRem, deleteLearned, limit,
                resultDst, specs);
    }

    /** {@code dst[=src|=value]}: a field the learned flow matches. */
    private LearnSpec match(String name, String value, Source.Item item, Match.Builder learned) {
        int at = item.start();
        FieldRef dst = syntax.subfield(name, at, "learn");
        checkLearnedPrereq(dst.field(), name, at, learned);
        if (value == null) {
            syntax.checkSourcePrereq(dst.field(), name, at);
            return LearnSpec.fromField(LearnSpec.Kind.MATCH, dst, dst);
        }
        int valueAt = at + name.length() + 1;
        FieldRef from = syntax.subfieldOrNull(value, valueAt, "learn");
        if (from != null) {
            syntax.checkSourcePrereq(from.field(), value, valueAt);
            if (from.nBits() != dst.nBits()) {
                throw src.fail(SyntaxError.BAD_VALUE, valueAt, value, "learn " + name,
                        "a field of " + dst.nBits() + " bits");
            }
            return LearnSpec.fromField(LearnSpec.Kind.MATCH, from, dst);
        }
        long high;
        long low;
        FlowField f = dst.field();
        if (isWholeOvs(dst)) {
            try {
                FieldText.Value v = FieldText.parse(f, value, false);
                high = v.high();
                low = v.low();
            } catch (FieldText.Bad bad) {
                throw src.fail(SyntaxError.BAD_VALUE, valueAt, value, "learn " + name, "a field or a value of "
                        + name);
            }
        } else {
            high = 0;
            low = syntax.parseNumber(value, valueAt, "learn " + name, 64);
            if (dst.nBits() < 64 && (low >>> dst.nBits()) != 0) {
                throw src.fail(SyntaxError.OUT_OF_RANGE, valueAt, value, "learn " + name,
                        FieldText.range(dst.nBits()));
            }
        }
        LearnSpec spec = LearnSpec.immediate(LearnSpec.Kind.MATCH, high, low, dst);
        setImmediate(learned, spec);
        return spec;
    }

    /** {@code load:value->dst} or {@code load:src->dst}. */
    private LearnSpec load(String value, int at, Match.Builder learned) {
        int arrow = value.indexOf("->");
        if (arrow <= 0) {
            throw src.fail(SyntaxError.BAD_VALUE, at, value, "learn load", "value->field or field->field");
        }
        String from = value.substring(0, arrow);
        String to = value.substring(arrow + 2);
        int toAt = at + arrow + 2;
        FieldRef dst = syntax.subfield(to, toAt, "learn load");
        if (!ActionSyntax.WRITABLE.contains(dst.field())) {
            throw src.fail(SyntaxError.NOT_ALLOWED, toAt, to, "as a learn load destination");
        }
        checkLearnedPrereq(dst.field(), to, toAt, learned);
        if (!from.isEmpty() && Character.isDigit(from.charAt(0))) {
            if (dst.nBits() > 64) {
                throw src.fail(SyntaxError.BAD_VALUE, toAt, to, "learn load", "at most 64 bits");
            }
            long v = syntax.parseNumber(from, at, "learn load", 64);
            if (dst.nBits() < 64 && (v >>> dst.nBits()) != 0) {
                throw src.fail(SyntaxError.OUT_OF_RANGE, at, from, "learn load", FieldText.range(dst.nBits()));
            }
            return LearnSpec.immediate(LearnSpec.Kind.LOAD, 0, v, dst);
        }
        FieldRef source = syntax.fieldRef(from, at, "learn load", false);
        if (source.nBits() != dst.nBits()) {
            throw src.fail(SyntaxError.BAD_VALUE, at, value, "learn load", "source and destination of equal width");
        }
        return LearnSpec.fromField(LearnSpec.Kind.LOAD, source, dst);
    }

    /** The learned flow's own match must establish {@code f}'s prerequisites (OVS's learn_check). */
    private void checkLearnedPrereq(FlowField f, String name, int at, Match.Builder learned) {
        if (!learned.buildUnchecked().establishes(f.prereq())) {
            throw src.fail(SyntaxError.PREREQUISITE, at, name, PrerequisiteException.describe(f.prereq())
                    + " earlier in the learn");
        }
    }

    private static void setImmediate(Match.Builder b, LearnSpec spec) {
        FieldRef dst = spec.dst();
        b.setBits(dst.field(), dst.start(), dst.nBits(), spec.valueHigh(), spec.value());
    }

    /** True if {@code ref} is the whole field as OVS sees it (OVS's in_port is 16 bits). */
    static boolean isWholeOvs(FieldRef ref) {
        return ref.isWhole()
                || ref.field() == FlowField.IN_PORT && ref.start() == 0 && ref.nBits() == NxmNames.IN_PORT_16;
    }

    private long number(String value, int at, Source.Item item, String what, long max) {
        long n = syntax.parseNumber(need(value, item), at, what, 64);
        if (n < 0 || n > max) {
            throw src.fail(SyntaxError.OUT_OF_RANGE, at, value, what, "0.." + max);
        }
        return n;
    }

    private String need(String value, Source.Item item) {
        if (value == null || value.isEmpty()) {
            throw src.fail(SyntaxError.MISSING_VALUE, item.start(), item.text());
        }
        return value;
    }

    private boolean noValue(String value, Source.Item item) {
        if (value != null) {
            throw src.fail(SyntaxError.UNEXPECTED_VALUE, item.start(), item.text());
        }
        return true;
    }

    // ---------------------------------------------------------------- format

    /** Appends {@code l} as OVS's {@code learn_format} writes it; {@code proto} names port fields. */
    static void append(StringBuilder sb, OfAction.Learn l, int proto) {
        sb.append("learn(table=").append(l.table());
        if (l.idleTimeout() != 0) {
            sb.append(",idle_timeout=").append(l.idleTimeout());
        }
        if (l.hardTimeout() != 0) {
            sb.append(",hard_timeout=").append(l.hardTimeout());
        }
        if (l.finIdleTimeout() != 0) {
            sb.append(",fin_idle_timeout=").append(l.finIdleTimeout());
        }
        if (l.finHardTimeout() != 0) {
            sb.append(",fin_hard_timeout=").append(l.finHardTimeout());
        }
        if (l.priority() != 32768) {
            sb.append(",priority=").append(l.priority());
        }
        if (l.sendFlowRem()) {
            sb.append(",send_flow_rem");
        }
        if (l.deleteLearned()) {
            sb.append(",delete_learned");
        }
        if (l.cookie() != 0) {
            sb.append(",cookie=0x").append(Long.toHexString(l.cookie()));
        }
        if (l.limit() != 0) {
            sb.append(",limit=").append(l.limit());
        }
        if (l.resultDst() != null) {
            NxmNames.subfield(sb.append(",result_dst="), l.resultDst(), proto);
        }
        // The learned flow's own protocol names its port fields once a spec fixes it.
        int learnedProto = 0;
        for (LearnSpec s : l.specs()) {
            sb.append(',');
            FieldRef dst = s.dst();
            switch (s.kind()) {
                case MATCH:
                    if (s.isImmediate()) {
                        if (dst.field() == FlowField.NW_PROTO && dst.isWhole()) {
                            learnedProto = (int) s.value();
                        }
                        if (isWholeOvs(dst)) {
                            sb.append(NxmNames.mfName(dst.field(), learnedProto)).append('=');
                            appendValue(sb, dst.field(), s.valueHigh(), s.value());
                        } else {
                            NxmNames.subfield(sb, dst, learnedProto).append('=');
                            appendSubvalue(sb, s.valueHigh(), s.value());
                        }
                    } else {
                        NxmNames.subfield(sb, dst, learnedProto);
                        if (s.src().field() != dst.field() || s.src().start() != dst.start()) {
                            NxmNames.subfield(sb.append('='), s.src(), proto);
                        }
                    }
                    break;
                case LOAD:
                    sb.append("load:");
                    if (s.isImmediate()) {
                        appendSubvalue(sb, s.valueHigh(), s.value());
                    } else {
                        NxmNames.subfield(sb, s.src(), proto);
                    }
                    NxmNames.subfield(sb.append("->"), dst, learnedProto);
                    break;
                default:
                    NxmNames.subfield(sb.append("output:"), s.src(), proto);
            }
        }
        sb.append(')');
    }

    /** A whole field's value as OVS's {@code mf_format} writes it (no mask). */
    private static void appendValue(StringBuilder sb, FlowField f, long high, long low) {
        if (f.is128() && f.format() == FieldFormat.HEX) {
            FieldText.appendHex128(sb, high, low, -1L, -1L);
        } else if (f.is128()) {
            FieldText.append128(sb, high, low, -1L, -1L);
        } else {
            FieldText.append(sb, f, low, f.valueMask());
        }
    }

    /** OVS's {@code mf_format_subvalue}: {@code 0x} and hex without leading zeros, or {@code 0}. */
    static void appendSubvalue(StringBuilder sb, long high, long low) {
        if (high != 0) {
            sb.append("0x").append(Long.toHexString(high));
            String l = Long.toHexString(low);
            sb.append("0".repeat(16 - l.length())).append(l);
        } else if (low != 0) {
            sb.append("0x").append(Long.toHexString(low));
        } else {
            sb.append('0');
        }
    }
}
