package dev.jvswitch.mempool;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The raw tunnel options an mbuf carries after a pop (OVS's {@code tun_metadata} in its
 * {@code FLOW_TNL_F_UDPIF} form): for Geneve, the option bytes exactly as they were on the wire,
 * up to {@value #CAPACITY} bytes, with their length. Most packets never have any; the parser reads
 * them into the flow key only when {@link #length()} is not 0.
 *
 * <p>The bytes live off-heap, in a side area of the pool (one {@value #CAPACITY}-byte slot per
 * mbuf), so that an mbuf costs no heap for them and a pop copies without allocating. The bytes
 * after {@link #length()} up to the next multiple of 8 are zero, so that a reader may take them
 * as whole big-endian words ({@link #word}).
 *
 * <p><b>Thread-safety:</b> as its {@link Mbuf}: one owner at a time.
 */
public final class TunnelOptions {
    /** Bytes of option space: OVS's {@code TUN_METADATA_TOT_OPT_SIZE}. */
    public static final int CAPACITY = 256;
    /** Bytes of one word of {@link #word}. */
    public static final int WORD_BYTES = 8;

    private final UnsafeBuffer buffer;
    private int length;

    TunnelOptions(long address) {
        this.buffer = new UnsafeBuffer(address, CAPACITY);
    }

    /** Bytes of options (0: none). */
    public int length() {
        return length;
    }

    /** The option bytes, {@code [0, length())}; for readers only. */
    public DirectBuffer buffer() {
        return buffer;
    }

    /** Option word {@code i} (bytes {@code 8i..8i+7}, big-endian), zero past the length. */
    public long word(int i) {
        return buffer.getLong(i * WORD_BYTES, ByteOrder.BIG_ENDIAN);
    }

    /** Forgets the options. */
    public void clear() {
        length = 0;
    }

    /**
     * Keeps the {@code lengthBytes} option bytes at {@code index} of {@code src}.
     *
     * @throws IllegalArgumentException if they do not fit
     */
    public void set(DirectBuffer src, int index, int lengthBytes) {
        if (lengthBytes < 0 || lengthBytes > CAPACITY) {
            throw new IllegalArgumentException("tunnel options of " + lengthBytes + " bytes; at most " + CAPACITY);
        }
        // Word by word (a Geneve packet has one or two options: a bulk copy and a zeroing loop
        // for the padding cost more than the few loads and stores).
        int i = 0;
        for (; i + WORD_BYTES <= lengthBytes; i += WORD_BYTES) {
            buffer.putLong(i, src.getLong(index + i));
        }
        int rest = lengthBytes - i;
        if (rest == 4) {
            buffer.putLong(i, (long) src.getInt(index + i, ByteOrder.BIG_ENDIAN) << 32, ByteOrder.BIG_ENDIAN);
        } else if (rest != 0) {
            long tail = 0;
            for (int j = 0; j < rest; j++) {
                tail |= (src.getByte(index + i + j) & 0xffL) << (56 - 8 * j);
            }
            buffer.putLong(i, tail, ByteOrder.BIG_ENDIAN);
        }
        length = lengthBytes;
    }

    /** Makes these options a copy of {@code other}'s. */
    public void copyFrom(TunnelOptions other) {
        if (other.length == 0) {
            length = 0;
            return;
        }
        int padded = (other.length + WORD_BYTES - 1) & -WORD_BYTES;
        buffer.putBytes(0, other.buffer, 0, padded);
        length = other.length;
    }
}
