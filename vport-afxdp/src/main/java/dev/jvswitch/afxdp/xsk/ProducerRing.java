package dev.jvswitch.afxdp.xsk;

/**
 * A ring user space fills and the kernel drains: the fill ring (UMEM addresses of empty frames)
 * and the tx ring (descriptors of frames to send). See {@link XskRing} for the layout and the
 * memory ordering.
 *
 * <p><b>Thread-safety:</b> one owner at a time on the user side.
 */
public final class ProducerRing extends XskRing {
    private int producer;
    private int cachedConsumer;

    ProducerRing(long address, long mappedBytes, long producerAt, long consumerAt, long flagsAt, long descAt, int size,
            int descBytes) {
        super(address, mappedBytes, producerAt, consumerAt, flagsAt, descAt, size, descBytes);
        this.producer = ring.getIntAcquire(this.producerAt);
        this.cachedConsumer = ring.getIntAcquire(this.consumerAt);
    }

    /** A fill ring (8-byte descriptors). */
    public static ProducerRing fill(long address, long mappedBytes, long producerAt, long consumerAt, long flagsAt,
            long descAt, int size) {
        return new ProducerRing(address, mappedBytes, producerAt, consumerAt, flagsAt, descAt, size, 8);
    }

    /** A tx ring (16-byte {@code xdp_desc}s). */
    public static ProducerRing tx(long address, long mappedBytes, long producerAt, long consumerAt, long flagsAt,
            long descAt, int size) {
        return new ProducerRing(address, mappedBytes, producerAt, consumerAt, flagsAt, descAt, size, 16);
    }

    /**
     * Free slots, at least {@code wanted} if the ring has them: the kernel's consumer index is read
     * again (acquire) only when the cached one leaves fewer. Never more than the ring's size,
     * whatever the kernel wrote.
     */
    public int free(int wanted) {
        int free = size - (producer - cachedConsumer);
        if (free < wanted) {
            cachedConsumer = ring.getIntAcquire(consumerAt);
            free = size - (producer - cachedConsumer);
        }
        return Math.max(0, Math.min(size, free));
    }

    /** Writes a UMEM address into the {@code i}-th slot after the producer index (fill ring). */
    public void putAddress(int i, long umemAddress) {
        ring.putLong(slot(producer + i), umemAddress);
    }

    /** Writes a frame descriptor into the {@code i}-th slot after the producer index (tx ring). */
    public void putDesc(int i, long umemAddress, int length) {
        int at = slot(producer + i);
        ring.putLong(at, umemAddress);
        ring.putInt(at + 8, length);
        ring.putInt(at + 12, 0);
    }

    /** Hands the {@code n} slots written since the last submit to the kernel (release store). */
    public void submit(int n) {
        if (n > 0) {
            producer += n;
            ring.putIntRelease(producerAt, producer);
        }
    }

    /** Slots the kernel has not consumed yet (acquire load of its index). */
    public int outstanding() {
        cachedConsumer = ring.getIntAcquire(consumerAt);
        return Math.max(0, Math.min(size, producer - cachedConsumer));
    }
}
