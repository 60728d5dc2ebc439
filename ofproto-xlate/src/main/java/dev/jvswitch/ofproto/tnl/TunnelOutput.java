package dev.jvswitch.ofproto.tnl;

import dev.jvswitch.ofproto.bridge.OfPort;

/**
 * The hooks translation calls for tunnels, shared by every tunnel type:
 *
 * <ul>
 *   <li>{@link #onOutput}: for every output to a port with no patch peer. For a tunnel port it
 *       fills the tunnel metadata from the port's options, routes, resolves the next hop, and
 *       emits {@code tnl_push} followed by the underlay bridge's outputs; for a bridge's own
 *       {@code LOCAL} port (a tunnel endpoint) it emits {@code tnl_pop} for tunnel packets,
 *       answers and snoops ARP/ND, and drops the rest. It returns false for anything else, and
 *       translation emits a plain output.</li>
 *   <li>{@link #isTunnel} and {@link #onReceive}: a packet recirculated by {@code tnl_pop}
 *       arrives on a tunnel's datapath port; which OpenFlow port it belongs to depends on its
 *       tunnel metadata (OVS's {@code tnl_port_receive}).</li>
 * </ul>
 *
 * <p><b>Thread-safety:</b> called by every PMD thread during translation, and by revalidators
 * and trace; implementations must be safe to call concurrently and must not block.
 */
public interface TunnelOutput {
    /** No tunnels and no endpoints. */
    TunnelOutput NONE = (ctx, port) -> false;

    /** @return true if {@code port} is a tunnel port or an endpoint and the output is handled */
    boolean onOutput(TunnelContext ctx, OfPort port);

    /** Whether packets arriving on datapath port {@code dpPort} come out of a tunnel. */
    default boolean isTunnel(int dpPort) {
        return false;
    }

    /**
     * The name of the tunnel port a decapsulated packet on datapath port {@code dpPort} belongs
     * to, by its tunnel metadata (unwildcarded as read), or null if no port takes it.
     */
    default String onReceive(TunnelContext ctx, int dpPort) {
        return null;
    }

    /**
     * Bridge {@code bridge}'s TLV map, which says where each {@code tun_metadataN} a rule writes
     * lives in the flow (no allocation: translation calls it per write).
     */
    default TlvMap tlvMap(String bridge) {
        return TlvMap.EMPTY;
    }

    /**
     * An upcall's packet whose translation missed next hop {@code awaiting}: the hook may keep
     * {@code frame} and {@code key} (copies, now its own) and hand them back as a replayed
     * {@link PacketOut} when the next hop is learned. Slow path; does not block.
     */
    default void hold(NeighbourCache.Probe awaiting, byte[] frame, dev.jvswitch.flowcache.key.FlowKey key,
            long nowNs) {
    }
}
