package dev.jvswitch.pmd.netdev;

import java.time.Duration;
import java.util.ArrayDeque;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.PacketBatch;

/** A peer that is itself a {@link Netdev}: sends on its tx queue 0, receives from all its rx queues. */
public class NetdevPeer extends NetdevContractTest.Peer {
    private final Netdev netdev;
    private final MbufPool pool;
    private final MbufCache cache;
    private final PacketBatch batch = new PacketBatch();
    private final ArrayDeque<byte[]> received = new ArrayDeque<>();

    /** A peer over {@code netdev} that takes its tx mbufs from {@code pool}; closes {@code netdev} on close. */
    public NetdevPeer(Netdev netdev, MbufPool pool) {
        this.netdev = netdev;
        this.pool = pool;
        this.cache = pool.newCache();
    }

    public Netdev netdev() {
        return netdev;
    }

    @Override
    public void send(byte[] frame) {
        Mbuf m = cache.get();
        if (m == null) {
            throw new IllegalStateException("peer " + netdev.name() + ": pool exhausted");
        }
        if (!m.copyFrom(frame, 0, frame.length)) {
            cache.put(m);
            throw new IllegalArgumentException("peer " + netdev.name() + ": frame of " + frame.length
                    + " bytes does not fit an mbuf");
        }
        batch.add(m);
        int sent = netdev.txq(0).send(batch, cache);
        if (sent != 1) {
            throw new IllegalStateException("peer " + netdev.name() + ": frame not sent");
        }
    }

    @Override
    public byte[] receive(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int spin = 0; received.isEmpty() && spin < Integer.MAX_VALUE; spin++) {
            for (int q = 0; q < netdev.rxqCount(); q++) {
                netdev.rxq(q).recv(batch, cache);
                for (int i = 0; i < batch.size(); i++) {
                    received.add(batch.get(i).toByteArray());
                }
                cache.putAll(batch);
            }
            if (!received.isEmpty() || System.nanoTime() - deadline > 0) {
                break;
            }
            NetdevContractTest.backoff(spin);
        }
        return received.poll();
    }

    @Override
    public boolean takeLinkDown() {
        netdev.close();
        return true;
    }

    @Override
    public void close() {
        netdev.close();
        pool.releaseCache(cache);
    }
}
