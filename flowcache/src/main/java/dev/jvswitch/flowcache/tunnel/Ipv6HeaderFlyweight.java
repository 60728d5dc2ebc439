package dev.jvswitch.flowcache.tunnel;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * An IPv6 fixed header (RFC 8200), as the outer header of a tunnel packet.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------+---------------+---------------------------------------+
 *  |Version| Traffic Class |              Flow Label               |  0
 *  +-------+---------------+-------+---------------+---------------+
 *  |        Payload Length         |  Next Header  |   Hop Limit   |  4
 *  +-------------------------------+---------------+---------------+
 *  |                                                               |
 *  +                    Source Address (128 bits)                  +  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               |
 *  +                 Destination Address (128 bits)                + 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Network (big-endian) byte order. Addresses are two longs, the high and the low 64 bits, as
 * the flow key holds them. The field a tunnel push rewrites per packet, the payload length, also
 * has static accessors.
 */
public final class Ipv6HeaderFlyweight {
    public static final ByteOrder BYTE_ORDER = ByteOrder.BIG_ENDIAN;

    public static final int VERSION_CLASS_LABEL_OFFSET = 0;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SRC_OFFSET = 8;
    public static final int DST_OFFSET = 24;
    public static final int HEADER_LENGTH = 40;

    private MutableDirectBuffer buffer;
    private int offset;

    /** Points this flyweight at the header at {@code offset}; {@code length} bytes must be there. */
    public Ipv6HeaderFlyweight wrap(MutableDirectBuffer buffer, int offset, int length) {
        Headers.checkWrap(buffer, offset, length, HEADER_LENGTH, "ipv6");
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    private int firstWord() {
        return buffer.getInt(offset + VERSION_CLASS_LABEL_OFFSET, BYTE_ORDER);
    }

    public int version() {
        return firstWord() >>> 28;
    }

    public int trafficClass() {
        return (firstWord() >>> 20) & 0xff;
    }

    public int flowLabel() {
        return firstWord() & 0xfffff;
    }

    /** Writes the first word: version, traffic class and flow label together. */
    public Ipv6HeaderFlyweight versionClassLabel(int version, int trafficClass, int flowLabel) {
        buffer.putInt(offset + VERSION_CLASS_LABEL_OFFSET,
                version << 28 | (trafficClass & 0xff) << 20 | (flowLabel & 0xfffff), BYTE_ORDER);
        return this;
    }

    public int payloadLength() {
        return payloadLength(buffer, offset);
    }

    public Ipv6HeaderFlyweight payloadLength(int bytes) {
        payloadLength(buffer, offset, bytes);
        return this;
    }

    public int nextHeader() {
        return buffer.getByte(offset + NEXT_HEADER_OFFSET) & 0xff;
    }

    public Ipv6HeaderFlyweight nextHeader(int value) {
        buffer.putByte(offset + NEXT_HEADER_OFFSET, (byte) value);
        return this;
    }

    public int hopLimit() {
        return buffer.getByte(offset + HOP_LIMIT_OFFSET) & 0xff;
    }

    public Ipv6HeaderFlyweight hopLimit(int value) {
        buffer.putByte(offset + HOP_LIMIT_OFFSET, (byte) value);
        return this;
    }

    public long srcHi() {
        return buffer.getLong(offset + SRC_OFFSET, BYTE_ORDER);
    }

    public long srcLo() {
        return buffer.getLong(offset + SRC_OFFSET + 8, BYTE_ORDER);
    }

    public Ipv6HeaderFlyweight src(long hi, long lo) {
        buffer.putLong(offset + SRC_OFFSET, hi, BYTE_ORDER);
        buffer.putLong(offset + SRC_OFFSET + 8, lo, BYTE_ORDER);
        return this;
    }

    public long dstHi() {
        return buffer.getLong(offset + DST_OFFSET, BYTE_ORDER);
    }

    public long dstLo() {
        return buffer.getLong(offset + DST_OFFSET + 8, BYTE_ORDER);
    }

    public Ipv6HeaderFlyweight dst(long hi, long lo) {
        buffer.putLong(offset + DST_OFFSET, hi, BYTE_ORDER);
        buffer.putLong(offset + DST_OFFSET + 8, lo, BYTE_ORDER);
        return this;
    }

    // ---------------------------------------------------------------- hot static accessors

    public static int payloadLength(DirectBuffer buffer, int headerOffset) {
        return buffer.getShort(headerOffset + PAYLOAD_LENGTH_OFFSET, BYTE_ORDER) & 0xffff;
    }

    public static void payloadLength(MutableDirectBuffer buffer, int headerOffset, int bytes) {
        buffer.putShort(headerOffset + PAYLOAD_LENGTH_OFFSET, (short) bytes, BYTE_ORDER);
    }
}
