package dev.jvswitch.pmd.tunnel;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The Internet checksum (RFC 1071) over packet bytes, for the outer headers of tunnel packets:
 * sums 8 bytes per load into a long, so a 1500-byte packet costs under two hundred additions.
 */
final class TunnelChecksum {
    private static final ByteOrder NET = ByteOrder.BIG_ENDIAN;

    private TunnelChecksum() {
    }

    /**
     * The ones'-complement sum of {@code length} bytes at {@code index}, not folded: each 16-bit
     * word of the data counted once (an odd last byte as the high byte of a word).
     */
    static long sum(UnsafeBuffer b, int index, int length) {
        long sum = 0;
        int i = index;
        int end = index + length;
        for (; i + 8 <= end; i += 8) {
            long v = b.getLong(i, NET);
            // Two 32-bit halves: each under 2^32, so the long cannot overflow for any packet.
            sum += (v >>> 32) + (v & 0xffff_ffffL);
        }
        if (i + 4 <= end) {
            sum += b.getInt(i, NET) & 0xffff_ffffL;
            i += 4;
        }
        if (i + 2 <= end) {
            sum += b.getShort(i, NET) & 0xffff;
            i += 2;
        }
        if (i < end) {
            sum += (b.getByte(i) & 0xff) << 8;
        }
        return sum;
    }

    /** Folds a sum to 16 bits (end-around carry), not complemented. */
    static int fold(long sum) {
        long s = (sum & 0xffff_ffffL) + (sum >>> 32);
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }
}
