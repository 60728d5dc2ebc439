package dev.jvswitch.pmd.netdev;

/**
 * The counters of one rx or tx queue, written by the single thread that owns the queue and read
 * by any thread without tearing.
 *
 * <p><b>Thread-safety:</b> one writer (the queue's owner) does a plain read and an opaque write;
 * readers do opaque reads. A reader may see a count a batch behind, never a torn one.
 */
public final class QueueCounters extends SingleWriterCounters {
    public static final int PACKETS = 0;
    public static final int BYTES = 1;
    public static final int DROPPED = 2;
    public static final int ERRORS = 3;
    public static final int NO_MBUF = 4;
    public static final int TRUNCATED = 5;
    public static final int OVERSIZE = 6;
    public static final int QUEUE_FULL = 7;
    public static final int LINK_DOWN = 8;
    private static final int COUNT = 9;

    public QueueCounters() {
        super(COUNT);
    }

    /** Adds this queue's counters to the rx side of {@code into}. */
    public void addRxTo(NetdevStats into) {
        into.rxPackets += get(PACKETS);
        into.rxBytes += get(BYTES);
        into.rxDropped += get(DROPPED);
        into.rxErrors += get(ERRORS);
        into.rxNoMbuf += get(NO_MBUF);
        into.rxTruncated += get(TRUNCATED);
        into.rxOversize += get(OVERSIZE);
    }

    /** Adds this queue's counters to the tx side of {@code into}. */
    public void addTxTo(NetdevStats into) {
        into.txPackets += get(PACKETS);
        into.txBytes += get(BYTES);
        into.txDropped += get(DROPPED);
        into.txErrors += get(ERRORS);
        into.txQueueFull += get(QUEUE_FULL);
        into.txLinkDown += get(LINK_DOWN);
    }
}
