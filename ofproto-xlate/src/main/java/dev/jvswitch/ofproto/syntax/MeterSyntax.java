package dev.jvswitch.ofproto.syntax;

import java.util.ArrayList;
import java.util.List;

import dev.jvswitch.ofproto.meter.Meter;
import dev.jvswitch.ofproto.meter.MeterBand;
import dev.jvswitch.ofproto.mod.MeterMod;

/**
 * ovs-ofctl meter strings, one producer of {@link MeterMod}s ({@code add-meter},
 * {@code mod-meter}, {@code del-meters}) and the printer of {@code dump-meters} and
 * {@code meter-stats}: {@code meter=1,pktps,burst,stats,bands=type=drop,rate=10,burst_size=5}.
 *
 * <p>As OVS's {@code parse_ofp_meter_mod_str}: the header (the id, the flags {@code kbps},
 * {@code pktps}, {@code burst}, {@code stats}) comes before {@code bands=}; each band starts with
 * {@code type=} and has a {@code rate}, a {@code burst_size} exactly when the meter has the
 * {@code burst} flag, and a {@code prec_level} only for {@code dscp_remark}. Items are separated
 * by commas or white space, names from values by {@code =}. Errors name the token and column.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class MeterSyntax {
    private static final String KIND = "meter";

    private MeterSyntax() {
    }

    /** An {@code add-meter} string. */
    public static MeterMod parseAdd(String text) {
        return new MeterMod(MeterMod.Command.ADD, parse(text, true));
    }

    /** A {@code mod-meter} string. */
    public static MeterMod parseModify(String text) {
        return new MeterMod(MeterMod.Command.MODIFY, parse(text, true));
    }

    /** A {@code del-meters} string: {@code meter=N}, {@code meter=all}, or nothing for every meter. */
    public static MeterMod parseDelete(String text) {
        return MeterMod.delete(text == null || text.isBlank() ? Meter.ALL : parse(text, false).meterId());
    }

    /** A {@code dump-meters} or {@code meter-stats} selection: as {@link #parseDelete}, the meter id. */
    public static long parseSelection(String text) {
        return parseDelete(text).meterId();
    }

    /** A token of the text: its characters and where it starts. */
    private record Token(String text, int at) {
    }

    /** The tokens of {@code text[from, to)}: runs of characters other than {@code =}, comma and white space. */
    private static List<Token> tokens(String text, int from, int to) {
        List<Token> out = new ArrayList<>();
        int i = from;
        while (i < to) {
            char ch = text.charAt(i);
            if (ch == '=' || ch == ',' || Character.isWhitespace(ch)) {
                i++;
                continue;
            }
            int start = i;
            while (i < to && text.charAt(i) != '=' && text.charAt(i) != ',' && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            out.add(new Token(text.substring(start, i), start));
        }
        return out;
    }

    private static Meter parse(String text, boolean full) {
        Source src = new Source(text, KIND);
        int bandAt = full ? text.indexOf("band") : -1;
        int bandsFrom = -1;
        if (full) {
            int eq = bandAt < 0 ? -1 : text.indexOf('=', bandAt);
            if (eq < 0) {
                throw src.fail(SyntaxError.MISSING, Math.max(0, text.length() - 1), "bands=");
            }
            bandsFrom = eq + 1;
        }
        List<Token> head = tokens(text, 0, full ? bandAt : text.length());
        long id = 0;
        int flags = 0;
        for (int k = 0; k < head.size(); k++) {
            Token t = head.get(k);
            switch (full ? t.text() : "") {
                case "kbps" -> flags |= Meter.KBPS;
                case "pktps" -> flags |= Meter.PKTPS;
                case "burst" -> flags |= Meter.BURST;
                case "stats" -> flags |= Meter.STATS;
                default -> {
                    if (!t.text().equals("meter")) {
                        throw src.fail(SyntaxError.UNKNOWN_FIELD, t.at(), t.text());
                    }
                    if (++k >= head.size()) {
                        throw src.fail(SyntaxError.MISSING_VALUE, t.at(), "meter");
                    }
                    id = meterId(src, head.get(k));
                }
            }
        }
        if (id == 0) {
            throw src.fail(SyntaxError.MISSING, 0, "meter");
        }
        if (!full) {
            return new Meter(id, 0, List.of());
        }
        if (flags == 0) {
            throw src.fail(SyntaxError.MISSING, 0, "kbps' or 'pktps");
        }
        return new Meter(id, flags, bands(src, tokens(text, bandsFrom, text.length()), flags));
    }

    private static long meterId(Source src, Token v) {
        switch (v.text()) {
            case "all":
                return Meter.ALL;
            case "controller":
                return Meter.CONTROLLER;
            case "slowpath":
                return Meter.SLOWPATH;
            default:
                long id = number(src, v, "meter", 0xffff_ffffL);
                if (id == 0 || id > Meter.MAX) {
                    throw src.fail(SyntaxError.OUT_OF_RANGE, v.at(), v.text(), "meter", "1.." + Meter.MAX);
                }
                return id;
        }
    }

    private static List<MeterBand> bands(Source src, List<Token> tokens, int flags) {
        List<MeterBand> bands = new ArrayList<>();
        int type = 0;
        long rate = 0;
        long burst = 0;
        int prec = 0;
        int bandAt = 0;
        for (int k = 0; k < tokens.size(); k += 2) {
            Token name = tokens.get(k);
            if (k + 1 >= tokens.size()) {
                throw src.fail(SyntaxError.MISSING_VALUE, name.at(), name.text());
            }
            Token value = tokens.get(k + 1);
            switch (name.text()) {
                case "type" -> {
                    if (type != 0) {
                        bands.add(band(src, bandAt, type, rate, burst, prec, flags));
                    }
                    type = switch (value.text()) {
                        case "drop" -> MeterBand.DROP;
                        case "dscp_remark" -> MeterBand.DSCP_REMARK;
                        default -> throw src.fail(SyntaxError.BAD_VALUE, value.at(), value.text(), "type",
                                "drop or dscp_remark");
                    };
                    rate = 0;
                    burst = 0;
                    prec = 0;
                    bandAt = name.at();
                }
                case "rate", "burst_size", "prec_level" -> {
                    if (type == 0) {
                        throw src.fail(SyntaxError.MISSING, name.at(), "type");
                    }
                    if (name.text().equals("rate")) {
                        rate = number(src, value, "rate", 0xffff_ffffL);
                    } else if (name.text().equals("burst_size")) {
                        burst = number(src, value, "burst_size", 0xffff_ffffL);
                    } else {
                        prec = (int) number(src, value, "prec_level", 255);
                    }
                }
                default -> throw src.fail(SyntaxError.UNKNOWN_FIELD, name.at(), name.text());
            }
        }
        if (type == 0) {
            throw src.fail(SyntaxError.MISSING, Math.max(0, src.text().length() - 1), "type");
        }
        bands.add(band(src, bandAt, type, rate, burst, prec, flags));
        return bands;
    }

    /** One band, checked as OVS checks it when it parses. */
    private static MeterBand band(Source src, int at, int type, long rate, long burst, int prec, int flags) {
        if (type == MeterBand.DSCP_REMARK && prec == 0) {
            throw src.fail(SyntaxError.MISSING, at, "prec_level");
        }
        if (type != MeterBand.DSCP_REMARK && prec != 0) {
            throw src.fail(SyntaxError.NOT_ALLOWED, at, "prec_level", "in a drop band");
        }
        if (rate == 0) {
            throw src.fail(SyntaxError.MISSING, at, "rate");
        }
        if ((flags & Meter.BURST) != 0 && burst == 0) {
            throw src.fail(SyntaxError.MISSING, at, "burst_size");
        }
        if ((flags & Meter.BURST) == 0 && burst != 0) {
            throw src.fail(SyntaxError.NOT_ALLOWED, at, "burst_size", "without the burst flag");
        }
        return new MeterBand(type, rate, burst, prec);
    }

    private static long number(Source src, Token v, String name, long max) {
        long n;
        try {
            n = FieldText.number(v.text(), 0, 64);
        } catch (FieldText.Bad bad) {
            throw src.fail(SyntaxError.BAD_VALUE, v.at(), v.text(), name, "a number");
        }
        if (n < 0 || n > max) {
            throw src.fail(SyntaxError.OUT_OF_RANGE, v.at(), v.text(), name, "0.." + max);
        }
        return n;
    }

    // ---------------------------------------------------------------- printing

    /** A meter id as ovs-ofctl prints it after {@code meter} and {@code sep}: a number or its name. */
    public static String id(long meterId, char sep) {
        String name = meterId == Meter.ALL ? "all" : meterId == Meter.CONTROLLER ? "controller"
                : meterId == Meter.SLOWPATH ? "slowpath" : null;
        return "meter" + sep + (name != null ? name : Long.toString(meterId));
    }

    /**
     * A meter as {@code ovs-ofctl dump-meters} prints it (lines joined by {@code \n}, no final one):
     * {@code meter=1 pktps burst stats bands=}, then a {@code type=drop rate=10 burst_size=5} line per band.
     */
    public static String format(Meter m) {
        StringBuilder sb = new StringBuilder(id(m.meterId(), '=')).append(' ');
        int f = m.flags();
        sb.append((f & Meter.KBPS) != 0 ? "kbps " : "").append((f & Meter.PKTPS) != 0 ? "pktps " : "")
                .append((f & Meter.BURST) != 0 ? "burst " : "").append((f & Meter.STATS) != 0 ? "stats " : "");
        int other = f & ~Meter.SUPPORTED_FLAGS;
        if (other != 0) {
            sb.append("flags:0x").append(Integer.toHexString(other)).append(' ');
        }
        sb.append("bands=");
        for (MeterBand b : m.bands()) {
            sb.append("\ntype=").append(b.type() == MeterBand.DROP ? "drop" : b.type() == MeterBand.DSCP_REMARK
                    ? "dscp_remark" : Integer.toString(b.type())).append(" rate=").append(b.rate());
            if ((f & Meter.BURST) != 0) {
                sb.append(" burst_size=").append(b.burstSize());
            }
            if (b.type() == MeterBand.DSCP_REMARK) {
                sb.append(" prec_level=").append(b.precLevel());
            }
        }
        return sb.toString();
    }

    /**
     * A meter's statistics as {@code ovs-ofctl meter-stats} prints them: {@code meter:1
     * flow_count:1 packet_in_count:10 byte_in_count:600 duration:1.5s bands:}, then a
     * {@code 0: packet_count:5 byte_count:300} line per band.
     */
    public static String formatStats(dev.jvswitch.ofproto.meter.MeterStats s) {
        StringBuilder sb = new StringBuilder(id(s.meterId(), ':')).append(' ');
        sb.append("flow_count:").append(s.flowCount()).append(" packet_in_count:").append(s.packets())
                .append(" byte_in_count:").append(s.bytes()).append(" duration:")
                .append(s.durationNs() / 1_000_000_000L);
        long nsec = s.durationNs() % 1_000_000_000L;
        if (nsec > 0) {
            // OVS prints nine decimals and trims the trailing zeros.
            String frac = String.format("%09d", nsec).replaceAll("0+$", "");
            sb.append('.').append(frac);
        }
        sb.append("s bands:");
        for (int i = 0; i < s.bandPackets().length; i++) {
            sb.append('\n').append(i).append(": packet_count:").append(s.bandPackets()[i]).append(" byte_count:")
                    .append(s.bandBytes()[i]);
        }
        return sb.toString();
    }
}
