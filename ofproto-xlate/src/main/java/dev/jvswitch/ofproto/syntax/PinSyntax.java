package dev.jvswitch.ofproto.syntax;

import java.util.Locale;

import dev.jvswitch.ofproto.action.FieldRef;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * The actions OVN's controller traffic uses, in ovs-ofctl syntax both ways (OVS's
 * {@code parse_CONTROLLER}/{@code format_CONTROLLER}, {@code _SAMPLE}, {@code _CHECK_PKT_LARGER},
 * {@code _OUTPUT_REG}, {@code _METER}): {@code controller(reason=..,max_len=..,id=..,userdata=..,
 * pause,meter_id=..)}, {@code sample(...)}, {@code check_pkt_larger(N)->FIELD[bit]},
 * {@code output:FIELD[..]} and {@code meter:N}. A controller action with nothing but a max_len
 * prints as {@code CONTROLLER:N}, as ovs-ofctl does.
 */
final class PinSyntax {
    private PinSyntax() {
    }

    static OfAction.Controller controller(ActionSyntax syntax, Source src, ActionSyntax.Parts p) {
        if (p.arg() == null) {
            return new OfAction.Controller(OfAction.Controller.DEFAULT_MAX_LEN);
        }
        String arg = p.arg();
        if (!arg.contains("=") && !arg.equals("pause") && !arg.isEmpty()) {
            // controller:N
            long n = syntax.parseNumber(arg, p.argStart(), "controller", 16);
            return new OfAction.Controller((int) n);
        }
        int maxLen = OfAction.Controller.DEFAULT_MAX_LEN;
        int reason = OfAction.Controller.REASON_ACTION;
        int id = 0;
        byte[] userdata = null;
        boolean pause = false;
        long meter = OfAction.Controller.NO_METER;
        for (Source.Item item : src.split(p.argStart(), p.argStart() + arg.length())) {
            String t = item.text();
            int eq = t.indexOf('=');
            String key = eq < 0 ? t : t.substring(0, eq);
            if (key.equals("pause") && eq < 0) {
                pause = true;
                continue;
            }
            if (eq < 0 || eq == t.length() - 1) {
                throw src.fail(SyntaxError.MISSING_VALUE, item.start(), "controller " + key);
            }
            String value = t.substring(eq + 1);
            int at = item.start() + eq + 1;
            switch (key) {
                case "max_len" -> maxLen = (int) ranged(syntax, src, value, at, "controller max_len", 65535);
                case "id" -> id = (int) ranged(syntax, src, value, at, "controller id", 65535);
                case "meter_id" -> meter = ranged(syntax, src, value, at, "controller meter_id", 0xffff_ffffL);
                case "reason" -> {
                    reason = OfAction.Controller.REASONS.indexOf(value.toLowerCase(Locale.ROOT));
                    if (reason < 0) {
                        throw src.fail(SyntaxError.BAD_VALUE, at, value, "controller reason",
                                String.join(", ", OfAction.Controller.REASONS));
                    }
                }
                case "userdata" -> userdata = hex(src, value, at, "controller userdata");
                default -> throw src.fail(SyntaxError.BAD_VALUE, item.start(), t, "controller",
                        "reason, max_len, id, userdata, pause or meter_id");
            }
        }
        return new OfAction.Controller(maxLen, reason, id, userdata, pause, meter);
    }

    static OfAction.Sample sample(ActionSyntax syntax, Source src, ActionSyntax.Parts p, int at) {
        String arg = syntax.need(p, at);
        int probability = -1;
        long collector = 0;
        long domain = 0;
        long point = 0;
        int port = OfAction.Sample.NO_PORT;
        int direction = 0;
        for (Source.Item item : src.split(p.argStart(), p.argStart() + arg.length())) {
            String t = item.text();
            int eq = t.indexOf('=');
            String key = eq < 0 ? t : t.substring(0, eq);
            if (eq < 0 && (key.equals("ingress") || key.equals("egress"))) {
                direction = key.equals("ingress") ? 1 : 2;
                continue;
            }
            if (eq < 0 || eq == t.length() - 1) {
                throw src.fail(SyntaxError.MISSING_VALUE, item.start(), "sample " + key);
            }
            String value = t.substring(eq + 1);
            int vat = item.start() + eq + 1;
            switch (key) {
                case "probability" -> {
                    probability = (int) ranged(syntax, src, value, vat, "sample probability", 65535);
                    if (probability == 0) {
                        throw src.fail(SyntaxError.OUT_OF_RANGE, vat, value, "sample probability", "1..65535");
                    }
                }
                case "collector_set_id" -> collector = ranged(syntax, src, value, vat, "sample " + key, 0xffff_ffffL);
                case "obs_domain_id" -> domain = ranged(syntax, src, value, vat, "sample " + key, 0xffff_ffffL);
                case "obs_point_id" -> point = ranged(syntax, src, value, vat, "sample " + key, 0xffff_ffffL);
                case "sampling_port" -> {
                    long n = OfPorts.reserved(value);
                    port = (int) (n >= 0 ? n : ranged(syntax, src, value, vat, "sample sampling_port", OfPorts.NONE));
                }
                default -> throw src.fail(SyntaxError.BAD_VALUE, item.start(), t, "sample",
                        "probability, collector_set_id, obs_domain_id, obs_point_id, sampling_port, ingress or egress");
            }
        }
        if (probability < 0) {
            throw src.fail(SyntaxError.MISSING, at, "sample probability");
        }
        return new OfAction.Sample(probability, collector, domain, point, port, direction);
    }

    /** {@code check_pkt_larger(N)->FIELD[bit]}: {@code p} split at the parenthesis. */
    static OfAction.CheckPktLarger checkPktLarger(ActionSyntax syntax, Source src, Source.Item item, int at) {
        String t = item.text();
        int open = t.indexOf('(');
        int close = t.indexOf(")->");
        if (open < 0 || close < open) {
            throw src.fail(SyntaxError.BAD_VALUE, at, t, "check_pkt_larger", "check_pkt_larger(N)->FIELD[bit]");
        }
        String n = t.substring(open + 1, close);
        long len = ranged(syntax, src, n, at + open + 1, "check_pkt_larger", 65535);
        FieldRef dst = syntax.fieldRef(t.substring(close + 3), at + close + 3, "check_pkt_larger", true);
        if (dst.nBits() != 1) {
            throw src.fail(SyntaxError.BAD_VALUE, at + close + 3, t.substring(close + 3), "check_pkt_larger",
                    "a one-bit destination");
        }
        return new OfAction.CheckPktLarger((int) len, dst);
    }

    static OfAction.OutputReg outputReg(Source src, FieldRef ref, int maxLen, int at, String text) {
        if (ref == null || ref.nBits() > 32) {
            throw src.fail(SyntaxError.BAD_VALUE, at, text, "output", "a field of at most 32 bits");
        }
        return new OfAction.OutputReg(ref, maxLen);
    }

    static OfAction.Meter meter(ActionSyntax syntax, Source src, ActionSyntax.Parts p, int at) {
        String arg = syntax.need(p, at);
        long n = syntax.parseNumber(arg, p.argStart(), "meter", 32);
        if (n < 1 || n > 0xffff_0000L) {
            throw src.fail(SyntaxError.OUT_OF_RANGE, p.argStart(), arg, "meter", "1..4294901760");
        }
        return new OfAction.Meter(n);
    }

    // ---------------------------------------------------------------- printing

    static void appendController(StringBuilder sb, OfAction.Controller c) {
        if (c.plain()) {
            sb.append("CONTROLLER:").append(c.maxLen());
            return;
        }
        int start = sb.length();
        sb.append("controller(");
        if (c.reason() != OfAction.Controller.REASON_ACTION) {
            sb.append("reason=").append(OfAction.Controller.REASONS.get(c.reason())).append(',');
        }
        if (c.maxLen() != OfAction.Controller.DEFAULT_MAX_LEN) {
            sb.append("max_len=").append(c.maxLen()).append(',');
        }
        if (c.controllerId() != 0) {
            sb.append("id=").append(c.controllerId()).append(',');
        }
        if (c.userdataLength() > 0) {
            appendHex(sb.append("userdata="), c.userdata()).append(',');
        }
        if (c.pause()) {
            sb.append("pause,");
        }
        if (c.meterId() != OfAction.Controller.NO_METER) {
            sb.append("meter_id=").append(c.meterId()).append(',');
        }
        if (sb.charAt(sb.length() - 1) == ',') {
            sb.setLength(sb.length() - 1);
        }
        sb.append(')');
        assert sb.length() > start;
    }

    static void appendSample(StringBuilder sb, OfAction.Sample s) {
        sb.append("sample(probability=").append(s.probability()).append(",collector_set_id=")
                .append(s.collectorSetId()).append(",obs_domain_id=").append(s.obsDomainId())
                .append(",obs_point_id=").append(s.obsPointId());
        if (s.samplingPort() != OfAction.Sample.NO_PORT) {
            sb.append(",sampling_port=");
            sb.append(OfPorts.format(s.samplingPort()));
        }
        if (s.direction() == 1) {
            sb.append(",ingress");
        } else if (s.direction() == 2) {
            sb.append(",egress");
        }
        sb.append(')');
    }

    /** As OVS 3.1: {@code output:FIELD[..]}, the max_len (from the wire only) not printed. */
    static void appendOutputReg(StringBuilder sb, OfAction.OutputReg o, int proto) {
        NxmNames.subfield(sb.append("output:"), o.src(), proto);
    }

    static StringBuilder appendHex(StringBuilder sb, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            sb.append(i == 0 ? "" : ".").append(Character.forDigit((bytes[i] >> 4) & 0xf, 16))
                    .append(Character.forDigit(bytes[i] & 0xf, 16));
        }
        return sb;
    }

    // ---------------------------------------------------------------- helpers

    private static long ranged(ActionSyntax syntax, Source src, String value, int at, String what, long max) {
        long n = syntax.parseNumber(value, at, what, 64);
        if (n < 0 || n > max) {
            throw src.fail(SyntaxError.OUT_OF_RANGE, at, value, what, "0.." + max);
        }
        return n;
    }

    private static byte[] hex(Source src, String value, int at, String what) {
        String hex = value.replace(".", "");
        if (hex.length() % 2 != 0 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw src.fail(SyntaxError.BAD_VALUE, at, value, what, "hex bytes such as 01.02.ab");
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
