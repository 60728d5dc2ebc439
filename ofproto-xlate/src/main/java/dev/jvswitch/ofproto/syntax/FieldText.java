package dev.jvswitch.ofproto.syntax;

import java.util.Locale;

import dev.jvswitch.flowcache.key.Addresses;
import dev.jvswitch.flowcache.key.FieldFormat;
import dev.jvswitch.flowcache.key.FlowField;

/**
 * The text of one field value, {@code value[/mask]}, in the syntax its {@link FieldFormat} calls
 * for, both ways: {@link #parse} reads it, {@link #append} writes it as {@code ovs-ofctl
 * dump-flows} would (decimal or {@code 0x} hex, CIDR prefixes where the mask is one, flag names).
 * Whatever {@code append} writes, {@code parse} reads back to the same value and mask.
 */
final class FieldText {

    private static final int FRAG_ANY = 1;
    private static final int FRAG_LATER = 2;

    /** A value that does not parse: the error class, where in the text, and what to quote. */
    static final class Bad extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final SyntaxError error;
        final int offset;
        final String quoted;
        final String extra;

        Bad(SyntaxError error, int offset, String quoted, String extra) {
            super(null, null, false, false);
            this.error = error;
            this.offset = offset;
            this.quoted = quoted;
            this.extra = extra;
        }
    }

    /** A parsed value and mask; for fields of at most 64 bits the high words are 0. */
    record Value(long high, long low, long maskHigh, long maskLow) {
    }

    private FieldText() {
    }

    // ---------------------------------------------------------------- parse

    /**
     * Parses {@code text} as a value of {@code f}, with a {@code /mask} when {@code maskable}.
     *
     * @throws Bad naming the offending part of {@code text}
     */
    static Value parse(FlowField f, String text, boolean maskable) {
        FieldFormat format = f.format();
        if (format == FieldFormat.TCP_FLAGS || format == FieldFormat.TUNNEL_FLAGS || format == FieldFormat.CT_STATE) {
            if (text.startsWith("+") || text.startsWith("-")) {
                return maskedFlags(f, text);
            }
            if (text.indexOf('/') < 0) {
                return new Value(0, flags(f, text), 0, f.valueMask());
            }
        }
        if (format == FieldFormat.FRAG && text.indexOf('/') < 0 && !text.isEmpty()
                && Character.isLetter(text.charAt(0))) {
            return frag(text);
        }
        if (format == FieldFormat.IPV4) {
            Value ip = ipv4Value(f, text, maskable);
            if (ip != null) {
                return ip;
            }
        }
        int slash = text.indexOf('/');
        String v = slash < 0 ? text : text.substring(0, slash);
        String m = slash < 0 ? null : text.substring(slash + 1);
        if (m != null && !maskable) {
            throw new Bad(SyntaxError.BAD_MASK, slash + 1, m, null);
        }
        if (f.is128() && format == FieldFormat.HEX) {
            long[] a = number128(v, 0, SyntaxError.BAD_VALUE);
            long[] mask = m == null ? new long[] {-1L, -1L} : number128(m, slash + 1, SyntaxError.BAD_MASK);
            return new Value(a[0] & mask[0], a[1] & mask[1], mask[0], mask[1]);
        }
        if (f.is128()) {
            long[] a = ipv6(v, 0);
            long[] mask = m == null ? new long[] {-1L, -1L} : ipv6Mask(m, slash + 1);
            return new Value(a[0] & mask[0], a[1] & mask[1], mask[0], mask[1]);
        }
        long value = scalar(f, v, 0);
        long mask = f.valueMask();
        if (m != null) {
            mask = mask(f, m, slash + 1);
        }
        return new Value(0, value & mask, 0, mask);
    }

    /** The value alone, without a mask, of a field of at most 64 bits (e.g. a {@code load} value). */
    static long scalar(FlowField f, String v, int offset) {
        switch (f.format()) {
            case MAC:
                try {
                    return Addresses.parseMac(v);
                } catch (IllegalArgumentException e) {
                    throw new Bad(SyntaxError.BAD_VALUE, offset, v, "a MAC address");
                }
            case IPV4:
                return ipv4(v, offset, SyntaxError.BAD_VALUE);
            case FRAG:
                return number(v, offset, f.widthBits());
            case TCP_FLAGS:
            case TUNNEL_FLAGS:
            case CT_STATE:
                return flags(f, v);
            default:
                return number(v, offset, f.widthBits());
        }
    }

    private static long mask(FlowField f, String m, int offset) {
        if (f.format() == FieldFormat.IPV4) {
            if (m.indexOf('.') < 0) {
                int len = prefixLength(m, offset, 32);
                return len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
            }
            return ipv4(m, offset, SyntaxError.BAD_MASK);
        }
        if (f.format() == FieldFormat.MAC) {
            try {
                return Addresses.parseMac(m);
            } catch (IllegalArgumentException e) {
                throw new Bad(SyntaxError.BAD_MASK, offset, m, null);
            }
        }
        try {
            return number(m, offset, f.widthBits());
        } catch (Bad b) {
            throw new Bad(SyntaxError.BAD_MASK, offset, m, null);
        }
    }

    /**
     * A dotted quad as an unsigned 32-bit value: four groups of one to three decimal digits, each
     * at most 255 (what {@link Addresses#parseIpv4} accepts, read here without splitting the text:
     * config files have a million of these).
     */
    private static long ipv4(String v, int offset, SyntaxError error) {
        long ip = ipv4At(v, 0, v.length());
        if (ip >= 0) {
            return ip;
        }
        throw new Bad(error, offset, v, error == SyntaxError.BAD_VALUE ? "an IPv4 address" : null);
    }

    /** The dotted quad {@code v[from, n)}, or -1 if it is none. */
    static long ipv4At(String v, int from, int n) {
        long ip = 0;
        int groups = 0;
        int i = from;
        while (groups < 4) {
            int start = i;
            int g = 0;
            while (i < n && i - start < 4 && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
                g = g * 10 + (v.charAt(i++) - '0');
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || g > 255) {
                break;
            }
            ip = ip << 8 | g;
            groups++;
            if (groups < 4) {
                if (i >= n || v.charAt(i) != '.') {
                    break;
                }
                i++;
            }
        }
        return groups == 4 && i == n ? ip : -1;
    }

    /**
     * An IPv4 value with an optional prefix length or dotted mask, read in place; null if it is
     * anything else (the general path then reads it, and names what is wrong).
     */
    private static Value ipv4Value(FlowField f, String text, boolean maskable) {
        int slash = text.indexOf('/');
        int n = text.length();
        long ip = ipv4At(text, 0, slash < 0 ? n : slash);
        if (ip < 0) {
            return null;
        }
        if (slash < 0) {
            return new Value(0, ip, 0, f.valueMask());
        }
        if (!maskable) {
            return null;
        }
        long mask;
        if (text.indexOf('.', slash + 1) < 0) {
            int len = 0;
            int digits = n - slash - 1;
            for (int i = slash + 1; i < n; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                len = len * 10 + (c - '0');
            }
            if (digits == 0 || digits > 3 || len > 32) {
                return null;
            }
            mask = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
        } else {
            mask = ipv4At(text, slash + 1, n);
            if (mask < 0) {
                return null;
            }
        }
        return new Value(0, ip & mask, 0, mask);
    }

    /** An unsigned decimal or {@code 0x} hex number of at most {@code bits} bits. */
    static long number(String v, int offset, int bits) {
        int len = v.length();
        if (len > 0 && len <= 18 && (len == 1 || v.charAt(1) != 'x' && v.charAt(1) != 'X')) {
            // The common short decimal, read in place (Long's parser costs a quarter of a flow line).
            long d = 0;
            int i = 0;
            while (i < len && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
                d = d * 10 + (v.charAt(i++) - '0');
            }
            if (i == len) {
                if (bits < 64 && (d >>> bits) != 0) {
                    throw new Bad(SyntaxError.OUT_OF_RANGE, offset, v, range(bits));
                }
                return d;
            }
        }
        boolean hex = v.startsWith("0x") || v.startsWith("0X");
        String digits = hex ? v.substring(2) : v;
        long n;
        try {
            if (digits.isEmpty() || digits.charAt(0) == '+' || digits.charAt(0) == '-') {
                throw new NumberFormatException();
            }
            n = Long.parseUnsignedLong(digits, hex ? 16 : 10);
        } catch (NumberFormatException e) {
            if (isNumeric(digits, hex ? 16 : 10)) {
                throw new Bad(SyntaxError.OUT_OF_RANGE, offset, v, range(bits));
            }
            throw new Bad(SyntaxError.BAD_VALUE, offset, v, "a number");
        }
        if (bits < 64 && (n >>> bits) != 0) {
            throw new Bad(SyntaxError.OUT_OF_RANGE, offset, v, range(bits));
        }
        return n;
    }

    /** A 128-bit number (a {@code xxreg}), {@code 0x} hex or decimal up to 64 bits: {high, low}. */
    static long[] number128(String v, int offset, SyntaxError error) {
        boolean hex = v.startsWith("0x") || v.startsWith("0X");
        if (!hex) {
            try {
                return new long[] {0, number(v, offset, 64)};
            } catch (Bad b) {
                throw new Bad(error, offset, v, error == SyntaxError.BAD_VALUE ? "a number" : null);
            }
        }
        String digits = v.substring(2);
        if (digits.isEmpty() || digits.length() > 32 || !isNumeric(digits, 16)) {
            throw new Bad(error, offset, v, error == SyntaxError.BAD_VALUE ? "a number of at most 128 bits" : null);
        }
        int split = Math.max(0, digits.length() - 16);
        long high = split == 0 ? 0 : Long.parseUnsignedLong(digits.substring(0, split), 16);
        return new long[] {high, Long.parseUnsignedLong(digits.substring(split), 16)};
    }

    /** Appends a 128-bit hex value and mask as OVS prints a {@code xxreg}: {@code 0x...[/0x...]}. */
    static StringBuilder appendHex128(StringBuilder sb, long high, long low, long maskHigh, long maskLow) {
        hex128(sb, high, low);
        return maskHigh == -1L && maskLow == -1L ? sb : hex128(sb.append('/'), maskHigh, maskLow);
    }

    private static StringBuilder hex128(StringBuilder sb, long high, long low) {
        return dev.jvswitch.flowcache.key.FieldFormat.HEX.append(sb, high, low);
    }

    /** {@code 0..max} for a field of {@code bits} bits. */
    static String range(int bits) {
        return "0.." + Long.toUnsignedString(bits >= 64 ? -1L : (1L << bits) - 1);
    }

    private static boolean isNumeric(String digits, int radix) {
        if (digits.isEmpty()) {
            return false;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), radix) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int prefixLength(String m, int offset, int max) {
        if (!isNumeric(m, 10) || m.length() > 3) {
            throw new Bad(SyntaxError.BAD_MASK, offset, m, null);
        }
        int len = Integer.parseInt(m);
        if (len > max) {
            throw new Bad(SyntaxError.BAD_MASK, offset, m, null);
        }
        return len;
    }

    private static long[] ipv6(String v, int offset) {
        try {
            return Addresses.parseIpv6(v);
        } catch (IllegalArgumentException e) {
            throw new Bad(SyntaxError.BAD_VALUE, offset, v, "an IPv6 address");
        }
    }

    private static long[] ipv6Mask(String m, int offset) {
        if (m.indexOf(':') < 0) {
            int len = prefixLength(m, offset, 128);
            return new long[] {Addresses.ipv6PrefixHigh(len), Addresses.ipv6PrefixLow(len)};
        }
        try {
            return Addresses.parseIpv6(m);
        } catch (IllegalArgumentException e) {
            throw new Bad(SyntaxError.BAD_MASK, offset, m, null);
        }
    }

    /** {@code syn|ack}, {@code 0}, or a number: exact flags. */
    private static long flags(FlowField f, String text) {
        long v = 0;
        int at = 0;
        for (String term : text.split("\\|", -1)) {
            int bit = f.format().flagBit(term);
            if (bit >= 0) {
                v |= 1L << bit;
            } else if (!term.isEmpty() && Character.isDigit(term.charAt(0))) {
                v |= number(term, at, f.widthBits());
            } else {
                throw new Bad(SyntaxError.BAD_VALUE, at, term, flagNamesText(f.format()));
            }
            at += term.length() + 1;
        }
        return v;
    }

    /** {@code +syn-ack}: the named bits set or clear, the rest ignored. */
    private static Value maskedFlags(FlowField f, String text) {
        long v = 0;
        long m = 0;
        int i = 0;
        while (i < text.length()) {
            char sign = text.charAt(i);
            int end = i + 1;
            while (end < text.length() && text.charAt(end) != '+' && text.charAt(end) != '-') {
                end++;
            }
            String name = text.substring(i + 1, end);
            int bit = f.format().flagBit(name);
            if ((sign != '+' && sign != '-') || bit < 0) {
                throw new Bad(SyntaxError.BAD_VALUE, i, text.substring(i, end), flagNamesText(f.format()));
            }
            m |= 1L << bit;
            if (sign == '+') {
                v |= 1L << bit;
            }
            i = end;
        }
        return new Value(0, v, 0, m);
    }

    private static String flagNamesText(FieldFormat format) {
        String second = format.flagName(1);
        String first = format.flagName(0);
        return (format == FieldFormat.TCP_FLAGS ? "TCP" : "tunnel") + " flags such as " + second + "|" + first
                + " or +" + second + "-" + first;
    }

    private static Value frag(String text) {
        switch (text) {
            case "no":
                return new Value(0, 0, 0, FRAG_ANY | FRAG_LATER);
            case "first":
                return new Value(0, FRAG_ANY, 0, FRAG_ANY | FRAG_LATER);
            case "later":
                return new Value(0, FRAG_ANY | FRAG_LATER, 0, FRAG_ANY | FRAG_LATER);
            case "yes":
                return new Value(0, FRAG_ANY, 0, FRAG_ANY);
            case "not_later":
                return new Value(0, 0, 0, FRAG_LATER);
            default:
                throw new Bad(SyntaxError.BAD_VALUE, 0, text, "no, yes, first, later or not_later");
        }
    }

    // ---------------------------------------------------------------- print

    /** Appends {@code value/mask} of a field of at most 64 bits as dump-flows writes it. */
    static StringBuilder append(StringBuilder sb, FlowField f, long value, long mask) {
        boolean exact = mask == f.valueMask();
        switch (f.format()) {
            case DECIMAL:
                return exact ? sb.append(Long.toUnsignedString(value)) : hexMasked(sb, value, mask);
            case HEX:
                return exact ? sb.append("0x").append(Long.toHexString(value)) : hexMasked(sb, value, mask);
            case MAC:
                Addresses.appendMac(sb, value);
                return exact ? sb : Addresses.appendMac(sb.append('/'), mask);
            case IPV4: {
                Addresses.appendIpv4(sb, (int) value);
                if (exact) {
                    return sb;
                }
                int len = prefixOf(mask, 32);
                return len >= 0 ? sb.append('/').append(len) : Addresses.appendIpv4(sb.append('/'), (int) mask);
            }
            case TCP_FLAGS:
            case TUNNEL_FLAGS:
            case CT_STATE:
                return appendFlags(sb, f, value, mask);
            case FRAG:
                return appendFrag(sb, value, mask);
            default:
                throw new IllegalArgumentException("field " + f.ovsName() + " has two words");
        }
    }

    /** Appends a 128-bit (IPv6) value and mask: {@code addr}, {@code addr/len} or {@code addr/mask}. */
    static StringBuilder append128(StringBuilder sb, long high, long low, long maskHigh, long maskLow) {
        Addresses.appendIpv6(sb, high, low);
        if (maskHigh == -1L && maskLow == -1L) {
            return sb;
        }
        int len = prefix128(maskHigh, maskLow);
        return len >= 0 ? sb.append('/').append(len) : Addresses.appendIpv6(sb.append('/'), maskHigh, maskLow);
    }

    static StringBuilder hexMasked(StringBuilder sb, long value, long mask) {
        return sb.append("0x").append(Long.toHexString(value)).append("/0x").append(Long.toHexString(mask));
    }

    private static StringBuilder appendFlags(StringBuilder sb, FlowField f, long value, long mask) {
        FieldFormat names = f.format();
        long named = (1L << names.flagCount()) - 1;
        if (mask == f.valueMask()) {
            if (value == 0) {
                return sb.append('0');
            }
            boolean first = true;
            for (int bit = 0; bit < names.flagCount(); bit++) {
                if ((value & (1L << bit)) != 0) {
                    sb.append(first ? "" : "|").append(names.flagName(bit));
                    first = false;
                }
            }
            long rest = value & ~named;
            if (rest != 0) {
                sb.append(first ? "" : "|").append("0x").append(Long.toHexString(rest));
            }
            return sb;
        }
        if ((mask & ~named) != 0) {
            return hexMasked(sb, value, mask);
        }
        for (int bit = 0; bit < names.flagCount(); bit++) {
            if ((mask & (1L << bit)) != 0) {
                sb.append((value & (1L << bit)) != 0 ? '+' : '-').append(names.flagName(bit));
            }
        }
        return sb;
    }

    private static StringBuilder appendFrag(StringBuilder sb, long value, long mask) {
        if (mask == (FRAG_ANY | FRAG_LATER)) {
            if (value == 0) {
                return sb.append("no");
            }
            if (value == FRAG_ANY) {
                return sb.append("first");
            }
            if (value == (FRAG_ANY | FRAG_LATER)) {
                return sb.append("later");
            }
        } else if (mask == FRAG_ANY && value == FRAG_ANY) {
            return sb.append("yes");
        } else if (mask == FRAG_LATER && value == 0) {
            return sb.append("not_later");
        }
        // The forms the names cannot say ("no" is always both bits, as in OVS): numbers.
        return hexMasked(sb, value, mask);
    }

    /** The prefix length if {@code mask} (of {@code bits} bits) is a CIDR prefix, else -1. */
    static int prefixOf(long mask, int bits) {
        long full = bits == 64 ? -1L : (1L << bits) - 1;
        long inverted = ~mask & full;
        if ((inverted & (inverted + 1)) != 0) {
            return -1;
        }
        return bits - Long.bitCount(inverted);
    }

    private static int prefix128(long high, long low) {
        if (low == 0) {
            return prefixOf(high, 64);
        }
        if (high == -1L) {
            int l = prefixOf(low, 64);
            return l < 0 ? -1 : 64 + l;
        }
        return -1;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
