package dev.jvswitch.ofproto.meter;

import java.util.BitSet;
import java.util.Collection;

import dev.jvswitch.pmd.meter.DpMeters;

/**
 * OpenFlow meters' side of the datapath's meter table (OVS's provider meter ids, {@code
 * meter_set}/{@code meter_del} of ofproto-dpif): hands out datapath meter ids to the meters of
 * every bridge (the datapath is shared), lowest free first as OVS's id pool does, and sets and
 * deletes the datapath meters. Until {@link #bind} it drives a table of its own, so translation
 * and tests work without a datapath.
 *
 * <p><b>Thread-safety:</b> allocation, release, set and delete happen under the ofproto's change
 * lock; the table reference is volatile, so any thread may read the current {@link #table()}.
 */
public final class DatapathMeters {
    private final BitSet used = new BitSet();
    private volatile DpMeters table = new DpMeters();

    /** The datapath meter table now. */
    public DpMeters table() {
        return table;
    }

    /** Uses {@code datapath}'s meter table from now on and sets every meter of {@code current} in it. */
    public void bind(DpMeters datapath, Collection<MeterEntry> current) {
        for (MeterEntry e : current) {
            datapath.set(e.dpId(), e.config().toDatapath());
        }
        table = datapath;
    }

    /** The lowest free datapath meter id. @throws MeterModException OUT_OF_METERS when none is free */
    public int allocate() {
        int id = used.nextClearBit(0);
        if (id >= Meter.MAX_METERS) {
            throw new MeterModException(MeterModException.Code.OUT_OF_METERS, "the datapath has no free meter ("
                    + Meter.MAX_METERS + " in use)");
        }
        used.set(id);
        return id;
    }

    /** Frees a datapath id no meter got. */
    public void release(int dpId) {
        used.clear(dpId);
    }

    /** Sets the datapath meter of {@code e} (fresh buckets and counters). */
    public void set(MeterEntry e) {
        table.set(e.dpId(), e.config().toDatapath());
    }

    /** Deletes datapath meter {@code dpId} and frees the id. */
    public void delete(int dpId) {
        table.delete(dpId);
        used.clear(dpId);
    }
}
