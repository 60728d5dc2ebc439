package dev.jvswitch.pmd.netdev;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.testkit.frame.MarkedFrames;

/**
 * The test's stand-in for a PMD: polls rx queues and sends frames, bounded by count and time.
 * Published in pmd-core's test-jar for every port module's namespace tests.
 */
public final class TestPmd {
    private final MbufCache cache;
    private final PacketBatch batch = new PacketBatch();

    public TestPmd(MbufCache cache) {
        this.cache = cache;
    }

    /** A received frame and the queue it came from. */
    public record Rx(int queue, byte[] bytes) {
    }

    /**
     * Polls {@code rxqs} until {@code count} frames matching {@code filter} arrived or the time
     * is up; returns those frames (others are freed and ignored).
     */
    public List<Rx> receive(List<? extends NetdevRxq> rxqs, int count, Duration timeout, Predicate<byte[]> filter) {
        List<Rx> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (got.size() < count && System.nanoTime() < deadline) {
            int n = 0;
            for (int q = 0; q < rxqs.size(); q++) {
                n += poll(rxqs.get(q), q, filter, got);
            }
            if (n == 0) {
                LockSupport.parkNanos(100_000);
            }
        }
        return got;
    }

    public List<byte[]> receive(NetdevRxq rxq, int count, Duration timeout) {
        List<byte[]> out = new ArrayList<>();
        for (Rx rx : receive(List.of(rxq), count, timeout, MarkedFrames::marked)) {
            out.add(rx.bytes());
        }
        return out;
    }

    /** One recv on {@code rxq}: marked frames are added to {@code into}, all are freed. */
    public int poll(NetdevRxq rxq, List<byte[]> into) {
        int n = rxq.recv(batch, cache);
        for (int i = 0; i < n; i++) {
            Mbuf m = batch.get(i);
            byte[] bytes = m.toByteArray();
            cache.put(m);
            if (MarkedFrames.marked(bytes)) {
                into.add(bytes);
            }
        }
        batch.clear();
        return n;
    }

    /** One recv on {@code rxq}: frames matching {@code filter} are added to {@code into}. */
    public int poll(NetdevRxq rxq, int queue, Predicate<byte[]> filter, List<Rx> into) {
        int n = rxq.recv(batch, cache);
        for (int i = 0; i < n; i++) {
            Mbuf m = batch.get(i);
            byte[] bytes = m.toByteArray();
            cache.put(m);
            if (filter.test(bytes)) {
                into.add(new Rx(queue, bytes));
            }
        }
        batch.clear();
        return n;
    }

    /** Sends {@code frames} in batches of up to 32; returns how many the queue accepted. */
    public int send(NetdevTxq txq, List<byte[]> frames) {
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
