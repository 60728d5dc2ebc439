package dev.jvswitch.ofproto.syntax;

import dev.jvswitch.flowcache.key.FieldFormat;
import dev.jvswitch.flowcache.key.FlowField;

/**
 * The common forms of a field value read straight from a flow line, without cutting a string out
 * of it ({@link #parseInPlace}): the fast path of {@link FieldText#parse} for configs and flow
 * files of a million lines. Anything else falls back to {@code FieldText}, which names the error.
 */
final class FieldTextInPlace {
    private FieldTextInPlace() {
    }

    /**
     * Reads the common forms of a value of {@code f} (at most 64 bits) straight from the flow text
     * {@code s[from, to)}, cutting no string out of it (a config has a million lines of these): a
     * decimal or {@code 0x} hex number, a dotted quad, a MAC address of six two-digit groups, each
     * with an optional {@code /mask} (for a dotted quad also a prefix length). Value (already
     * masked) and mask go to {@code out[0]} and {@code out[1]}.
     *
     * <p>Returns false for any other form and for any text {@link FieldText#parse} would refuse: the caller
     * then takes {@link FieldText#parse}, which reads it again and names what is wrong, so the messages are
     * the ones it always gave. Whatever this accepts, {@link FieldText#parse} reads to the same value and
     * mask.
     */
    static boolean parseInPlace(FlowField f, String s, int from, int to, long[] out) {
        if (from >= to || f.is128()) {
            return false;
        }
        FieldFormat format = f.format();
        if (format != FieldFormat.DECIMAL && format != FieldFormat.HEX && format != FieldFormat.IPV4
                && format != FieldFormat.MAC) {
            return false;
        }
        int slash = to;
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == '/') {
                slash = i;
                break;
            }
        }
        if (format == FieldFormat.IPV4) {
            return ipv4InPlace(s, from, slash, to, out);
        }
        long value;
        long mask = f.valueMask();
        if (format == FieldFormat.MAC) {
            value = macAt(s, from, slash);
            if (value < 0 || slash < to && (mask = macAt(s, slash + 1, to)) < 0) {
                return false;
            }
        } else {
            int bits = f.widthBits();
            value = numberAt(s, from, slash, bits);
            if (value < 0 || slash < to && (mask = numberAt(s, slash + 1, to, bits)) < 0) {
                return false;
            }
        }
        out[0] = value & mask;
        out[1] = mask;
        return true;
    }

    /**
     * {@code s[from, to)} as a number of at most {@code bits} bits ({@code bits < 64}): up to 18
     * decimal digits or {@code 0x} and up to 15 hex digits; -1 for anything else.
     */
    private static long numberAt(String s, int from, int to, int bits) {
        int len = to - from;
        if (bits >= 64 || len <= 0) {
            return -1;
        }
        long n = 0;
        if (len > 2 && s.charAt(from) == '0' && (s.charAt(from + 1) == 'x' || s.charAt(from + 1) == 'X')) {
            if (len > 17) {
                return -1;
            }
            for (int i = from + 2; i < to; i++) {
                int d = hexDigit(s.charAt(i));
                if (d < 0) {
                    return -1;
                }
                n = n << 4 | d;
            }
        } else {
            if (len > 18) {
                return -1;
            }
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                n = n * 10 + (c - '0');
            }
        }
        return (n >>> bits) != 0 ? -1 : n;
    }

    /** An ASCII hex digit's value, or -1 (other digits take the general path). */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /** {@code s[from, to)} as a MAC address of six two-digit hex groups, or -1. */
    private static long macAt(String s, int from, int to) {
        if (to - from != 17) {
            return -1;
        }
        long mac = 0;
        for (int g = 0; g < 6; g++) {
            int at = from + 3 * g;
            int hi = hexDigit(s.charAt(at));
            int lo = hexDigit(s.charAt(at + 1));
            if (hi < 0 || lo < 0 || g < 5 && s.charAt(at + 2) != ':') {
                return -1;
            }
            mac = mac << 8 | hi << 4 | lo;
        }
        return mac;
    }

    /** {@link #ipv4Value} of {@code s[from, to)} with its slash at {@code slash} ({@code to} if none). */
    private static boolean ipv4InPlace(String s, int from, int slash, int to, long[] out) {
        long ip = FieldText.ipv4At(s, from, slash);
        if (ip < 0) {
            return false;
        }
        long mask = 0xffffffffL;
        if (slash < to) {
            boolean dotted = false;
            for (int i = slash + 1; i < to; i++) {
                dotted |= s.charAt(i) == '.';
            }
            if (dotted) {
                mask = FieldText.ipv4At(s, slash + 1, to);
                if (mask < 0) {
                    return false;
                }
            } else {
                int digits = to - slash - 1;
                int len = 0;
                for (int i = slash + 1; i < to; i++) {
                    char c = s.charAt(i);
                    if (c < '0' || c > '9') {
                        return false;
                    }
                    len = len * 10 + (c - '0');
                }
                if (digits == 0 || digits > 3 || len > 32) {
                    return false;
                }
                mask = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
            }
        }
        out[0] = ip & mask;
        out[1] = mask;
        return true;
    }
}
