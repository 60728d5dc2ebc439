package dev.jvswitch.pmd.port;

import java.io.IOException;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.AbstractNetdev;
import dev.jvswitch.pmd.netdev.AbstractTxq;
import dev.jvswitch.pmd.netdev.QueueCounters;
import dev.jvswitch.pmd.pcap.PcapWriter;

/**
 * The tx queue of a {@code pcap} port with an {@code out} file: appends every frame it is sent to
 * the file through a {@link PcapWriter}, whose buffer was allocated at open, then frees the mbuf.
 * All frames of one call share one timestamp, read from the clock once per call.
 *
 * <p>After the first write error the queue stops writing and counts every frame as a tx error
 * (and drop): a full disk does not heal, and this keeps the PMD from building an exception per
 * packet.
 *
 * <p><b>Thread-safety:</b> one sender at a time (the port has this single queue and asks for tx
 * locking). {@link #closeWriter()} is called by the control thread after every sender stopped.
 */
final class PcapOutTxq extends AbstractTxq {
    private final PcapWriter writer;
    private final long epochNanosAtOpen;
    private final long nanoTimeAtOpen;
    private boolean failed;
    private String error;

    PcapOutTxq(AbstractNetdev port, PcapWriter writer) {
        super(port, 0);
        this.writer = writer;
        this.epochNanosAtOpen = System.currentTimeMillis() * 1_000_000L;
        this.nanoTimeAtOpen = System.nanoTime();
    }

    @Override
    public int send(PacketBatch batch, MbufCache cache) {
        if (!netdev().isOpen()) {
            return dropAll(batch, cache, QueueCounters.LINK_DOWN);
        }
        int n = batch.size();
        long timestampNanos = epochNanosAtOpen + (System.nanoTime() - nanoTimeAtOpen);
        int written = 0;
        long bytes = 0;
        for (int i = 0; i < n && !failed; i++) {
            Mbuf m = batch.get(i);
            try {
                writer.write(m.buffer(), m.dataOffset(), m.length(), timestampNanos);
                written++;
                bytes += m.length();
            } catch (IOException e) {
                failed = true;
                error = e.getMessage();
            }
        }
        cache.putAll(batch);
        countSent(written, bytes);
        if (written < n) {
            counters.add(QueueCounters.ERRORS, n - written);
            counters.add(QueueCounters.DROPPED, n - written);
        }
        return written;
    }

    /** Frames written to the file so far (owner thread, or after the senders stopped). */
    long framesWritten() {
        return writer.framesWritten();
    }

    /** Flushes and closes the file; returns a one-line error, or {@code null} if all went well. */
    String closeWriter() {
        try {
            writer.close();
        } catch (IOException e) {
            if (error == null) {
                error = e.getMessage();
            }
        }
        return error == null ? null : writer.fileName() + ": " + error;
    }
}
