package dev.jvswitch.pmd.meter;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.PacketBatch;

/**
 * One datapath meter: OVS's userspace meter ({@code dp_netdev_run_meter}), a token bucket per
 * band, drop bands only.
 *
 * <p><b>Units.</b> A pktps meter's bucket holds thousandths of a packet and a kbps meter's holds
 * bits; a band's rate times elapsed milliseconds is what flows in (packets/s x ms = 1/1000
 * packets, kbit/s x ms = bits). A bucket holds at most {@code burst x 1000} (burst in packets or
 * kilobits; a band configured with burst 0 gets its rate as burst, as OVS does) and starts full.
 * Elapsed time is capped at the time the largest bucket takes to fill, so the arithmetic never
 * overflows.
 *
 * <p><b>Per batch.</b> The bucket is refilled once for the whole batch, from the clock the PMD
 * reads once per iteration. If a band's bucket holds the whole batch it is drained in one step;
 * otherwise packets are taken in order, each that fits drains its share and each that does not
 * is marked against the band. A packet marked by several bands counts against the one with the
 * highest rate (OVS's rule); marked packets are counted on that band and dropped.
 *
 * <p><b>Thread-safety:</b> any PMD may run a meter and the control thread reads its statistics;
 * every access to the mutable state takes this object's monitor (OVS takes a per-meter mutex).
 * The monitor is held for one batch at most, and nothing inside allocates. The configuration is
 * final.
 */
public final class DpMeter {
    private final boolean pktps;
    private final long[] rate;
    private final long[] bucketMax;
    private final long maxDeltaMs;
    private final long[] bucket;
    private final long[] bandPackets;
    private final long[] bandBytes;
    /** Per packet of the batch being run: its length in bytes. */
    private final int[] lengths = new int[PacketBatch.MAX_SIZE];
    /** Per packet of the batch being run: the band it exceeded with the highest rate, or -1. */
    private final int[] exceeded = new int[PacketBatch.MAX_SIZE];
    private long packets;
    private long bytes;
    private long usedMs = Long.MIN_VALUE;

    /**
     * @param pktps  true: rates in packets per second, bursts in packets; false: kilobits
     * @param rates  each band's rate (not 0)
     * @param bursts each band's burst (0: the rate)
     */
    public DpMeter(boolean pktps, long[] rates, long[] bursts) {
        if (rates.length != bursts.length || rates.length == 0) {
            throw new IllegalArgumentException("meter: " + rates.length + " rates, " + bursts.length + " bursts");
        }
        this.pktps = pktps;
        int n = rates.length;
        this.rate = rates.clone();
        this.bucketMax = new long[n];
        this.bucket = new long[n];
        this.bandPackets = new long[n];
        this.bandBytes = new long[n];
        long maxDelta = 0;
        for (int i = 0; i < n; i++) {
            if (rates[i] <= 0 || rates[i] > 0xffff_ffffL || bursts[i] < 0 || bursts[i] > 0xffff_ffffL) {
                throw new IllegalArgumentException("meter band " + i + ": rate " + rates[i] + ", burst " + bursts[i]);
            }
            long burst = bursts[i] == 0 ? rates[i] : bursts[i];
            bucketMax[i] = burst * 1000L;
            bucket[i] = bucketMax[i];
            maxDelta = Math.max(maxDelta, bucketMax[i] / rates[i]);
        }
        this.maxDeltaMs = maxDelta;
    }

    /** Number of bands. */
    public int bandCount() {
        return rate.length;
    }

    /**
     * Runs the meter over {@code batch} at {@code nowMs}: counts every packet, and takes the
     * packets over a band's rate out of the batch into {@code dropped} (at least the batch's
     * size; the caller frees them); the batch keeps the others in order.
     *
     * @return how many packets went to {@code dropped}
     */
    public synchronized int run(PacketBatch batch, long nowMs, Mbuf[] dropped) {
        int n = batch.size();
        if (n == 0) {
            return 0;
        }
        Mbuf[] pkts = batch.array();
        for (int k = 0; k < n; k++) {
            lengths[k] = pkts[k].length();
        }
        if (!bands(n, nowMs)) {
            return 0;
        }
        int kept = 0;
        int out = 0;
        for (int k = 0; k < n; k++) {
            Mbuf m = pkts[k];
            if (exceeded[k] < 0) {
                pkts[kept++] = m;
            } else {
                dropped[out++] = m;
            }
        }
        batch.truncate(kept);
        return out;
    }

    /**
     * Runs the meter for one packet of {@code lengthBytes} outside a batch (a packet-in on the
     * slow path): {@link #run} over a batch of one. True if it passes.
     */
    public synchronized boolean pass(int lengthBytes, long nowMs) {
        lengths[0] = lengthBytes;
        return !bands(1, nowMs);
    }

    /**
     * The meter over the first {@code n} packets of {@link #lengths}: counts them in, refills each
     * band's bucket and drains it, marks in {@link #exceeded} the band each packet over a rate
     * counts against and counts it there. Caller holds the monitor.
     *
     * @return whether any packet exceeded a band
     */
    private boolean bands(int n, long nowMs) {
        long delta = elapsedMs(nowMs);
        long batchBytes = 0;
        for (int k = 0; k < n; k++) {
            batchBytes += lengths[k];
            exceeded[k] = -1;
        }
        packets += n;
        bytes += batchBytes;
        long volume = pktps ? n * 1000L : batchBytes * 8;
        boolean any = false;
        for (int b = 0; b < rate.length; b++) {
            long level = Math.min(bucketMax[b], bucket[b] + delta * rate[b]);
            if (level >= volume) {
                bucket[b] = level - volume;
                continue;
            }
            for (int k = 0; k < n; k++) {
                long cost = pktps ? 1000L : lengths[k] * 8L;
                if (level >= cost) {
                    level -= cost;
                } else if (exceeded[k] < 0 || rate[b] > rate[exceeded[k]]) {
                    exceeded[k] = b;
                    any = true;
                }
            }
            bucket[b] = level;
        }
        for (int k = 0; any && k < n; k++) {
            int b = exceeded[k];
            if (b >= 0) {
                bandPackets[b]++;
                bandBytes[b] += lengths[k];
            }
        }
        return any;
    }

    /**
     * Milliseconds since the meter last ran, capped at what fills the largest bucket, and moves
     * the meter's time to {@code nowMs}. Two PMDs racing for the meter may bring clocks a little
     * apart: the earlier one adds nothing and the meter's time never goes back, so no refill is
     * counted twice. The first run adds nothing (the buckets start full).
     */
    private long elapsedMs(long nowMs) {
        if (usedMs == Long.MIN_VALUE) {
            usedMs = nowMs;
            return 0;
        }
        long delta = nowMs - usedMs;
        if (delta <= 0) {
            return 0;
        }
        usedMs = nowMs;
        return Math.min(delta, maxDeltaMs);
    }

    /** The counters now: packets and bytes in, then packets and bytes per band. */
    public synchronized Stats stats() {
        return new Stats(packets, bytes, bandPackets.clone(), bandBytes.clone());
    }

    /**
     * A meter's counters (OpenFlow's meter statistics).
     *
     * @param packets     packets that reached the meter
     * @param bytes       their bytes
     * @param bandPackets per band: packets it dropped
     * @param bandBytes   per band: bytes it dropped
     */
    public record Stats(long packets, long bytes, long[] bandPackets, long[] bandBytes) {
    }
}
