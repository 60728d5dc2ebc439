package dev.jvswitch.afpacket.sys;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * One slot of a TPACKET_V2 ring, receive or transmit: {@code struct tpacket2_hdr}, then (in a
 * receive slot) the {@code struct sockaddr_ll} the kernel writes after it, then the frame. Both
 * directions use the one kernel layout; they differ in who writes which fields and in what
 * {@code tp_status} means.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |  tp_status (see below)                                        |  0
 *  +---------------------------------------------------------------+
 *  |          tp_len: bytes of the frame (on the wire, for rx)     |  4
 *  +---------------------------------------------------------------+
 *  |          tp_snaplen: bytes of the frame in the slot (rx)      |  8
 *  +-------------------------------+-------------------------------+
 *  |  tp_mac (frame offset, rx)    |  tp_net                       | 12
 *  +-------------------------------+-------------------------------+
 *  |                       tp_sec, tp_nsec                         | 16
 *  +-------------------------------+-------------------------------+
 *  |  tp_vlan_tci                  |  tp_vlan_tpid                 | 24
 *  +-------------------------------+-------------------------------+
 *  |                          padding                              | 28
 *  +===============================+===============+===============+
 *  |  rx: sll_family               |  sll_protocol (network order) | 32
 *  +-------------------------------+---------------+---------------+  tx: the frame
 *  |                        sll_ifindex                            | 36  starts at 32
 *  +-------------------------------+---------------+---------------+  (DATA_OFFSET)
 *  |  sll_hatype                   |  sll_pkttype  |  sll_halen    | 40
 *  +-------------------------------+---------------+---------------+
 *  |                        sll_addr (8 bytes)                     | 44
 *  +---------------------------------------------------------------+
 *  |  rx: frame bytes at tp_mac (66 for Ethernet) ...              |
 * </pre>
 *
 * <p>Header fields are in the host's byte order; the frame bytes are as on the wire.
 *
 * <p><b>Receive.</b> The kernel fills the slot, then stores {@code tp_status} with
 * {@link #TP_STATUS_USER} set after a write barrier; the reader loads it with acquire semantics
 * ({@link #statusAcquire}) before reading the rest, and gives the slot back by storing
 * {@link #TP_STATUS_KERNEL} with release semantics after its last read ({@link #releaseToKernel}).
 * The other status flags are those of TPACKET_V3 frames (checksum not ready, VLAN valid, TPID
 * valid; see {@code rx.Tpacket3Flyweight}), plus {@link #TP_STATUS_LOSING} when the kernel dropped
 * frames before this one.
 *
 * <p><b>Transmit.</b> Without {@code PACKET_TX_HAS_OFF} the kernel takes the frame from
 * {@link #DATA_OFFSET}. The writer fills {@code tp_len} and the frame, then stores
 * {@link #TP_STATUS_SEND_REQUEST} with release semantics ({@link #requestSend}); the kernel sets
 * the slot back to {@link #TP_STATUS_AVAILABLE} once the frame has left, which the writer reads
 * with acquire semantics ({@link #statusAcquire}) before reusing the slot.
 */
public final class Tpacket2Flyweight {
    public static final ByteOrder BYTE_ORDER = ByteOrder.nativeOrder();

    public static final int STATUS_OFFSET = 0;
    public static final int LEN_OFFSET = 4;
    public static final int SNAPLEN_OFFSET = 8;
    public static final int MAC_OFFSET = 12;
    public static final int NET_OFFSET = 14;
    public static final int VLAN_TCI_OFFSET = 24;
    public static final int VLAN_TPID_OFFSET = 26;
    public static final int HEADER_LENGTH = 32;
    /** Where a transmitted frame starts. */
    public static final int DATA_OFFSET = HEADER_LENGTH;
    public static final int SLL_PKTTYPE_OFFSET = HEADER_LENGTH + 10;
    /** Header plus {@code sockaddr_ll}: no received frame starts before this. */
    public static final int MIN_MAC_OFFSET = HEADER_LENGTH + 20;
    /**
     * Bytes of a receive slot in front of the frame for an Ethernet device: the kernel puts the
     * network header at {@code TPACKET_ALIGN(52 + max(14, 16))} = 80, so the frame at 80 - 14.
     */
    public static final int ETHERNET_MAC_OFFSET = 66;
    /** A receive slot this much larger than a frame holds it whole (the network header sits at 80). */
    public static final int SLOT_OVERHEAD = 80;

    // Receive status: who owns the slot, and flags.
    public static final int TP_STATUS_KERNEL = 0;
    public static final int TP_STATUS_USER = 1;
    public static final int TP_STATUS_LOSING = 1 << 2;

    // Transmit status.
    public static final int TP_STATUS_AVAILABLE = 0;
    public static final int TP_STATUS_SEND_REQUEST = 1;
    public static final int TP_STATUS_SENDING = 2;
    public static final int TP_STATUS_WRONG_FORMAT = 4;

    private DirectBuffer buffer;
    private int offset;

    /**
     * Points this flyweight at the slot at {@code offset} of {@code length} bytes: at least the
     * header, and {@link #MIN_MAC_OFFSET} for the receive fields after it ({@link #packetType}).
     */
    public Tpacket2Flyweight wrap(DirectBuffer buffer, int offset, int length) {
        if (length < HEADER_LENGTH || offset < 0 || offset > buffer.capacity() - length) {
            throw new IndexOutOfBoundsException("slot of " + length + " B at " + offset + " outside the ring");
        }
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int status() {
        return status(buffer, offset);
    }

    public int len() {
        return len(buffer, offset);
    }

    public int snaplen() {
        return snaplen(buffer, offset);
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

    /**
     * {@code tp_status} with acquire semantics: after {@code TP_STATUS_USER} (rx) the slot's other
     * bytes read afterwards are the kernel's; after {@code TP_STATUS_AVAILABLE} (tx) the kernel is
     * done with the slot.
     */
    public static int statusAcquire(AtomicBuffer ring, int slotOffset) {
        // Agrona's ordered accessors use the host's byte order, as the kernel does.
        return ring.getIntAcquire(slotOffset + STATUS_OFFSET);
    }

    /** {@code tp_status}, plain: for a slot already acquired. */
    public static int status(DirectBuffer ring, int slotOffset) {
        return ring.getInt(slotOffset + STATUS_OFFSET, BYTE_ORDER);
    }

    /** Receive: hands the slot back; every read of it must come before this (release). */
    public static void releaseToKernel(AtomicBuffer ring, int slotOffset) {
        ring.putIntRelease(slotOffset + STATUS_OFFSET, TP_STATUS_KERNEL);
    }

    /** Transmit: hands the slot to the kernel; the frame and its length must be written before (release). */
    public static void requestSend(AtomicBuffer ring, int slotOffset) {
        ring.putIntRelease(slotOffset + STATUS_OFFSET, TP_STATUS_SEND_REQUEST);
    }

    public static int len(DirectBuffer ring, int slotOffset) {
        return ring.getInt(slotOffset + LEN_OFFSET, BYTE_ORDER);
    }

    /** Transmit: the length of the frame at {@link #DATA_OFFSET}. */
    public static void len(MutableDirectBuffer ring, int slotOffset, int length) {
        ring.putInt(slotOffset + LEN_OFFSET, length, BYTE_ORDER);
    }

    public static int snaplen(DirectBuffer ring, int slotOffset) {
        return ring.getInt(slotOffset + SNAPLEN_OFFSET, BYTE_ORDER);
    }

    public static int mac(DirectBuffer ring, int slotOffset) {
        return ring.getShort(slotOffset + MAC_OFFSET, BYTE_ORDER) & 0xffff;
    }

    public static int vlanTci(DirectBuffer ring, int slotOffset) {
        return ring.getShort(slotOffset + VLAN_TCI_OFFSET, BYTE_ORDER) & 0xffff;
    }

    public static int vlanTpid(DirectBuffer ring, int slotOffset) {
        return ring.getShort(slotOffset + VLAN_TPID_OFFSET, BYTE_ORDER) & 0xffff;
    }

    public static int packetType(DirectBuffer ring, int slotOffset) {
        return ring.getByte(slotOffset + SLL_PKTTYPE_OFFSET) & 0xff;
    }
}
