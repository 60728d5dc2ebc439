package dev.jvswitch.ofproto.tnl;

import java.util.Objects;

import dev.jvswitch.pmd.tunnel.TunnelConfig;
import dev.jvswitch.pmd.tunnel.TunnelOps;

/**
 * A tunnel port of a bridge as translation needs it: its OpenFlow identity, its datapath port
 * (the {@code tnl_port} of {@code tnl_push}) and the datapath half that builds its headers.
 *
 * @param name   the port's name (unique in the switch)
 * @param bridge its bridge
 * @param dpPort its datapath port
 * @param ops    the tunnel's datapath operations, with its options ({@link TunnelOps#config()})
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record TunnelPort(String name, String bridge, int dpPort, TunnelOps ops) {
    public TunnelPort {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(ops, "ops");
    }

    public TunnelConfig config() {
        return ops.config();
    }

    /** The tunnel's type name, e.g. {@code vxlan}. */
    public String type() {
        return ops.config().type();
    }

    /** What received packets share a datapath listener by: type and UDP port. */
    String listenKey() {
        return type() + ":" + config().dstPort();
    }
}
