package dev.jvswitch.conntrack;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The Internet checksum (RFC 1071) over packet bytes, for the checks conntrack makes before it
 * trusts a header: a bad IPv4 header or L4 checksum makes the packet {@code inv}, as in OVS's
 * userspace conntrack. Sums eight bytes at a time in native order and swaps once at the end
 * (the one's-complement sum does not depend on byte order).
 */
final class CtChecksum {
    private CtChecksum() {
    }

    /** The 16-bit one's-complement sum of {@code len} bytes at {@code off}, in network order, not inverted. */
    static int sum(UnsafeBuffer buf, int off, int len) {
        long acc = 0;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            long v = buf.getLong(off + i, ByteOrder.LITTLE_ENDIAN);
            acc += (v & 0xffff_ffffL) + (v >>> 32);
        }
        for (; i + 2 <= len; i += 2) {
            acc += buf.getShort(off + i, ByteOrder.LITTLE_ENDIAN) & 0xffff;
        }
        if (i < len) {
            acc += buf.getByte(off + i) & 0xff;
        }
        int folded = fold(acc);
        return ((folded & 0xff) << 8) | (folded >>> 8);
    }

    static int fold(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xffff) + (acc >>> 16);
        }
        return (int) acc;
    }

    /** Sum of the IPv4 pseudo header (addresses, protocol, L4 length), in network order. */
    static int pseudo4(int src, int dst, int proto, int l4Len) {
        long acc = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + l4Len;
        return fold(acc);
    }

    /** Sum of the IPv6 pseudo header. */
    static int pseudo6(long srcHi, long srcLo, long dstHi, long dstLo, int proto, int l4Len) {
        long acc = words(srcHi) + words(srcLo) + words(dstHi) + words(dstLo) + proto + (l4Len >>> 16) + (l4Len & 0xffff);
        return fold(acc);
    }

    private static long words(long v) {
        return (v >>> 48) + ((v >>> 32) & 0xffff) + ((v >>> 16) & 0xffff) + (v & 0xffff);
    }

    /** True when bytes plus {@code pseudo} sum to all ones (the checksum they carry is right). */
    static boolean verifies(UnsafeBuffer buf, int off, int len, int pseudo) {
        return fold((long) sum(buf, off, len) + pseudo) == 0xffff;
    }
}
