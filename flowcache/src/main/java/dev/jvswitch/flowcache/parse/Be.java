package dev.jvswitch.flowcache.parse;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Big-endian reads of packet bytes. Callers have already checked that the bytes lie inside the
 * packet; the buffer's own bounds check (the mbuf slot) is the second line of defence.
 */
final class Be {
    private Be() {
    }

    static int u8(UnsafeBuffer b, int at) {
        return b.getByte(at) & 0xff;
    }

    static int u16(UnsafeBuffer b, int at) {
        return b.getShort(at, ByteOrder.BIG_ENDIAN) & 0xffff;
    }

    static long u32(UnsafeBuffer b, int at) {
        return b.getInt(at, ByteOrder.BIG_ENDIAN) & 0xffff_ffffL;
    }

    static long mac(UnsafeBuffer b, int at) {
        return ((long) u16(b, at) << 32) | u32(b, at + 2);
    }

    static long u64(UnsafeBuffer b, int at) {
        return b.getLong(at, ByteOrder.BIG_ENDIAN);
    }
}
