package dev.jvswitch.mempool;

/**
 * Up to {@value #MAX_SIZE} mbufs moving through the datapath together (OVS's
 * {@code dp_packet_batch}, DPDK's burst). A batch is made once per stage and reused for the life
 * of its owner; adding and clearing allocate nothing.
 *
 * <p>A batch does not own its mbufs in any lifecycle sense: whoever holds the batch must pass
 * every mbuf on (to a port, another batch) or free it (see {@link MbufCache#putAll}).
 *
 * <p><b>Thread-safety:</b> single owner.
 */
public final class PacketBatch {
    public static final int MAX_SIZE = 32;

    /** Not final: {@link #swapWith} exchanges whole arrays. */
    private Mbuf[] mbufs = new Mbuf[MAX_SIZE];
    private int size;

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean isFull() {
        return size == MAX_SIZE;
    }

    public Mbuf get(int i) {
        if (i >= size) {
            throw new IndexOutOfBoundsException("index " + i + " of a batch of " + size);
        }
        return mbufs[i];
    }

    /**
     * Appends {@code m}.
     *
     * @return false, changing nothing, if the batch is full
     */
    public boolean add(Mbuf m) {
        if (size == MAX_SIZE) {
            return false;
        }
        mbufs[size++] = m;
        return true;
    }

    /** Replaces the mbuf at {@code i} (for actions that swap in a copy). */
    public void set(int i, Mbuf m) {
        if (i >= size) {
            throw new IndexOutOfBoundsException("index " + i + " of a batch of " + size);
        }
        mbufs[i] = m;
    }

    /**
     * Keeps the first {@code newSize} mbufs (the caller has already passed on or freed the rest).
     */
    public void truncate(int newSize) {
        for (int i = newSize; i < size; i++) {
            mbufs[i] = null;
        }
        size = Math.min(size, newSize);
    }

    /** Forgets every mbuf without freeing it. */
    public void clear() {
        for (int i = 0; i < size; i++) {
            mbufs[i] = null;
        }
        size = 0;
    }

    /** The backing array, for bulk gets straight into the batch; valid up to {@link #size()}. */
    public Mbuf[] array() {
        return mbufs;
    }

    /**
     * Exchanges the contents (mbufs and size) of this batch and {@code other}: a hand-over of a
     * whole batch that stores two array references instead of one mbuf reference per packet (each
     * a GC barrier). A caller that held {@link #array()} must fetch it again.
     */
    public void swapWith(PacketBatch other) {
        Mbuf[] a = mbufs;
        mbufs = other.mbufs;
        other.mbufs = a;
        int n = size;
        size = other.size;
        other.size = n;
    }

    /** Declares that a bulk get filled {@code array()[0..n)}. */
    public void setSize(int n) {
        if (n < 0 || n > MAX_SIZE) {
            throw new IllegalArgumentException("batch size " + n + " outside 0.." + MAX_SIZE);
        }
        size = n;
    }
}
