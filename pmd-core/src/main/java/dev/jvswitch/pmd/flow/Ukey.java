package dev.jvswitch.pmd.flow;

import dev.jvswitch.flowcache.megaflow.Megaflow;

/**
 * The slow path's handle on one installed megaflow (OVS's {@code udpif_key}): which PMD owns it,
 * the flow itself (for its stats, mask and actions), and whatever the upcall handler attached to
 * it (for the revalidators: the rules it was translated from, the table version).
 *
 * <p><b>Thread-safety:</b> {@link #id()}, {@link #flow()} and {@link #createdMs()} are final.
 * {@link #data()} is written by the revalidator that owns the ukey during a dump and read by the
 * same revalidator later; publication to another revalidator goes through the ukey map. Stats are
 * read through the megaflow, which documents its own ordering. {@link #pushedPackets},
 * {@link #pushedBytes} and {@link #revalSeq} belong to whichever revalidator holds the ukey in its
 * slice of a dump; the PMD that installs the flow sets their first values before it registers the
 * ukey, and registering (a concurrent map put) publishes them.
 */
public final class Ukey {
    private final UkeyId id;
    private final Megaflow flow;
    private final long createdMs;
    private volatile Object data;
    /** Packets of the flow already pushed to the slow path's rule stats. */
    public long pushedPackets;
    /** Bytes of the flow already pushed to the slow path's rule stats. */
    public long pushedBytes;
    /**
     * The slow path's table version ({@code revalSeq}) the flow's actions were last computed
     * against: the version the upcall translated with, then the version of the last revalidation.
     */
    public long revalSeq;

    public Ukey(UkeyId id, Megaflow flow, Object data, long createdMs) {
        this(id, flow, data, createdMs, 0L);
    }

    public Ukey(UkeyId id, Megaflow flow, Object data, long createdMs, long revalSeq) {
        this.id = id;
        this.flow = flow;
        this.data = data;
        this.createdMs = createdMs;
        this.revalSeq = revalSeq;
    }

    public UkeyId id() {
        return id;
    }

    public int pmdId() {
        return id.pmdId();
    }

    public Megaflow flow() {
        return flow;
    }

    public Object data() {
        return data;
    }

    public void data(Object d) {
        data = d;
    }

    public long createdMs() {
        return createdMs;
    }
}
