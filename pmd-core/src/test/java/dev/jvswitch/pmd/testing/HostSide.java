package dev.jvswitch.pmd.testing;

import java.util.ArrayList;
import java.util.List;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.Netdev;

/**
 * The "host" end of a ring pair in datapath tests: what a test sends into a datapath port and
 * reads back out of one. Shared by every test harness that drives a datapath over ring ports.
 */
public final class HostSide {
    private HostSide() {
    }

    /**
     * Copies {@code frames} into mbufs from {@code cache} and sends them on tx queue {@code queue}
     * of {@code host}, in batches of 32.
     *
     * @return how many frames the ring took (the rest were freed and counted by the port)
     */
    public static int send(Netdev host, int queue, MbufCache cache, List<byte[]> frames) {
        PacketBatch batch = new PacketBatch();
        int sent = 0;
        for (byte[] f : frames) {
            Mbuf m = cache.get();
            if (m == null) {
                throw new IllegalStateException("test pool exhausted");
            }
            m.copyFrom(f, 0, f.length);
            batch.add(m);
            if (batch.isFull()) {
                sent += host.txq(queue).send(batch, cache);
            }
        }
        if (!batch.isEmpty()) {
            sent += host.txq(queue).send(batch, cache);
        }
        return sent;
    }

    /** Receives everything waiting on every rx queue of {@code host}, frees the mbufs. */
    public static List<byte[]> drain(Netdev host, MbufCache cache) {
        List<byte[]> out = new ArrayList<>();
        PacketBatch batch = new PacketBatch();
        for (int q = 0; q < host.rxqCount(); q++) {
            int n;
            while ((n = host.rxq(q).recv(batch, cache)) > 0) {
                for (int i = 0; i < n; i++) {
                    out.add(batch.get(i).toByteArray());
                }
                cache.putAll(batch);
            }
        }
        return out;
    }
}
