package dev.jvswitch.afpacket;

import java.util.concurrent.atomic.AtomicReference;

import dev.jvswitch.afpacket.rx.ReceiveRing;
import dev.jvswitch.afpacket.rx.RxCounters;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.AbstractRxq;
import dev.jvswitch.pmd.netdev.QueueCounters;

/**
 * One rx queue of an {@link AfPacketNetdev}: one socket and its receive ring, TPACKET_V2 or V3
 * (one member of the port's fanout group when the port has several queues).
 *
 * <p>When the interface comes back after going down or away, the control thread opens a fresh
 * socket and leaves it in {@link #pending}; the polling PMD swaps it in at its next
 * {@link #recv} and closes the old one itself, so no thread ever unmaps a ring another thread
 * may be reading.
 *
 * <p><b>Thread-safety:</b> {@link #recv} runs on the one PMD that owns the queue; {@code ring} is
 * that thread's alone. The control thread writes {@code pending} with an atomic exchange and
 * closes whatever ring it displaces there, which no PMD can have seen; the PMD takes it with an
 * atomic exchange, so exactly one of them gets each ring. The counters follow
 * {@link QueueCounters}' rules. {@link #closeRings} runs on the control thread after every PMD
 * stopped polling (ordered by the datapath's stop handshake).
 */
final class AfPacketRxq extends AbstractRxq {
    private final AfPacketNetdev port;
    private final RxCounters rxCounters = new RxCounters();
    private final AtomicReference<ReceiveRing> pending = new AtomicReference<>();
    private ReceiveRing ring;

    AfPacketRxq(AfPacketNetdev port, int id, ReceiveRing ring) {
        super(port, id);
        this.port = port;
        this.ring = ring;
    }

    @Override
    public AfPacketNetdev netdev() {
        return port;
    }

    @Override
    public int recv(PacketBatch batch, MbufCache cache) {
        // Link state first: the control thread leaves a new ring in pending before it declares
        // the link up, so seeing "up" here guarantees the pending ring is seen below.
        boolean up = port.linkUpForPmd();
        if (pending.getAcquire() != null) {
            onNewRing();
        }
        ReceiveRing r = ring;
        if (!up || r == null) {
            return 0;
        }
        return r.readInto(batch, cache, port.mtu(), counters, rxCounters);
    }

    /**
     * The ring's socket, which {@code poll(2)} reports readable once a frame waits in the ring (a
     * V2 slot written, a V3 block retired: what {@link #recv} can take). While the link is down or
     * a new ring waits to be swapped in, none: the PMD keeps polling as before.
     */
    @Override
    public int pollFd() {
        ReceiveRing r = ring;
        if (!port.linkUpForPmd() || r == null || pending.getAcquire() != null) {
            return NO_POLL_FD;
        }
        return r.fd();
    }

    /** Swaps in the ring the control thread opened and closes the old one (rare; makes syscalls). */
    private void onNewRing() {
        ReceiveRing next = pending.getAndSet(null);
        if (next == null) {
            return;
        }
        ReceiveRing old = ring;
        ring = next;
        if (old != null) {
            old.collectKernelDrops(counters, rxCounters);
            old.close();
        }
    }

    /** Control thread: hands a freshly opened ring to the PMD. */
    void offer(ReceiveRing next) {
        ReceiveRing displaced = pending.getAndSet(next);
        if (displaced != null) {
            displaced.close();
        }
    }

    /** Control thread, once no PMD polls the queue: collects the last kernel drops and closes both rings. */
    void closeRings() {
        ReceiveRing p = pending.getAndSet(null);
        if (p != null) {
            p.close();
        }
        if (ring != null) {
            ring.collectKernelDrops(counters, rxCounters);
            ring.close();
            ring = null;
        }
    }

    /** The ring the PMD polls now (tests: which TPACKET version it is). Owner thread, or a quiet queue. */
    ReceiveRing ring() {
        return ring;
    }

    RxCounters rxCounters() {
        return rxCounters;
    }
}
