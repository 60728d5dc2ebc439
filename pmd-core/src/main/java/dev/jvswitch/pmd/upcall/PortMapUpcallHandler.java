package dev.jvswitch.pmd.upcall;

import java.util.Map;

import org.agrona.collections.Int2ObjectHashMap;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.mempool.Mbuf;

/**
 * A fixed rule set with no OpenFlow behind it: packets from in_port A are sent to port B, and
 * anything else is dropped. Its megaflows match only in_port and recirc_id, as OVS's would for a
 * rule {@code in_port=A,actions=output:B}. The benchmarks use it until the slow path exists, and
 * tests use it to drive the datapath without ofproto.
 *
 * <p><b>Thread-safety:</b> immutable after construction; any number of PMDs may call it.
 */
public final class PortMapUpcallHandler implements UpcallHandler {
    private final Int2ObjectHashMap<DpActions> byInPort = new Int2ObjectHashMap<>();
    private final DpActions miss = DpActions.builder().build();

    /** @param actionsByInPort the actions for each in_port */
    public PortMapUpcallHandler(Map<Integer, DpActions> actionsByInPort) {
        actionsByInPort.forEach(byInPort::put);
    }

    /** {@code a -> output b} and {@code b -> output a}. */
    public static PortMapUpcallHandler crossConnect(int a, int b) {
        return new PortMapUpcallHandler(Map.of(
                a, DpActions.builder().output(b).build(),
                b, DpActions.builder().output(a).build()));
    }

    @Override
    public UpcallOutcome onUpcall(int pmdId, FlowKey key, Mbuf packet, UpcallResult result) {
        DpActions actions = byInPort.get(packet.inPort());
        result.actions(actions == null ? miss : actions);
        return UpcallOutcome.OK;
    }
}
