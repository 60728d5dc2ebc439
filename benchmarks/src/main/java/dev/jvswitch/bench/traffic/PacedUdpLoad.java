package dev.jvswitch.bench.traffic;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.jvswitch.afpacket.sys.RingGeometry;
import dev.jvswitch.afpacket.tx.TxRing;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.pmd.netdev.sys.Interfaces;
import dev.jvswitch.pmd.netdev.sys.Syscalls;
import dev.jvswitch.pmd.netdev.sys.Where;

/**
 * The benchmarks' traffic generator: the AF_PACKET port's own TPACKET_V2 transmit ring
 * ({@link TxRing}: {@code PACKET_QDISC_BYPASS}, one {@code send} kick per burst) opened inside a
 * host's namespace ({@link Netns}), and one thread that writes frames from a {@link FrameSource}
 * into it, either as fast as the ring takes them ({@link #blast()}: the generator's ceiling, the
 * AF_PACKET forwarding benchmark's offered load, how a latency run finds what a switch forwards)
 * or paced at a rate ({@link Pacer}: a latency run's background load, {@code pktgen --rate}, a
 * throughput search's trials).
 *
 * <p><b>Pacing.</b> The thread sends the frames due, a burst of at most {@code burst} (32 unless
 * asked) per kick; when none is due it parks for at most {@link #PARK_NS} (plus the kernel's timer
 * slack), so it does not occupy a whole CPU, which on a small machine would also be the probe's
 * or the switch's. Frames therefore leave in small bursts spaced some tens of µs apart, the way a
 * host's stack sends under load, and the rate over any interval of a millisecond or more is the
 * one asked for, up to the generator's ceiling.
 *
 * <p><b>Ring full.</b> A frame the ring has no room for is kept and offered again after the kick,
 * never dropped: the frames counted as sent ({@link #txPackets()}) all reached the kernel, and a
 * stamped flow has no gap the network did not make.
 *
 * <p><b>Thread-safety:</b> the sending thread alone writes the ring; the counters are volatile
 * (written by it, read by any thread); {@link #start}, {@link #blast()}, {@link #pace},
 * {@link #stop()} and {@link #close()} are for the thread that opened it.
 */
public final class PacedUdpLoad implements AutoCloseable {
    static final long PARK_NS = 20_000;
    static final long MAX_BACKLOG_NS = 2_000_000;
    /** Frames per kick unless asked otherwise: the datapath's batch. */
    public static final int DEFAULT_BURST = 32;
    private static final RingGeometry RING = new RingGeometry(RingGeometry.DEFAULT_BLOCK_SIZE,
            RingGeometry.DEFAULT_BLOCK_COUNT, RingGeometry.DEFAULT_FRAME_SIZE);

    private final String name;
    private final TxRing ring;
    private final MbufPool pool;
    private final FrameSource frames;
    private final Worker worker;
    private volatile long sent;
    private volatile long ringFull;
    private volatile long kickErrors;
    private volatile long skipped;
    private volatile long startedNs;
    private volatile long endedNs;

    private PacedUdpLoad(String name, TxRing ring, MbufPool pool, FrameSource frames, int cpu) {
        this.name = name;
        this.ring = ring;
        this.pool = pool;
        this.frames = frames;
        this.worker = new Worker("udp-load", cpu);
    }

    /**
     * Opens a transmit ring named {@code portName} on {@code ifname} in namespace {@code ns}
     * ({@code null}: the root namespace).
     *
     * @param portName what messages about the generator call it
     * @param frames   the frames {@link #blast()} and {@link #pace} cycle through
     * @param pool     where the sending thread takes its one scratch mbuf
     * @param cpu      the CPU the sending thread is pinned to, or -1
     */
    public static PacedUdpLoad open(String portName, String ns, String ifname, MbufPool pool, byte[][] frames,
            int cpu) throws Exception {
        return open(portName, ns, ifname, pool, FrameSource.cycling(frames), cpu);
    }

    /** As {@link #open(String, String, String, MbufPool, byte[][], int)}, sending {@code frames}' frames. */
    public static PacedUdpLoad open(String portName, String ns, String ifname, MbufPool pool, FrameSource frames,
            int cpu) throws Exception {
        Where where = new Where(portName, ifname);
        java.util.concurrent.Callable<TxRing> opener = () -> {
            try (Interfaces interfaces = new Interfaces(where)) {
                return TxRing.open(where, interfaces.require().ifindex(), RING, true);
            }
        };
        TxRing ring = ns == null ? opener.call() : Netns.callIn(ns, opener);
        return new PacedUdpLoad(portName, ring, pool, frames, cpu);
    }

    /** Starts sending the open frames as fast as the ring takes them. */
    public void blast() {
        start(frames, 0, DEFAULT_BURST, -1, MAX_BACKLOG_NS);
    }

    /** Starts sending the open frames at {@code pps} frames per second. */
    public void pace(double pps) {
        if (!(pps > 0)) {
            throw new IllegalArgumentException("rate must be positive, got " + pps);
        }
        start(frames, pps, DEFAULT_BURST, -1, MAX_BACKLOG_NS);
    }

    /**
     * Starts sending from {@code source} (stopping a run still going first).
     *
     * @param pps          frames per second, or 0 for as fast as the ring takes them
     * @param burst        frames per kick at most, 1..2048
     * @param maxFrames    stop by itself after this many frames, or -1 to run until {@link #stop()}
     * @param maxBacklogNs how far behind a paced schedule the thread may fall before skipping
     */
    public void start(FrameSource source, double pps, int burst, long maxFrames, long maxBacklogNs) {
        if (burst < 1 || burst > RING.frameCount()) {
            throw new IllegalArgumentException("burst must be within 1.." + RING.frameCount() + ", got " + burst);
        }
        stop();
        sent = 0;
        ringFull = 0;
        kickErrors = 0;
        skipped = 0;
        startedNs = 0;
        endedNs = 0;
        Pacer pacer = pps > 0 ? new Pacer(pps, maxBacklogNs) : null;
        worker.start(() -> send(source, pacer, burst, maxFrames));
    }

    /** Whether a run started and has not ended (a bounded run ends by itself). */
    public boolean running() {
        return worker.running();
    }

    /** Stops the sending thread and waits for it; rethrows what made it fail (e.g. pinning). */
    public void stop() {
        worker.stop();
    }

    /** Frames handed to the kernel by the current or last run. */
    public long txPackets() {
        return sent;
    }

    /** The generator's counters, for diagnostics. */
    public String portStats() {
        return name + ": " + sent + " frames sent, " + ringFull + " waits on a full ring, " + kickErrors
                + " failed kicks, " + skipped + " frames skipped behind the pace";
    }

    /**
     * How long the current or last run has sent so far (to its end once it ended), ns; 0 before
     * its thread started.
     */
    public long runNs() {
        long t0 = startedNs;
        if (t0 == 0) {
            return 0;
        }
        long t1 = endedNs;
        return (t1 == 0 ? System.nanoTime() : t1) - t0;
    }

    /** Frames a paced run skipped because its thread fell behind. */
    public long skipped() {
        return skipped;
    }

    /** Times the current or last run found the ring full. */
    public long ringFull() {
        return ringFull;
    }

    private void send(FrameSource source, Pacer pacer, int burst, long maxFrames) {
        MbufCache cache = pool.newCache();
        Mbuf m = cache.get();
        if (m == null) {
            pool.releaseCache(cache);
            throw new IllegalStateException(name + ": no mbuf free in pool " + pool.config().name());
        }
        long n = 0;
        long full = 0;
        long failedKicks = 0;
        try {
            long t0 = System.nanoTime();
            startedNs = t0;
            if (pacer != null) {
                pacer.start(t0);
            }
            while (!worker.stopRequested() && (maxFrames < 0 || n < maxFrames)) {
                long now = System.nanoTime();
                int due = burst;
                if (pacer != null) {
                    due = pacer.due(now, burst);
                    if (due == 0) {
                        LockSupport.parkNanos(Math.min(PARK_NS, pacer.nsUntilNext(now)));
                        continue;
                    }
                }
                if (maxFrames >= 0) {
                    due = (int) Math.min(due, maxFrames - n);
                }
                int offered = 0;
                while (offered < due) {
                    if (!m.setLength(source.write(m.buffer(), m.headroom(), now))) {
                        throw new IllegalStateException(name + ": a frame is longer than an mbuf holds");
                    }
                    if (!ring.offer(m)) {
                        break;
                    }
                    source.commit();
                    offered++;
                }
                if (offered > 0) {
                    int err = ring.kick();
                    if (err != 0 && err != Syscalls.EAGAIN && err != Syscalls.ENOBUFS && err != Syscalls.EINTR) {
                        failedKicks++;
                        kickErrors = failedKicks;
                    }
                    n += offered;
                    sent = n;
                    if (pacer != null) {
                        pacer.sent(offered);
                        skipped = pacer.skipped();
                    }
                }
                if (offered < due) {
                    // The kernel frees slots as the far end consumes frames: let it.
                    full++;
                    ringFull = full;
                    if (offered == 0) {
                        ring.kick();
                        Thread.onSpinWait();
                    }
                }
            }
        } finally {
            endedNs = System.nanoTime();
            cache.put(m);
            pool.releaseCache(cache);
        }
    }

    /** Stops sending and closes the ring. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            ring.close();
        }
    }

    @Override
    public String toString() {
        return "udp load on " + name + " (" + TimeUnit.NANOSECONDS.toMicros(PARK_NS) + " us park)";
    }
}
