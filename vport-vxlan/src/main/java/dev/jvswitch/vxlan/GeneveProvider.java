package dev.jvswitch.vxlan;

import dev.jvswitch.flowcache.tunnel.GeneveHeaderFlyweight;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.tunnel.TunnelConfig;

/**
 * Opens {@link TunnelNetdev}s: type {@code geneve}, the options of {@link TunnelConfig} with the
 * key a 24-bit VNI and {@code dst_port} 6081 unless set. Found by {@link java.util.ServiceLoader}.
 */
public final class GeneveProvider extends UdpTunnelProvider {
    public static final String TYPE = "geneve";

    public GeneveProvider() {
        super(TYPE, GeneveHeaderFlyweight.UDP_PORT, GeneveHeaderFlyweight.MAX_VNI, GeneveTunnel::new);
    }

    /** The options of port {@code config}, read and checked. */
    public static TunnelConfig parse(NetdevConfig config) throws NetdevException {
        return parse(config, TYPE, GeneveHeaderFlyweight.UDP_PORT, GeneveHeaderFlyweight.MAX_VNI);
    }
}
