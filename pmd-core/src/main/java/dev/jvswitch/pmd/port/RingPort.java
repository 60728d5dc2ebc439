package dev.jvswitch.pmd.port;

import org.jctools.queues.SpscArrayQueue;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.AbstractNetdev;
import dev.jvswitch.pmd.netdev.AbstractRxq;
import dev.jvswitch.pmd.netdev.AbstractTxq;
import dev.jvswitch.pmd.netdev.QueueCounters;

/**
 * One side of an in-memory port pair, like one end of a veth pair: what one side sends, the other
 * receives. Each side has {@code queues} rx queues, each a JCTools SPSC ring of {@code size}
 * mbufs; tx queue {@code i} of one side offers into rx queue {@code i} of the other.
 *
 * <p><b>Zero copy.</b> The receiving side gets the very mbufs that were sent, with their packet
 * metadata (in_port, hashes, recirculation, tunnel, header offsets) cleared as a real port would
 * deliver a fresh packet. They may belong to the sender's pool: whoever frees them frees them
 * through {@link MbufCache#put}, which sends a foreign mbuf home. An rx queue therefore never
 * takes mbufs from the receiver's pool and never counts {@code no_mbuf}.
 *
 * <p><b>Send</b> takes ownership: what does not fit the peer's ring is freed and counted as a tx
 * drop ({@code queue_full}); everything sent while the link is down is freed and counted as
 * {@code link_down}. The link is up while both sides are open.
 *
 * <p><b>Link.</b> A side's carrier is down until it is joined to its peer, and goes down for good
 * (one link-down event) when the peer closes.
 *
 * <p><b>Close</b> frees what sits in this side's rx rings. What the peer had queued for this side
 * just before noticing the close is freed when the peer closes too, so once both sides are closed
 * nothing is left in any ring. The surviving side still receives what was queued for it before
 * the close, counts one link-down event, and counts its sends as {@code link_down} drops.
 *
 * <p><b>Thread-safety:</b> rx queue {@code i} of this side is polled by one PMD at a time (the
 * ring's consumer); tx queue {@code i} of the peer is used by one sender at a time (the ring's
 * producer), which is why ring ports need tx locking. A JCTools offer is a release and its poll an
 * acquire, so what the sender wrote into an mbuf is visible to the receiver. {@code peer} is
 * written once, under the pair's {@code link} lock, when the two sides are joined, and read
 * (volatile) on every send. {@link #onClose()} runs under the same lock, after this side's PMDs
 * have stopped polling it, so the closing thread is the only consumer of the rings it drains;
 * the carriers of both sides are written under it too.
 */
public final class RingPort extends AbstractNetdev {
    public static final String TYPE = "ring";

    private final String peerName;
    /** Shared by both sides: serialises joining and closing. */
    private final Object link;
    private final SpscArrayQueue<Mbuf>[] rxRings;
    private final int ringSize;
    private volatile RingPort peer;

    @SuppressWarnings({"unchecked", "rawtypes"}) // no generic array creation in Java
    RingPort(String name, String peerName, long mac, int mtu, int queues, int ringSize, Object link) {
        super(name, TYPE, queues, queues, false);
        mtu(mtu);
        macAddress(mac);
        this.peerName = peerName;
        this.link = link;
        this.ringSize = ringSize;
        this.rxRings = new SpscArrayQueue[queues];
        for (int i = 0; i < queues; i++) {
            rxRings[i] = new SpscArrayQueue<>(ringSize);
            addRxq(new RingRxq(i));
            addTxq(new RingTxq(i));
        }
    }

    /**
     * Joins two unjoined sides that share one link lock.
     *
     * @return false, joining nothing, if either side is already closed
     */
    static boolean join(RingPort a, RingPort b) {
        if (a.link != b.link || a.rxRings.length != b.rxRings.length) {
            throw new IllegalArgumentException("ring ports " + a.name() + " and " + b.name() + " cannot be joined");
        }
        synchronized (a.link) {
            if (!a.isOpen() || !b.isOpen() || a.peer != null || b.peer != null) {
                return false;
            }
            a.peer = b;
            b.peer = a;
            a.carrier(true);
            b.carrier(true);
            return true;
        }
    }

    Object link() {
        return link;
    }

    /** The name of the port this side pairs with. */
    public String peerName() {
        return peerName;
    }

    /** The other side once joined, else {@code null}. */
    public RingPort peer() {
        return peer;
    }

    /** Capacity of each rx ring. */
    public int ringSize() {
        return ringSize;
    }

    @Override
    protected void onClose() {
        synchronized (link) {
            drain(rxRings);
            RingPort p = peer;
            if (p != null) {
                if (p.isOpen()) {
                    p.carrier(false);
                } else {
                    // The peer closed first; its sends that raced with that close are still here.
                    drain(p.rxRings);
                }
            }
        }
        RingPortProvider.forget(this);
    }

    private static void drain(SpscArrayQueue<Mbuf>[] rings) {
        for (SpscArrayQueue<Mbuf> ring : rings) {
            Mbuf m;
            while ((m = ring.poll()) != null) {
                m.pool().put(m);
            }
        }
    }

    /** Clears what the sender left in the mbuf besides the packet itself. */
    private static void scrub(Mbuf m) {
        m.resetMetadata();
    }

    @Override
    public String toString() {
        return "RingPort[" + name() + " <-> " + peerName + "]";
    }

    private final class RingRxq extends AbstractRxq {
        private final SpscArrayQueue<Mbuf> ring;

        RingRxq(int id) {
            super(RingPort.this, id);
            this.ring = rxRings[id];
        }

        @Override
        public int recv(PacketBatch batch, MbufCache cache) {
            if (!isOpen()) {
                return 0;
            }
            int n = 0;
            long bytes = 0;
            while (!batch.isFull()) {
                Mbuf m = ring.poll();
                if (m == null) {
                    break;
                }
                scrub(m);
                batch.add(m);
                bytes += m.length();
                n++;
            }
            countReceived(n, bytes);
            return n;
        }
    }

    private final class RingTxq extends AbstractTxq {
        RingTxq(int id) {
            super(RingPort.this, id);
        }

        @Override
        public int send(PacketBatch batch, MbufCache cache) {
            RingPort p = peer;
            if (p == null || !isOpen() || !p.isOpen()) {
                return dropAll(batch, cache, QueueCounters.LINK_DOWN);
            }
            SpscArrayQueue<Mbuf> ring = p.rxRings[id()];
            int n = batch.size();
            int sent = 0;
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                Mbuf m = batch.get(i);
                // Read before the offer: once offered, the mbuf belongs to the receiver.
                int length = m.length();
                if (ring.offer(m)) {
                    sent++;
                    bytes += length;
                } else {
                    cache.put(m);
                }
            }
            batch.clear();
            countSent(sent, bytes);
            if (sent < n) {
                counters.add(QueueCounters.DROPPED, n - sent);
                counters.add(QueueCounters.QUEUE_FULL, n - sent);
            }
            return sent;
        }
    }
}
