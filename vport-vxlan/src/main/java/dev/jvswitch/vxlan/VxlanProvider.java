package dev.jvswitch.vxlan;

import java.util.List;

import dev.jvswitch.flowcache.tunnel.VxlanHeaderFlyweight;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.NetdevProvider;
import dev.jvswitch.pmd.tunnel.TunnelConfig;

/**
 * Opens {@link TunnelNetdev}s: type {@code vxlan}, the options of {@link TunnelConfig} with the
 * key a 24-bit VNI and {@code dst_port} 4789 unless set. Found by {@link java.util.ServiceLoader}.
 */
public final class VxlanProvider implements NetdevProvider {
    public static final String TYPE = "vxlan";

    /** The options of port {@code config}, read and checked. */
    public static TunnelConfig parse(NetdevConfig config) throws NetdevException {
        try {
            return TunnelConfig.parse(config.name(), TYPE, config.options(), VxlanHeaderFlyweight.UDP_PORT,
                    VxlanHeaderFlyweight.MAX_VNI);
        } catch (IllegalArgumentException e) {
            throw new NetdevException(e.getMessage());
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> validate(NetdevConfig config) {
        return config.errorsOf(VxlanProvider::parse);
    }

    @Override
    public TunnelConfig tunnelConfig(NetdevConfig config) throws NetdevException {
        return parse(config);
    }

    @Override
    public Netdev open(NetdevConfig config) throws NetdevException {
        return new TunnelNetdev(config.name(), TYPE, new VxlanTunnel(parse(config)), config.txqs());
    }
}
