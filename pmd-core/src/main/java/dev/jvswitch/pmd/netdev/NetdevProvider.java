package dev.jvswitch.pmd.netdev;

import java.util.List;

import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.tunnel.TunnelConfig;

/**
 * Opens ports of one type. Implementations are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.jvswitch.pmd.netdev.NetdevProvider}), so the datapath never
 * imports a port module.
 */
public interface NetdevProvider {
    /** The type name used in configs and {@link Netdevs#open}, e.g. {@code "afpacket"}. */
    String type();

    /**
     * Checks a port's options the way {@link #open} reads them, without opening anything (no
     * file, socket, interface or peer is looked at): what {@code jvswitchd --check} and a reload
     * run before they start anything. Every option {@link #open} would reject for its own sake
     * (unknown, missing, malformed, out of range, inconsistent with another option or with
     * {@link NetdevConfig#txqs()}) is reported here; what only opening can tell (no such
     * interface, file or peer, no permission) is not. {@link NetdevConfig#pool()} may be
     * {@code null}.
     *
     * @return one-line messages naming the port and the option, e.g. {@code port p1: option
     *         'rxqs' must be within 1..64, got 0}; empty when the options are fine
     */
    List<String> validate(NetdevConfig config);

    /**
     * The tunnel options of a port of this type, read as {@link #open} reads them, or null for a
     * type that is not a tunnel: what the config checks across ports (two tunnels taking the same
     * packets, a remote no endpoint can reach).
     *
     * @throws NetdevException as {@link #validate} reports it
     */
    default TunnelConfig tunnelConfig(NetdevConfig config) throws NetdevException {
        return null;
    }

    /**
     * The pool this port type needs, given the one the configuration asks for: called for every
     * port of a config before the pool is made. Most types take any pool; a type that hands the
     * pool's memory to the kernel (AF_XDP registers it as its UMEM) asks for the shape it needs
     * (power-of-two frame slots). Must only ever grow what is asked for.
     */
    default MbufPoolConfig poolFor(MbufPoolConfig configured) {
        return configured;
    }

    /**
     * Opens a port.
     *
     * @throws NetdevException with a one-line message naming the port, the option or interface,
     *         and the cause, when the port cannot be opened
     */
    Netdev open(NetdevConfig config) throws NetdevException;
}
