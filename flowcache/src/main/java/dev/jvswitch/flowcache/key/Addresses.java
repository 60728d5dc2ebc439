package dev.jvswitch.flowcache.key;

/**
 * Text forms of the addresses a flow key holds: MAC (48 bits in a long), IPv4 (an int) and IPv6
 * (two longs, high first). Formatting follows what OVS prints (lower-case hex, and glibc's
 * {@code inet_ntop} for IPv6, including its {@code ::ffff:a.b.c.d} form); parsing accepts the same
 * forms and names the bad text in its message. Slow path only: these allocate.
 */
public final class Addresses {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Addresses() {
    }

    // ---------------------------------------------------------------- MAC

    /** Parses {@code xx:xx:xx:xx:xx:xx} (hex digits, either case). */
    public static long parseMac(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("bad MAC address '" + text + "'");
        }
        long mac = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2) {
                throw new IllegalArgumentException("bad MAC address '" + text + "'");
            }
            mac = (mac << 8) | parseHex(p, text, "MAC address");
        }
        return mac;
    }

    public static String mac(long mac) {
        return appendMac(new StringBuilder(17), mac).toString();
    }

    public static StringBuilder appendMac(StringBuilder sb, long mac) {
        for (int i = 5; i >= 0; i--) {
            int b = (int) (mac >>> (8 * i)) & 0xff;
            sb.append(HEX[b >>> 4]).append(HEX[b & 0xf]);
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb;
    }

    // ---------------------------------------------------------------- IPv4

    /** Parses a dotted quad. */
    public static int parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("bad IPv4 address '" + text + "'");
        }
        int ip = 0;
        for (String p : parts) {
            int v = parseDecimal(p, text);
            if (v > 255) {
                throw new IllegalArgumentException("bad IPv4 address '" + text + "'");
            }
            ip = (ip << 8) | v;
        }
        return ip;
    }

    public static String ipv4(int ip) {
        return appendIpv4(new StringBuilder(15), ip).toString();
    }

    public static StringBuilder appendIpv4(StringBuilder sb, int ip) {
        return sb.append(ip >>> 24).append('.').append((ip >>> 16) & 0xff).append('.')
                .append((ip >>> 8) & 0xff).append('.').append(ip & 0xff);
    }

    /** The IPv4 netmask with the top {@code bits} bits set (0..32). */
    public static int ipv4Prefix(int bits) {
        if (bits < 0 || bits > 32) {
            throw new IllegalArgumentException("bad IPv4 prefix length " + bits);
        }
        return bits == 0 ? 0 : -1 << (32 - bits);
    }

    // ---------------------------------------------------------------- IPv6

    /** Parses RFC 4291 text ({@code ::} and a trailing dotted quad allowed); returns {high, low}. */
    public static long[] parseIpv6(String text) {
        int[] groups = new int[8];
        int n = 0;
        int gap = -1;
        int i = 0;
        int len = text.length();
        if (text.startsWith("::")) {
            gap = 0;
            i = 2;
        } else if (text.startsWith(":")) {
            throw bad6(text);
        }
        while (i < len) {
            int end = text.indexOf(':', i);
            String part = end < 0 ? text.substring(i) : text.substring(i, end);
            if (part.indexOf('.') >= 0) {
                if (end >= 0 || n > 6) {
                    throw bad6(text);
                }
                int v4;
                try {
                    v4 = parseIpv4(part);
                } catch (IllegalArgumentException e) {
                    throw bad6(text);
                }
                groups[n++] = v4 >>> 16;
                groups[n++] = v4 & 0xffff;
                i = len;
                break;
            }
            if (part.isEmpty() || part.length() > 4 || n == 8) {
                throw bad6(text);
            }
            groups[n++] = parseHex(part, text, "IPv6 address");
            if (end < 0) {
                i = len;
                break;
            }
            i = end + 1;
            if (i < len && text.charAt(i) == ':') {
                if (gap >= 0) {
                    throw bad6(text);
                }
                gap = n;
                i++;
            } else if (i == len) {
                throw bad6(text);
            }
        }
        if (gap < 0 ? n != 8 : n > 7) {
            throw bad6(text);
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = groups;
        } else {
            int tail = n - gap;
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        long hi = 0;
        long lo = 0;
        for (int g = 0; g < 4; g++) {
            hi = (hi << 16) | full[g];
            lo = (lo << 16) | full[g + 4];
        }
        return new long[] {hi, lo};
    }

    public static String ipv6(long high, long low) {
        return appendIpv6(new StringBuilder(39), high, low).toString();
    }

    /** Appends the address as glibc's {@code inet_ntop} writes it (longest zero run as {@code ::}). */
    public static StringBuilder appendIpv6(StringBuilder sb, long high, long low) {
        int[] w = new int[8];
        for (int g = 0; g < 4; g++) {
            w[g] = (int) (high >>> (48 - 16 * g)) & 0xffff;
            w[g + 4] = (int) (low >>> (48 - 16 * g)) & 0xffff;
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int g = 0; g < 8; g++) {
            if (w[g] == 0) {
                if (curBase < 0) {
                    curBase = g;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase >= 0) {
                if (curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase >= 0 && curLen > bestLen) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestLen < 2) {
            bestBase = -1;
        }
        for (int g = 0; g < 8; g++) {
            if (bestBase >= 0 && g >= bestBase && g < bestBase + bestLen) {
                if (g == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (g != 0) {
                sb.append(':');
            }
            // IPv4-compatible and IPv4-mapped addresses end in a dotted quad, as inet_ntop does.
            if (g == 6 && bestBase == 0
                    && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
                appendIpv4(sb, (int) low);
                return sb;
            }
            sb.append(Integer.toHexString(w[g]));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) {
            sb.append(':');
        }
        return sb;
    }

    /** High word of an IPv6 netmask with the top {@code bits} bits set (0..128). */
    public static long ipv6PrefixHigh(int bits) {
        checkPrefix6(bits);
        return bits == 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
    }

    /** Low word of an IPv6 netmask with the top {@code bits} bits set (0..128). */
    public static long ipv6PrefixLow(int bits) {
        checkPrefix6(bits);
        return bits <= 64 ? 0 : -1L << (128 - bits);
    }

    // ---------------------------------------------------------------- helpers

    private static void checkPrefix6(int bits) {
        if (bits < 0 || bits > 128) {
            throw new IllegalArgumentException("bad IPv6 prefix length " + bits);
        }
    }

    private static IllegalArgumentException bad6(String text) {
        return new IllegalArgumentException("bad IPv6 address '" + text + "'");
    }

    private static int parseHex(String digits, String whole, String what) {
        int v = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = Character.digit(digits.charAt(i), 16);
            if (d < 0) {
                throw new IllegalArgumentException("bad " + what + " '" + whole + "'");
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private static int parseDecimal(String digits, String whole) {
        if (digits.isEmpty() || digits.length() > 3) {
            throw new IllegalArgumentException("bad IPv4 address '" + whole + "'");
        }
        int v = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("bad IPv4 address '" + whole + "'");
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
