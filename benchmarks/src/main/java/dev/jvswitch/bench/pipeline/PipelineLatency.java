package dev.jvswitch.bench.pipeline;

import java.util.Arrays;
import java.util.function.LongSupplier;

import org.HdrHistogram.Histogram;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.port.ReplayTiming;
import dev.jvswitch.pmd.port.SinkTap;
import dev.jvswitch.bench.traffic.Pacer;

/**
 * The pipeline's latency probe: it paces the pcap port's replay as a NIC's arrivals and measures
 * how long each frame takes from arrival to the null port.
 *
 * <p><b>Arrival.</b> Paced ({@link #pace}), frame k of the schedule arrives at
 * {@code start + (k + 1) / rate} ({@link Pacer}); the pcap port delivers, at each poll, the frames
 * that have arrived by then, and each is stamped with its own arrival time, not the time of the
 * poll. So a PMD that stops (a GC pause, a safepoint, a compile, the thread descheduled) finds
 * the frames that arrived meanwhile stamped with when they arrived, and the stall shows in their
 * latency (the measurement is free of coordinated omission). Frames beyond what an rx ring of
 * {@link #RX_RING} descriptors holds are lost, counted as {@code missed}, as a NIC drops them.
 * Unpaced, every poll delivers a full batch stamped with the time of the poll.
 *
 * <p><b>Departure.</b> The null port shows every batch before it is freed; the probe reads the
 * clock once per batch and records {@code now - arrival} of each stamped frame in an
 * HdrHistogram (ns, 3 significant digits, up to {@link #HIGHEST_NS}). Stamps live in an array by
 * mbuf index (the pool's slots are fixed), so nothing is written into the packet and no mbuf
 * field is needed; a frame without a stamp (a copy made by an action) is counted, not recorded.
 *
 * <p><b>Stalls.</b> The gap between two polls of the rx queue is the PMD loop's own hiccup meter
 * (as jHiccup's): the longest, and how many exceeded {@link #STALL_NS} and their total.
 *
 * <p>Nothing here allocates once made: the histogram is sized up front, values above its range
 * are clamped and counted.
 *
 * <p><b>Thread-safety:</b> one owner: the PMD thread calls both hooks, and the tool reads the
 * figures on that thread after the measured run ({@link #reset} and {@link #pace} likewise).
 */
final class PipelineLatency implements ReplayTiming, SinkTap {
    /** The emulated NIC's rx ring: OVS's default {@code n_rxq_desc}. */
    static final int RX_RING = 2048;
    /** The longest latency the histogram holds; longer ones are recorded as this. */
    static final long HIGHEST_NS = 60_000_000_000L;
    /** A gap between two polls longer than this is a stall. */
    static final long STALL_NS = 100_000L;
    private static final long UNSTAMPED = Long.MIN_VALUE;

    private final LongSupplier clock;
    private final long[] arrivalNs;
    private final Histogram histogram = new Histogram(HIGHEST_NS, 3);
    private Pacer pacer;
    private long pollNs;
    private long lastPollNs = UNSTAMPED;
    private long maxGapNs;
    private long stalls;
    private long stalledNs;
    private long unstamped;
    private long clamped;
    private long missedBefore;

    /**
     * @param mbufs the pool's capacity: mbuf indexes are below it
     * @param clock the time in ns ({@code System::nanoTime}; tests step their own)
     */
    PipelineLatency(int mbufs, LongSupplier clock) {
        this.clock = clock;
        this.arrivalNs = new long[mbufs];
        Arrays.fill(arrivalNs, UNSTAMPED);
    }

    /** Paces the replay at {@code pps} from now on (the schedule starts at this call). */
    void pace(double pps) {
        Pacer p = new Pacer(pps, (long) (RX_RING * 1e9 / pps));
        p.start(clock.getAsLong());
        pacer = p;
        missedBefore = 0;
    }

    /** The paced rate, or 0 when every poll takes a full batch. */
    double ratePps() {
        return pacer == null ? 0 : pacer.pps();
    }

    /** Forgets what was recorded (the warm-up's); the schedule goes on. */
    void reset() {
        histogram.reset();
        maxGapNs = 0;
        stalls = 0;
        stalledNs = 0;
        unstamped = 0;
        clamped = 0;
        missedBefore = pacer == null ? 0 : pacer.skipped();
    }

    @Override
    public int due(int want) {
        long now = clock.getAsLong();
        if (lastPollNs != UNSTAMPED) {
            long gap = now - lastPollNs;
            if (gap > maxGapNs) {
                maxGapNs = gap;
            }
            if (gap > STALL_NS) {
                stalls++;
                stalledNs += gap;
            }
        }
        lastPollNs = now;
        pollNs = now;
        return pacer == null ? want : pacer.due(now, want);
    }

    @Override
    public void onReceived(Mbuf[] frames, int delivered, int taken) {
        Pacer p = pacer;
        if (p == null) {
            for (int i = 0; i < delivered; i++) {
                arrivalNs[frames[i].index()] = pollNs;
            }
            return;
        }
        long first = p.position();
        for (int i = 0; i < delivered; i++) {
            arrivalNs[frames[i].index()] = p.dueAtNs(first + i);
        }
        p.sent(taken);
    }

    @Override
    public void onSink(PacketBatch batch) {
        long now = clock.getAsLong();
        for (int i = 0, n = batch.size(); i < n; i++) {
            int slot = batch.get(i).index();
            long at = arrivalNs[slot];
            if (at == UNSTAMPED) {
                unstamped++;
                continue;
            }
            arrivalNs[slot] = UNSTAMPED;
            long ns = Math.max(0, now - at);
            if (ns > HIGHEST_NS) {
                ns = HIGHEST_NS;
                clamped++;
            }
            histogram.recordValue(ns);
        }
    }

    /** A copy of what was recorded since the last {@link #reset}. */
    Figures figures() {
        return new Figures(histogram.copy(), ratePps(), pacer == null ? 0 : pacer.skipped() - missedBefore,
                unstamped, clamped, maxGapNs, stalls, stalledNs);
    }

    /**
     * The probe's figures over the measured run.
     *
     * @param latencyNs  arrival to the null port, ns
     * @param ratePps    the pace, 0 when unpaced
     * @param missed     frames that arrived while the emulated rx ring was full (lost)
     * @param unstamped  frames that reached the null port without a stamp (not recorded)
     * @param clamped    latencies above {@link #HIGHEST_NS}, recorded as it
     * @param maxGapNs   the longest gap between two polls of the rx queue
     * @param stalls     gaps longer than {@link #STALL_NS}
     * @param stalledNs  their total
     */
    record Figures(Histogram latencyNs, double ratePps, long missed, long unstamped, long clamped, long maxGapNs,
                   long stalls, long stalledNs) {
    }
}
