package dev.jvswitch.ofproto.xlate;

import java.util.List;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.mac.MacDependency;
import dev.jvswitch.ofproto.mac.MacLearning;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.ofproto.tnl.PacketOut;

/**
 * The outcome of one translation: the datapath actions, the megaflow mask (every key bit the
 * answer depended on; in_port and recirc_id always exact), and what revalidators need later.
 *
 * @param actions          the program to install and to run on the packet; {@link DpActions#DROP}
 *                         on error
 * @param mask             the megaflow mask, over the datapath key (fresh; the caller owns it)
 * @param error            null, or why translation failed (the actions then drop)
 * @param snapshotVersion  the version of the snapshot translated against
 * @param rules            every rule whose actions ran, in order (stats go to them)
 * @param macDependencies  every MAC table lookup NORMAL made
 * @param macLearnings     every source MAC NORMAL learned (or would have, without learning)
 * @param recircIds        ids of the recirculations the actions perform
 * @param recircPoints     for each recirculation, the packet's key as it recirculates (for trace)
 * @param slowPath         true if the flow must not be installed (it sends to the controller,
 *                         which is counted per packet)
 * @param finalFlow        the flow as translation left it (OpenFlow in_port)
 * @param controllerOutputs the outputs to the controller, in order (empty for most flows)
 * @param packetOuts       packets the switch sends because of this packet (ARP/ND for a tunnel's
 *                         next hop, replies for its own address); sent only after an upcall
 * @param groupHits        the groups (and buckets) the packet went through
 * @param learned          the flows {@code learn} actions made
 * @param finTimeouts      the {@code fin_timeout}s that ran ({@link FinTimeouts}; indexes into {@code rules})
 * @param bondHits         the balance-slb buckets the packet left through
 *
 * <p><b>Thread-safety:</b> immutable once returned (the lists are unmodifiable; do not write
 * the key or mask).
 */
public record XlateResult(DpActions actions, FlowMask mask, XlateError error, long snapshotVersion,
        List<Rule> rules, List<MacDependency> macDependencies, List<MacLearning> macLearnings,
        int[] recircIds, List<RecircPoint> recircPoints, boolean slowPath, FlowKey finalFlow,
        List<ControllerOutput> controllerOutputs, List<PacketOut> packetOuts,
        List<dev.jvswitch.ofproto.group.GroupHit> groupHits, List<Learned> learned,
        long[] finTimeouts, List<dev.jvswitch.ofproto.bridge.BondHit> bondHits) {

    /**
     * A recirculation emitted by the translation: the packet leaves with {@code recircId},
     * looking like {@code packet} (datapath in_port, fields as committed; its {@code dp_hash}
     * is set by the preceding {@code hash(l4(hashBasis))} from the pass's 5-tuple hash), or,
     * after {@code ct(table=N)}, tracked in zone {@code ctZone} (-1 otherwise).
     */
    public record RecircPoint(int recircId, int hashBasis, FlowKey packet, int ctZone) {
        /** A recirculation that is not a {@code ct} fork. */
        public RecircPoint(int recircId, int hashBasis, FlowKey packet) {
            this(recircId, hashBasis, packet, -1);
        }

        /** True for the recirculation of a {@code ct(table=N)}: the packet comes back tracked in {@link #ctZone}. */
        public boolean afterCt() {
            return ctZone >= 0;
        }
    }

    /** True if the actions send to the controller (one reason for {@code slowPath}). */
    public boolean toController() {
        return !controllerOutputs.isEmpty();
    }

    public boolean isOk() {
        return error == null;
    }
}
