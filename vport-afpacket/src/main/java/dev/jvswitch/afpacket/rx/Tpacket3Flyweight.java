package dev.jvswitch.afpacket.rx;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * One received frame in a TPACKET_V3 block: {@code struct tpacket3_hdr}, the {@code struct
 * sockaddr_ll} the kernel writes after it, and the frame bytes at {@code tp_mac}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |        tp_next_offset (0 on the last frame of a block)        |  0
 *  +---------------------------------------------------------------+
 *  |                      tp_sec, tp_nsec                          |  4
 *  +---------------------------------------------------------------+
 *  |          tp_snaplen: bytes of the frame in the ring           | 12
 *  +---------------------------------------------------------------+
 *  |          tp_len: bytes of the frame on the wire               | 16
 *  +---------------------------------------------------------------+
 *  |  tp_status: TP_STATUS_CSUMNOTREADY | VLAN_VALID | TPID_VALID  | 20
 *  +-------------------------------+-------------------------------+
 *  |  tp_mac (frame offset)        |  tp_net                       | 24
 *  +-------------------------------+-------------------------------+
 *  |                          tp_rxhash                            | 28
 *  +---------------------------------------------------------------+
 *  |                tp_vlan_tci (low 16 bits used)                 | 32
 *  +-------------------------------+-------------------------------+
 *  |  tp_vlan_tpid                 |  padding                      | 36
 *  +-------------------------------+-------------------------------+
 *  |                        padding (8 bytes)                      | 40
 *  +===============================+===============+===============+
 *  |  sll_family                   |  sll_protocol (network order) | 48
 *  +-------------------------------+---------------+---------------+
 *  |                        sll_ifindex                            | 52
 *  +-------------------------------+---------------+---------------+
 *  |  sll_hatype                   |  sll_pkttype  |  sll_halen    | 56
 *  +-------------------------------+---------------+---------------+
 *  |                        sll_addr (8 bytes)                     | 60
 *  +---------------------------------------------------------------+
 *  |  ... frame bytes at tp_mac ...                                |
 * </pre>
 *
 * <p>Header fields are in the host's byte order; the frame bytes are as on the wire. The kernel
 * removes a frame's outer VLAN tag before the ring sees it and reports it in {@code tp_vlan_tci}
 * and {@code tp_vlan_tpid} when {@code TP_STATUS_VLAN_VALID} is set.
 */
public final class Tpacket3Flyweight {
    public static final ByteOrder BYTE_ORDER = ByteOrder.nativeOrder();

    public static final int NEXT_OFFSET_OFFSET = 0;
    public static final int SEC_OFFSET = 4;
    public static final int NSEC_OFFSET = 8;
    public static final int SNAPLEN_OFFSET = 12;
    public static final int LEN_OFFSET = 16;
    public static final int STATUS_OFFSET = 20;
    public static final int MAC_OFFSET = 24;
    public static final int NET_OFFSET = 26;
    public static final int RXHASH_OFFSET = 28;
    public static final int VLAN_TCI_OFFSET = 32;
    public static final int VLAN_TPID_OFFSET = 36;
    public static final int HEADER_LENGTH = 48;
    public static final int SLL_PKTTYPE_OFFSET = HEADER_LENGTH + 10;
    /** Header plus {@code sockaddr_ll}: no frame starts before this. */
    public static final int MIN_MAC_OFFSET = HEADER_LENGTH + 20;

    public static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    public static final int TP_STATUS_VLAN_VALID = 1 << 4;
    public static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;
    public static final int TP_STATUS_CSUM_VALID = 1 << 7;

    private DirectBuffer buffer;
    private int offset;

    /** Points this flyweight at the frame header at {@code offset}; {@code length} bytes remain in the block. */
    public Tpacket3Flyweight wrap(DirectBuffer buffer, int offset, int length) {
        if (length < MIN_MAC_OFFSET || offset < 0 || offset > buffer.capacity() - length) {
            throw new IndexOutOfBoundsException("frame header of " + length + " B at " + offset + " outside the ring");
        }
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int nextOffset() {
        return nextOffset(buffer, offset);
    }

    public int snaplen() {
        return snaplen(buffer, offset);
    }

    public int len() {
        return len(buffer, offset);
    }

    public int status() {
        return status(buffer, offset);
    }

    public int mac() {
        return mac(buffer, offset);
    }

    public int vlanTci() {
        return vlanTci(buffer, offset);
    }

    public int vlanTpid() {
        return vlanTpid(buffer, offset);
    }

    public int packetType() {
        return packetType(buffer, offset);
    }

    // ---------------------------------------------------------------- hot static accessors

    public static int nextOffset(DirectBuffer ring, int frameOffset) {
        return ring.getInt(frameOffset + NEXT_OFFSET_OFFSET, BYTE_ORDER);
    }

    public static int snaplen(DirectBuffer ring, int frameOffset) {
        return ring.getInt(frameOffset + SNAPLEN_OFFSET, BYTE_ORDER);
    }

    public static int len(DirectBuffer ring, int frameOffset) {
        return ring.getInt(frameOffset + LEN_OFFSET, BYTE_ORDER);
    }

    public static int status(DirectBuffer ring, int frameOffset) {
        return ring.getInt(frameOffset + STATUS_OFFSET, BYTE_ORDER);
    }

    public static int mac(DirectBuffer ring, int frameOffset) {
        return ring.getShort(frameOffset + MAC_OFFSET, BYTE_ORDER) & 0xffff;
    }

    public static int vlanTci(DirectBuffer ring, int frameOffset) {
        return ring.getInt(frameOffset + VLAN_TCI_OFFSET, BYTE_ORDER) & 0xffff;
    }

    public static int vlanTpid(DirectBuffer ring, int frameOffset) {
        return ring.getShort(frameOffset + VLAN_TPID_OFFSET, BYTE_ORDER) & 0xffff;
    }

    public static int packetType(DirectBuffer ring, int frameOffset) {
        return ring.getByte(frameOffset + SLL_PKTTYPE_OFFSET) & 0xff;
    }
}
