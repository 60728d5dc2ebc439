package dev.jvswitch.ofproto;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import dev.jvswitch.ofproto.meter.DatapathMeters;
import dev.jvswitch.ofproto.meter.Meter;
import dev.jvswitch.ofproto.meter.MeterEntry;
import dev.jvswitch.ofproto.meter.MeterModException;
import dev.jvswitch.ofproto.meter.MeterStats;
import dev.jvswitch.pmd.meter.DpMeter;
import dev.jvswitch.pmd.meter.DpMeters;
import dev.jvswitch.ofproto.mod.FlowRemoved;
import dev.jvswitch.ofproto.mod.MeterMod;
import dev.jvswitch.ofproto.table.OfTables;
import dev.jvswitch.ofproto.table.Rule;

/**
 * The meter mods of one transaction (OVS's {@code handle_meter_mod}) and what they mean for the
 * datapath: the OpenFlow side changes in the transaction's tables; the datapath meters change
 * only when it commits, in two steps around the publication of the new tables:
 * <ol>
 *   <li>{@link #beforePublish}: meters added or modified are set in the datapath (a new
 *       datapath id for an added meter, so no megaflow of the old tables meets it);</li>
 *   <li>the new tables are published (megaflows revalidate);</li>
 *   <li>{@link #afterPublish}: deleted meters leave the datapath and free their ids.</li>
 * </ol>
 * {@link #abandon} frees the ids a failed transaction took.
 *
 * <p><b>Thread-safety:</b> confined to the thread holding the {@link Ofproto}'s change lock.
 */
final class MeterChanges {
    private final DatapathMeters datapath;
    private final List<Integer> allocated = new ArrayList<>();
    private final List<MeterEntry> set = new ArrayList<>();
    private final List<Integer> freed = new ArrayList<>();
    private int added;
    private int modified;
    private int deleted;

    MeterChanges(DatapathMeters datapath) {
        this.datapath = datapath;
    }

    /**
     * Applies {@code mm} to {@code tx}; rules deleted with a meter go to {@code removed}.
     *
     * @throws MeterModException with OVS's error for it
     */
    void apply(MeterMod mm, OfTables.Transaction tx, long nowNs, BiConsumer<Rule, FlowRemoved.Reason> removed) {
        Meter m = mm.meter();
        switch (mm.command()) {
            case ADD -> {
                m.check();
                if (tx.meter(m.meterId()) != null) {
                    throw new MeterModException(MeterModException.Code.METER_EXISTS, "meter " + m.meterId()
                            + " already exists");
                }
                int dpId = datapath.allocate();
                allocated.add(dpId);
                put(tx, new MeterEntry(m, dpId, nowNs));
                added++;
            }
            case MODIFY -> {
                m.check();
                MeterEntry old = tx.meter(m.meterId());
                if (old == null) {
                    throw new MeterModException(MeterModException.Code.UNKNOWN_METER, "meter " + m.meterId()
                            + " does not exist");
                }
                put(tx, new MeterEntry(m, old.dpId(), nowNs));
                modified++;
            }
            default -> {
                List<Long> ids = new ArrayList<>();
                if (m.meterId() == Meter.ALL) {
                    for (MeterEntry e : tx.meters()) {
                        ids.add(e.meterId());
                    }
                } else {
                    ids.add(m.meterId());
                }
                for (long id : ids) {
                    List<Rule> gone = new ArrayList<>();
                    MeterEntry e = tx.deleteMeter(id, gone);
                    if (e != null) {
                        freed.add(e.dpId());
                        deleted++;
                    }
                    for (Rule r : gone) {
                        removed.accept(r, FlowRemoved.Reason.METER_DELETE);
                    }
                }
            }
        }
    }

    private void put(OfTables.Transaction tx, MeterEntry e) {
        tx.putMeter(e);
        set.add(e);
    }

    /** Step 1: sets the meters the committed tables have that this transaction added or changed. */
    void beforePublish(OfTables committed) {
        for (MeterEntry e : set) {
            MeterEntry now = committed.meter(e.meterId());
            if (now == e) {
                datapath.set(e);
            }
        }
    }

    /** Step 3: removes the deleted meters from the datapath and frees their ids. */
    void afterPublish() {
        for (int dpId : freed) {
            datapath.delete(dpId);
        }
    }

    /** The transaction failed: frees the ids it took. */
    void abandon() {
        for (int dpId : allocated) {
            datapath.release(dpId);
        }
    }

    /** The statistics of meter {@code meterId} ({@link Meter#ALL}: every meter) of {@code tables}. */
    static List<MeterStats> stats(OfTables tables, DpMeters dp, long meterId, long nowNs) {
        List<MeterStats> out = new ArrayList<>();
        List<Rule> rules = null;
        for (MeterEntry e : tables.meters()) {
            if (meterId != Meter.ALL && e.meterId() != meterId) {
                continue;
            }
            if (rules == null) {
                rules = tables.rules();
            }
            long flows = 0;
            for (Rule r : rules) {
                flows += Meter.namedBy(r.actions(), e.meterId()) ? 1 : 0;
            }
            DpMeter m = dp.get(e.dpId());
            int n = e.config().bands().size();
            DpMeter.Stats s = m == null ? new DpMeter.Stats(0, 0, new long[n], new long[n]) : m.stats();
            out.add(new MeterStats(e.meterId(), flows, s.packets(), s.bytes(), Math.max(0, nowNs - e.createdNs()),
                    s.bandPackets(), s.bandBytes()));
        }
        return out;
    }

    int added() {
        return added;
    }

    int modified() {
        return modified;
    }

    int deleted() {
        return deleted;
    }
}
