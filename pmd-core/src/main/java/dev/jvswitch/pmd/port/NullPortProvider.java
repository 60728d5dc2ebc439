package dev.jvswitch.pmd.port;

import java.util.Set;

import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.NetdevProvider;

/** Opens {@link NullPort}s: type {@code null}, options {@code mac}, {@code mtu}. */
public final class NullPortProvider implements NetdevProvider {
    static final Set<String> OPTIONS = Set.of(PortOptions.MAC, PortOptions.MTU);

    @Override
    public String type() {
        return NullPort.TYPE;
    }

    @Override
    public Netdev open(NetdevConfig config) throws NetdevException {
        config.checkOptions(OPTIONS);
        return new NullPort(config.name(), PortOptions.mac(config), PortOptions.mtu(config), config.txqs());
    }
}
