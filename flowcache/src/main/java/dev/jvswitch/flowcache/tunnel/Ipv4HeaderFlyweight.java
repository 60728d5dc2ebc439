package dev.jvswitch.flowcache.tunnel;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * An IPv4 header without options (RFC 791), as the outer header of a tunnel packet.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------+-------+---------------+-------------------------------+
 *  |Version|  IHL  |      TOS      |          Total Length         |  0
 *  +-------+-------+---------------+-----+-------------------------+
 *  |         Identification        |Flags|     Fragment Offset     |  4
 *  +---------------+---------------+-----+-------------------------+
 *  |      TTL      |   Protocol    |        Header Checksum        |  8
 *  +---------------+---------------+-------------------------------+
 *  |                        Source Address                         | 12
 *  +---------------------------------------------------------------+
 *  |                     Destination Address                       | 16
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Network (big-endian) byte order. The fields a tunnel push rewrites per packet, the total
 * length and the checksum, also have static accessors.
 */
public final class Ipv4HeaderFlyweight {
    public static final ByteOrder BYTE_ORDER = ByteOrder.BIG_ENDIAN;

    public static final int VERSION_IHL_OFFSET = 0;
    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int SRC_OFFSET = 12;
    public static final int DST_OFFSET = 16;
    public static final int HEADER_LENGTH = 20;

    /** Version 4, header of five 32-bit words (no options). */
    public static final int VERSION_IHL_NO_OPTIONS = 0x45;
    /** The Don't Fragment bit of the flags/fragment-offset field. */
    public static final int FLAG_DF = 0x4000;
    public static final int PROTOCOL_UDP = 17;

    private MutableDirectBuffer buffer;
    private int offset;

    /** Points this flyweight at the header at {@code offset}; {@code length} bytes must be there. */
    public Ipv4HeaderFlyweight wrap(MutableDirectBuffer buffer, int offset, int length) {
        Headers.checkWrap(buffer, offset, length, HEADER_LENGTH, "ipv4");
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int versionIhl() {
        return buffer.getByte(offset + VERSION_IHL_OFFSET) & 0xff;
    }

    public Ipv4HeaderFlyweight versionIhl(int value) {
        buffer.putByte(offset + VERSION_IHL_OFFSET, (byte) value);
        return this;
    }

    public int tos() {
        return buffer.getByte(offset + TOS_OFFSET) & 0xff;
    }

    public Ipv4HeaderFlyweight tos(int value) {
        buffer.putByte(offset + TOS_OFFSET, (byte) value);
        return this;
    }

    public int totalLength() {
        return totalLength(buffer, offset);
    }

    public Ipv4HeaderFlyweight totalLength(int bytes) {
        totalLength(buffer, offset, bytes);
        return this;
    }

    public int identification() {
        return buffer.getShort(offset + IDENTIFICATION_OFFSET, BYTE_ORDER) & 0xffff;
    }

    public Ipv4HeaderFlyweight identification(int value) {
        buffer.putShort(offset + IDENTIFICATION_OFFSET, (short) value, BYTE_ORDER);
        return this;
    }

    /** Flags (top three bits) and fragment offset, as one 16-bit field (OVS's {@code frag=}). */
    public int flagsFragment() {
        return buffer.getShort(offset + FLAGS_FRAGMENT_OFFSET, BYTE_ORDER) & 0xffff;
    }

    public Ipv4HeaderFlyweight flagsFragment(int value) {
        buffer.putShort(offset + FLAGS_FRAGMENT_OFFSET, (short) value, BYTE_ORDER);
        return this;
    }

    public int ttl() {
        return buffer.getByte(offset + TTL_OFFSET) & 0xff;
    }

    public Ipv4HeaderFlyweight ttl(int value) {
        buffer.putByte(offset + TTL_OFFSET, (byte) value);
        return this;
    }

    public int protocol() {
        return buffer.getByte(offset + PROTOCOL_OFFSET) & 0xff;
    }

    public Ipv4HeaderFlyweight protocol(int value) {
        buffer.putByte(offset + PROTOCOL_OFFSET, (byte) value);
        return this;
    }

    public int checksum() {
        return buffer.getShort(offset + CHECKSUM_OFFSET, BYTE_ORDER) & 0xffff;
    }

    public Ipv4HeaderFlyweight checksum(int value) {
        checksum(buffer, offset, value);
        return this;
    }

    /** Source address, as an unsigned 32-bit number in an int. */
    public int src() {
        return buffer.getInt(offset + SRC_OFFSET, BYTE_ORDER);
    }

    public Ipv4HeaderFlyweight src(int address) {
        buffer.putInt(offset + SRC_OFFSET, address, BYTE_ORDER);
        return this;
    }

    public int dst() {
        return buffer.getInt(offset + DST_OFFSET, BYTE_ORDER);
    }

    public Ipv4HeaderFlyweight dst(int address) {
        buffer.putInt(offset + DST_OFFSET, address, BYTE_ORDER);
        return this;
    }

    /** The checksum the header should carry: the one's complement sum with the checksum field taken as 0. */
    public int computeChecksum() {
        return computeChecksum(buffer, offset);
    }

    // ---------------------------------------------------------------- hot static accessors

    public static int totalLength(DirectBuffer buffer, int headerOffset) {
        return buffer.getShort(headerOffset + TOTAL_LENGTH_OFFSET, BYTE_ORDER) & 0xffff;
    }

    public static void totalLength(MutableDirectBuffer buffer, int headerOffset, int bytes) {
        buffer.putShort(headerOffset + TOTAL_LENGTH_OFFSET, (short) bytes, BYTE_ORDER);
    }

    public static void checksum(MutableDirectBuffer buffer, int headerOffset, int value) {
        buffer.putShort(headerOffset + CHECKSUM_OFFSET, (short) value, BYTE_ORDER);
    }

    /** RFC 1071 over the 20-byte header at {@code headerOffset}, skipping the checksum field. */
    public static int computeChecksum(DirectBuffer buffer, int headerOffset) {
        int sum = 0;
        for (int i = 0; i < HEADER_LENGTH; i += 2) {
            if (i != CHECKSUM_OFFSET) {
                sum += buffer.getShort(headerOffset + i, BYTE_ORDER) & 0xffff;
            }
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }
}
