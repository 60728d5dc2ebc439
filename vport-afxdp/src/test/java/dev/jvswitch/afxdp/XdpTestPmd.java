package dev.jvswitch.afxdp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.NetdevRxq;
import dev.jvswitch.pmd.netdev.NetdevTxq;
import dev.jvswitch.testkit.frame.MarkedFrames;

/** The test's stand-in for a PMD: polls rx queues and sends frames, bounded by count and time. */
final class XdpTestPmd {
    private final MbufCache cache;
    private final PacketBatch batch = new PacketBatch();

    XdpTestPmd(MbufCache cache) {
        this.cache = cache;
    }

    /** Polls {@code rxq} until {@code count} marked frames arrived or the time is up; returns them. */
    List<byte[]> receive(NetdevRxq rxq, int count, Duration timeout) {
        List<byte[]> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (got.size() < count && System.nanoTime() < deadline) {
            if (poll(rxq, got) == 0) {
                LockSupport.parkNanos(100_000);
            }
        }
        return got;
    }

    /** One recv on {@code rxq}: marked frames are added to {@code into}, all are freed. */
    int poll(NetdevRxq rxq, List<byte[]> into) {
        int n = rxq.recv(batch, cache);
        for (int i = 0; i < n; i++) {
            Mbuf m = batch.get(i);
            byte[] bytes = m.toByteArray();
            if (MarkedFrames.marked(bytes)) {
                into.add(bytes);
            }
        }
        cache.putAll(batch);
        return n;
    }

    /** Sends {@code frames} in batches of up to 32; returns how many the queue accepted. */
    int send(NetdevTxq txq, List<byte[]> frames) {
        int sent = 0;
        for (byte[] f : frames) {
            Mbuf m = cache.get();
            if (m == null) {
                throw new AssertionError("test pool exhausted");
            }
            if (!m.copyFrom(f, 0, f.length)) {
                cache.put(m);
                throw new AssertionError("frame of " + f.length + " B does not fit an mbuf");
            }
            batch.add(m);
            if (batch.isFull()) {
                sent += txq.send(batch, cache);
            }
        }
        if (!batch.isEmpty()) {
            sent += txq.send(batch, cache);
        }
        return sent;
    }
}
