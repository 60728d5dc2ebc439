package dev.jvswitch.flowcache.tunnel;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** What the header flyweights share: the check made at wrap, and 48-bit big-endian fields. */
final class Headers {
    private Headers() {
    }

    /** Fails unless {@code length >= minLength} bytes at {@code offset} lie inside {@code buffer}. */
    static void checkWrap(DirectBuffer buffer, int offset, int length, int minLength, String header) {
        if (length < minLength) {
            throw new IndexOutOfBoundsException(header + " header needs " + minLength + " bytes, got " + length);
        }
        if (offset < 0 || offset > buffer.capacity() - length) {
            throw new IndexOutOfBoundsException(header + " header of " + length + " bytes at " + offset
                    + " is outside a buffer of " + buffer.capacity());
        }
    }

    static long u48(DirectBuffer b, int at) {
        return (long) (b.getShort(at, ByteOrder.BIG_ENDIAN) & 0xffff) << 32
                | b.getInt(at + 2, ByteOrder.BIG_ENDIAN) & 0xffff_ffffL;
    }

    static void put48(MutableDirectBuffer b, int at, long v) {
        b.putShort(at, (short) (v >>> 32), ByteOrder.BIG_ENDIAN);
        b.putInt(at + 2, (int) v, ByteOrder.BIG_ENDIAN);
    }
}
