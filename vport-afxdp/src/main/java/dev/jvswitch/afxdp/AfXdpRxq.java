package dev.jvswitch.afxdp;

import dev.jvswitch.afxdp.xsk.XskRxCounters;
import dev.jvswitch.afxdp.xsk.XskSocket;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.AbstractRxq;

/**
 * One rx queue of an {@link AfXdpNetdev}: the receive half of the XDP socket on the interface's
 * queue of the same number. {@link #recv} hands over the frames the kernel wrote into the pool's
 * memory (no copy) and gives the kernel fresh frames for them.
 *
 * <p><b>Thread-safety:</b> {@link #recv} runs on the one PMD that polls the queue, inside the
 * queue's {@link QueueGuard}; the control thread holds the guard while it changes
 * {@code socket} (and touches the socket's receive half), so {@code socket} is a plain field. A
 * PMD that finds the guard taken receives nothing this time. The counters follow
 * {@code QueueCounters}' rules, their single writer being the guard's holder.
 */
final class AfXdpRxq extends AbstractRxq {
    private final AfXdpNetdev port;
    final QueueGuard guard = new QueueGuard();
    final XskRxCounters xsk = new XskRxCounters();
    /** Guarded by {@link #guard}. */
    XskSocket socket;

    AfXdpRxq(AfXdpNetdev port, int id) {
        super(port, id);
        this.port = port;
    }

    @Override
    public AfXdpNetdev netdev() {
        return port;
    }

    @Override
    public int recv(PacketBatch batch, MbufCache cache) {
        if (!guard.tryEnter()) {
            return 0;
        }
        try {
            XskSocket s = socket;
            if (s == null || !port.linkUp()) {
                return 0;
            }
            return s.rx().receive(batch, cache, port.mtu(), counters, xsk);
        } finally {
            guard.exit();
        }
    }
}
