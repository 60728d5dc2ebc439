package dev.jvswitch.ofproto.tnl;

import java.util.Objects;

import dev.jvswitch.flowcache.key.FlowKey;

/**
 * A packet the switch sends itself from a bridge's {@code LOCAL} port (an ARP or ND request for
 * a tunnel's next hop, or a reply for the switch's own address): translated through the bridge's
 * tables as OVS's {@code compose_table_xlate} does, then executed by the datapath.
 *
 * @param bridge the bridge it enters from {@code LOCAL}
 * @param frame  the Ethernet frame
 * @param key    the frame's flow key as the parser would fill it, with the OpenFlow in_port
 *               {@code LOCAL}
 *
 * <p><b>Thread-safety:</b> immutable once made (callers do not change the array or the key).
 */
public record PacketOut(String bridge, byte[] frame, FlowKey key) {
    public PacketOut {
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(key, "key");
    }
}
