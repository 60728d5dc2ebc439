package dev.jvswitch.vswitchd.slowpath.builtin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.jvswitch.pmd.port.PortOptions;

/**
 * The part of ovs-ofctl's flow syntax the built-in slow path understands: items separated by
 * commas or white space, {@code table=0}, {@code priority=N}, {@code in_port=N},
 * {@code dl_src}/{@code eth_src}, {@code dl_dst}/{@code eth_dst}, {@code dl_type}/{@code eth_type}
 * and the shorthands {@code ip}, {@code ipv6}, {@code arp}; {@code actions=} followed by
 * {@code output:N} (or a bare {@code N}), {@code normal}, {@code flood}, {@code all},
 * {@code in_port}, {@code drop}. The statistics ovs-ofctl dump-flows prints ({@code cookie},
 * {@code duration}, {@code n_packets}, ...) are ignored, so dump output can be fed back.
 *
 * <p>Errors are {@link IllegalArgumentException}s whose one-line message has the layout of the
 * OpenFlow slow path's: {@code flow syntax error at column 12: unknown field 'nw_dst' ...}.
 *
 * <p>Stateless.
 */
final class BuiltinFlowSyntax {
    private static final List<String> IGNORED = List.of("cookie", "duration", "n_packets", "n_bytes", "idle_age",
            "hard_age", "idle_timeout", "hard_timeout");

    private BuiltinFlowSyntax() {
    }

    /** An add-flow string: actions required. */
    static BuiltinRule parseRule(String text, long createdMs) {
        Parsed p = parse(text, true);
        return new BuiltinRule(p.priority, p.match, p.actions, createdMs);
    }

    /** A del-flows or trace selection: no actions. */
    static BuiltinMatch parseMatch(String text) {
        return parse(text, false).match;
    }

    private record Parsed(int priority, BuiltinMatch match, List<RuleAction> actions) {
    }

    private static Parsed parse(String text, boolean needActions) {
        int priority = BuiltinRule.DEFAULT_PRIORITY;
        int inPort = BuiltinMatch.ANY;
        long dlSrc = BuiltinMatch.ANY;
        long dlDst = BuiltinMatch.ANY;
        int dlType = BuiltinMatch.ANY;
        List<RuleAction> actions = null;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ',' || Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && text.charAt(i) != ',' && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            String item = text.substring(start, i);
            int eq = item.indexOf('=');
            String name = (eq < 0 ? item : item.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : item.substring(eq + 1);
            int col = start + 1;
            int valueCol = start + eq + 2;
            if (name.equals("actions")) {
                if (!needActions) {
                    throw error(col, "actions are not allowed here (this selects flows)");
                }
                actions = actions(text, start + eq + 1);
                break;
            }
            switch (name) {
                case "table" -> {
                    if (integer(value, valueCol, "table", 0, 254) != 0) {
                        throw error(valueCol, "table " + value + ": the built-in slow path has table 0 only");
                    }
                }
                case "priority" -> priority = integer(value, valueCol, "priority", 0, 65_535);
                case "in_port" -> inPort = integer(value, valueCol, "in_port", 1, 65_279);
                case "dl_src", "eth_src" -> dlSrc = mac(value, valueCol, name);
                case "dl_dst", "eth_dst" -> dlDst = mac(value, valueCol, name);
                case "dl_type", "eth_type" -> dlType = integer(value, valueCol, name, 0, 0xffff);
                case "ip" -> dlType = shorthand(value, col, name, 0x0800);
                case "ipv6" -> dlType = shorthand(value, col, name, 0x86dd);
                case "arp" -> dlType = shorthand(value, col, name, 0x0806);
                default -> {
                    if (!IGNORED.contains(name)) {
                        throw error(col, "unknown field '" + name + "' (the built-in slow path matches in_port, "
                                + "dl_src, dl_dst and dl_type only)");
                    }
                }
            }
        }
        if (needActions && actions == null) {
            throw error(n + 1, "missing actions= (e.g. actions=normal)");
        }
        return new Parsed(priority, new BuiltinMatch(inPort, dlSrc, dlDst, dlType),
                actions == null ? List.of() : actions);
    }

    private static List<RuleAction> actions(String text, int from) {
        List<RuleAction> out = new ArrayList<>();
        int i = from;
        int n = text.length();
        while (i <= n) {
            int end = text.indexOf(',', i);
            if (end < 0) {
                end = n;
            }
            String raw = text.substring(i, end);
            String a = raw.trim().toLowerCase(Locale.ROOT);
            int col = i + 1 + (raw.length() - raw.stripLeading().length());
            if (a.isEmpty()) {
                throw error(col, "empty action");
            }
            if (a.startsWith("output:")) {
                out.add(RuleAction.output(integer(a.substring(7), col + 7, "output", 1, 65_279)));
            } else if (Character.isDigit(a.charAt(0))) {
                out.add(RuleAction.output(integer(a, col, "output", 1, 65_279)));
            } else {
                out.add(switch (a) {
                    case "normal" -> RuleAction.NORMAL;
                    case "flood" -> RuleAction.FLOOD;
                    case "all" -> RuleAction.ALL;
                    case "in_port" -> RuleAction.IN_PORT;
                    case "drop" -> RuleAction.DROP;
                    default -> throw error(col, "unknown action '" + raw.trim() + "' (the built-in slow path knows "
                            + "output, normal, flood, all, in_port and drop)");
                });
            }
            i = end + 1;
        }
        if (out.size() > 1 && out.contains(RuleAction.DROP)) {
            throw error(from + 1, "drop must be the only action");
        }
        return out;
    }

    private static int shorthand(String value, int col, String name, int type) {
        if (value != null) {
            throw error(col, "'" + name + "' takes no value");
        }
        return type;
    }

    private static int integer(String value, int col, String name, int min, int max) {
        if (value == null || value.isEmpty()) {
            throw error(col, "'" + name + "' needs a value");
        }
        long v;
        try {
            String t = value.toLowerCase(Locale.ROOT);
            v = t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw error(col, "'" + value + "' is not a number for " + name);
        }
        if (v < min || v > max) {
            throw error(col, name + " " + v + " is outside " + min + ".." + max);
        }
        return (int) v;
    }

    private static long mac(String value, int col, String name) {
        long mac = value == null ? -1 : PortOptions.parseMac(value);
        if (mac < 0) {
            throw error(col, "'" + (value == null ? "" : value) + "' is not an Ethernet address for " + name
                    + " (like 02:00:00:00:00:01)");
        }
        return mac;
    }

    private static IllegalArgumentException error(int column, String detail) {
        return new IllegalArgumentException("flow syntax error at column " + column + ": " + detail);
    }
}
