package dev.jvswitch.flowcache.tunnel;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The VXLAN header (RFC 7348), which follows the outer UDP header (destination port
 * {@value #UDP_PORT}) and precedes the inner Ethernet frame.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-----------------------------------------------+
 *  |R|R|R|R|I|R|R|R|                   Reserved                    |  0
 *  +-+-+-+-+-+-+-+-+-------------------------------+---------------+
 *  |          VXLAN Network Identifier (VNI)       |   Reserved    |  4
 *  +-----------------------------------------------+---------------+
 * </pre>
 *
 * <p>Network (big-endian) byte order. The first word is read and written whole as
 * {@link #flags()}, as OVS prints it ({@code vxlan(flags=0x8000000,...)}): the I bit, which says
 * the VNI is valid, is {@link #FLAG_VNI_VALID}; extensions such as Group Policy use other bits of
 * it. The VNI, the field a decapsulation reads per packet, also has static accessors.
 */
public final class VxlanHeaderFlyweight {
    public static final ByteOrder BYTE_ORDER = ByteOrder.BIG_ENDIAN;

    public static final int FLAGS_OFFSET = 0;
    public static final int VNI_OFFSET = 4;
    public static final int RESERVED_OFFSET = 7;
    public static final int HEADER_LENGTH = 8;

    /** The I flag in the first word: the VNI is valid. */
    public static final int FLAG_VNI_VALID = 0x0800_0000;
    /** IANA's port for VXLAN. */
    public static final int UDP_PORT = 4789;
    public static final int MAX_VNI = 0xff_ffff;

    private MutableDirectBuffer buffer;
    private int offset;

    /** Points this flyweight at the header at {@code offset}; {@code length} bytes must be there. */
    public VxlanHeaderFlyweight wrap(MutableDirectBuffer buffer, int offset, int length) {
        Headers.checkWrap(buffer, offset, length, HEADER_LENGTH, "vxlan");
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** The first 32-bit word: flags and the reserved bits after them. */
    public int flags() {
        return buffer.getInt(offset + FLAGS_OFFSET, BYTE_ORDER);
    }

    public VxlanHeaderFlyweight flags(int word) {
        buffer.putInt(offset + FLAGS_OFFSET, word, BYTE_ORDER);
        return this;
    }

    public int vni() {
        return vni(buffer, offset);
    }

    /** Writes the 24-bit VNI, leaving the reserved byte after it as it is. */
    public VxlanHeaderFlyweight vni(int vni) {
        vni(buffer, offset, vni);
        return this;
    }

    /** The reserved byte after the VNI (0 on the wire). */
    public int reserved() {
        return buffer.getByte(offset + RESERVED_OFFSET) & 0xff;
    }

    public VxlanHeaderFlyweight reserved(int value) {
        buffer.putByte(offset + RESERVED_OFFSET, (byte) value);
        return this;
    }

    // ---------------------------------------------------------------- hot static accessors

    public static int vni(DirectBuffer buffer, int headerOffset) {
        return buffer.getInt(headerOffset + VNI_OFFSET, BYTE_ORDER) >>> 8;
    }

    public static void vni(MutableDirectBuffer buffer, int headerOffset, int vni) {
        int reserved = buffer.getByte(headerOffset + RESERVED_OFFSET) & 0xff;
        buffer.putInt(headerOffset + VNI_OFFSET, (vni & MAX_VNI) << 8 | reserved, BYTE_ORDER);
    }
}
