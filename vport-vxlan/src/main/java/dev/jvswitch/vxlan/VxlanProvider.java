package dev.jvswitch.vxlan;

import dev.jvswitch.flowcache.tunnel.VxlanHeaderFlyweight;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.tunnel.TunnelConfig;

/**
 * Opens {@link TunnelNetdev}s: type {@code vxlan}, the options of {@link TunnelConfig} with the
 * key a 24-bit VNI and {@code dst_port} 4789 unless set. Found by {@link java.util.ServiceLoader}.
 */
public final class VxlanProvider extends UdpTunnelProvider {
    public static final String TYPE = "vxlan";

    public VxlanProvider() {
        super(TYPE, VxlanHeaderFlyweight.UDP_PORT, VxlanHeaderFlyweight.MAX_VNI, VxlanTunnel::new);
    }

    /** The options of port {@code config}, read and checked. */
    public static TunnelConfig parse(NetdevConfig config) throws NetdevException {
        return parse(config, TYPE, VxlanHeaderFlyweight.UDP_PORT, VxlanHeaderFlyweight.MAX_VNI);
    }
}
