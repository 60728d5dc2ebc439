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
    /** {@link #pollFd()}: the queue cannot be waited on (in-memory rings); a PMD polling it never sleeps. */
    int NO_POLL_FD = -1;
    /** {@link #pollFd()}: nothing ever arrives on the queue (tunnel and null ports); a sleeping PMD ignores it. */
    int NEVER_READY = -2;

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

    /**
     * The descriptor that {@code poll(2)} reports readable ({@code POLLIN}) when {@link #recv}
     * has something to take, for a PMD that sleeps when idle ({@code pmd-idle: sleep}); or
     * {@link #NO_POLL_FD} or {@link #NEVER_READY}. Called by the polling PMD between its polls;
     * the answer holds until its next {@link #recv} (a queue whose descriptor is about to change
     * answers {@link #NO_POLL_FD}).
     */
    default int pollFd() {
        return NO_POLL_FD;
    }

    /**
     * Called by the polling PMD once the sleep that asked {@link #pollFd()} is over: its
     * {@code poll(2)} returned, or it did not sleep after all. Every {@code pollFd()} call is followed
     * by exactly one call of this before the PMD's next {@link #recv} of the queue. A queue that
     * must not close its descriptor while a {@code poll(2)} may hold it (the kernel keeps the file
     * open until the poll returns) waits for this; the others ignore it.
     */
    default void pollEnded() {
    }
}
