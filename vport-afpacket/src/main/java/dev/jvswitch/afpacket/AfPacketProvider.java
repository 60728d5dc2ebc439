package dev.jvswitch.afpacket;

import java.util.List;

import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.NetdevProvider;

/** Opens ports of type {@value #TYPE}: {@link AfPacketNetdev}, with the options of {@link AfPacketOptions}. */
public final class AfPacketProvider implements NetdevProvider {
    public static final String TYPE = "afpacket";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> validate(NetdevConfig config) {
        return config.errorsOf(AfPacketOptions::parse);
    }

    @Override
    public Netdev open(NetdevConfig config) throws NetdevException {
        return AfPacketNetdev.open(config);
    }
}
