package dev.jvswitch.ofproto.revalidate;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The pool's {@link RevalidatorCounter}s, allocated in the datapath's counters buffer (labelled
 * {@code "revalidator: <label>"}, type id {@link #TYPE_BASE} + id) so tools that read the buffer
 * see them beside the PMDs' counters.
 *
 * <p><b>Thread-safety:</b> one writer, the thread running the cycle, which publishes every value
 * once per cycle with a release store; readers on any thread use acquire loads.
 */
final class RevalidatorCounters implements AutoCloseable {
    /** Counter type ids start here, clear of the PMD counters' ids. */
    static final int TYPE_BASE = 1_000;

    private final AtomicCounter[] counters = new AtomicCounter[RevalidatorCounter.count()];

    RevalidatorCounters(CountersManager manager) {
        for (RevalidatorCounter c : RevalidatorCounter.values()) {
            counters[c.id()] = manager.newCounter("revalidator: " + c.label(), TYPE_BASE + c.id());
        }
    }

    void set(RevalidatorCounter c, long value) {
        counters[c.id()].setRelease(value);
    }

    long get(RevalidatorCounter c) {
        return counters[c.id()].getAcquire();
    }

    int counterId(RevalidatorCounter c) {
        return counters[c.id()].id();
    }

    /** Publishes the sums of every revalidator's cumulative counts (after a cycle's end). */
    void publishTotals(Revalidator[] revalidators) {
        long revalidated = 0;
        long modified = 0;
        long idle = 0;
        long limit = 0;
        long byReval = 0;
        long purged = 0;
        long errors = 0;
        long refused = 0;
        for (Revalidator r : revalidators) {
            revalidated += r.revalidated;
            modified += r.modified;
            idle += r.deletedIdle;
            limit += r.deletedLimit;
            byReval += r.deletedRevalidation;
            purged += r.deletedPurge;
            errors += r.errors;
            refused += r.offersRefused;
        }
        set(RevalidatorCounter.FLOWS_REVALIDATED, revalidated);
        set(RevalidatorCounter.FLOWS_MODIFIED, modified);
        set(RevalidatorCounter.FLOWS_DELETED_IDLE, idle);
        set(RevalidatorCounter.FLOWS_DELETED_LIMIT, limit);
        set(RevalidatorCounter.FLOWS_DELETED_REVALIDATION, byReval);
        set(RevalidatorCounter.FLOWS_DELETED_PURGE, purged);
        set(RevalidatorCounter.REVALIDATE_ERRORS, errors);
        set(RevalidatorCounter.OFFERS_REFUSED, refused);
    }

    @Override
    public void close() {
        for (AtomicCounter c : counters) {
            c.close();
        }
    }
}
