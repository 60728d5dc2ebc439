package dev.jvswitch.pmd.netdev;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

import dev.jvswitch.mempool.MbufPoolConfig;

/** Finds port types through {@link ServiceLoader} and opens ports by type name. */
public final class Netdevs {
    private Netdevs() {
    }

    /** Every provider on the class path, by type name. */
    public static Map<String, NetdevProvider> providers() {
        Map<String, NetdevProvider> byType = new TreeMap<>();
        for (NetdevProvider p : ServiceLoader.load(NetdevProvider.class, Netdevs.class.getClassLoader())) {
            byType.putIfAbsent(p.type(), p);
        }
        return byType;
    }

    /** Opens a port of {@code config.type()}, or fails naming the port and the unknown type. */
    public static Netdev open(NetdevConfig config) throws NetdevException {
        return provider(config).open(config);
    }

    /**
     * Checks a port's type and options without opening it ({@link NetdevProvider#validate}).
     *
     * @return one-line messages naming the port and the type or option; empty when fine
     */
    public static List<String> validate(NetdevConfig config) {
        try {
            return provider(config).validate(config);
        } catch (NetdevException e) {
            return List.of(e.getMessage());
        }
    }

    /**
     * The pool that serves ports of every type in {@code types}: {@code configured}, adapted by
     * each type's provider in turn ({@link NetdevProvider#poolFor}). Unknown types are skipped
     * (opening them fails with its own message).
     */
    public static MbufPoolConfig poolFor(MbufPoolConfig configured, Collection<String> types) {
        Map<String, NetdevProvider> providers = providers();
        MbufPoolConfig pool = configured;
        for (String type : new java.util.TreeSet<>(types)) {
            NetdevProvider p = providers.get(type);
            if (p != null) {
                pool = p.poolFor(pool);
            }
        }
        return pool;
    }

    private static NetdevProvider provider(NetdevConfig config) throws NetdevException {
        Map<String, NetdevProvider> providers = providers();
        NetdevProvider p = providers.get(config.type());
        if (p == null) {
            throw new NetdevException("port " + config.name() + ": unknown port type '" + config.type()
                    + "' (known: " + String.join(", ", providers.keySet()) + ")");
        }
        return p;
    }
}
