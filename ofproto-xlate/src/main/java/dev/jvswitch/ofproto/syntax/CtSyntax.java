package dev.jvswitch.ofproto.syntax;

import java.util.ArrayList;
import java.util.List;

import dev.jvswitch.flowcache.actions.DpCt;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.action.CtCheck;
import dev.jvswitch.ofproto.action.FieldRef;
import dev.jvswitch.ofproto.action.OfAction;

/**
 * The {@code ct} action in ovs-ofctl syntax, both ways:
 * {@code ct(commit,force,table=N,zone=N|zone=FIELD[a..b],exec(...))}, printed in OVS's order and
 * with OVS's NXM names ({@code ct(table=1,zone=NXM_NX_REG13[0..15])},
 * {@code ct(commit,zone=1,exec(load:0x5->NXM_NX_CT_MARK[]))}). As OVS stores it, an
 * {@code exec(set_field:V->ct_mark)} becomes a {@code load} of the whole field (two 64-bit loads
 * for {@code ct_label}). {@code nat(...)} is printed after the zone, outside {@code exec}, and
 * {@code alg=ftp|tftp} last, as OVS does; {@code timeout} (which OVS's OpenFlow {@code ct} does
 * not have: a zone's timeout policy comes from the configuration) is refused by name.
 */
final class CtSyntax {
    private CtSyntax() {
    }

    /** The fields an {@code exec} may write. */
    static boolean isExecWritable(FlowField f) {
        return f == FlowField.CT_MARK || f == FlowField.CT_LABEL;
    }

    static OfAction parse(ActionSyntax actions, Source src, ActionSyntax.Parts p, int at) {
        boolean commit = false;
        boolean force = false;
        int zone = 0;
        FieldRef zoneSrc = null;
        int table = OfAction.Ct.NO_RECIRC;
        List<OfAction> exec = List.of();
        DpCt.Nat nat = null;
        int alg = 0;
        String arg = p.arg() == null ? "" : p.arg();
        for (Source.Item it : src.split(p.argStart(), p.argStart() + arg.length())) {
            String t = it.text();
            String lower = t.toLowerCase(java.util.Locale.ROOT);
            if (lower.equals("commit")) {
                commit = true;
            } else if (lower.equals("force")) {
                force = true;
            } else if (lower.startsWith("zone=")) {
                String v = t.substring(5);
                if (!v.isEmpty() && Character.isDigit(v.charAt(0))) {
                    zone = (int) actions.parseNumber(v, it.start() + 5, "ct zone", 16);
                } else {
                    zoneSrc = actions.fieldRef(v, it.start() + 5, "ct zone", false);
                    if (zoneSrc.nBits() != 16) {
                        throw src.fail(SyntaxError.BAD_VALUE, it.start() + 5, v, "ct zone", "a 16-bit field range");
                    }
                }
            } else if (lower.startsWith("table=")) {
                long n = actions.parseNumber(t.substring(6), it.start() + 6, "ct table", 8);
                if (n == OfAction.Ct.NO_RECIRC) {
                    throw src.fail(SyntaxError.OUT_OF_RANGE, it.start() + 6, t.substring(6), "ct table", "0..254");
                }
                table = (int) n;
            } else if (lower.startsWith("exec(") && t.endsWith(")")) {
                actions.inCtExec = true;
                try {
                    exec = asLoads(actions.parse(src.split(it.start() + 5, it.start() + t.length() - 1)));
                } finally {
                    actions.inCtExec = false;
                }
            } else if (lower.equals("nat") || lower.startsWith("nat(") && t.endsWith(")")) {
                try {
                    nat = DpCt.parseNat(t);
                } catch (IllegalArgumentException e) {
                    throw src.fail(SyntaxError.BAD_VALUE, it.start(), t, "ct nat", e.getMessage());
                }
            } else if (lower.startsWith("alg=")) {
                String v = lower.substring(4);
                if (v.equals("ftp")) {
                    alg = OfAction.Ct.ALG_FTP;
                } else if (v.equals("tftp")) {
                    alg = OfAction.Ct.ALG_TFTP;
                } else {
                    throw src.fail(SyntaxError.BAD_VALUE, it.start() + 4, t.substring(4), "ct alg", "ftp or tftp");
                }
            } else if (lower.startsWith("timeout=")) {
                throw src.fail(SyntaxError.NOT_SUPPORTED, it.start(), "ct(timeout)", "ct timeout policies");
            } else {
                throw src.fail(SyntaxError.BAD_VALUE, it.start(), t, "ct",
                        "commit, force, table=N, zone=N or FIELD[a..b], nat(...), exec(...), alg=ftp|tftp");
            }
        }
        checkMatch(actions, src, at, commit, nat, alg);
        try {
            return new OfAction.Ct(commit, force, zone, zoneSrc, table, exec, nat, alg);
        } catch (IllegalArgumentException e) {
            throw src.fail(SyntaxError.BAD_VALUE, at, "ct(" + arg + ")", "ct", e.getMessage().replace("ct: ", ""));
        }
    }

    /** {@link CtCheck}: a {@code ct} the flow's match makes inconsistent is refused (not in a group bucket). */
    private static void checkMatch(ActionSyntax actions, Source src, int at, boolean commit, DpCt.Nat nat, int alg) {
        Match m = actions.match();
        CtCheck.Problem p = m == null ? null : CtCheck.problem(m, commit, nat, alg);
        if (p != null) {
            throw p.notAllowed() ? src.fail(SyntaxError.NOT_ALLOWED, at, p.subject(), p.need() + CtCheck.OVS_SAYS)
                    : src.fail(SyntaxError.PREREQUISITE, at, p.subject(), p.need() + CtCheck.OVS_SAYS);
        }
    }

    /** Whole-field set_fields as the loads OVS turns them into. */
    private static List<OfAction> asLoads(List<OfAction> exec) {
        List<OfAction> out = new ArrayList<>(exec.size() + 1);
        for (OfAction a : exec) {
            if (a instanceof OfAction.SetField s && !s.isMasked()) {
                if (s.field().is128()) {
                    out.add(new OfAction.Load(s.value(), FieldRef.range(s.field(), 0, 63)));
                    out.add(new OfAction.Load(s.valueHigh(), FieldRef.range(s.field(), 64, 127)));
                } else {
                    out.add(new OfAction.Load(s.value(), FieldRef.whole(s.field())));
                }
            } else {
                out.add(a);
            }
        }
        return out;
    }

    static void format(StringBuilder sb, OfAction.Ct ct) {
        sb.append("ct(");
        int start = sb.length();
        if (ct.commit()) {
            sb.append("commit,");
        }
        if (ct.force()) {
            sb.append("force,");
        }
        if (ct.table() != OfAction.Ct.NO_RECIRC) {
            sb.append("table=").append(ct.table()).append(',');
        }
        if (ct.zoneSrc() != null) {
            subfield(sb.append("zone="), ct.zoneSrc()).append(',');
        } else if (ct.zoneImm() != 0) {
            sb.append("zone=").append(ct.zoneImm()).append(',');
        }
        if (ct.nat() != null) {
            DpCt.formatOpenFlowNat(sb, ct.nat());
            sb.append(',');
        }
        if (!ct.exec().isEmpty()) {
            sb.append("exec(");
            for (int i = 0; i < ct.exec().size(); i++) {
                OfAction a = ct.exec().get(i);
                if (i > 0) {
                    sb.append(',');
                }
                if (a instanceof OfAction.Load l) {
                    sb.append("load:").append(l.value() == 0 ? "0" : "0x" + Long.toHexString(l.value())).append("->");
                    subfield(sb, l.dst());
                } else {
                    ActionFormat.append(sb, List.of(a));
                }
            }
            sb.append("),");
        }
        if (ct.alg() == OfAction.Ct.ALG_FTP) {
            sb.append("alg=ftp,");
        } else if (ct.alg() == OfAction.Ct.ALG_TFTP) {
            sb.append("alg=tftp,");
        }
        if (sb.length() > start) {
            sb.setLength(sb.length() - 1);
        }
        sb.append(')');
    }

    /** A subfield with its NXM name, as OVS's {@code mf_format_subfield} writes it. */
    static StringBuilder subfield(StringBuilder sb, FieldRef r) {
        sb.append(nxmName(r.field()));
        if (r.isWhole()) {
            return sb.append("[]");
        }
        if (r.nBits() == 1) {
            return sb.append('[').append(r.start()).append(']');
        }
        return sb.append('[').append(r.start()).append("..").append(r.end()).append(']');
    }

    private static String nxmName(FlowField f) {
        String name = f.ovsName();
        if (name.startsWith("reg")) {
            return "NXM_NX_REG" + name.substring(3);
        }
        if (name.startsWith("ct_")) {
            return "NXM_NX_" + name.toUpperCase(java.util.Locale.ROOT);
        }
        return name;
    }
}
