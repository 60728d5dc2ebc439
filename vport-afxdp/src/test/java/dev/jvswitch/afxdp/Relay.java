package dev.jvswitch.afxdp;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.Netdev;

/**
 * Joins two ports for a test: a thread of its own moves every frame received on one port's rx
 * queue 0 out of the other's tx queue 0, both ways, and refreshes both ports every 50 ms (as the
 * daemon's control thread would), until {@link #close()}.
 *
 * <p><b>Thread-safety:</b> the relay thread owns its mbuf cache and batch; {@link #stop()} is for
 * the thread that made the relay, and sees the count through the thread's join.
 */
final class Relay implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stop;
    private long sent;

    Relay(Netdev a, Netdev b, MbufPool pool) {
        thread = new Thread(() -> run(a, b, pool), "relay");
        thread.start();
    }

    private void run(Netdev a, Netdev b, MbufPool pool) {
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
                if (System.nanoTime() - nextRefresh > 0) {
                    a.refresh();
                    b.refresh();
                    nextRefresh = System.nanoTime() + 50_000_000L;
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
    long stop() {
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
