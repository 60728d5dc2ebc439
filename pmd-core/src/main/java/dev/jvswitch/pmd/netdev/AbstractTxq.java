package dev.jvswitch.pmd.netdev;

import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;

/**
 * What every tx queue shares: its port, its id, its {@link QueueCounters}, its place in its
 * {@link AbstractNetdev}, and the two ways a send ends for a whole batch (all sent, all dropped).
 * A queue type writes {@link #send}.
 *
 * <p><b>Thread-safety:</b> as {@link NetdevTxq}: one sender at a time, which is the single writer
 * of {@link #counters}; any thread reads them.
 */
public abstract class AbstractTxq implements NetdevTxq {
    private final AbstractNetdev netdev;
    private final int id;
    /** This queue's counters; written by the current sender only. */
    protected final QueueCounters counters = new QueueCounters();

    /** Makes queue {@code id} of {@code netdev}, which adds it with {@code addRxq}/{@code addTxq}. */
    protected AbstractTxq(AbstractNetdev netdev, int id) {
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

    /** Counts {@code packets} sent, {@code bytes} in all; nothing when there were none. */
    protected final void countSent(int packets, long bytes) {
        if (packets > 0) {
            counters.add(QueueCounters.PACKETS, packets);
            counters.add(QueueCounters.BYTES, bytes);
        }
    }

    /**
     * Frees every mbuf of {@code batch}, counting each as a tx drop and under {@code reason} (a
     * {@link QueueCounters} slot such as {@link QueueCounters#LINK_DOWN}).
     *
     * @return 0, the number sent, for {@code return dropAll(...)}
     */
    protected final int dropAll(PacketBatch batch, MbufCache cache, int reason) {
        int n = batch.size();
        if (n > 0) {
            cache.putAll(batch);
            counters.add(QueueCounters.DROPPED, n);
            counters.add(reason, n);
        }
        return 0;
    }

    /** Counts every mbuf of {@code batch} as sent and frees it: a queue that discards. */
    protected final int sinkAll(PacketBatch batch, MbufCache cache) {
        int n = batch.size();
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            bytes += batch.get(i).length();
        }
        cache.putAll(batch);
        countSent(n, bytes);
        return n;
    }

    @Override
    public String toString() {
        return netdev.name() + " txq " + id;
    }
}
