package dev.jvswitch.bench.afpacket;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.jvswitch.afpacket.AfPacketProvider;
import dev.jvswitch.bench.l2fwd.Forwarder;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.affinity.CpuAffinity;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.pmd.netdev.Netdevs;

/**
 * The benchmark's traffic: an AF_PACKET port opened inside the generator namespace, and a thread
 * that fills batches of 32 copies of prepared IPv4/UDP frames and sends them as fast as the tx
 * ring takes them. Frames cycle over {@code flows} UDP source ports (10.0.0.1:1024+i →
 * 10.0.0.2:5001), so the forwarder sees that many distinct 5-tuples.
 *
 * <p><b>Thread-safety:</b> the generator thread alone sends on the port; {@link #txPackets()}
 * reads the port's counters (safe from any thread); {@link #stop()} and {@link #close()} are for
 * the thread that started it.
 */
final class FrameGenerator implements AutoCloseable {
    private final Netdev port;
    private final MbufPool pool;
    private final byte[][] frames;
    private final int cpu;
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile RuntimeException failure;
    private Thread thread;

    private FrameGenerator(Netdev port, MbufPool pool, byte[][] frames, int cpu) {
        this.port = port;
        this.pool = pool;
        this.frames = frames;
        this.cpu = cpu;
    }

    /** Opens the generator port on {@code ifname} in namespace {@code ns}. */
    static FrameGenerator open(String ns, String ifname, MbufPool pool, int frameBytes, int flows, int cpu)
            throws Exception {
        Netdev port = Netns.callIn(ns, () -> Netdevs.open(new NetdevConfig("gen", AfPacketProvider.TYPE,
                Map.of("ifname", ifname, "promisc", "false"), pool)));
        byte[][] frames = new byte[flows][];
        for (int i = 0; i < flows; i++) {
            frames[i] = udpFrame(frameBytes, 1024 + i);
        }
        return new FrameGenerator(port, pool, frames, cpu);
    }

    /** An Ethernet + IPv4 + UDP frame of {@code size} bytes (no FCS), UDP checksum 0. */
    static byte[] udpFrame(int size, int srcPort) {
        byte[] f = new byte[size];
        byte[] head = {
            0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
            0x45, 0, 0, 0, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        };
        System.arraycopy(head, 0, f, 0, head.length);
        int ipLength = size - 14;
        f[16] = (byte) (ipLength >>> 8);
        f[17] = (byte) ipLength;
        int sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        int csum = ~sum & 0xffff;
        f[24] = (byte) (csum >>> 8);
        f[25] = (byte) csum;
        int udpLength = ipLength - 20;
        f[34] = (byte) (srcPort >>> 8);
        f[35] = (byte) srcPort;
        f[36] = (byte) (5001 >>> 8);
        f[37] = (byte) 5001;
        f[38] = (byte) (udpLength >>> 8);
        f[39] = (byte) udpLength;
        return f;
    }

    /** Starts the sending thread. */
    void start() {
        stop.set(false);
        thread = new Thread(this::generate, "generator");
        thread.start();
    }

    /** Stops the sending thread and waits for it; rethrows what made it fail (e.g. pinning). */
    void stop() {
        stop.set(true);
        if (thread != null) {
            // Uninterruptibly: the port must not be closed under a thread still sending on it.
            Forwarder.joinUninterruptibly(thread);
            thread = null;
        }
        RuntimeException e = failure;
        if (e != null) {
            failure = null;
            throw e;
        }
    }

    /** Frames the generator's kernel accepted so far. */
    long txPackets() {
        NetdevStats s = new NetdevStats();
        port.readStats(s);
        return s.txPackets;
    }

    private void generate() {
        try {
            if (cpu >= 0) {
                CpuAffinity.pinCurrentThread(cpu);
            }
            send();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void send() {
        MbufCache cache = pool.newCache();
        PacketBatch batch = new PacketBatch();
        int next = 0;
        try {
            while (!stop.get()) {
                int n = cache.getBulk(batch.array(), 0, PacketBatch.MAX_SIZE);
                batch.setSize(n);
                for (int i = 0; i < n; i++) {
                    Mbuf m = batch.get(i);
                    byte[] f = frames[next];
                    m.copyFrom(f, 0, f.length);
                    next = next + 1 == frames.length ? 0 : next + 1;
                }
                port.txq(0).send(batch, cache);
            }
        } finally {
            pool.releaseCache(cache);
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            port.close();
        }
    }
}
