package dev.jvswitch.mempool;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The raw tunnel options an mbuf carries after a pop (OVS's {@code tun_metadata} in its
 * {@code FLOW_TNL_F_UDPIF} form): for Geneve, the option bytes exactly as they were on the wire,
 * up to {@value #CAPACITY} bytes, with their length. Most packets never have any; the parser reads
 * them into the flow key only when {@link #length()} is not 0.
 *
 * <p>They are kept as big-endian words ({@link #word}), zero after {@link #length()} up to the
 * next multiple of 8. The first {@value #FIELD_WORDS} words, which hold the one or two options a
 * Geneve packet usually carries (OVN's is 8 bytes), live in two fields, so that a pop and the
 * parse after it pass them through registers and never through memory; the words after them live
 * off-heap, in a side area of the pool (one {@value #CAPACITY}-byte slot per mbuf, the first
 * {@value #FIELD_WORDS} words of it unused), so that an mbuf costs no more heap for them and a
 * pop copies without allocating.
 *
 * <p><b>Thread-safety:</b> as its {@link Mbuf}: one owner at a time.
 */
public final class TunnelOptions {
    /** Bytes of option space: OVS's {@code TUN_METADATA_TOT_OPT_SIZE}. */
    public static final int CAPACITY = 256;
    /** Bytes of one word of {@link #word}. */
    public static final int WORD_BYTES = 8;
    /** Words kept in fields rather than in the off-heap slot. */
    static final int FIELD_WORDS = 2;
    private static final int FIELD_BYTES = FIELD_WORDS * WORD_BYTES;
    private static final ByteOrder NET = ByteOrder.BIG_ENDIAN;

    private final UnsafeBuffer buffer;
    private int length;
    /** Words 0 and 1 (big-endian values), zero past the length. */
    private long word0;
    private long word1;

    TunnelOptions(long address) {
        this.buffer = new UnsafeBuffer(address, CAPACITY);
    }

    /** Bytes of options (0: none). */
    public int length() {
        return length;
    }

    /** Option word {@code i} (bytes {@code 8i..8i+7}, big-endian), zero past the length. */
    public long word(int i) {
        if (i == 0) {
            return word0;
        }
        if (i == 1) {
            return word1;
        }
        return buffer.getLong(i * WORD_BYTES, NET);
    }

    /** A copy of the option bytes, {@code [0, length())} (allocates: tests and the slow path). */
    public byte[] toBytes() {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (word(i / WORD_BYTES) >>> (56 - 8 * (i % WORD_BYTES)));
        }
        return bytes;
    }

    /** Forgets the options. */
    public void clear() {
        length = 0;
    }

    /**
     * Keeps the {@code lengthBytes} option bytes at {@code index} of {@code src} (a Geneve pop's
     * packet). The range is checked against {@code src} once; the words are then read as
     * {@link PacketBytes} reads them, without a check per read.
     *
     * @throws IllegalArgumentException if they do not fit the options or lie outside {@code src}
     */
    public void set(UnsafeBuffer src, int index, int lengthBytes) {
        if (lengthBytes < 0 || lengthBytes > CAPACITY) {
            throw new IllegalArgumentException("tunnel options of " + lengthBytes + " bytes; at most " + CAPACITY);
        }
        if (index < 0 || index > src.capacity() - lengthBytes) {
            throw new IllegalArgumentException("tunnel options of " + lengthBytes + " bytes at " + index
                    + " outside a buffer of " + src.capacity());
        }
        if (src.byteArray() != null) {
            // A heap buffer (tests, tools; a pop's packet is off-heap): PacketBytes reads only
            // off-heap memory, so the bytes go through this slot first.
            buffer.putBytes(0, src, index, lengthBytes);
            set(buffer, 0, lengthBytes);
            return;
        }
        // Word by word (a Geneve packet has one or two options: a bulk copy and a zeroing loop
        // for the padding cost more than the few loads and stores).
        if (lengthBytes >= WORD_BYTES) {
            word0 = PacketBytes.u64(src, index);
            if (lengthBytes >= FIELD_BYTES) {
                word1 = PacketBytes.u64(src, index + WORD_BYTES);
                if (lengthBytes > FIELD_BYTES) {
                    setSlot(src, index, lengthBytes);
                }
            } else {
                word1 = tail(src, index + WORD_BYTES, lengthBytes - WORD_BYTES);
            }
        } else {
            word0 = tail(src, index, lengthBytes);
            word1 = 0;
        }
        length = lengthBytes;
    }

    /** Bytes {@value #FIELD_BYTES} and up into the slot, the last word padded with zeros. */
    private void setSlot(UnsafeBuffer src, int index, int lengthBytes) {
        int i = FIELD_BYTES;
        for (; i + WORD_BYTES <= lengthBytes; i += WORD_BYTES) {
            buffer.putLong(i, PacketBytes.u64(src, index + i), NET);
        }
        if (i < lengthBytes) {
            buffer.putLong(i, tail(src, index + i, lengthBytes - i), NET);
        }
    }

    /** The {@code rest} (0 to 7) bytes at {@code at} as the high bytes of a big-endian word. */
    private static long tail(UnsafeBuffer src, int at, int rest) {
        if (rest == 4) {
            return PacketBytes.u32(src, at) << 32;
        }
        long tail = 0;
        for (int j = 0; j < rest; j++) {
            tail |= (long) PacketBytes.u8(src, at + j) << (56 - 8 * j);
        }
        return tail;
    }

    /** Makes these options a copy of {@code other}'s. */
    public void copyFrom(TunnelOptions other) {
        word0 = other.word0;
        word1 = other.word1;
        if (other.length > FIELD_BYTES) {
            int padded = (other.length + WORD_BYTES - 1) & -WORD_BYTES;
            buffer.putBytes(FIELD_BYTES, other.buffer, FIELD_BYTES, padded - FIELD_BYTES);
        }
        length = other.length;
    }
}
