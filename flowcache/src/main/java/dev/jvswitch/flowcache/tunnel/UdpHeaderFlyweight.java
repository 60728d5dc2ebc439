package dev.jvswitch.flowcache.tunnel;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A UDP header (RFC 768), as the outer transport of a VXLAN or Geneve packet.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |          Source Port          |       Destination Port        |  0
 *  +-------------------------------+-------------------------------+
 *  |            Length             |           Checksum            |  4
 *  +-------------------------------+-------------------------------+
 * </pre>
 *
 * <p>Network (big-endian) byte order. The fields a tunnel push rewrites per packet, the source
 * port (from the inner packet's hash, for entropy) and the length, also have static accessors.
 */
public final class UdpHeaderFlyweight {
    public static final ByteOrder BYTE_ORDER = ByteOrder.BIG_ENDIAN;

    public static final int SRC_PORT_OFFSET = 0;
    public static final int DST_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;
    public static final int HEADER_LENGTH = 8;

    private MutableDirectBuffer buffer;
    private int offset;

    /** Points this flyweight at the header at {@code offset}; {@code length} bytes must be there. */
    public UdpHeaderFlyweight wrap(MutableDirectBuffer buffer, int offset, int length) {
        Headers.checkWrap(buffer, offset, length, HEADER_LENGTH, "udp");
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int srcPort() {
        return srcPort(buffer, offset);
    }

    public UdpHeaderFlyweight srcPort(int port) {
        srcPort(buffer, offset, port);
        return this;
    }

    public int dstPort() {
        return buffer.getShort(offset + DST_PORT_OFFSET, BYTE_ORDER) & 0xffff;
    }

    public UdpHeaderFlyweight dstPort(int port) {
        buffer.putShort(offset + DST_PORT_OFFSET, (short) port, BYTE_ORDER);
        return this;
    }

    public int length() {
        return length(buffer, offset);
    }

    public UdpHeaderFlyweight length(int bytes) {
        length(buffer, offset, bytes);
        return this;
    }

    public int checksum() {
        return buffer.getShort(offset + CHECKSUM_OFFSET, BYTE_ORDER) & 0xffff;
    }

    public UdpHeaderFlyweight checksum(int value) {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short) value, BYTE_ORDER);
        return this;
    }

    // ---------------------------------------------------------------- hot static accessors

    public static int srcPort(DirectBuffer buffer, int headerOffset) {
        return buffer.getShort(headerOffset + SRC_PORT_OFFSET, BYTE_ORDER) & 0xffff;
    }

    public static void srcPort(MutableDirectBuffer buffer, int headerOffset, int port) {
        buffer.putShort(headerOffset + SRC_PORT_OFFSET, (short) port, BYTE_ORDER);
    }

    public static int length(DirectBuffer buffer, int headerOffset) {
        return buffer.getShort(headerOffset + LENGTH_OFFSET, BYTE_ORDER) & 0xffff;
    }

    public static void length(MutableDirectBuffer buffer, int headerOffset, int bytes) {
        buffer.putShort(headerOffset + LENGTH_OFFSET, (short) bytes, BYTE_ORDER);
    }
}
