package dev.jvswitch.pmd.netdev;

/**
 * What every rx queue shares: its port, its id, its {@link QueueCounters}, and its place in its
 * {@link AbstractNetdev}. A queue type writes only {@link #recv}.
 *
 * <p><b>Thread-safety:</b> as {@link NetdevRxq}: polled by one PMD at a time, which is the
 * single writer of {@link #counters}; any thread reads them.
 */
public abstract class AbstractRxq implements NetdevRxq {
    private final AbstractNetdev netdev;
    private final int id;
    /** This queue's counters; written by the polling PMD only. */
    protected final QueueCounters counters = new QueueCounters();

    /** Makes queue {@code id} of {@code netdev}, which adds it with {@code addRxq}/{@code addTxq}. */
    protected AbstractRxq(AbstractNetdev netdev, int id) {
        this.netdev = netdev;
        this.id = id;
    }

    @Override
    public AbstractNetdev netdev() {
        return netdev;
    }

    @Override
    public final int id() {
        return id;
    }

    public final QueueCounters counters() {
        return counters;
    }

    /** Counts {@code packets} received, {@code bytes} in all; nothing when there were none. */
    protected final void countReceived(int packets, long bytes) {
        if (packets > 0) {
            counters.add(QueueCounters.PACKETS, packets);
            counters.add(QueueCounters.BYTES, bytes);
        }
    }

    @Override
    public String toString() {
        return netdev.name() + " rxq " + id;
    }
}
