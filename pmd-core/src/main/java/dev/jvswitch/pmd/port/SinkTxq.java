package dev.jvswitch.pmd.port;

import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.AbstractNetdev;
import dev.jvswitch.pmd.netdev.AbstractTxq;
import dev.jvswitch.pmd.netdev.QueueCounters;

/**
 * A tx queue that counts what it is sent and frees it (the {@code null} port, and a {@code pcap}
 * port without {@code out}); after close it counts link-down drops instead. A {@link SinkTap} sees
 * each batch before it is freed.
 *
 * <p><b>Thread-safety:</b> one sender at a time; the counters are this queue's own, so queues of
 * one port need no lock between them.
 */
final class SinkTxq extends AbstractTxq {
    /** Set before the first send (the PMD thread's start publishes it); {@code null}: none. */
    private SinkTap tap;

    SinkTxq(AbstractNetdev port, int id) {
        super(port, id);
    }

    void tap(SinkTap t) {
        this.tap = t;
    }

    @Override
    public int send(PacketBatch batch, MbufCache cache) {
        if (!netdev().isOpen()) {
            return dropAll(batch, cache, QueueCounters.LINK_DOWN);
        }
        SinkTap t = tap;
        if (t != null) {
            t.onSink(batch);
        }
        return sinkAll(batch, cache);
    }
}
