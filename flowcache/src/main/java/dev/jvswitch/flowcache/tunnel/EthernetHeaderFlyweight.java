package dev.jvswitch.flowcache.tunnel;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * An untagged Ethernet II header, as the outer header of a tunnel packet.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    destination address ...                    |  0
 *  +-------------------------------+-------------------------------+
 *  |  ... destination address      |     source address ...        |  4
 *  +-------------------------------+-------------------------------+
 *  |                      ... source address                       |  8
 *  +-------------------------------+-------------------------------+
 *  |          EtherType            |                                 12
 *  +-------------------------------+
 * </pre>
 *
 * <p>Network (big-endian) byte order; addresses are 48-bit numbers in the low bits of a long.
 */
public final class EthernetHeaderFlyweight {
    public static final ByteOrder BYTE_ORDER = ByteOrder.BIG_ENDIAN;

    public static final int DST_OFFSET = 0;
    public static final int SRC_OFFSET = 6;
    public static final int ETHER_TYPE_OFFSET = 12;
    public static final int HEADER_LENGTH = 14;

    public static final int ETHER_TYPE_IPV4 = 0x0800;
    public static final int ETHER_TYPE_IPV6 = 0x86dd;

    private MutableDirectBuffer buffer;
    private int offset;

    /** Points this flyweight at the header at {@code offset}; {@code length} bytes must be there. */
    public EthernetHeaderFlyweight wrap(MutableDirectBuffer buffer, int offset, int length) {
        Headers.checkWrap(buffer, offset, length, HEADER_LENGTH, "ethernet");
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public long dst() {
        return Headers.u48(buffer, offset + DST_OFFSET);
    }

    public EthernetHeaderFlyweight dst(long mac) {
        Headers.put48(buffer, offset + DST_OFFSET, mac);
        return this;
    }

    public long src() {
        return Headers.u48(buffer, offset + SRC_OFFSET);
    }

    public EthernetHeaderFlyweight src(long mac) {
        Headers.put48(buffer, offset + SRC_OFFSET, mac);
        return this;
    }

    public int etherType() {
        return buffer.getShort(offset + ETHER_TYPE_OFFSET, BYTE_ORDER) & 0xffff;
    }

    public EthernetHeaderFlyweight etherType(int type) {
        buffer.putShort(offset + ETHER_TYPE_OFFSET, (short) type, BYTE_ORDER);
        return this;
    }
}
