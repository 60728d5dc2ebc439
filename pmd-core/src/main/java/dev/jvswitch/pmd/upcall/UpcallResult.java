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
 * <p><b>Ukey data on demand.</b> What the slow path keeps with an installed flow is needed only
 * when the flow is installed, and most upcalls under churn are not (flow limit, controller
 * flows). A handler may therefore give a {@link UkeyDataSource} instead of the data: the datapath
 * asks it through {@link #ukeyData()} when it installs, on the same thread and before that
 * thread's next upcall, so the source may read the translation it just did in place.
 *
 * <p><b>Thread-safety:</b> owned by one PMD thread.
 */
public final class UpcallResult {
    private final FlowMask mask = new FlowMask();
    private DpActions actions;
    private boolean install;
    private Object ukeyData;
    private UkeyDataSource ukeySource;
    private long ukeyToken;
    private long revalSeq;
    private final byte[][] packetOutFrames = new byte[MAX_PACKET_OUTS][];
    private final DpActions[] packetOutActions = new DpActions[MAX_PACKET_OUTS];
    private int packetOuts;

    /** Most packets one upcall may ask the datapath to send besides the one that missed. */
    public static final int MAX_PACKET_OUTS = 8;

    /**
     * Makes an upcall's ukey data when its flow is installed (see the class comment).
     */
    @FunctionalInterface
    public interface UkeyDataSource {
        /**
         * @param token what the handler passed with this source, to name its translation
         * @return the data to keep with the ukey (a new object: the ukey keeps it)
         */
        Object ukeyData(long token);
    }

    public void reset() {
        java.util.Arrays.fill(mask.words(), 0L);
        actions = null;
        install = true;
        ukeyData = null;
        ukeySource = null;
        ukeyToken = 0;
        revalSeq = 0;
        clearPacketOuts();
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
        if (ukeySource != null) {
            ukeyData = ukeySource.ukeyData(ukeyToken);
            ukeySource = null;
        }
        return ukeyData;
    }

    public void ukeyData(Object data) {
        ukeyData = data;
        ukeySource = null;
    }

    /** Sets the ukey data to what {@code source} makes from {@code token}, when first asked for. */
    public void ukeyData(UkeyDataSource source, long token) {
        ukeyData = null;
        ukeySource = source;
        ukeyToken = token;
    }

    /** The source set with {@link #ukeyData(UkeyDataSource, long)} and not yet asked, or null. */
    public UkeyDataSource ukeyDataSource() {
        return ukeySource;
    }

    /** The token that goes with {@link #ukeyDataSource()}. */
    public long ukeyDataToken() {
        return ukeyToken;
    }

    /**
     * Asks the datapath to send one more packet, made by the slow path, with {@code actions}
     * (a packet-out: OVS's {@code dpif_execute} of an ARP or ND request a tunnel needs). The PMD
     * runs it right after the upcall, on its own thread.
     *
     * @return false, adding nothing, when {@link #MAX_PACKET_OUTS} are already queued
     */
    public boolean packetOut(byte[] frame, DpActions frameActions) {
        if (packetOuts == MAX_PACKET_OUTS) {
            return false;
        }
        packetOutFrames[packetOuts] = frame;
        packetOutActions[packetOuts] = frameActions;
        packetOuts++;
        return true;
    }

    /** Packet-outs queued by the last upcall. */
    public int packetOuts() {
        return packetOuts;
    }

    public byte[] packetOutFrame(int i) {
        return packetOutFrames[i];
    }

    public DpActions packetOutActions(int i) {
        return packetOutActions[i];
    }

    /** Forgets the queued packet-outs (the PMD has sent them). */
    public void clearPacketOuts() {
        for (int i = 0; i < packetOuts; i++) {
            packetOutFrames[i] = null;
            packetOutActions[i] = null;
        }
        packetOuts = 0;
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
