package dev.jvswitch.pmd.meter;

import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.jvswitch.flowcache.actions.DpActions;

/**
 * The datapath's meters by id ({@code 0 .. DpActions.MAX_METERS-1}), as OVS's userspace datapath
 * keeps them ({@code dp->meters}): ofproto sets and deletes them ({@code dpif_meter_set/del}), and
 * a megaflow's {@code meter(id)} runs one. The datapath knows nothing of OpenFlow meter ids;
 * ofproto maps its meters to these ids.
 *
 * <p><b>Thread-safety:</b> the control thread sets and deletes; PMDs look up. Each slot is
 * published with a volatile store and read with a volatile load, so a PMD sees a whole meter or
 * none. Setting an id replaces the meter with a fresh one (full buckets, zero counters), as in
 * OVS; a PMD still in the old one finishes its batch there.
 *
 * <p>The slots come in chunks of {@value #CHUNK} made on the first set into them: a datapath
 * without meters holds a 1 KiB index, not a megabyte of empty slots.
 */
public final class DpMeters {
    private static final int SHIFT = 10;
    static final int CHUNK = 1 << SHIFT;
    private final AtomicReferenceArray<AtomicReferenceArray<DpMeter>> chunks =
            new AtomicReferenceArray<>(DpActions.MAX_METERS >>> SHIFT);

    /** Installs (or replaces) meter {@code id}. */
    public void set(int id, DpMeter meter) {
        int i = check(id) >>> SHIFT;
        AtomicReferenceArray<DpMeter> chunk = chunks.get(i);
        if (chunk == null) {
            chunks.compareAndSet(i, null, new AtomicReferenceArray<>(CHUNK));
            chunk = chunks.get(i);
        }
        chunk.set(id & (CHUNK - 1), meter);
    }

    /** Removes meter {@code id} (nothing if there is none). */
    public void delete(int id) {
        AtomicReferenceArray<DpMeter> chunk = chunks.get(check(id) >>> SHIFT);
        if (chunk != null) {
            chunk.set(id & (CHUNK - 1), null);
        }
    }

    /** Meter {@code id}, or null (also for an id out of range). */
    public DpMeter get(int id) {
        if (id < 0 || id >= DpActions.MAX_METERS) {
            return null;
        }
        AtomicReferenceArray<DpMeter> chunk = chunks.get(id >>> SHIFT);
        return chunk == null ? null : chunk.get(id & (CHUNK - 1));
    }

    private static int check(int id) {
        if (id < 0 || id >= DpActions.MAX_METERS) {
            throw new IllegalArgumentException("datapath meter id " + id + " out of range 0.."
                    + (DpActions.MAX_METERS - 1));
        }
        return id;
    }
}
