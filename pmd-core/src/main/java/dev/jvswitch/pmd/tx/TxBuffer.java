package dev.jvswitch.pmd.tx;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;

/**
 * The packets one PMD has queued for one port, sent as a batch when 32 have gathered, at the end
 * of the PMD iteration, or once the oldest has waited {@code tx-flush-interval} (OVS's output
 * batching, {@code dp_netdev_pmd_flush_output_on_port}).
 *
 * <p><b>Thread-safety:</b> owned by one PMD thread.
 */
public final class TxBuffer {
    /** Sends a full or flushed batch; implemented by the PMD (it knows the queue and its lock). */
    public interface Sender {
        /** Sends and takes ownership of every mbuf; returns how many the device accepted. */
        int send(PacketBatch batch, MbufCache cache);
    }

    private final PacketBatch batch = new PacketBatch();
    private final Sender sender;
    private final MbufCache cache;
    private long firstQueuedNs;
    private long packetsSent;
    private long packetsDropped;
    private long batchesSent;

    public TxBuffer(Sender sender, MbufCache cache) {
        this.sender = sender;
        this.cache = cache;
    }

    /** Queues {@code m}; sends at once if the batch is now full. */
    public void add(Mbuf m, long nowNs) {
        if (batch.isEmpty()) {
            firstQueuedNs = nowNs;
        }
        batch.add(m);
        if (batch.isFull()) {
            flush();
        }
    }

    public boolean isEmpty() {
        return batch.isEmpty();
    }

    /** Whether the oldest queued packet has waited {@code intervalNs} or more. */
    public boolean due(long nowNs, long intervalNs) {
        return !batch.isEmpty() && nowNs - firstQueuedNs >= intervalNs;
    }

    /** Sends whatever is queued. */
    public void flush() {
        int n = batch.size();
        if (n == 0) {
            return;
        }
        int sent = sender.send(batch, cache);
        batch.clear();
        packetsSent += sent;
        packetsDropped += n - sent;
        batchesSent++;
    }

    /** Packets the device accepted since this buffer was made (owner thread). */
    public long packetsSent() {
        return packetsSent;
    }

    public long packetsDropped() {
        return packetsDropped;
    }

    public long batchesSent() {
        return batchesSent;
    }
}
