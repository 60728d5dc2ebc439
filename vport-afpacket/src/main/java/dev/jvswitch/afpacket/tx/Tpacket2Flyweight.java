package dev.jvswitch.afpacket.tx;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * One slot of a TPACKET_V2 transmit ring: {@code struct tpacket2_hdr} followed by the frame.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |  tp_status: AVAILABLE (0), SEND_REQUEST (1), SENDING (2), ... |  0
 *  +---------------------------------------------------------------+
 *  |                 tp_len: bytes of the frame                    |  4
 *  +---------------------------------------------------------------+
 *  |                          tp_snaplen                           |  8
 *  +-------------------------------+-------------------------------+
 *  |  tp_mac                       |  tp_net                       | 12
 *  +-------------------------------+-------------------------------+
 *  |                       tp_sec, tp_nsec                         | 16
 *  +-------------------------------+-------------------------------+
 *  |  tp_vlan_tci                  |  tp_vlan_tpid                 | 24
 *  +-------------------------------+-------------------------------+
 *  |                          padding                              | 28
 *  +===============================================================+
 *  |  frame bytes (tp_len of them), up to the end of the slot      | 32
 * </pre>
 *
 * <p>Header fields are in the host's byte order. Without {@code PACKET_TX_HAS_OFF} the kernel
 * takes the frame from {@link #DATA_OFFSET}. The writer fills {@code tp_len} and the frame, then
 * stores {@code TP_STATUS_SEND_REQUEST} with release semantics; the kernel sets the slot back to
 * {@code TP_STATUS_AVAILABLE} once the frame has left, which the writer reads with acquire
 * semantics before reusing the slot.
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
    public static final int DATA_OFFSET = HEADER_LENGTH;

    public static final int TP_STATUS_AVAILABLE = 0;
    public static final int TP_STATUS_SEND_REQUEST = 1;
    public static final int TP_STATUS_SENDING = 2;
    public static final int TP_STATUS_WRONG_FORMAT = 4;

    private DirectBuffer buffer;
    private int offset;

    /** Points this flyweight at the slot at {@code offset} of {@code length} bytes. */
    public Tpacket2Flyweight wrap(DirectBuffer buffer, int offset, int length) {
        if (length < HEADER_LENGTH || offset < 0 || offset > buffer.capacity() - length) {
            throw new IndexOutOfBoundsException("slot of " + length + " B at " + offset + " outside the ring");
        }
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int status() {
        return buffer.getInt(offset + STATUS_OFFSET, BYTE_ORDER);
    }

    public int len() {
        return buffer.getInt(offset + LEN_OFFSET, BYTE_ORDER);
    }

    // ---------------------------------------------------------------- hot static accessors

    /** The slot's status with acquire semantics: after AVAILABLE, the kernel is done with it. */
    public static int statusAcquire(AtomicBuffer ring, int slotOffset) {
        return ring.getIntAcquire(slotOffset + STATUS_OFFSET);
    }

    public static void len(MutableDirectBuffer ring, int slotOffset, int length) {
        ring.putInt(slotOffset + LEN_OFFSET, length, BYTE_ORDER);
    }

    /** Hands the slot to the kernel; the frame and its length must be written before (release). */
    public static void requestSend(AtomicBuffer ring, int slotOffset) {
        ring.putIntRelease(slotOffset + STATUS_OFFSET, TP_STATUS_SEND_REQUEST);
    }
}
