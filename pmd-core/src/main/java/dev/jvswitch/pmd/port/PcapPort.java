package dev.jvswitch.pmd.port;

import dev.jvswitch.pmd.netdev.AbstractNetdev;
import dev.jvswitch.pmd.pcap.PcapImage;
import dev.jvswitch.pmd.pcap.PcapWriter;

/**
 * A port that replays a capture file and can record what it is sent: the traffic source of
 * benchmarks and of tests that want real packets without a network.
 *
 * <p><b>Receive.</b> With a {@code file}, the whole capture is held in one off-heap
 * {@link PcapImage}, and each rx queue replays all of it (so {@code rxqs=N} offers N times the
 * traffic, one full copy per queue, which is what a multi-PMD benchmark wants), {@code loop}
 * times or endlessly; see {@link PcapRxq} for drops. Without a file the port receives nothing.
 *
 * <p><b>Transmit.</b> With an {@code out} file, the port has one tx queue that writes every frame
 * to that file (see {@link PcapOutTxq}), flushed on {@link #close()}. Without one, it has as many
 * tx queues as the datapath asks for and discards what they are sent, counting it, like
 * {@link NullPort}.
 *
 * <p>The link is up while the port is open.
 *
 * <p><b>Thread-safety:</b> see {@link AbstractNetdev}, {@link PcapRxq} and {@link PcapOutTxq};
 * {@link #framesReplayed()}, {@link #replayDone()} and {@link #readStats} may be called from any
 * thread. {@link #close()} runs after every PMD has stopped using the port.
 */
public final class PcapPort extends AbstractNetdev {
    public static final String TYPE = "pcap";

    private final PcapImage image;
    private final PcapRxq[] replayQueues;
    private final PcapOutTxq outTxq;
    /** Written once by {@link #onClose()}, read by any thread. */
    private volatile String closeError;

    /**
     * A pcap port over an already loaded capture and an open writer; the port owns both and
     * closes them.
     *
     * @param image  frames to replay, or {@code null} to receive nothing
     * @param loops  times each rx queue replays the capture, 0 for endlessly
     * @param rxqs   rx queues, each replaying the whole capture
     * @param out    where sent frames are written, or {@code null} to discard them
     * @param txqs   tx queues when {@code out} is {@code null} (with a writer there is one)
     */
    public PcapPort(String name, long mac, int mtu, PcapImage image, int loops, int rxqs, PcapWriter out, int txqs) {
        super(name, TYPE, rxqs, out == null ? txqs : 1);
        if (loops < 0) {
            throw new IllegalArgumentException("port " + name + ": option 'loop' must not be negative, got " + loops);
        }
        mtu(mtu);
        macAddress(mac);
        this.image = image;
        this.replayQueues = new PcapRxq[image == null ? 0 : rxqs];
        for (int i = 0; i < rxqs; i++) {
            if (image == null) {
                addRxq(new EmptyRxq(this, i));
            } else {
                replayQueues[i] = addRxq(new PcapRxq(this, i, image, loops));
            }
        }
        if (out != null) {
            this.outTxq = addTxq(new PcapOutTxq(this, out));
        } else {
            this.outTxq = null;
            for (int i = 0; i < txqs; i++) {
                addTxq(new SinkTxq(this, i));
            }
        }
    }

    /** Only the {@code out} writer is shared state; discarding queues keep their own counters. */
    @Override
    public boolean txqsNeedLocking() {
        return outTxq != null;
    }

    /**
     * Paces every rx queue's replay by {@code timing} and shows it what each receives (a
     * benchmark's rate and latency probe); {@code null} removes it. Call before any PMD polls the
     * port. With more than one rx queue, each queue calls the same object from its own PMD.
     */
    public void timing(ReplayTiming timing) {
        for (PcapRxq q : replayQueues) {
            q.timing(timing);
        }
    }

    /** The capture being replayed, or {@code null} when the port has no {@code file}. */
    public PcapImage image() {
        return image;
    }

    /** Frames taken from the capture so far by all rx queues, delivered or dropped. */
    public long framesReplayed() {
        long total = 0;
        for (PcapRxq q : replayQueues) {
            total += q.framesReplayed();
        }
        return total;
    }

    /**
     * True when every rx queue has finished its {@code loop} passes (or there is nothing to
     * replay); never true for an endless replay of a non-empty capture.
     */
    public boolean replayDone() {
        for (PcapRxq q : replayQueues) {
            if (!q.replayDone()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why writing the {@code out} file failed (one line naming it), or {@code null}; final only
     * after {@link #close()}.
     */
    public String outError() {
        return closeError;
    }

    /** Flushes and closes the {@code out} file and releases the capture. */
    @Override
    protected void onClose() {
        try {
            if (outTxq != null) {
                closeError = outTxq.closeWriter();
            }
        } finally {
            if (image != null) {
                image.close();
            }
        }
    }

    @Override
    public String toString() {
        return "PcapPort[" + name() + (image == null ? "" : ", " + image.fileName()) + "]";
    }
}
