package dev.jvswitch.pmd.port;

import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevTxq;
import dev.jvswitch.pmd.netdev.QueueCounters;

/**
 * A tx queue that counts what it is sent and frees it (the {@code null} port, and a {@code pcap}
 * port without {@code out}); after close it counts link-down drops instead.
 *
 * <p><b>Thread-safety:</b> one sender at a time; the counters are this queue's own, so queues of
 * one port need no lock between them.
 */
final class SinkTxq implements NetdevTxq {
    private final MemoryPort port;
    private final int id;
    private final QueueCounters counters;

    SinkTxq(MemoryPort port, int id) {
        this.port = port;
        this.id = id;
        this.counters = port.txCounters[id];
    }

    @Override
    public Netdev netdev() {
        return port;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public int send(PacketBatch batch, MbufCache cache) {
        if (!port.isOpen()) {
            MemoryPort.dropAll(batch, cache, counters, QueueCounters.LINK_DOWN);
            return 0;
        }
        return MemoryPort.sinkAll(batch, cache, counters);
    }
}
