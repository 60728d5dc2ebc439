package dev.jvswitch.afxdp.xsk;

/**
 * A ring the kernel fills and user space drains: the rx ring (descriptors of received frames) and
 * the completion ring (UMEM addresses of frames sent). See {@link XskRing} for the layout and the
 * memory ordering.
 *
 * <p><b>Thread-safety:</b> one owner at a time on the user side.
 */
public final class ConsumerRing extends XskRing {
    private int consumer;
    private int cachedProducer;

    ConsumerRing(long address, long mappedBytes, long producerAt, long consumerAt, long flagsAt, long descAt, int size,
            int descBytes) {
        super(address, mappedBytes, producerAt, consumerAt, flagsAt, descAt, size, descBytes);
        this.consumer = ring.getIntAcquire(this.consumerAt);
        this.cachedProducer = ring.getIntAcquire(this.producerAt);
    }

    /** An rx ring (16-byte {@code xdp_desc}s). */
    public static ConsumerRing rx(long address, long mappedBytes, long producerAt, long consumerAt, long flagsAt,
            long descAt, int size) {
        return new ConsumerRing(address, mappedBytes, producerAt, consumerAt, flagsAt, descAt, size, 16);
    }

    /** A completion ring (8-byte UMEM addresses). */
    public static ConsumerRing completion(long address, long mappedBytes, long producerAt, long consumerAt,
            long flagsAt, long descAt, int size) {
        return new ConsumerRing(address, mappedBytes, producerAt, consumerAt, flagsAt, descAt, size, 8);
    }

    /**
     * Entries ready to read, at most {@code max}: the kernel's producer index is read again
     * (acquire) only when the cached one says the ring is empty. An index that claims more than
     * the ring holds (or fewer than nothing) is clamped: reads stay inside the ring either way.
     */
    public int available(int max) {
        int n = cachedProducer - consumer;
        if (n <= 0) {
            cachedProducer = ring.getIntAcquire(producerAt);
            n = cachedProducer - consumer;
        }
        return Math.max(0, Math.min(Math.min(n, size), max));
    }

    /** The UMEM address of the {@code i}-th entry after the consumer index. */
    public long address(int i) {
        return ring.getLong(slot(consumer + i));
    }

    /** The frame length of the {@code i}-th entry (rx ring). */
    public int length(int i) {
        return ring.getInt(slot(consumer + i) + 8);
    }

    /** The options of the {@code i}-th entry (rx ring): {@code XDP_PKT_CONTD} and the like. */
    public int options(int i) {
        return ring.getInt(slot(consumer + i) + 12);
    }

    /** Gives the {@code n} entries read back to the kernel (release store). */
    public void release(int n) {
        if (n > 0) {
            consumer += n;
            ring.putIntRelease(consumerAt, consumer);
        }
    }
}
