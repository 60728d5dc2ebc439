package dev.jvswitch.afxdp;

import java.util.List;

import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.NetdevProvider;

/**
 * Opens ports of type {@value #TYPE}: {@link AfXdpNetdev}, with the options of {@link AfXdpOptions}.
 * Asks for a pool of power-of-two frame slots, which its ports register as their UMEM.
 */
public final class AfXdpProvider implements NetdevProvider {
    public static final String TYPE = "afxdp";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> validate(NetdevConfig config) {
        return config.errorsOf(AfXdpOptions::parse);
    }

    @Override
    public MbufPoolConfig poolFor(MbufPoolConfig configured) {
        return configured.withFrameSlots();
    }

    @Override
    public Netdev open(NetdevConfig config) throws NetdevException {
        return AfXdpNetdev.open(config);
    }
}
