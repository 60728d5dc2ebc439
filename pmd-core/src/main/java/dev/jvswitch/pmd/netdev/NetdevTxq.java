package dev.jvswitch.pmd.netdev;

import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;

/**
 * One transmit queue of a {@link Netdev}.
 *
 * <p><b>Thread-safety:</b> one sender at a time; see {@link Netdev#txqsNeedLocking()}.
 */
public interface NetdevTxq {
    Netdev netdev();

    int id();

    /**
     * Transmits the packets of {@code batch} and takes ownership of all of them: what cannot be
     * sent (queue full, link down, too big) is freed through {@code cache} and counted as a tx
     * drop. Returns with {@code batch} empty. Never blocks; allocates nothing.
     *
     * @return the number of packets handed to the device
     */
    int send(PacketBatch batch, MbufCache cache);
}
