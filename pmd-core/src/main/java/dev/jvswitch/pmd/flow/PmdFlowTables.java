package dev.jvswitch.pmd.flow;

import org.agrona.collections.Int2ObjectHashMap;

import dev.jvswitch.flowcache.dpcls.Dpcls;
import dev.jvswitch.flowcache.emc.Emc;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import dev.jvswitch.flowcache.smc.Smc;

/**
 * The flow tables one PMD owns: its EMC, its SMC, and one megaflow classifier per in_port (OVS
 * keeps a dpcls per port so that a lookup never looks at another port's subtables).
 *
 * <p><b>Thread-safety:</b> owned by one PMD thread; other threads reach it only through PMD
 * commands. EMC and SMC entries are never removed eagerly when a flow goes: the flow's
 * {@code dead} flag makes them misses, and the EMC's slow sweep clears them.
 */
public final class PmdFlowTables {
    public static final int EMC_ENTRIES = 8192;
    public static final int SMC_ENTRIES = 1 << 16;

    private final Emc emc = new Emc(EMC_ENTRIES);
    private final Smc smc = new Smc(SMC_ENTRIES);
    private final Int2ObjectHashMap<Dpcls> byPort = new Int2ObjectHashMap<>();
    private int flowCount;

    public Emc emc() {
        return emc;
    }

    public Smc smc() {
        return smc;
    }

    /** The classifier of {@code inPort}, or {@code null} if no flow for that port exists. */
    public Dpcls dpcls(int inPort) {
        return byPort.get(inPort);
    }

    /** Finds the installed megaflow matching {@code key} on {@code inPort}, or {@code null}. */
    public Megaflow lookup(int inPort, FlowKey key) {
        Dpcls cls = byPort.get(inPort);
        return cls == null ? null : cls.lookup(key);
    }

    public void insert(Megaflow flow) {
        Dpcls cls = byPort.get(flow.inPort());
        if (cls == null) {
            cls = new Dpcls();
            byPort.put(flow.inPort(), cls);
        }
        cls.insert(flow);
        flowCount++;
    }

    /** Removes {@code flow} (already marked dead by whoever decided it goes). */
    public boolean remove(Megaflow flow) {
        Dpcls cls = byPort.get(flow.inPort());
        if (cls == null || !cls.remove(flow)) {
            return false;
        }
        flowCount--;
        if (cls.flowCount() == 0) {
            byPort.remove(flow.inPort());
        }
        return true;
    }

    public int flowCount() {
        return flowCount;
    }

    /** Re-ranks every classifier's subtables by recent hits. */
    public void onSortSubtables() {
        for (Dpcls cls : byPort.values()) {
            cls.onSortSubtables();
        }
    }

    /** Subtable lookups done by every classifier so far (for the per-PMD average). */
    public long subtableLookups() {
        long total = 0;
        for (Dpcls cls : byPort.values()) {
            total += cls.subtableLookups();
        }
        return total;
    }

    /** Total subtables across ports, for diagnostics. */
    public int subtableCount() {
        int total = 0;
        for (Dpcls cls : byPort.values()) {
            total += cls.subtableCount();
        }
        return total;
    }

    public void clearCaches() {
        emc.clear();
        smc.clear();
    }
}
