package dev.jvswitch.flowcache.actions;

/**
 * Programs a translating thread built recently, so that a translation whose program equals one
 * of them gets that one back instead of a new copy ({@link DpActionsBuilder#build(DpActionsCache)}).
 *
 * <p><b>Motivation.</b> Many megaflows share few programs: under flow churn most upcalls end in
 * {@code 2} or {@code drop}, and an upcall that is only executed (flow limit reached, controller
 * flow) needs its program for one packet. Sharing the immutable program makes such upcalls free
 * of garbage, and installed megaflows with equal actions share one program.
 *
 * <p>Direct-mapped by the program's hash, {@value #SLOTS} slots: a slot whose program differs is
 * overwritten, so the cache holds at most {@value #SLOTS} programs whatever the traffic, and a
 * program evicted here lives on only in the megaflows that use it.
 *
 * <p><b>Thread-safety:</b> owned by one thread (a translation context); the programs it hands
 * out are immutable and may go to any thread.
 */
public final class DpActionsCache {
    static final int SLOTS = 1024;

    private final DpActions[] slots = new DpActions[SLOTS];
    private long hits;
    private long misses;

    /** The cached program equal to the builder's first {@code n} instructions, or null. */
    DpActions find(int hash, byte[] op, int[] a, long[] b, long[] c, DpActions[] sub, byte[][] data, int n) {
        DpActions p = slots[hash & (SLOTS - 1)];
        if (p != null && p.hashCode() == hash && p.sameContent(op, a, b, c, sub, data, n)) {
            hits++;
            return p;
        }
        misses++;
        return null;
    }

    void put(DpActions p) {
        slots[p.hashCode() & (SLOTS - 1)] = p;
    }

    /** Builds that returned a cached program. */
    public long hits() {
        return hits;
    }

    /** Builds that made a new program (each one allocation of a program and its arrays). */
    public long misses() {
        return misses;
    }
}
