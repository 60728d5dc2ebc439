package dev.jvswitch.ofproto.tnl;

import java.util.Objects;

import dev.jvswitch.flowcache.key.FlowKey;

/**
 * A packet the switch sends itself from a bridge's {@code LOCAL} port (an ARP or ND request for
 * a tunnel's next hop, or a reply for the switch's own address): translated through the bridge's
 * tables as OVS's {@code compose_table_xlate} does, then executed by the datapath. Or, with
 * {@code replay}, a packet the datapath received and {@link NeighbourCache#hold} kept while its
 * tunnel's next hop was resolved: translated again as the upcall it was (from its datapath
 * in_port), then executed.
 *
 * @param bridge the bridge it enters from {@code LOCAL}; for a replay, the underlay bridge whose
 *               next hop it waited for (translation does not read it)
 * @param frame  the Ethernet frame
 * @param key    the frame's flow key as the parser would fill it, with the OpenFlow in_port
 *               {@code LOCAL}; for a replay, the upcall's key (datapath in_port)
 * @param replay a held packet sent again
 *
 * <p><b>Thread-safety:</b> immutable once made (callers do not change the array or the key).
 */
public record PacketOut(String bridge, byte[] frame, FlowKey key, boolean replay) {
    public PacketOut {
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(key, "key");
    }

    /** A packet the switch makes, sent from {@code bridge}'s LOCAL port. */
    public PacketOut(String bridge, byte[] frame, FlowKey key) {
        this(bridge, frame, key, false);
    }
}
