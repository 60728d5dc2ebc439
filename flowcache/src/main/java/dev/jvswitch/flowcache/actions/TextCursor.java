package dev.jvswitch.flowcache.actions;

/**
 * A position in the text of a datapath action program, with the token readers the parser
 * needs. Errors are one line: what was expected, the offset, and the text from there on.
 */
final class TextCursor {
    private final String text;
    private int pos;

    TextCursor(String text) {
        this.text = text;
    }

    int pos() {
        return pos;
    }

    /** Goes back to {@code at} (a position {@link #pos()} returned). */
    void rewind(int at) {
        pos = at;
    }

    boolean atEnd() {
        return pos >= text.length();
    }

    /** The next character, or 0 at the end. */
    char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    void skipSpace() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t'
                || text.charAt(pos) == '\r' || text.charAt(pos) == '\n')) {
            pos++;
        }
    }

    /** Consumes {@code literal} if the text continues with it. */
    boolean tryConsume(String literal) {
        if (text.startsWith(literal, pos)) {
            pos += literal.length();
            return true;
        }
        return false;
    }

    void expect(String literal) {
        if (!tryConsume(literal)) {
            throw error("expected '" + literal + "'");
        }
    }

    /** A run of hexadecimal digits (possibly empty). */
    String hexRun() {
        int start = pos;
        while (pos < text.length() && hexDigit(text.charAt(pos)) >= 0) {
            pos++;
        }
        return text.substring(start, pos);
    }

    /** A run of letters, digits and underscores (possibly empty). */
    String word() {
        int start = pos;
        while (pos < text.length()) {
            char ch = text.charAt(pos);
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_')) {
                break;
            }
            pos++;
        }
        return text.substring(start, pos);
    }

    /** A decimal or {@code 0x} hexadecimal number in 0..{@code max} (unsigned). */
    long unsigned(String what, long max) {
        int start = pos;
        long v = 0;
        boolean any = false;
        boolean overflow = false;
        if (tryConsume("0x") || tryConsume("0X")) {
            while (pos < text.length() && hexDigit(text.charAt(pos)) >= 0) {
                overflow |= (v >>> 60) != 0;
                v = v << 4 | hexDigit(text.charAt(pos));
                pos++;
                any = true;
            }
        } else {
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                int d = text.charAt(pos) - '0';
                overflow |= Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0;
                v = v * 10 + d;
                pos++;
                any = true;
            }
        }
        if (!any) {
            pos = start;
            throw error("expected a number for " + what);
        }
        if (overflow || Long.compareUnsigned(v, max) > 0) {
            String token = text.substring(start, pos);
            pos = start;
            throw error(what + " " + token + " out of range 0.." + Long.toUnsignedString(max));
        }
        return v;
    }

    /** A decimal or {@code 0x} hexadecimal number of up to 128 bits, as {high, low}. */
    long[] u128(String what) {
        int start = pos;
        if (!(tryConsume("0x") || tryConsume("0X"))) {
            return new long[] {0, unsigned(what, -1L)};
        }
        int digits = start + 2;
        while (pos < text.length() && hexDigit(text.charAt(pos)) >= 0) {
            pos++;
        }
        int n = pos - digits;
        if (n == 0 || n > 32) {
            pos = start;
            throw error(n == 0 ? "expected a number for " + what : what + " wider than 128 bits");
        }
        long hi = 0;
        long lo = 0;
        for (int k = digits; k < pos; k++) {
            hi = hi << 4 | lo >>> 60;
            lo = lo << 4 | hexDigit(text.charAt(k));
        }
        return new long[] {hi, lo};
    }

    /** {@code xx:xx:xx:xx:xx:xx} as a 48-bit number. */
    long mac(String what) {
        int start = pos;
        long v = 0;
        for (int i = 0; i < 6; i++) {
            if (i > 0 && !tryConsume(":")) {
                pos = start;
                throw error("expected an Ethernet address for " + what);
            }
            int digits = 0;
            int octet = 0;
            while (digits < 2 && pos < text.length() && hexDigit(text.charAt(pos)) >= 0) {
                octet = octet << 4 | hexDigit(text.charAt(pos));
                pos++;
                digits++;
            }
            if (digits == 0) {
                pos = start;
                throw error("expected an Ethernet address for " + what);
            }
            v = v << 8 | octet;
        }
        return v;
    }

    /** A dotted quad as a 32-bit number in network order. */
    int ipv4(String what) {
        int start = pos;
        int v = 0;
        for (int i = 0; i < 4; i++) {
            if (i > 0 && !tryConsume(".")) {
                pos = start;
                throw error("expected an IPv4 address for " + what);
            }
            int digits = 0;
            int octet = 0;
            while (digits < 3 && pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                octet = octet * 10 + text.charAt(pos) - '0';
                pos++;
                digits++;
            }
            if (digits == 0 || octet > 255) {
                pos = start;
                throw error("expected an IPv4 address for " + what);
            }
            v = v << 8 | octet;
        }
        return v;
    }

    /**
     * An IPv6 address in any {@code inet_pton} form ({@code ::}, a trailing dotted quad) as
     * {@code {hi, lo}}.
     */
    long[] ipv6(String what) {
        int start = pos;
        while (pos < text.length()) {
            char ch = text.charAt(pos);
            if (!(hexDigit(ch) >= 0 || ch == ':' || ch == '.')) {
                break;
            }
            pos++;
        }
        int[] words = Ipv6Text.parse(text.substring(start, pos));
        if (words == null) {
            pos = start;
            throw error("expected an IPv6 address for " + what);
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = hi << 16 | words[i];
            lo = lo << 16 | words[i + 4];
        }
        return new long[] {hi, lo};
    }

    /** The value of an ASCII hex digit, or -1 (Character.digit would take any Unicode digit). */
    static int hexDigit(char ch) {
        if (ch >= '0' && ch <= '9') {
            return ch - '0';
        }
        if (ch >= 'a' && ch <= 'f') {
            return ch - 'a' + 10;
        }
        if (ch >= 'A' && ch <= 'F') {
            return ch - 'A' + 10;
        }
        return -1;
    }

    IllegalArgumentException error(String message) {
        return errorAt(pos, message);
    }

    /** A one-line error naming the offset and the text from there on. */
    IllegalArgumentException errorAt(int offset, String message) {
        String rest = text.substring(Math.min(offset, text.length()));
        if (rest.length() > 40) {
            rest = rest.substring(0, 40) + "...";
        }
        return new IllegalArgumentException("dp actions: " + message + " at offset " + offset
                + (rest.isEmpty() ? " (end of text)" : ": '" + rest + "'"));
    }

    /** {@code inet_pton(AF_INET6)}: eight 16-bit groups, or null if the text is not an address. */
    static final class Ipv6Text {
        private Ipv6Text() {
        }

        static int[] parse(String s) {
            if (s.isEmpty()) {
                return null;
            }
            int gap = s.indexOf("::");
            if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
                return null;
            }
            int[] head = new int[8];
            int[] tail = new int[8];
            int nHead;
            int nTail = 0;
            if (gap < 0) {
                nHead = groups(s, head, true);
                if (nHead != 8) {
                    return null;
                }
                return head;
            }
            String left = s.substring(0, gap);
            String right = s.substring(gap + 2);
            nHead = left.isEmpty() ? 0 : groups(left, head, false);
            if (nHead < 0) {
                return null;
            }
            if (!right.isEmpty()) {
                nTail = groups(right, tail, true);
                if (nTail < 0) {
                    return null;
                }
            }
            if (nHead + nTail > 7) {
                return null;
            }
            int[] words = new int[8];
            System.arraycopy(head, 0, words, 0, nHead);
            System.arraycopy(tail, 0, words, 8 - nTail, nTail);
            return words;
        }

        /** Parses {@code a:b:c} (the last part may be a dotted quad if allowed); -1 if invalid. */
        private static int groups(String s, int[] out, boolean quadAllowed) {
            String[] parts = s.split(":", -1);
            int n = 0;
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i];
                if (p.indexOf('.') >= 0) {
                    if (!quadAllowed || i != parts.length - 1 || n + 2 > 8) {
                        return -1;
                    }
                    TextCursor quad = new TextCursor(p);
                    int v;
                    try {
                        v = quad.ipv4("ipv6");
                    } catch (IllegalArgumentException e) {
                        return -1;
                    }
                    if (!quad.atEnd()) {
                        return -1;
                    }
                    out[n++] = v >>> 16;
                    out[n++] = v & 0xffff;
                    continue;
                }
                if (p.isEmpty() || p.length() > 4 || n == 8) {
                    return -1;
                }
                int v = 0;
                for (int k = 0; k < p.length(); k++) {
                    int d = hexDigit(p.charAt(k));
                    if (d < 0) {
                        return -1;
                    }
                    v = v << 4 | d;
                }
                out[n++] = v;
            }
            return n;
        }
    }
}
