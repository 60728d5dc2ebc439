package dev.jvswitch.vswitchd;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

/**
 * Gives the garbage of a big table change back to the system within about half a minute instead
 * of several.
 *
 * <p>The launcher runs G1 with a periodic collection ({@code G1PeriodicGCInterval}, 15 s) so an idle
 * daemon's heap shrinks. After a reload that replaces a million rules, the old rules lie in old
 * regions beside live objects: a concurrent cycle marks them, but only mixed collections reclaim
 * them, and an idle daemon (its PMDs allocate nothing) makes one mixed collection per periodic
 * check, up to eight; the heap is shrunk at the remark of the cycle after those. Measured with 1M
 * rules: 1.6 GB of RSS 40 s after a disjoint replace, 0.93 GB only 200 s after. With the interval
 * at {@value #FAST_MS} ms for the duration, the same replace is back to 0.92 GB after 27 s, and a
 * reload from 1M rules to one to 0.13 GB.
 *
 * <p>So: once a second this watches the old generation. When it has grown by
 * {@value #GROWTH_MB} MB over its lowest value since the last trim (what a load or replace of
 * hundreds of thousands of rules does; a steady switch never does), the interval becomes
 * {@value #FAST_MS} ms (the flag is manageable) until the committed heap has not shrunk by
 * {@value #SHRINK_MB} MB for {@value #QUIET_MS} ms, at most {@value #MAX_MS} ms; then the
 * launcher's interval is put back. Each collection meanwhile is a short pause, as during the
 * reload itself; no full collection is ever asked for (it would stop the PMDs for a second).
 * With another collector, or the periodic collection off, nothing is done.
 *
 * <p><b>Thread-safety:</b> {@link #check} is called by one thread at a time: the
 * {@code jvswitchd-heap-trim} thread that {@link #start} makes, or a test.
 */
final class HeapTrim {
    private static final Logger LOG = LoggerFactory.getLogger(HeapTrim.class);
    static final long GROWTH_MB = 64;
    static final long FAST_MS = 1_000;
    static final long QUIET_MS = 20_000;
    static final long MAX_MS = 120_000;
    static final long CHECK_MS = 1_000;
    /** Less than this off the committed heap is not a shrink worth waiting for. */
    static final long SHRINK_MB = 32;
    private static final String FLAG = "G1PeriodicGCInterval";
    private static final long MB = 1L << 20;

    /** What the trim reads and sets: the JVM's, or a test's. */
    interface Heap {
        /** Bytes used in the old generation now. */
        long oldUsed();

        /** Bytes of heap committed now. */
        long committed();

        /** Sets the periodic collection's interval. */
        void periodicMs(long ms);
    }

    private final Heap heap;
    private final long normalMs;
    private long lowestOld = Long.MAX_VALUE;
    private boolean fast;
    private long fastSinceMs;
    private long lastShrinkMs;
    private long lowestCommitted;
    private int trims;

    HeapTrim(Heap heap, long normalMs) {
        this.heap = heap;
        this.normalMs = normalMs;
    }

    /** Whether the interval is the short one now. */
    boolean fast() {
        return fast;
    }

    /** How many trims started. */
    int trims() {
        return trims;
    }

    /** One look at the heap, at {@code nowMs} (a monotonic clock). */
    void check(long nowMs) {
        long old = heap.oldUsed();
        long committed = heap.committed();
        if (!fast) {
            lowestOld = Math.min(lowestOld, old);
            if (old - lowestOld >= GROWTH_MB * MB) {
                fast = true;
                trims++;
                fastSinceMs = nowMs;
                lastShrinkMs = nowMs;
                lowestCommitted = committed;
                heap.periodicMs(FAST_MS);
                LOG.info("heap: old generation grew by {} MB to {} MB ({} MB committed); collecting every {} ms"
                        + " until the heap stops shrinking", (old - lowestOld) / MB, old / MB, committed / MB, FAST_MS);
            }
            return;
        }
        if (committed <= lowestCommitted - SHRINK_MB * MB) {
            lowestCommitted = committed;
            lastShrinkMs = nowMs;
        }
        if (nowMs - lastShrinkMs >= QUIET_MS || nowMs - fastSinceMs >= MAX_MS) {
            fast = false;
            lowestOld = old;
            heap.periodicMs(normalMs);
            LOG.info("heap: {} MB committed, {} MB in the old generation after {} s; periodic collection every {} ms"
                    + " again", committed / MB, old / MB, (nowMs - fastSinceMs) / 1000, normalMs);
        }
    }

    /**
     * Starts watching on a daemon thread, if this JVM runs G1 with its periodic collection on and
     * lets the interval be changed; otherwise returns null and logs why at debug.
     */
    static Thread start() {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        MemoryPoolMXBean oldGen = null;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getName().equals("G1 Old Gen")) {
                oldGen = p;
            }
        }
        long normal;
        try {
            VMOption option = hotspot == null ? null : hotspot.getVMOption(FLAG);
            normal = option == null || !option.isWriteable() ? 0 : Long.parseLong(option.getValue());
        } catch (IllegalArgumentException e) {
            normal = 0;
        }
        if (oldGen == null || normal <= 0 || normal <= FAST_MS) {
            LOG.debug("heap: no trim after big changes (G1 old generation {}, {} {})", oldGen != null, FLAG, normal);
            return null;
        }
        MemoryPoolMXBean old = oldGen;
        HeapTrim trim = new HeapTrim(new Heap() {
            @Override
            public long oldUsed() {
                return old.getUsage().getUsed();
            }

            @Override
            public long committed() {
                return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
            }

            @Override
            public void periodicMs(long ms) {
                hotspot.setVMOption(FLAG, Long.toString(ms));
            }
        }, normal);
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    trim.check(System.nanoTime() / 1_000_000);
                    Thread.sleep(CHECK_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("heap: trim stopped: {}", e.toString());
            }
        }, "jvswitchd-heap-trim");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
