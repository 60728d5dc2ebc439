package dev.jvswitch.afxdp;

import java.util.concurrent.locks.LockSupport;

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
 *
 * <p><b>Sleeping on the socket</b> ({@code pmd-idle: sleep}). {@link #pollFd} hands the PMD the
 * socket's descriptor, which {@code poll(2)} reports readable once the rx ring holds a frame (the
 * kernel's {@code xsk_poll}; it also kicks a zero-copy driver that asked for a wake-up). A socket
 * may not be closed while a {@code poll(2)} holds it: the kernel keeps the file, and with it the
 * socket's binding to the queue, until the poll returns, so frames could still be written into
 * UMEM frames the port had already given back to the pool. Hence {@link #inPoll}: (1) the PMD,
 * holding the guard, sets it before it hands out the descriptor, and clears it in
 * {@link #pollEnded} after its poll(2) returned; (2) the control thread, holding the guard, waits
 * (bounded) for it to be clear before it closes the socket ({@link #awaitNoPoll}). The guard's
 * acquire/release orders (1)'s store before (2)'s first read; a PMD that finds the guard taken
 * hands out no descriptor.
 */
final class AfXdpRxq extends AbstractRxq {
    private static final long POLL_CHECK_NS = 100_000;
    private final AfXdpNetdev port;
    final QueueGuard guard = new QueueGuard();
    final XskRxCounters xsk = new XskRxCounters();
    /** Guarded by {@link #guard}. */
    XskSocket socket;
    /**
     * Whether the PMD may be in a {@code poll(2)} on {@link #socket}'s descriptor: written by the
     * PMD (volatile), read by the control thread.
     */
    private volatile boolean inPoll;

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

    /**
     * The socket's descriptor while the link is up and the kernel holds fill frames to receive
     * into; none while the control thread holds the queue, the socket is closed, the link is down
     * or the fill ring is empty (a pool that ran dry): then the PMD keeps polling, and refilling.
     */
    @Override
    public int pollFd() {
        if (!guard.tryEnter()) {
            return NO_POLL_FD;
        }
        try {
            XskSocket s = socket;
            if (s == null || !port.linkUp() || s.rx().held() == 0) {
                return NO_POLL_FD;
            }
            inPoll = true;
            return s.fd();
        } finally {
            guard.exit();
        }
    }

    @Override
    public void pollEnded() {
        inPoll = false;
    }

    /**
     * Control thread, holding the guard: waits until no {@code poll(2)} of the PMD holds the
     * socket (a PMD sleeps at most {@code PmdIdleStrategies.SLEEP_MAX_MS}).
     *
     * @return false if one still did at {@code deadlineNs}
     */
    boolean awaitNoPoll(long deadlineNs) {
        while (inPoll) {
            if (System.nanoTime() - deadlineNs > 0) {
                return false;
            }
            LockSupport.parkNanos(POLL_CHECK_NS);
        }
        return true;
    }
}
