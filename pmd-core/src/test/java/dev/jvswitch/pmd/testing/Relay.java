package dev.jvswitch.pmd.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.Netdev;

/**
 * Joins two ports for a test: a thread of its own moves every frame received on one port's rx
 * queue 0 out of the other's tx queue 0, both ways, until {@link #close()}; optionally it also
 * refreshes both ports at a fixed interval (as the daemon's control thread would). No
 * classification, no pinning, no figures: the least that puts two hosts on one wire through the
 * ports under test (the forwarding tools, with all of that, live in {@code benchmarks}). Shared by
 * the port modules' tests, which may not import each other.
 *
 * <p><b>Thread-safety:</b> the relay thread owns its mbuf cache and batch; {@link #stop()} is for
 * the thread that made the relay, and sees the count through the thread's join.
 */
public final class Relay implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stop;
    private long sent;

    /** A relay that never refreshes the ports. */
    public Relay(Netdev a, Netdev b, MbufPool pool) {
        this(a, b, pool, null);
    }

    /** A relay that also refreshes both ports every {@code refreshEvery} ({@code null}: never). */
    public Relay(Netdev a, Netdev b, MbufPool pool, Duration refreshEvery) {
        long refreshNanos = refreshEvery == null ? 0L : refreshEvery.toNanos();
        thread = new Thread(() -> run(a, b, pool, refreshNanos), "relay");
        thread.start();
    }

    private void run(Netdev a, Netdev b, MbufPool pool, long refreshNanos) {
        MbufCache cache = pool.newCache();
        PacketBatch batch = new PacketBatch();
        long nextRefresh = System.nanoTime();
        try {
            while (!stop) {
                int moved = 0;
                if (a.rxq(0).recv(batch, cache) > 0) {
                    moved++;
                    sent += b.txq(0).send(batch, cache);
                }
                if (b.rxq(0).recv(batch, cache) > 0) {
                    moved++;
                    sent += a.txq(0).send(batch, cache);
                }
                if (refreshNanos > 0 && System.nanoTime() - nextRefresh > 0) {
                    a.refresh();
                    b.refresh();
                    nextRefresh = System.nanoTime() + refreshNanos;
                }
                if (moved == 0) {
                    LockSupport.parkNanos(50_000);
                }
            }
        } finally {
            cache.putAll(batch);
            pool.releaseCache(cache);
        }
    }

    /** Stops the relay (bounded wait) and returns how many frames it sent. */
    public long stop() {
        stop = true;
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping the relay", e);
        }
        if (thread.isAlive()) {
            throw new AssertionError("relay thread still running after 10 s");
        }
        return sent;
    }

    @Override
    public void close() {
        if (thread.isAlive()) {
            stop();
        }
    }
}
