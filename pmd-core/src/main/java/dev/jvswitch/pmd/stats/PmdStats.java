package dev.jvswitch.pmd.stats;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * One PMD's counters, stored in Agrona counters so that reading them costs the PMD nothing.
 *
 * <p><b>Thread-safety:</b> the PMD thread is the only writer ({@link #add}: a plain read and a
 * release store, Agrona's single-writer increment). Readers on any thread use {@link #get} (an
 * acquire load). {@link #clear} does not write the counters: it records the current values as a
 * baseline that {@link #get} subtracts, so that readers never write and the writer never
 * races with a reset (OVS's pmd-stats-clear works the same way). The baseline array is written
 * and read by control threads under this object's lock.
 */
public final class PmdStats {
    private final AtomicCounter[] counters = new AtomicCounter[PmdCounter.count()];
    private final long[] baseline = new long[PmdCounter.count()];

    /** Allocates this PMD's counters in {@code manager}, labelled {@code "pmd <id>: <label>"}. */
    public PmdStats(CountersManager manager, int pmdId) {
        for (PmdCounter c : PmdCounter.values()) {
            counters[c.id()] = manager.newCounter("pmd " + pmdId + ": " + c.label(), c.id());
        }
    }

    /** Adds {@code delta}; PMD thread only. */
    public void add(PmdCounter c, long delta) {
        if (delta != 0) {
            counters[c.id()].getAndAddRelease(delta);
        }
    }

    /** Raw value since the PMD started. */
    public long raw(PmdCounter c) {
        return counters[c.id()].getAcquire();
    }

    /** Value since the last {@link #clear}. */
    public synchronized long get(PmdCounter c) {
        return raw(c) - baseline[c.id()];
    }

    /** Reads every counter (since the last clear) into {@code into}, indexed by id. */
    public synchronized void snapshot(long[] into) {
        for (int i = 0; i < counters.length; i++) {
            into[i] = counters[i].getAcquire() - baseline[i];
        }
    }

    /** Starts counting from zero as far as {@link #get} is concerned. */
    public synchronized void clear() {
        for (int i = 0; i < counters.length; i++) {
            baseline[i] = counters[i].getAcquire();
        }
    }

    /** Counter id in the manager, for tools that read the counters buffer directly. */
    public int counterId(PmdCounter c) {
        return counters[c.id()].id();
    }

    /** Frees the counters in their manager. */
    public void close() {
        for (AtomicCounter c : counters) {
            c.close();
        }
    }

    /** Size of values + metadata buffers for {@code pmds} PMDs' counters (plus slack). */
    public static int valuesBufferBytes(int pmds) {
        int n = (pmds + 1) * PmdCounter.count() + 64;
        return Integer.highestOneBit(n * CountersReader.COUNTER_LENGTH - 1) << 1;
    }
}
