package dev.jvswitch.vxlan;

import java.util.List;
import java.util.function.Function;

import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.NetdevProvider;
import dev.jvswitch.pmd.tunnel.TunnelConfig;
import dev.jvswitch.pmd.tunnel.UdpTunnel;

/**
 * What the VXLAN and Geneve providers share: the options of {@link TunnelConfig} with the key a
 * VNI up to {@code maxVni} and {@code dst_port} {@code udpPort} unless set, and a
 * {@link TunnelNetdev} around the tunnel type's {@link UdpTunnel}.
 */
abstract class UdpTunnelProvider implements NetdevProvider {
    private final String type;
    private final int udpPort;
    private final long maxVni;
    private final Function<TunnelConfig, UdpTunnel> tunnel;

    UdpTunnelProvider(String type, int udpPort, long maxVni, Function<TunnelConfig, UdpTunnel> tunnel) {
        this.type = type;
        this.udpPort = udpPort;
        this.maxVni = maxVni;
        this.tunnel = tunnel;
    }

    /** The options of port {@code config} for a tunnel of {@code type}, read and checked. */
    static TunnelConfig parse(NetdevConfig config, String type, int udpPort, long maxVni) throws NetdevException {
        try {
            return TunnelConfig.parse(config.name(), type, config.options(), udpPort, maxVni);
        } catch (IllegalArgumentException e) {
            throw new NetdevException(e.getMessage());
        }
    }

    private TunnelConfig read(NetdevConfig config) throws NetdevException {
        return parse(config, type, udpPort, maxVni);
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final List<String> validate(NetdevConfig config) {
        return config.errorsOf(this::read);
    }

    @Override
    public final TunnelConfig tunnelConfig(NetdevConfig config) throws NetdevException {
        return read(config);
    }

    @Override
    public final Netdev open(NetdevConfig config) throws NetdevException {
        return new TunnelNetdev(config.name(), type, tunnel.apply(read(config)), config.txqs());
    }
}
