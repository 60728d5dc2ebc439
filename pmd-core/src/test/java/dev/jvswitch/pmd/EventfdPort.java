package dev.jvswitch.pmd;

import java.nio.ByteBuffer;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.AbstractNetdev;
import dev.jvswitch.pmd.netdev.AbstractRxq;
import dev.jvswitch.pmd.netdev.NetdevRxq;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.pmd.netdev.sys.Scratch;
import dev.jvswitch.pmd.netdev.sys.Syscalls;

/**
 * A test port whose rx queue has a real descriptor, as an AF_PACKET or TAP port has, without
 * needing root: an eventfd that {@link #arrive} writes. Each arrival makes {@link #recv} return
 * one copy of the port's frame. Sends are discarded and counted.
 */
final class EventfdPort extends AbstractNetdev {
    private final int efd;
    private final byte[] frame;
    private final ByteBuffer word = Scratch.direct(8);
    private final long wordAddress = Scratch.address(word);
    /** Holds 1, the count an arrival adds; written once, so any thread may send from it. */
    private final ByteBuffer one = Scratch.direct(8).putLong(0, 1L);
    private final long oneAddress = Scratch.address(one);

    EventfdPort(String name, byte[] frame) {
        super(name, "eventfd", 1, 1);
        this.frame = frame.clone();
        this.efd = Syscalls.LIBC.eventfd(0, Syscalls.EFD_NONBLOCK | Syscalls.EFD_CLOEXEC);
        if (efd < 0) {
            throw new IllegalStateException("eventfd: " + Syscalls.describe(Syscalls.errno()));
        }
        addRxq(new Rxq(this));
        addTxq(new dev.jvswitch.pmd.netdev.AbstractTxq(this, 0) {
            @Override
            public int send(PacketBatch batch, MbufCache cache) {
                return sinkAll(batch, cache);
            }
        });
    }

    /** The wire: one frame arrives (any thread). */
    void arrive() {
        Syscalls.LIBC.write(efd, oneAddress, 8);
    }

    /** Frames the switch sent out of this port. */
    long sent() {
        NetdevStats s = new NetdevStats();
        readStats(s);
        return s.txPackets;
    }

    @Override
    public boolean txqsNeedLocking() {
        return false;
    }

    @Override
    protected void onClose() {
        Syscalls.LIBC.close(efd);
    }

    /** {@link NetdevRxq#pollFd()} calls so far (written by the PMD only). */
    long pollsAsked() {
        return ((Rxq) rxq(0)).asked;
    }

    /** {@link NetdevRxq#pollEnded()} calls so far (written by the PMD only). */
    long pollsEnded() {
        return ((Rxq) rxq(0)).ended;
    }

    private static final class Rxq extends AbstractRxq {
        private final EventfdPort port;
        private volatile long asked;
        private volatile long ended;

        Rxq(EventfdPort port) {
            super(port, 0);
            this.port = port;
        }

        @Override
        public int recv(PacketBatch batch, MbufCache cache) {
            if (Syscalls.LIBC.read(port.efd, port.wordAddress, 8) != 8) {
                return 0;
            }
            Mbuf m = cache.get();
            if (m == null) {
                return 0;
            }
            m.copyFrom(port.frame, 0, port.frame.length);
            batch.add(m);
            return 1;
        }

        @Override
        public int pollFd() {
            asked++;
            return port.efd;
        }

        @Override
        public void pollEnded() {
            ended++;
        }
    }
}
