package dev.jvswitch.flowcache.tunnel;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The Geneve header (RFC 8926), which follows the outer UDP header (destination port
 * {@value #UDP_PORT}) and precedes the inner Ethernet frame: eight fixed bytes and then
 * {@code Opt Len} 4-byte words of options.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |  0
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |        Virtual Network Identifier (VNI)       |    Reserved   |  4
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Variable-Length Options                    |  8
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  one option:
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Option Class         |      Type     |R|R|R| Length  |  0
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |              Variable-Length Option Data (Length words)       |  4
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Network (big-endian) byte order. {@code O} marks an OAM packet, {@code C} says that at
 * least one option has the critical bit, the high bit of its type ({@link #OPTION_CRITICAL}):
 * a receiver that does not understand such an option must drop the packet. The protocol is
 * {@link #PROTOCOL_TEB} (an Ethernet frame) for OVS. The first word is read per packet with
 * {@link #firstWord}; its fields come out of it with the static helpers.
 */
public final class GeneveHeaderFlyweight {
    public static final ByteOrder BYTE_ORDER = ByteOrder.BIG_ENDIAN;

    public static final int FIRST_WORD_OFFSET = 0;
    public static final int PROTOCOL_OFFSET = 2;
    public static final int VNI_OFFSET = 4;
    public static final int RESERVED_OFFSET = 7;
    public static final int OPTIONS_OFFSET = 8;
    /** The fixed part. */
    public static final int HEADER_LENGTH = 8;
    /** Most option bytes a header can carry: a 6-bit count of 4-byte words. */
    public static final int MAX_OPTIONS_BYTES = 63 * 4;
    /** Most data bytes of one option: a 5-bit count of 4-byte words. */
    public static final int MAX_OPTION_DATA_BYTES = 31 * 4;
    /** An option's header: class, type, length. */
    public static final int OPTION_HEADER_LENGTH = 4;

    /** Transparent Ethernet bridging: the payload is an Ethernet frame. */
    public static final int PROTOCOL_TEB = 0x6558;
    /** The high bit of an option's type: a receiver that does not know the option must drop. */
    public static final int OPTION_CRITICAL = 0x80;
    /** IANA's port for Geneve. */
    public static final int UDP_PORT = 6081;
    public static final int MAX_VNI = 0xff_ffff;

    private static final int OAM_BIT = 0x0080_0000;
    private static final int CRITICAL_BIT = 0x0040_0000;

    private MutableDirectBuffer buffer;
    private int offset;

    /** Points this flyweight at the header at {@code offset}; {@code length} bytes must be there. */
    public GeneveHeaderFlyweight wrap(MutableDirectBuffer buffer, int offset, int length) {
        Headers.checkWrap(buffer, offset, length, HEADER_LENGTH, "geneve");
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int version() {
        return version(firstWord(buffer, offset));
    }

    /** Bytes of options after the fixed header (4 times Opt Len). */
    public int optionsLength() {
        return optionsLength(firstWord(buffer, offset));
    }

    public boolean oam() {
        return (firstWord(buffer, offset) & OAM_BIT) != 0;
    }

    public boolean critical() {
        return (firstWord(buffer, offset) & CRITICAL_BIT) != 0;
    }

    public int protocol() {
        return firstWord(buffer, offset) & 0xffff;
    }

    /** Writes the first word: version 0, {@code optionsBytes} (a multiple of 4), the flags, the protocol. */
    public GeneveHeaderFlyweight firstWord(int optionsBytes, boolean oam, boolean critical, int protocol) {
        buffer.putInt(offset + FIRST_WORD_OFFSET, firstWordOf(optionsBytes, oam, critical, protocol), BYTE_ORDER);
        return this;
    }

    public int vni() {
        return buffer.getInt(offset + VNI_OFFSET, BYTE_ORDER) >>> 8;
    }

    /** Writes the 24-bit VNI, leaving the reserved byte after it as it is. */
    public GeneveHeaderFlyweight vni(int vni) {
        int reserved = buffer.getByte(offset + RESERVED_OFFSET) & 0xff;
        buffer.putInt(offset + VNI_OFFSET, (vni & MAX_VNI) << 8 | reserved, BYTE_ORDER);
        return this;
    }

    /** The reserved byte after the VNI (0 on the wire). */
    public int reserved() {
        return buffer.getByte(offset + RESERVED_OFFSET) & 0xff;
    }

    // ---------------------------------------------------------------- the first word, per packet

    public static int firstWord(DirectBuffer buffer, int headerOffset) {
        return buffer.getInt(headerOffset + FIRST_WORD_OFFSET, BYTE_ORDER);
    }

    public static int version(int firstWord) {
        return firstWord >>> 30;
    }

    public static int optionsLength(int firstWord) {
        return ((firstWord >>> 24) & 0x3f) * 4;
    }

    public static boolean oam(int firstWord) {
        return (firstWord & OAM_BIT) != 0;
    }

    public static boolean critical(int firstWord) {
        return (firstWord & CRITICAL_BIT) != 0;
    }

    public static int protocol(int firstWord) {
        return firstWord & 0xffff;
    }

    public static int firstWordOf(int optionsBytes, boolean oam, boolean critical, int protocol) {
        if ((optionsBytes & 3) != 0 || optionsBytes < 0 || optionsBytes > MAX_OPTIONS_BYTES) {
            throw new IllegalArgumentException("geneve options of " + optionsBytes
                    + " bytes: must be a multiple of 4 up to " + MAX_OPTIONS_BYTES);
        }
        return (optionsBytes / 4) << 24 | (oam ? OAM_BIT : 0) | (critical ? CRITICAL_BIT : 0) | (protocol & 0xffff);
    }

    // ---------------------------------------------------------------- options

    /** An option's class, from its header word. */
    public static int optionClass(int optionHeader) {
        return optionHeader >>> 16;
    }

    /** An option's type, critical bit included, from its header word. */
    public static int optionType(int optionHeader) {
        return (optionHeader >>> 8) & 0xff;
    }

    /** An option's data bytes (4 times its Length), from its header word. */
    public static int optionDataLength(int optionHeader) {
        return (optionHeader & 0x1f) * 4;
    }

    /** The header word of an option of {@code dataBytes} (a multiple of 4) of data. */
    public static int optionHeader(int optionClass, int type, int dataBytes) {
        return (optionClass & 0xffff) << 16 | (type & 0xff) << 8 | (dataBytes / 4) & 0x1f;
    }

    /**
     * Walks the {@code length} option bytes at {@code at}: the OR of the critical bits of their
     * types ({@link #OPTION_CRITICAL} or 0), or -1 if an option runs past the end.
     */
    public static int checkOptions(DirectBuffer buffer, int at, int length) {
        int critical = 0;
        int i = 0;
        while (i < length) {
            if (length - i < OPTION_HEADER_LENGTH) {
                return -1;
            }
            int h = buffer.getInt(at + i, BYTE_ORDER);
            critical |= optionType(h) & OPTION_CRITICAL;
            i += OPTION_HEADER_LENGTH + optionDataLength(h);
        }
        return i == length ? critical : -1;
    }
}
