package dev.jvswitch.pmd.upcall;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowMask;

/**
 * The answer of an {@link UpcallHandler}: the actions to run on the missed packet and on every
 * packet of the megaflow to be installed, the megaflow's mask, and whether to install it.
 *
 * <p>One instance per PMD, reused for every upcall ({@link #reset()} before each). The datapath
 * itself adds {@code in_port} and {@code recirc_id} to the mask, as every megaflow is per port
 * and per recirculation pass.
 *
 * <p><b>Thread-safety:</b> owned by one PMD thread.
 */
public final class UpcallResult {
    private final FlowMask mask = new FlowMask();
    private DpActions actions;
    private boolean install;
    private Object ukeyData;
    private long revalSeq;

    public void reset() {
        java.util.Arrays.fill(mask.words(), 0L);
        actions = null;
        install = true;
        ukeyData = null;
        revalSeq = 0;
    }

    /** The megaflow mask: set a bit for every key bit the translation depended on. */
    public FlowMask mask() {
        return mask;
    }

    public DpActions actions() {
        return actions;
    }

    public void actions(DpActions a) {
        actions = a;
    }

    public boolean install() {
        return install;
    }

    /** Asks the datapath to execute the actions on this packet only, without installing a flow. */
    public void doNotInstall() {
        install = false;
    }

    /**
     * Whatever the slow path wants kept with the installed flow's ukey (e.g. the rules the
     * translation used, for stats and revalidation). Opaque to the datapath.
     */
    public Object ukeyData() {
        return ukeyData;
    }

    public void ukeyData(Object data) {
        ukeyData = data;
    }

    /** The table version ({@code revalSeq}) of the snapshot the translation read; 0 if unversioned. */
    public long revalSeq() {
        return revalSeq;
    }

    /**
     * Records the version of the table snapshot this translation read. The installed flow's ukey
     * keeps it, so that the revalidators' change barrier can tell a flow translated against an
     * older snapshot (while a change was being published) from one that is already up to date.
     */
    public void revalSeq(long seq) {
        revalSeq = seq;
    }
}
