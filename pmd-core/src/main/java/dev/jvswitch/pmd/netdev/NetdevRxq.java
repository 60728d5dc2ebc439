package dev.jvswitch.pmd.netdev;

import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;

/**
 * One receive queue of a {@link Netdev}.
 *
 * <p><b>Thread-safety:</b> polled by exactly one PMD thread at a time; a queue moves to another
 * PMD only through the datapath's reload handshake, which orders the two owners.
 */
public interface NetdevRxq {
    Netdev netdev();

    /** The queue's index within its port. */
    int id();

    /**
     * Receives up to {@link PacketBatch#MAX_SIZE} packets into the (empty) {@code batch}, taking
     * mbufs from {@code cache}. Never blocks; allocates nothing. Each received mbuf has its
     * {@code inPort} left at 0: the datapath sets it.
     *
     * @return the number of packets received (0 when nothing is waiting or the pool is empty; the
     *         latter counted as an rx drop)
     */
    int recv(PacketBatch batch, MbufCache cache);
}
