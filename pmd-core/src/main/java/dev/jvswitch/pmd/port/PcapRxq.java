package dev.jvswitch.pmd.port;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.AbstractNetdev;
import dev.jvswitch.pmd.netdev.AbstractRxq;
import dev.jvswitch.pmd.netdev.QueueCounters;
import dev.jvswitch.pmd.pcap.PcapImage;

/**
 * An rx queue that replays every frame of a {@link PcapImage}, in file order, {@code loops} times
 * (0: endlessly), copying each frame into an mbuf from the caller's cache as a NIC's rx ring
 * would. Each queue of a port keeps its own position, so every queue replays the whole file.
 *
 * <p>A call examines at most {@link PacketBatch#MAX_SIZE} frames. A frame longer than an mbuf's
 * data room is skipped and counted as an rx drop ({@code oversize}); when the pool cannot supply
 * an mbuf for the next frame, that frame is skipped and counted as {@code no_mbuf}, and the call
 * returns. Either way the frame counts as replayed: {@link #framesReplayed()} is delivered plus
 * dropped frames.
 *
 * <p>With a {@link ReplayTiming}, a call examines only the frames it says are due, and shows it
 * what was received.
 *
 * <p><b>Thread-safety:</b> the position fields are plain, owned by the polling PMD. The PMD
 * publishes {@code replayed} and {@code done} with opaque writes after each call; any thread may
 * read them with opaque reads and sees values at most one call old.
 */
final class PcapRxq extends AbstractRxq {
    private static final VarHandle REPLAYED;
    private static final VarHandle DONE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            REPLAYED = lookup.findVarHandle(PcapRxq.class, "replayed", long.class);
            DONE = lookup.findVarHandle(PcapRxq.class, "done", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AbstractNetdev port;
    private final PcapImage image;
    private final int frameCount;
    private final int loops;

    /** Index of the next frame to replay. */
    private int next;
    private int passesDone;
    @SuppressWarnings("unused") // accessed through REPLAYED
    private long replayed;
    @SuppressWarnings("unused") // accessed through DONE
    private boolean done;
    /** Set before the first poll (the PMD thread's start publishes it); {@code null}: unpaced. */
    private ReplayTiming timing;

    PcapRxq(AbstractNetdev port, int id, PcapImage image, int loops) {
        super(port, id);
        this.port = port;
        this.image = image;
        this.frameCount = image.frameCount();
        this.loops = loops;
        this.done = frameCount == 0;
    }

    /** Frames taken from the file so far, delivered or dropped. Any thread. */
    long framesReplayed() {
        return (long) REPLAYED.getOpaque(this);
    }

    /** True once every pass of a finite replay is done. Any thread. */
    boolean replayDone() {
        return (boolean) DONE.getOpaque(this);
    }

    void timing(ReplayTiming t) {
        this.timing = t;
    }

    @Override
    public int recv(PacketBatch batch, MbufCache cache) {
        if (done || !port.isOpen()) {
            return 0;
        }
        int want = PacketBatch.MAX_SIZE;
        if (loops > 0) {
            long left = (long) (loops - passesDone) * frameCount - next;
            want = (int) Math.min(want, left);
        }
        ReplayTiming t = timing;
        if (t != null && (want = t.due(want)) == 0) {
            return 0;
        }
        Mbuf[] slots = batch.array();
        int got = cache.getBulk(slots, 0, want);
        int taken = 0;
        int delivered = 0;
        int oversize = 0;
        long bytes = 0;
        while (taken < want && delivered < got) {
            int frame = next;
            advance();
            taken++;
            int length = image.frameLength(frame);
            if (slots[delivered].copyFrom(image.frameAddress(frame), length)) {
                delivered++;
                bytes += length;
            } else {
                oversize++;
            }
        }
        for (int i = delivered; i < got; i++) {
            cache.put(slots[i]);
            slots[i] = null;
        }
        int noMbuf = 0;
        if (got < want && taken < want) {
            advance();
            taken++;
            noMbuf = 1;
        }
        batch.setSize(delivered);
        if (t != null) {
            t.onReceived(slots, delivered, taken);
        }
        countReceived(delivered, bytes);
        if (oversize + noMbuf > 0) {
            counters.add(QueueCounters.DROPPED, oversize + noMbuf);
            if (oversize > 0) {
                counters.add(QueueCounters.OVERSIZE, oversize);
            }
            if (noMbuf > 0) {
                counters.add(QueueCounters.NO_MBUF, noMbuf);
            }
        }
        REPLAYED.setOpaque(this, replayed + taken);
        return delivered;
    }

    private void advance() {
        if (++next == frameCount) {
            next = 0;
            // Endless replays do not count passes, so no counter can wrap around to "done".
            if (loops > 0 && ++passesDone == loops) {
                DONE.setOpaque(this, true);
            }
        }
    }
}
