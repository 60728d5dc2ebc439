package dev.jvswitch.bench.l2fwd;

import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.affinity.CpuAffinity;
import dev.jvswitch.pmd.netdev.Netdev;

/**
 * The {@code io} mode: every frame received on port 1 is sent out of port 2 and back, with no
 * parsing or classification, like {@code dpdk-testpmd --forward-mode=io}. It measures what
 * AF_PACKET I/O costs on its own, the baseline under the full pipeline of {@link SwitchForwarder}.
 *
 * <p>A step polls every rx queue of both ports once and sends each batch out of the other port's
 * tx queue 0; busy time is the time spent in steps that received something, as a PMD counts it.
 * Nothing in {@link #doWork()} allocates.
 *
 * <p><b>Thread-safety:</b> as {@link Forwarder}: everything here, the counters included, belongs
 * to the stepping thread.
 */
public final class IoForwarder extends Forwarder {
    private final MbufPool pool;
    private final int cpu;
    private final PacketBatch batch = new PacketBatch();
    private MbufCache cache;
    private long rxPackets;
    private long txPackets;
    private long busyNs;

    /**
     * Forwards between {@code port1} and {@code port2} (taking ownership of both) with mbufs from
     * {@code pool}; {@link #onStart()} pins the stepping thread to {@code cpu} unless it is -1.
     */
    public IoForwarder(Netdev port1, Netdev port2, MbufPool pool, int cpu) {
        super(FwdMode.IO, port1, port2);
        this.pool = pool;
        this.cpu = cpu;
    }

    @Override
    public void onStart() {
        if (cpu >= 0) {
            CpuAffinity.pinCurrentThread(cpu);
        }
        cache = pool.newCache();
    }

    @Override
    public int doWork() {
        long start = System.nanoTime();
        int n = forward(port1(), port2()) + forward(port2(), port1());
        if (n > 0) {
            busyNs += System.nanoTime() - start;
            rxPackets += n;
        }
        return n;
    }

    private int forward(Netdev from, Netdev to) {
        int moved = 0;
        int rxqs = from.rxqCount();
        for (int q = 0; q < rxqs; q++) {
            int n = from.rxq(q).recv(batch, cache);
            if (n > 0) {
                moved += n;
                txPackets += to.txq(0).send(batch, cache);
            }
        }
        return moved;
    }

    @Override
    public void onClose() {
        if (cache != null) {
            cache.putAll(batch);
            pool.releaseCache(cache);
            cache = null;
        }
    }

    @Override
    public Counts counts() {
        return new Counts(rxPackets, txPackets, rxPackets - txPackets, busyNs);
    }
}
