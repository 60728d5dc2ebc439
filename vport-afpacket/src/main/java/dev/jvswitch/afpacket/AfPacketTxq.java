package dev.jvswitch.afpacket;

import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReference;

import dev.jvswitch.afpacket.tx.TxRing;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.AbstractTxq;
import dev.jvswitch.pmd.netdev.QueueCounters;
import dev.jvswitch.pmd.netdev.sys.Syscalls;

/**
 * One tx queue of an {@link AfPacketNetdev}: one send-only socket and its TPACKET_V2 ring.
 * {@link #send} copies the batch into the ring, frees every mbuf, and kicks the kernel once.
 *
 * <p>Frames are dropped and counted, never sent truncated: longer than the MTU allows (the
 * kernel's rule: MTU + 14, + 4 for an 802.1Q-tagged frame) or than a ring slot holds
 * ({@code OVERSIZE}), shorter than an Ethernet header ({@code ERRORS}), ring full
 * ({@code QUEUE_FULL}), link down ({@code LINK_DOWN}). A kick that fails because the device went
 * down or away turns that batch into link-down drops, stops this queue using the ring, and tells
 * the port, whose next {@link AfPacketNetdev#refresh} reopens the sockets.
 *
 * <p><b>Thread-safety:</b> as {@link AfPacketRxq}: {@link #send} on one thread at a time
 * ({@link AfPacketNetdev#txqsNeedLocking()}), {@code ring} and {@code suspended} that thread's;
 * {@code pending} exchanged atomically with the control thread.
 */
final class AfPacketTxq extends AbstractTxq {
    private static final int ETH_HEADER_BYTES = 14;
    private static final int VLAN_HEADER_BYTES = 4;

    private final AfPacketNetdev port;
    private final AtomicReference<TxRing> pending = new AtomicReference<>();
    private TxRing ring;
    private boolean suspended;

    AfPacketTxq(AfPacketNetdev port, int id, TxRing ring) {
        super(port, id);
        this.port = port;
        this.ring = ring;
    }

    @Override
    public AfPacketNetdev netdev() {
        return port;
    }

    @Override
    public int send(PacketBatch batch, MbufCache cache) {
        boolean up = port.linkUpForPmd();
        if (pending.getAcquire() != null) {
            onNewRing();
        }
        int n = batch.size();
        if (n == 0) {
            return 0;
        }
        TxRing r = ring;
        if (!up || r == null || suspended) {
            return dropAll(batch, cache, QueueCounters.LINK_DOWN);
        }
        int maxLength = Math.min(port.mtu() + ETH_HEADER_BYTES, r.maxFrameBytes());
        int maxTaggedLength = Math.min(maxLength + VLAN_HEADER_BYTES, r.maxFrameBytes());
        int sent = 0;
        long bytes = 0;
        int oversize = 0;
        int runts = 0;
        int full = 0;
        for (int i = 0; i < n; i++) {
            Mbuf m = batch.get(i);
            int length = m.length();
            if (length < ETH_HEADER_BYTES) {
                runts++;
            } else if (length > (isDot1q(m) ? maxTaggedLength : maxLength)) {
                oversize++;
            } else if (r.offer(m)) {
                sent++;
                bytes += length;
            } else {
                full++;
            }
            cache.put(m);
        }
        batch.clear();
        int linkDown = 0;
        int errors = runts;
        if (sent > 0) {
            int err = r.kick();
            if (err != 0 && err != Syscalls.EAGAIN && err != Syscalls.ENOBUFS && err != Syscalls.EINTR) {
                errors++;
                if (Syscalls.isLinkError(err)) {
                    // The frames stay in a ring that will be replaced, never sent.
                    suspended = true;
                    linkDown = sent;
                    sent = 0;
                    bytes = 0;
                    port.onTxLinkError();
                }
            }
        }
        countSent(sent, bytes);
        int dropped = oversize + runts + full + linkDown;
        if (dropped > 0) {
            counters.add(QueueCounters.DROPPED, dropped);
            counters.add(QueueCounters.OVERSIZE, oversize);
            counters.add(QueueCounters.QUEUE_FULL, full);
            counters.add(QueueCounters.LINK_DOWN, linkDown);
        }
        if (errors > 0) {
            counters.add(QueueCounters.ERRORS, errors);
        }
        return sent;
    }

    private static boolean isDot1q(Mbuf m) {
        return m.buffer().getShort(m.dataOffset() + 12, ByteOrder.BIG_ENDIAN) == (short) 0x8100;
    }

    private void onNewRing() {
        TxRing next = pending.getAndSet(null);
        if (next == null) {
            return;
        }
        TxRing old = ring;
        ring = next;
        suspended = false;
        if (old != null) {
            old.close();
        }
    }

    /** Control thread: hands a freshly opened ring to the sender. */
    void offer(TxRing next) {
        TxRing displaced = pending.getAndSet(next);
        if (displaced != null) {
            displaced.close();
        }
    }

    /** Control thread, once no PMD sends on the queue. */
    void closeRings() {
        TxRing p = pending.getAndSet(null);
        if (p != null) {
            p.close();
        }
        if (ring != null) {
            ring.close();
            ring = null;
        }
    }
}
