package dev.jvswitch.flowcache.actions;

/**
 * Text forms of addresses and numbers exactly as OVS prints them (glibc's {@code printf} and
 * {@code inet_ntop}), for the datapath action printer.
 */
final class InetText {
    private InetText() {
    }

    /** {@code 00:1b:21:3c:4d:5e}: a 48-bit address held in the low bits of {@code mac}. */
    static void mac(StringBuilder sb, long mac) {
        for (int shift = 40; shift >= 0; shift -= 8) {
            int octet = (int) (mac >>> shift) & 0xff;
            sb.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xf, 16));
            if (shift > 0) {
                sb.append(':');
            }
        }
    }

    /** Dotted quad of a 32-bit address in network order. */
    static void ipv4(StringBuilder sb, int addr) {
        sb.append((addr >>> 24) & 0xff).append('.').append((addr >>> 16) & 0xff).append('.')
                .append((addr >>> 8) & 0xff).append('.').append(addr & 0xff);
    }

    /**
     * An IPv6 address as glibc's {@code inet_ntop} writes it: lower-case hex groups without
     * leading zeros, the first longest run of two or more zero groups as {@code ::}, and the
     * last 32 bits as a dotted quad for IPv4-compatible ({@code ::a.b.c.d}) and IPv4-mapped
     * ({@code ::ffff:a.b.c.d}) addresses.
     */
    static void ipv6(StringBuilder sb, long hi, long lo) {
        int[] words = new int[8];
        for (int i = 0; i < 4; i++) {
            words[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff;
            words[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xffff;
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (words[i] == 0) {
                if (curBase == -1) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase != -1) {
                if (bestBase == -1 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase != -1 && (bestBase == -1 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase != -1 && bestLen < 2) {
            bestBase = -1;
        }
        for (int i = 0; i < 8; i++) {
            if (bestBase != -1 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0) {
                sb.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff))) {
                ipv4(sb, (int) lo);
                return;
            }
            sb.append(Integer.toHexString(words[i]));
        }
        if (bestBase != -1 && bestBase + bestLen == 8) {
            sb.append(':');
        }
    }

    /** C's {@code %#x}: {@code 0x1f}, but a bare {@code 0} for zero. */
    static void altHex(StringBuilder sb, long v) {
        if (v == 0) {
            sb.append('0');
        } else {
            sb.append("0x").append(Long.toHexString(v));
        }
    }

    /** C's {@code 0x%x}: always prefixed, {@code 0x0} for zero. */
    static void hex(StringBuilder sb, long v) {
        sb.append("0x").append(Long.toHexString(v));
    }
}
