package dev.jvswitch.afpacket.tap;

import java.util.List;

import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.NetdevProvider;

/** Opens ports of type {@value #TYPE}: {@link TapNetdev}, with the options of {@link TapOptions}. */
public final class TapProvider implements NetdevProvider {
    public static final String TYPE = "tap";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> validate(NetdevConfig config) {
        return config.errorsOf(TapOptions::parse);
    }

    @Override
    public Netdev open(NetdevConfig config) throws NetdevException {
        return TapNetdev.open(config);
    }
}
