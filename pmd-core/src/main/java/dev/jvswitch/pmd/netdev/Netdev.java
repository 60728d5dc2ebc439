package dev.jvswitch.pmd.netdev;

import java.util.Map;

import dev.jvswitch.pmd.tunnel.TunnelOps;

/**
 * A datapath port: the SPI every port type implements (OVS's {@code netdev_class}). Port types
 * extend {@link AbstractNetdev}, which implements everything here but the queues' work.
 *
 * <p>A netdev has {@link #rxqCount()} receive queues and {@link #txqCount()} transmit queues. The
 * datapath assigns each rx queue to one PMD thread, which alone calls {@link NetdevRxq#recv}; each
 * PMD transmits on the tx queue {@code pmdIndex % txqCount()}, and when several PMDs share a tx
 * queue the datapath serialises them ({@link #txqsNeedLocking}).
 *
 * <p><b>Ownership of mbufs.</b> {@link NetdevRxq#recv} fills a batch with mbufs taken from the
 * caller's cache; the caller owns them afterwards. {@link NetdevTxq#send} takes ownership of every
 * mbuf in the batch: it transmits what it can, frees the rest through the given cache and counts
 * them as tx drops, and returns the batch empty.
 *
 * <p><b>Thread-safety:</b> {@link #name()}, {@link #type()}, the queue counts and the queue
 * objects are fixed at open. {@link #mtu()}, {@link #macAddress()}, {@link #linkUp()} and
 * {@link #readStats} may be called from any thread; implementations keep the values they return
 * in fields written with release (or opaque) semantics by the one thread that changes them.
 * {@link #close()} is called by the control thread after every PMD has stopped polling the port.
 */
public interface Netdev extends AutoCloseable {
    /** The port's name (unique in a datapath), e.g. {@code "p1"}. */
    String name();

    /** The type name the port was opened by, e.g. {@code "ring"}, {@code "afpacket"}. */
    String type();

    int rxqCount();

    int txqCount();

    NetdevRxq rxq(int id);

    NetdevTxq txq(int id);

    /** True if a tx queue must not be used by two threads at once (almost every real port). */
    default boolean txqsNeedLocking() {
        return true;
    }

    /** Largest L3 payload the port sends and receives, in bytes (Ethernet header not counted). */
    int mtu();

    /** The port's Ethernet address as a 48-bit number in the low bits, network order. */
    long macAddress();

    /** Whether the link is up; a down port receives nothing and counts what it is sent as dropped. */
    boolean linkUp();

    /** Adds the port's counters (all queues) into {@code into}. */
    void readStats(NetdevStats into);

    /**
     * What the port would like a user to know about its state beyond its counters, as OVS's
     * Interface {@code status} column: e.g. an AF_XDP port's {@code xdp-mode}. Empty for most
     * types; any thread, cheap (no system call).
     */
    default Map<String, String> status() {
        return Map.of();
    }

    /**
     * The tunnel operations of this port, or {@code null} for a port that is not a tunnel. The
     * action executor calls them for {@code tnl_push}/{@code tnl_pop}.
     */
    default TunnelOps tunnelOps() {
        return null;
    }

    /**
     * Polls for changes of link state, MTU or the underlying device's existence; called from the
     * control thread every few hundred milliseconds. Ports whose state cannot change ignore it.
     */
    default void refresh() {
    }

    /** Releases the port's resources. Idempotent. */
    @Override
    void close();
}
