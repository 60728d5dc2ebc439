package dev.jvswitch.bench.traffic;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.jvswitch.afpacket.AfPacketProvider;
import dev.jvswitch.bench.cli.Threads;
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
 * The benchmarks' traffic generator: an AF_PACKET port opened inside a host's namespace
 * ({@link Netns}) and one thread that sends prepared frames ({@link UdpFrames}) in batches of 32
 * copies, either as fast as the tx ring takes them ({@link #blast()}: the AF_PACKET forwarding
 * benchmark's offered load, and how a latency run finds what a switch forwards) or paced at a
 * given rate ({@link #pace(double)}: a latency run's background load).
 *
 * <p><b>Pacing.</b> The thread computes how many frames are due since the pace started and sends
 * them in batches of up to 32; when none is due it parks for at most {@link #PARK_NS} (plus the
 * kernel's timer slack), so it does not occupy a whole CPU, which on a small machine would also
 * be the probe's. Frames therefore leave in small bursts spaced some tens of µs apart, the way a
 * host's stack sends under load. If the thread falls more than {@link #MAX_BACKLOG_NS} behind
 * (descheduled), it skips the backlog instead of bursting it, and counts what it skipped.
 *
 * <p><b>Thread-safety:</b> the sending thread alone uses the port's tx queue; {@link #txPackets()}
 * reads its counters (any thread); {@link #blast()}, {@link #pace}, {@link #stop()} and
 * {@link #close()} are for the thread that opened it.
 */
public final class PacedUdpLoad implements AutoCloseable {
    static final long PARK_NS = 20_000;
    static final long MAX_BACKLOG_NS = 2_000_000;

    private final Netdev port;
    private final MbufPool pool;
    private final byte[][] frames;
    private final int cpu;
    private volatile boolean stop;
    private volatile RuntimeException failure;
    private volatile long skipped;
    private Thread thread;

    private PacedUdpLoad(Netdev port, MbufPool pool, byte[][] frames, int cpu) {
        this.port = port;
        this.pool = pool;
        this.frames = frames;
        this.cpu = cpu;
    }

    /**
     * Opens a send port named {@code portName} on {@code ifname} in namespace {@code ns} (not
     * promiscuous; its rx ring is never polled and simply fills).
     *
     * @param portName what messages about the port call it
     * @param frames   the frames to cycle through
     * @param cpu      the CPU the sending thread is pinned to, or -1
     */
    public static PacedUdpLoad open(String portName, String ns, String ifname, MbufPool pool, byte[][] frames,
            int cpu) throws Exception {
        Netdev port = Netns.callIn(ns, () -> Netdevs.open(new NetdevConfig(portName, AfPacketProvider.TYPE,
                Map.of("ifname", ifname, "promisc", "false"), pool)));
        return new PacedUdpLoad(port, pool, frames.clone(), cpu);
    }

    /** Starts sending as fast as the tx ring takes frames. */
    public void blast() {
        start(0);
    }

    /** Starts sending {@code pps} frames per second. */
    public void pace(double pps) {
        if (!(pps > 0)) {
            throw new IllegalArgumentException("rate must be positive, got " + pps);
        }
        start(pps);
    }

    private void start(double pps) {
        stop();
        stop = false;
        thread = new Thread(() -> run(pps), "udp-load");
        thread.start();
    }

    /** Stops the sending thread and waits for it; rethrows what made it fail (e.g. pinning). */
    public void stop() {
        Thread t = thread;
        if (t == null) {
            return;
        }
        stop = true;
        // Uninterruptibly: the port must not be closed under a thread still sending on it.
        Threads.joinUninterruptibly(t);
        thread = null;
        RuntimeException e = failure;
        if (e != null) {
            failure = null;
            throw e;
        }
    }

    /** Frames the kernel accepted from this generator so far. */
    public long txPackets() {
        NetdevStats s = new NetdevStats();
        port.readStats(s);
        return s.txPackets;
    }

    /** The generator port's counters, for diagnostics. */
    public String portStats() {
        NetdevStats s = new NetdevStats();
        port.readStats(s);
        return "link " + (port.linkUp() ? "up" : "down") + ", " + s;
    }

    /** Frames a paced run skipped because its thread fell behind. */
    public long skipped() {
        return skipped;
    }

    private void run(double pps) {
        try {
            if (cpu >= 0) {
                CpuAffinity.pinCurrentThread(cpu);
            }
            send(pps);
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void send(double pps) {
        MbufCache cache = pool.newCache();
        PacketBatch batch = new PacketBatch();
        int next = 0;
        long t0 = System.nanoTime();
        long due;
        long sent = 0;
        long maxBacklog = (long) Math.max(PacketBatch.MAX_SIZE, pps * MAX_BACKLOG_NS / 1e9);
        double nsPerFrame = pps > 0 ? 1e9 / pps : 0;
        try {
            while (!stop) {
                int n = PacketBatch.MAX_SIZE;
                if (pps > 0) {
                    long now = System.nanoTime();
                    due = (long) ((now - t0) / nsPerFrame);
                    long backlog = due - sent;
                    if (backlog <= 0) {
                        LockSupport.parkNanos(Math.min(PARK_NS, (long) ((sent + 1) * nsPerFrame) - (now - t0)));
                        continue;
                    }
                    if (backlog > maxBacklog) {
                        skipped += backlog - maxBacklog;
                        sent = due - maxBacklog;
                        backlog = maxBacklog;
                    }
                    n = (int) Math.min(backlog, PacketBatch.MAX_SIZE);
                }
                n = cache.getBulk(batch.array(), 0, n);
                batch.setSize(n);
                for (int i = 0; i < n; i++) {
                    Mbuf m = batch.get(i);
                    byte[] f = frames[next];
                    m.copyFrom(f, 0, f.length);
                    next = next + 1 == frames.length ? 0 : next + 1;
                }
                port.txq(0).send(batch, cache);
                sent += n;
            }
        } finally {
            pool.releaseCache(cache);
        }
    }

    /** Stops sending and closes the port. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            port.close();
        }
    }

    @Override
    public String toString() {
        return "udp load on " + port.name() + " (" + TimeUnit.NANOSECONDS.toMicros(PARK_NS) + " us park)";
    }
}
