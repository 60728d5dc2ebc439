package dev.jvswitch.pmd.netdev;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A small block of 64-bit counters with one writer and any number of readers, padded so that two
 * blocks never share a cache line. Port queues keep their counters in subclasses that name the
 * slots ({@link QueueCounters}, and port types' own extras).
 *
 * <p><b>Thread-safety:</b> one writer (the queue's owner) does a plain read and an opaque write;
 * readers do opaque reads. A reader may see a count a batch behind, never a torn one.
 */
public class SingleWriterCounters {
    private static final int PAD = 8;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
    private final long[] slots;

    protected SingleWriterCounters(int count) {
        this.slots = new long[PAD + count + PAD];
    }

    /** Adds {@code delta} to counter {@code id}; owner thread only. */
    public final void add(int id, long delta) {
        int i = PAD + id;
        SLOTS.setOpaque(slots, i, slots[i] + delta);
    }

    /** Reads counter {@code id} from any thread. */
    public final long get(int id) {
        return (long) SLOTS.getOpaque(slots, PAD + id);
    }
}
