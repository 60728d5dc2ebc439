package dev.jvswitch.pmd.stats;

import java.util.function.ObjLongConsumer;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * One PMD's counters, stored in Agrona counters so that reading them costs the PMD nothing: one
 * per {@link PmdCounter} and one per {@link DropReason}.
 *
 * <p><b>Thread-safety:</b> the PMD thread is the only writer ({@link #add}, {@link #countDrop}: a
 * plain read and a release store, Agrona's single-writer increment). Readers on any thread use
 * {@link #get} (an acquire load). {@link #clear} does not write the counters: it records the
 * current values as a baseline that {@link #get} subtracts, so that readers never write and the
 * writer never races with a reset (OVS's pmd-stats-clear works the same way). The baseline array
 * is written and read by control threads under this object's lock.
 */
public final class PmdStats {
    /** Slots of one PMD: the {@link PmdCounter}s by id, then the {@link DropReason}s by id. */
    private static final int DROP_BASE = PmdCounter.count();
    private static final int SLOTS = DROP_BASE + DropReason.count();
    /** Slots in the order the show commands list them, and their names. */
    private static final int[] SHOW_SLOTS = new int[SLOTS];
    private static final String[] SHOW_NAMES = new String[SLOTS];

    static {
        int i = 0;
        for (PmdCounter c : PmdCounter.values()) {
            SHOW_SLOTS[i] = c.id();
            SHOW_NAMES[i++] = c.counterName();
            if (c == PmdCounter.DROPS_FOLLOW) {
                for (DropReason r : DropReason.values()) {
                    SHOW_SLOTS[i] = DROP_BASE + r.id();
                    SHOW_NAMES[i++] = r.counterName();
                }
            }
        }
    }

    private final AtomicCounter[] counters = new AtomicCounter[SLOTS];
    private final long[] baseline = new long[SLOTS];

    /** Allocates this PMD's counters in {@code manager}, labelled {@code "pmd <id>: <label>"}. */
    public PmdStats(CountersManager manager, int pmdId) {
        for (PmdCounter c : PmdCounter.values()) {
            counters[c.id()] = manager.newCounter("pmd " + pmdId + ": " + c.label(), c.id());
        }
        for (DropReason r : DropReason.values()) {
            int slot = DROP_BASE + r.id();
            counters[slot] = manager.newCounter("pmd " + pmdId + ": " + r.label(), slot);
        }
    }

    /** Adds {@code delta}; PMD thread only. */
    public void add(PmdCounter c, long delta) {
        if (delta != 0) {
            counters[c.id()].getAndAddRelease(delta);
        }
    }

    /** Counts one packet dropped for {@code reason}; PMD thread only. */
    public void countDrop(DropReason reason) {
        counters[DROP_BASE + reason.id()].getAndAddRelease(1);
    }

    /** Raw value since the PMD started. */
    public long raw(PmdCounter c) {
        return counters[c.id()].getAcquire();
    }

    /** Raw drop count for {@code reason} since the PMD started. */
    public long raw(DropReason reason) {
        return counters[DROP_BASE + reason.id()].getAcquire();
    }

    /** Value since the last {@link #clear}. */
    public synchronized long get(PmdCounter c) {
        return raw(c) - baseline[c.id()];
    }

    /** Drops for {@code reason} since the last {@link #clear}. */
    public synchronized long get(DropReason reason) {
        int slot = DROP_BASE + reason.id();
        return counters[slot].getAcquire() - baseline[slot];
    }

    /** Reads every {@link PmdCounter} (since the last clear) into {@code into}, indexed by id. */
    public synchronized void snapshot(long[] into) {
        for (int i = 0; i < DROP_BASE; i++) {
            into[i] = counters[i].getAcquire() - baseline[i];
        }
    }

    /** Reads every drop counter (since the last clear) into {@code into}, indexed by {@link DropReason#id()}. */
    public synchronized void snapshotDrops(long[] into) {
        for (int i = 0; i < DropReason.count(); i++) {
            into[i] = counters[DROP_BASE + i].getAcquire() - baseline[DROP_BASE + i];
        }
    }

    /**
     * Hands every counter to {@code sink} as (name, value) in the order the show commands list
     * them: {@link PmdCounter}s in declaration order, the drop counters after
     * {@link PmdCounter#DROPS_FOLLOW}. Names are {@link PmdCounter#counterName()} and
     * {@link DropReason#counterName()}.
     *
     * @param sinceClear values since the last {@link #clear}, or raw values since the PMD started
     */
    public synchronized void forEach(boolean sinceClear, ObjLongConsumer<String> sink) {
        for (int i = 0; i < SLOTS; i++) {
            int slot = SHOW_SLOTS[i];
            long v = counters[slot].getAcquire();
            sink.accept(SHOW_NAMES[i], sinceClear ? v - baseline[slot] : v);
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

    /** Counter id in the manager of the drop counter for {@code reason}. */
    public int counterId(DropReason reason) {
        return counters[DROP_BASE + reason.id()].id();
    }

    /** Frees the counters in their manager. */
    public void close() {
        for (AtomicCounter c : counters) {
            c.close();
        }
    }

    /** Size of values + metadata buffers for {@code pmds} PMDs' counters (plus slack). */
    public static int valuesBufferBytes(int pmds) {
        int n = (pmds + 1) * SLOTS + 64;
        return Integer.highestOneBit(n * CountersReader.COUNTER_LENGTH - 1) << 1;
    }
}
