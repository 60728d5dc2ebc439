package dev.jvswitch.afxdp.xsk;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;

/**
 * The mbuf pool seen as an AF_XDP UMEM: the pool's memory is one page-aligned range of equal,
 * power-of-two slots, so slot {@code i} is UMEM frame {@code i}, at UMEM address {@code i <<
 * frameShift}, and the frame holding any address inside it is found by a shift (its base by a
 * mask). A frame received from the kernel is therefore already an mbuf: nothing is copied in user
 * space.
 *
 * <pre>
 *   UMEM address:  | frame index (bits frameShift..)  | offset in frame (low frameShift bits) |
 *   frame i:       [ XDP headroom (256 B) | frame data ... ]   = mbuf i's slot
 * </pre>
 *
 * <p>Every address the kernel hands back goes through {@link #frameOf}, which refuses anything
 * outside the UMEM; callers also check that they own the frame (it was in their fill or tx ring)
 * and that the frame's length stays inside it, before any byte is read.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class Umem {
    private final MbufPool pool;
    private final long address;
    private final long bytes;
    private final int frameShift;
    private final int frameBytes;
    private final int frames;

    private Umem(MbufPool pool, int frameShift) {
        this.pool = pool;
        this.address = pool.memoryAddress();
        this.bytes = pool.memoryBytes();
        this.frameShift = frameShift;
        this.frameBytes = 1 << frameShift;
        this.frames = pool.capacity();
    }

    /**
     * The UMEM over {@code pool}'s memory.
     *
     * @return {@code null} if the pool's slots are not power-of-two frames of at least 2048 bytes
     *         on a page-aligned range (a pool made without {@code frameSlots})
     */
    public static Umem of(MbufPool pool) {
        int slot = pool.slotBytes();
        if (Integer.bitCount(slot) != 1 || slot < dev.jvswitch.afxdp.sys.Native.XDP_UMEM_MIN_CHUNK_SIZE
                || pool.memoryAddress() % 4096 != 0) {
            return null;
        }
        return new Umem(pool, Integer.numberOfTrailingZeros(slot));
    }

    public MbufPool pool() {
        return pool;
    }

    /** The first byte's address, what {@code XDP_UMEM_REG} registers. */
    public long address() {
        return address;
    }

    public long bytes() {
        return bytes;
    }

    public int frameBytes() {
        return frameBytes;
    }

    public int frames() {
        return frames;
    }

    /**
     * The frame that UMEM address {@code umemAddress} falls in, or -1 if it lies outside the
     * UMEM (any value the kernel writes is safe to pass).
     */
    public int frameOf(long umemAddress) {
        if (umemAddress < 0 || umemAddress >= bytes) {
            return -1;
        }
        return (int) (umemAddress >>> frameShift);
    }

    /** Where in its frame UMEM address {@code umemAddress} falls. */
    public int offsetInFrame(long umemAddress) {
        return (int) umemAddress & (frameBytes - 1);
    }

    /** The UMEM address of frame {@code frame}'s first byte (what the fill ring takes). */
    public long frameAddress(int frame) {
        return (long) frame << frameShift;
    }

    /** The UMEM address of {@code m}'s packet data (what a tx descriptor takes); {@code m} is of this pool. */
    public long dataAddress(Mbuf m) {
        return ((long) m.index() << frameShift) + m.dataOffset();
    }

    /** The mbuf that is frame {@code frame}. */
    public Mbuf mbuf(int frame) {
        return pool.mbuf(frame);
    }
}
