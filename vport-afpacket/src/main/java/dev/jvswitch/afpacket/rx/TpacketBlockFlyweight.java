package dev.jvswitch.afpacket.rx;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The descriptor at the start of every TPACKET_V3 receive block ({@code struct
 * tpacket_block_desc} with its {@code tpacket_hdr_v1}), read in place in the mmapped ring.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                            version                            |  0
 *  +---------------------------------------------------------------+
 *  |                         offset_to_priv                        |  4
 *  +---------------------------------------------------------------+
 *  |     block_status: TP_STATUS_KERNEL (0) or TP_STATUS_USER | .. |  8
 *  +---------------------------------------------------------------+
 *  |                           num_pkts                            | 12
 *  +---------------------------------------------------------------+
 *  |                      offset_to_first_pkt                      | 16
 *  +---------------------------------------------------------------+
 *  |                            blk_len                            | 20
 *  +---------------------------------------------------------------+
 *  |                        seq_num (64 bits)                      | 24
 *  +---------------------------------------------------------------+
 *  |             ts_first_pkt (sec, nsec), ts_last_pkt             | 32
 *  +---------------------------------------------------------------+
 *  |  frames, each a struct tpacket3_hdr ({@link Tpacket3Flyweight}) | 48
 * </pre>
 *
 * <p>All fields are in the host's byte order. The kernel hands a block to user space by storing
 * {@code TP_STATUS_USER} into {@code block_status} after everything else (a release), so the
 * reader loads it with acquire semantics ({@link #blockStatusAcquire}); the reader hands the block
 * back by storing {@code TP_STATUS_KERNEL} with release semantics once it has copied every frame
 * out ({@link #releaseToKernel}).
 */
public final class TpacketBlockFlyweight {
    public static final ByteOrder BYTE_ORDER = ByteOrder.nativeOrder();

    public static final int VERSION_OFFSET = 0;
    public static final int OFFSET_TO_PRIV_OFFSET = 4;
    public static final int BLOCK_STATUS_OFFSET = 8;
    public static final int NUM_PKTS_OFFSET = 12;
    public static final int OFFSET_TO_FIRST_PKT_OFFSET = 16;
    public static final int BLK_LEN_OFFSET = 20;
    public static final int SEQ_NUM_OFFSET = 24;
    public static final int HEADER_LENGTH = 48;

    /** The block belongs to the kernel. */
    public static final int TP_STATUS_KERNEL = 0;
    /** The block is full (or timed out) and belongs to user space. */
    public static final int TP_STATUS_USER = 1;
    /** Frames were dropped (ring full) since the kernel last closed a block. */
    public static final int TP_STATUS_LOSING = 1 << 2;
    /** The block was closed by the retire timer rather than by filling up. */
    public static final int TP_STATUS_BLK_TMO = 1 << 5;

    private DirectBuffer buffer;
    private int offset;

    /** Points this flyweight at the block descriptor at {@code offset}; {@code length} is the block size. */
    public TpacketBlockFlyweight wrap(DirectBuffer buffer, int offset, int length) {
        if (length < HEADER_LENGTH || offset < 0 || offset > buffer.capacity() - length) {
            throw new IndexOutOfBoundsException("block of " + length + " B at " + offset + " outside the ring");
        }
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int version() {
        return buffer.getInt(offset + VERSION_OFFSET, BYTE_ORDER);
    }

    public int blockStatus() {
        return buffer.getInt(offset + BLOCK_STATUS_OFFSET, BYTE_ORDER);
    }

    public int numPackets() {
        return buffer.getInt(offset + NUM_PKTS_OFFSET, BYTE_ORDER);
    }

    public int offsetToFirstPacket() {
        return buffer.getInt(offset + OFFSET_TO_FIRST_PKT_OFFSET, BYTE_ORDER);
    }

    public int blockLength() {
        return buffer.getInt(offset + BLK_LEN_OFFSET, BYTE_ORDER);
    }

    public long sequence() {
        return buffer.getLong(offset + SEQ_NUM_OFFSET, BYTE_ORDER);
    }

    // ---------------------------------------------------------------- hot static accessors

    /** {@code block_status} with acquire semantics: frame bytes read afterwards are the kernel's. */
    public static int blockStatusAcquire(AtomicBuffer ring, int blockOffset) {
        // Agrona's ordered accessors use the host's byte order, as the kernel does.
        return ring.getIntAcquire(blockOffset + BLOCK_STATUS_OFFSET);
    }

    public static int numPackets(DirectBuffer ring, int blockOffset) {
        return ring.getInt(blockOffset + NUM_PKTS_OFFSET, BYTE_ORDER);
    }

    public static int offsetToFirstPacket(DirectBuffer ring, int blockOffset) {
        return ring.getInt(blockOffset + OFFSET_TO_FIRST_PKT_OFFSET, BYTE_ORDER);
    }

    /** Hands the block back; every read of its frames must come before this (release). */
    public static void releaseToKernel(AtomicBuffer ring, int blockOffset) {
        ring.putIntRelease(blockOffset + BLOCK_STATUS_OFFSET, TP_STATUS_KERNEL);
    }
}
