package dev.jvswitch.pmd.port;

import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.pmd.netdev.QueueCounters;

/**
 * What the in-memory port types share: name, type, MAC, MTU, one {@link QueueCounters} per
 * queue, and whether the port is open.
 *
 * <p><b>Thread-safety:</b> identity, MAC, MTU and the counter arrays are final. Each queue's
 * counters have one writer, the queue's owner (see {@link QueueCounters}). {@code open} is
 * volatile: written once by the control thread in {@link #close()}, read by PMDs (a ring port's
 * peer reads it on every send). {@code linkDownEvents} is written by the control thread under the
 * port's own lock (ring ports) and read by any thread.
 */
abstract class MemoryPort implements Netdev {
    private final String name;
    private final String type;
    private final long mac;
    private final int mtu;
    protected final QueueCounters[] rxCounters;
    protected final QueueCounters[] txCounters;
    private volatile boolean open = true;
    private volatile long linkDownEvents;

    MemoryPort(String name, String type, long mac, int mtu, int rxqs, int txqs) {
        this.name = name;
        this.type = type;
        this.mac = mac;
        this.mtu = mtu;
        this.rxCounters = newCounters(rxqs);
        this.txCounters = newCounters(txqs);
    }

    private static QueueCounters[] newCounters(int n) {
        QueueCounters[] counters = new QueueCounters[n];
        for (int i = 0; i < n; i++) {
            counters[i] = new QueueCounters();
        }
        return counters;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final int rxqCount() {
        return rxCounters.length;
    }

    @Override
    public final int txqCount() {
        return txCounters.length;
    }

    @Override
    public final int mtu() {
        return mtu;
    }

    @Override
    public final long macAddress() {
        return mac;
    }

    /** Open, not yet closed. */
    final boolean isOpen() {
        return open;
    }

    /** Marks the port closed; true only for the first call. Caller serialises calls. */
    final boolean markClosed() {
        if (!open) {
            return false;
        }
        open = false;
        return true;
    }

    /** Counts one transition of the link to down; caller serialises calls. */
    final void countLinkDown() {
        linkDownEvents = linkDownEvents + 1;
    }

    @Override
    public void readStats(NetdevStats into) {
        for (QueueCounters c : rxCounters) {
            c.addRxTo(into);
        }
        for (QueueCounters c : txCounters) {
            c.addTxTo(into);
        }
        into.linkDownEvents += linkDownEvents;
    }

    /** Frees every mbuf of {@code batch}, counting each as a tx drop for {@code reason}. */
    static void dropAll(PacketBatch batch, MbufCache cache, QueueCounters counters, int reason) {
        int n = batch.size();
        if (n == 0) {
            return;
        }
        cache.putAll(batch);
        counters.add(QueueCounters.DROPPED, n);
        counters.add(reason, n);
    }

    /** Counts every mbuf of {@code batch} as transmitted and frees it: a port that discards. */
    static int sinkAll(PacketBatch batch, MbufCache cache, QueueCounters counters) {
        int n = batch.size();
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            bytes += batch.get(i).length();
        }
        cache.putAll(batch);
        counters.add(QueueCounters.PACKETS, n);
        counters.add(QueueCounters.BYTES, bytes);
        return n;
    }
}
