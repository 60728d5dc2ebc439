package dev.jvswitch.pmd.port;

import java.util.List;
import java.util.Set;

import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.NetdevProvider;

/** Opens {@link NullPort}s: type {@code null}, options {@code mac}, {@code mtu}. */
public final class NullPortProvider implements NetdevProvider {
    static final Set<String> OPTIONS = Set.of(PortOptions.MAC, PortOptions.MTU);

    /** A null port's options, read and checked. */
    record Options(long mac, int mtu) {
        static Options parse(NetdevConfig config) throws NetdevException {
            config.checkOptions(OPTIONS);
            return new Options(PortOptions.mac(config), PortOptions.mtu(config));
        }
    }

    @Override
    public String type() {
        return NullPort.TYPE;
    }

    @Override
    public List<String> validate(NetdevConfig config) {
        return config.errorsOf(Options::parse);
    }

    @Override
    public Netdev open(NetdevConfig config) throws NetdevException {
        Options o = Options.parse(config);
        return new NullPort(config.name(), o.mac(), o.mtu(), config.txqs());
    }
}
