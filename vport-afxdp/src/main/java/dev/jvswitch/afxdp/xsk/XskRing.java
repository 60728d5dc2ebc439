package dev.jvswitch.afxdp.xsk;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * One of an XDP socket's four rings as user space sees it: a mapping holding the producer and
 * consumer indexes (free-running 32-bit counters), a flags word, and {@code size} descriptors of
 * {@code descBytes} each. The kernel reports where each part lies ({@code XDP_MMAP_OFFSETS}); a
 * ring checks once, when it is made, that every part lies inside its mapping, so that no index
 * the kernel later writes can make a read or write leave it (a slot is always {@code index &
 * mask}).
 *
 * <pre>
 *   mapping: ... producer(u32) ... consumer(u32) ... flags(u32) ... desc[0] desc[1] ... desc[size-1]
 *   entries the consumer may read: producer - consumer (mod 2^32), at most size
 * </pre>
 *
 * <p>Memory ordering (as libxdp's {@code xsk_ring_*}): the side that produces writes descriptors,
 * then the producer index with a release store; the side that consumes reads the producer index
 * with an acquire load before the descriptors, and hands slots back with a release store of the
 * consumer index, which the producer reads with an acquire load before reusing them. Each side
 * caches the other's index and reads it again only when the cached value says the ring is full
 * (producer) or empty (consumer).
 *
 * <p><b>Thread-safety:</b> the user-space side of a ring has one owner at a time (the PMD that
 * holds the queue's guard, or the control thread); the kernel is the other side.
 */
abstract class XskRing {
    protected final UnsafeBuffer ring;
    protected final int producerAt;
    protected final int consumerAt;
    protected final int flagsAt;
    protected final int descAt;
    protected final int size;
    protected final int mask;
    protected final int descBytes;
    private final long address;
    private final long mappedBytes;

    /**
     * @param address     the mapping's address
     * @param mappedBytes the mapping's length
     * @param size        descriptors in the ring, a power of two
     * @param descBytes   8 (fill, completion: a UMEM address) or 16 (rx, tx: {@code struct xdp_desc})
     */
    XskRing(long address, long mappedBytes, long producerAt, long consumerAt, long flagsAt, long descAt, int size,
            int descBytes) {
        if (size <= 0 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("ring size " + size + " is not a power of two");
        }
        if (mappedBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ring mapping of " + mappedBytes + " bytes");
        }
        checkWord("producer", producerAt, mappedBytes);
        checkWord("consumer", consumerAt, mappedBytes);
        checkWord("flags", flagsAt, mappedBytes);
        if (descAt < 0 || descAt % 8 != 0 || descAt + (long) size * descBytes > mappedBytes) {
            throw new IllegalArgumentException("ring descriptors at " + descAt + " (" + size + " x " + descBytes
                    + " B) outside a mapping of " + mappedBytes + " bytes");
        }
        this.address = address;
        this.mappedBytes = mappedBytes;
        this.ring = new UnsafeBuffer(address, (int) mappedBytes);
        this.producerAt = (int) producerAt;
        this.consumerAt = (int) consumerAt;
        this.flagsAt = (int) flagsAt;
        this.descAt = (int) descAt;
        this.size = size;
        this.mask = size - 1;
        this.descBytes = descBytes;
    }

    private static void checkWord(String what, long at, long mappedBytes) {
        if (at < 0 || at % 4 != 0 || at + 4 > mappedBytes) {
            throw new IllegalArgumentException("ring " + what + " index at " + at + " outside a mapping of "
                    + mappedBytes + " bytes");
        }
    }

    /** Bytes a mapping must have for a ring whose descriptors start at {@code descAt}. */
    static long mappedBytes(long descAt, int size, int descBytes) {
        return descAt + (long) size * descBytes;
    }

    public final int size() {
        return size;
    }

    /** The mapping's address (to unmap it). */
    public final long address() {
        return address;
    }

    /** The mapping's length (to unmap it). */
    public final long mappedBytes() {
        return mappedBytes;
    }

    /** The kernel's {@code XDP_RING_NEED_WAKEUP} flag: it sleeps until a system call wakes it. */
    public final boolean needsWakeup() {
        return (ring.getIntVolatile(flagsAt) & dev.jvswitch.afxdp.sys.Native.XDP_RING_NEED_WAKEUP) != 0;
    }

    /** The byte offset of slot {@code index} (any counter value; masked here). */
    protected final int slot(int index) {
        return descAt + (index & mask) * descBytes;
    }
}
