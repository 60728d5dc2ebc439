package dev.jvswitch.afxdp.xsk;

import dev.jvswitch.pmd.netdev.SingleWriterCounters;

/**
 * AF_XDP transmit counters beyond {@link dev.jvswitch.pmd.netdev.QueueCounters}'s, one block per
 * tx queue.
 *
 * <p><b>Thread-safety:</b> as {@link XskRxCounters}, with the tx queue's guard.
 */
public final class XskTxCounters extends SingleWriterCounters {
    /** Completions naming no frame this queue had sent: ignored. */
    public static final int BAD_COMPLETIONS = 0;
    /** Frames from another pool, copied into a frame of the UMEM to be sent. */
    public static final int COPIED = 1;
    /** Kicks ({@code send}) that failed with an error other than "try again". */
    public static final int KICK_ERRORS = 2;
    private static final int COUNT = 3;

    public XskTxCounters() {
        super(COUNT);
    }
}
