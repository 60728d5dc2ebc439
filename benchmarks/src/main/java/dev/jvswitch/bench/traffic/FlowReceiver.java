package dev.jvswitch.bench.traffic;

import java.util.Map;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.afpacket.AfPacketNetdev;
import dev.jvswitch.afpacket.AfPacketProvider;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.Netdevs;

/**
 * The far side of a generator: an {@code afpacket} port (TPACKET_V2 receive ring, a slot per
 * frame, promiscuous) opened in a host's namespace, and one thread that reads it in batches of 32
 * and accounts every frame stamped by the current run ({@link PayloadStamp} with its tag): per
 * flow received, lost, reordered and duplicated ({@link SeqTracker}), and the one-way latency from
 * the stamp's send time to the batch's receive time in an HdrHistogram (ns, 3 significant digits).
 * Other frames (an earlier run's, the kernel's own) are only counted.
 *
 * <p>The receive time is taken once per batch when the ring handed it over, so the latency
 * includes the receiver's own polling delay: it backs off to parks of at most
 * {@link #MAX_PARK_NS} when idle (a whole CPU spinning would slow the switch it measures on a
 * small machine), which bounds what it adds to an idle path's figure; under load it does not park.
 *
 * <p><b>Thread-safety:</b> the receiving thread alone reads the port and writes the tracker and
 * histogram while it runs; {@link #stop()} joins it, after which the caller reads them.
 * {@link #receivedSoFar()} is volatile, for progress lines from any thread.
 */
public final class FlowReceiver implements AutoCloseable {
    public static final long MAX_PARK_NS = 20_000;
    /** The highest latency the histogram holds: a minute. */
    public static final long HIGHEST_NS = 60_000_000_000L;
    private static final String RX_BLOCKS = "256";
    /**
     * Empty polls in a row that mean the ring is drained: more than the port's own count between
     * two reads of the kernel's drop counter, so a flush always ends with one.
     */
    static final int FLUSH_IDLE_POLLS = 4_200;
    static final long FLUSH_MAX_NS = 1_000_000_000L;

    private final Netdev port;
    private final MbufPool pool;
    private final Worker worker;
    private volatile long receivedSoFar;
    private volatile boolean ready;
    private volatile long dropsAtStart;
    private Run current;

    /** What one run received. */
    public record Run(int tag, SeqTracker tracker, Histogram latencyNs, long[] foreign) {
        /** Frames without this run's stamp. */
        public long foreignFrames() {
            return foreign[0];
        }
    }

    private FlowReceiver(Netdev port, MbufPool pool, int cpu) {
        this.port = port;
        this.pool = pool;
        this.worker = new Worker("flow-receiver", cpu);
    }

    /** Opens a receive port named {@code portName} on {@code ifname} in namespace {@code ns} ({@code null}: root). */
    public static FlowReceiver open(String portName, String ns, String ifname, MbufPool pool, int cpu)
            throws Exception {
        NetdevConfig config = new NetdevConfig(portName, AfPacketProvider.TYPE,
                Map.of("ifname", ifname, "promisc", "true", "block-count", RX_BLOCKS), pool);
        Netdev port = ns == null ? Netdevs.open(config) : Netns.callIn(ns, () -> Netdevs.open(config));
        return new FlowReceiver(port, pool, cpu);
    }

    /** Starts accounting frames of run {@code tag} over {@code flows} flows (stopping a run still going first). */
    public void start(int tag, int flows) {
        stop();
        receivedSoFar = 0;
        ready = false;
        Run run = new Run(tag, new SeqTracker(flows), new Histogram(HIGHEST_NS, 3), new long[1]);
        current = run;
        worker.start(() -> receive(run));
    }

    /** Stops the receiving thread and returns what the run received; rethrows what made it fail. */
    public Run stop() {
        worker.stop();
        return current;
    }

    /** Stamped frames of the current run received so far (duplicates included). */
    public long receivedSoFar() {
        return receivedSoFar;
    }

    /**
     * Waits until the run's thread has emptied the ring of what earlier runs left there (at most
     * {@code maxNs}): a new run must not start behind a full ring.
     */
    public void awaitReady(long maxNs) throws InterruptedException {
        long deadline = System.nanoTime() + maxNs;
        while (!ready && worker.running() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    /**
     * Frames the receive ring had no room for during the current or last run: the receiver's own
     * loss, not the network's. Exact once {@link #stop()} returned.
     */
    public long runRingDrops() {
        return ringDrops() - dropsAtStart;
    }

    /** Frames the receive ring had no room for since the port opened: the receiver's own loss. */
    public long ringDrops() {
        return port instanceof AfPacketNetdev a ? a.afPacketStats().rxKernelDrops() : 0;
    }

    private void receive(Run run) {
        MbufCache cache = pool.newCache();
        PacketBatch batch = new PacketBatch();
        IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, MAX_PARK_NS);
        SeqTracker tracker = run.tracker();
        Histogram latency = run.latencyNs();
        int tag = run.tag();
        int flows = tracker.flows();
        long foreign = 0;
        long stamped = 0;
        try {
            foreign += flush(cache, batch, Long.MAX_VALUE);
            dropsAtStart = ringDrops();
            ready = true;
            while (!worker.stopRequested()) {
                int n = port.rxq(0).recv(batch, cache);
                if (n == 0) {
                    idle.idle(0);
                    continue;
                }
                idle.reset();
                long nowNs = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    Mbuf m = batch.get(i);
                    UnsafeBuffer b = m.buffer();
                    int at = m.dataOffset();
                    int length = m.length();
                    if (PayloadStamp.matches(b, at, length, tag)) {
                        int stampAt = at + PayloadStamp.offsetIn(length);
                        int flow = PayloadStamp.flow(b, stampAt);
                        if (flow < flows) {
                            tracker.onFrame(flow, PayloadStamp.seq(b, stampAt));
                            latency.recordValue(Math.min(HIGHEST_NS, Math.max(0, nowNs - PayloadStamp.sendNs(b, stampAt))));
                            stamped++;
                            continue;
                        }
                    }
                    foreign++;
                }
                cache.putAll(batch);
                receivedSoFar = stamped;
            }
            // Late frames are not the run's (the caller waited for those in flight), but the
            // kernel's drop count comes with an idle ring.
            foreign += flush(cache, batch, System.nanoTime() + FLUSH_MAX_NS);
        } finally {
            cache.putAll(batch);
            pool.releaseCache(cache);
            run.foreign()[0] = foreign;
        }
    }

    /**
     * Reads and discards frames until the ring has been empty for {@link #FLUSH_IDLE_POLLS} polls
     * in a row, which also makes the port read the kernel's drop count; returns the frames read.
     */
    private long flush(MbufCache cache, PacketBatch batch, long deadlineNs) {
        long frames = 0;
        int idlePolls = 0;
        while (idlePolls <= FLUSH_IDLE_POLLS && System.nanoTime() < deadlineNs) {
            int n = port.rxq(0).recv(batch, cache);
            if (n == 0) {
                idlePolls++;
                continue;
            }
            idlePolls = 0;
            frames += n;
            cache.putAll(batch);
        }
        return frames;
    }

    /** Stops receiving and closes the port. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            port.close();
        }
    }
}
