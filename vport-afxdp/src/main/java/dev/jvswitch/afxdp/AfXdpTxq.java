package dev.jvswitch.afxdp;

import dev.jvswitch.afxdp.xsk.XskSocket;
import dev.jvswitch.afxdp.xsk.XskTx;
import dev.jvswitch.afxdp.xsk.XskTxCounters;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.AbstractTxq;
import dev.jvswitch.pmd.netdev.QueueCounters;

/**
 * One tx queue of an {@link AfXdpNetdev}: the transmit half of socket {@code id}. {@link #send}
 * queues the batch's mbufs in the tx ring where they lie (an mbuf of another pool is copied into
 * the UMEM first), kicks the kernel, and takes in the completions, which return sent mbufs to the
 * pool.
 *
 * <p>Link down, socket being replaced (the control thread holds the guard), or none at all: the
 * batch is dropped and counted as {@code LINK_DOWN}. A kick that finds the device gone turns that
 * batch into link-down drops and tells the port, whose next refresh looks at the interface.
 *
 * <p><b>Thread-safety:</b> {@link #send} on one thread at a time
 * ({@link AfXdpNetdev#txqsNeedLocking()}), inside the queue's {@link QueueGuard}, which the control
 * thread takes to change {@code socket} or to take in an idle queue's completions.
 */
final class AfXdpTxq extends AbstractTxq {
    private final AfXdpNetdev port;
    final QueueGuard guard = new QueueGuard();
    final XskTxCounters xsk = new XskTxCounters();
    /** Guarded by {@link #guard}. */
    XskSocket socket;

    AfXdpTxq(AfXdpNetdev port, int id) {
        super(port, id);
        this.port = port;
    }

    @Override
    public AfXdpNetdev netdev() {
        return port;
    }

    @Override
    public int send(PacketBatch batch, MbufCache cache) {
        if (batch.isEmpty()) {
            return 0;
        }
        if (!guard.tryEnter()) {
            return dropAll(batch, cache, QueueCounters.LINK_DOWN);
        }
        try {
            XskSocket s = socket;
            if (s == null || s.tx() == null || !port.linkUp()) {
                return dropAll(batch, cache, QueueCounters.LINK_DOWN);
            }
            XskTx tx = s.tx();
            int sent = tx.send(batch, cache, port.mtu(), counters, xsk);
            if (tx.lastKick() == XskTx.Kick.LINK_ERROR) {
                port.onTxLinkError();
            }
            return sent;
        } finally {
            guard.exit();
        }
    }
}
