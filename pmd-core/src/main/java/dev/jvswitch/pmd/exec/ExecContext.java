package dev.jvswitch.pmd.exec;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.stats.DropReason;
import dev.jvswitch.pmd.tunnel.TunnelOps;

/**
 * What the {@link ActionExecutor} needs from the PMD it runs in: where packets go when an action
 * sends them on, and where dropped or copied packets' memory comes from and returns to.
 *
 * <p>Every method that takes an mbuf takes ownership of it. A call happens on the PMD thread, in
 * the middle of a batch, so implementations must not block or allocate: buffer per tx port,
 * queue for recirculation, count drops in preallocated counters.
 *
 * <p><b>Drop reasons</b> are {@link DropReason} constants: passed as they are (no boxing), each
 * with a dense id so a PMD keeps one counter per reason in an array.
 *
 * <p><b>Thread-safety:</b> an implementation belongs to one PMD thread and is called only by it.
 */
public interface ExecContext {
    /** Sends {@code m} out of datapath port {@code port} (buffered per tx port by the PMD). */
    void output(int port, Mbuf m);

    /**
     * Re-injects {@code m} into the datapath. The executor has already set its recirc id (and
     * for tnl_pop its in_port and tunnel metadata) and incremented its recirc depth.
     */
    void recirculate(Mbuf m);

    /**
     * Re-injects every packet of {@code batch}, in order, as {@link #recirculate(Mbuf)} would
     * (which this default calls), and empties it; a PMD may take the batch's contents whole.
     */
    default void recirculateAll(PacketBatch batch) {
        Mbuf[] pkts = batch.array();
        int n = batch.size();
        for (int k = 0; k < n; k++) {
            recirculate(pkts[k]);
        }
        batch.clear();
    }

    /** The tunnel operations of port {@code port}, or null if it is not a tunnel port. */
    TunnelOps tunnelOps(int port);

    /**
     * The MTU of datapath port {@code port} (its largest L3 packet), or 0 when there is no such
     * port or it does not say: what a {@code tnl_push} checks the encapsulated packet against.
     */
    int portMtu(int port);

    /** The PMD's mbuf cache: copies come from it, dropped packets return to it. */
    MbufCache cache();

    /**
     * Monotonic milliseconds, read once per batch at most: the clock connection tracking expires
     * connections by (the datapath's clock; its sweeper reads the same one).
     */
    default long nowMs() {
        return System.nanoTime() / 1_000_000L;
    }

    /** Counts one packet dropped for {@code reason} whose mbuf has already been freed or never existed. */
    void countDrop(DropReason reason);

    /** Frees {@code m} and counts it as dropped for {@code reason}. */
    default void drop(Mbuf m, DropReason reason) {
        cache().put(m);
        countDrop(reason);
    }
}
