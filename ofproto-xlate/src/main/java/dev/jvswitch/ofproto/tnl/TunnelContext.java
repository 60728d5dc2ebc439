package dev.jvswitch.ofproto.tnl;

import dev.jvswitch.flowcache.actions.DpActionsBuilder;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;

/**
 * What a {@link TunnelOutput} may see and do of the translation in progress. Translation's
 * context implements it, so this package never imports translation: the tunnel code sits below
 * xlate, as OVS's {@code tnl-ports} and {@code ovs-router} sit beside {@code ofproto-dpif-xlate}.
 *
 * <p><b>Thread-safety:</b> valid only during the {@link TunnelOutput#onOutput} call, on the
 * translating thread.
 */
public interface TunnelContext {
    /** The packet as the OpenFlow pipeline sees it now, tunnel metadata included. */
    FlowKey flow();

    /** The megaflow mask being built: OR in every key bit the tunnel output read. */
    FlowMask wc();

    /** The datapath actions emitted so far; append the tunnel push here. */
    DpActionsBuilder actions();

    /** Emits the pending field changes, so that the encapsulated packet carries them. */
    void commit();
}
