package dev.jvswitch.pmd.netdev;

/**
 * Opens ports of one type. Implementations are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.jvswitch.pmd.netdev.NetdevProvider}), so the datapath never
 * imports a port module.
 */
public interface NetdevProvider {
    /** The type name used in configs and {@link Netdevs#open}, e.g. {@code "afpacket"}. */
    String type();

    /**
     * Opens a port.
     *
     * @throws NetdevException with a one-line message naming the port, the option or interface,
     *         and the cause, when the port cannot be opened
     */
    Netdev open(NetdevConfig config) throws NetdevException;
}
