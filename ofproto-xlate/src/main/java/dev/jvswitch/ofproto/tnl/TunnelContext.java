package dev.jvswitch.ofproto.tnl;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.actions.DpActionsBuilder;
import dev.jvswitch.flowcache.actions.DropCause;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;

/**
 * What the tunnel hooks ({@link TunnelOutput}) may see and do of the translation in progress.
 * Translation's context implements it, so this package never imports translation: the tunnel
 * code sits below xlate, as OVS's {@code tnl-ports} and {@code ovs-router} sit beside
 * {@code ofproto-dpif-xlate}.
 *
 * <p><b>Thread-safety:</b> valid only during the hook's call, on the translating thread.
 */
public interface TunnelContext {
    /** The packet as the OpenFlow pipeline sees it now, tunnel metadata included. */
    FlowKey flow();

    /** The megaflow mask being built: OR in every key bit the hook read. */
    FlowMask wc();

    /** Where datapath actions go now. */
    DpActionsBuilder actions();

    /** Makes {@code builder} the place actions go, returning the one that was (for a {@code clone}). */
    DpActionsBuilder swapActions(DpActionsBuilder builder);

    /**
     * Builds {@code builder}'s program through the translation's program cache: an equal program
     * built lately is returned instead of a new one. Reset the builder before reusing it.
     */
    DpActions build(DpActionsBuilder builder);

    /** What output to a tunnel reuses between translations of this thread. */
    TunnelScratch tunnelScratch();

    /** Emits the pending field changes, so that the encapsulated packet carries them. */
    void commit();

    /**
     * As {@link #commit()} but leaves the tunnel metadata alone: a tunnel's fields go into its
     * header template, not into a {@code set(tunnel(...))}.
     */
    void commitInner();

    /** The bridge being translated. */
    String bridgeName();

    /** The OpenFlow in_port of the flow now. */
    int inPort();

    /** True when translating a real packet (an upcall): the hook may learn neighbours and send. */
    boolean mayLearn();

    /**
     * True when translating a packet that is really sent (an upcall, or a controller's
     * packet-out): the hook may ask for neighbour requests ({@link #packetOut}).
     */
    boolean maySendRequests();

    /** The translation's clock. */
    long nowNs();

    /** Whether a trace is being recorded (so that building its text is worth it). */
    boolean tracing();

    /** Adds a {@code -> text} line to the trace. */
    void detail(String text);

    /** Adds a {@code >> text} line to the trace. */
    void warn(String text);

    /**
     * Says why the packet is dropped if the translation ends with no action at all: the
     * megaflow's {@code drop} then carries {@code cause}, so the datapath counts it there.
     */
    void noteDrop(DropCause cause);

    /** Marks the flow not installable: every packet must come to the slow path (ARP for the switch). */
    void slowPath();

    /**
     * Runs the packet {@code outer} (the encapsulated packet's headers) through bridge
     * {@code bridge}'s tables from its {@code LOCAL} port, as OVS's native tunnel output does in
     * the underlay bridge, emitting into {@link #actions()}. It learns nothing, and its mask
     * bits stay out of the megaflow (they are functions of the tunnel's configuration).
     */
    void underlay(String bridge, FlowKey outer);

    /** Asks for {@code packet} to be sent once the translation is over (a packet really sent only). */
    void packetOut(PacketOut packet);
}
