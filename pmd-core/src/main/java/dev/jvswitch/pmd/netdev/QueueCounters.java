package dev.jvswitch.pmd.netdev;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The counters of one rx or tx queue, written by the single thread that owns the queue and read
 * by any thread without tearing.
 *
 * <p><b>Thread-safety:</b> one writer (the queue's owner) does a plain read and an opaque write;
 * readers do opaque reads. A reader may see a count a batch behind, never a torn one.
 */
public final class QueueCounters {
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
    /** Pads the array so two queues' counters do not share a cache line. */
    private static final int PAD = 8;

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
    private final long[] slots = new long[PAD + COUNT + PAD];

    /** Adds {@code delta} to counter {@code id}; owner thread only. */
    public void add(int id, long delta) {
        int i = PAD + id;
        SLOTS.setOpaque(slots, i, slots[i] + delta);
    }

    /** Reads counter {@code id} from any thread. */
    public long get(int id) {
        return (long) SLOTS.getOpaque(slots, PAD + id);
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
