package dev.jvswitch.bench.traffic;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One measured run of stamped traffic: the receiver (if any) starts accounting a fresh tag, the
 * generator sends {@link StampedFlows} at a rate (or flat out) for a time or a count, then stops;
 * the receiver waits for the frames still in flight and stops. What {@code pktgen} does once, a
 * throughput search per trial, and its latency points at fractions of the result.
 *
 * <p><b>Thread-safety:</b> for the thread that owns the generator and receiver.
 */
public final class TrafficRun {
    /** After the generator stops, how long the receiver waits for frames still in flight at most. */
    static final long DRAIN_MAX_NS = 1_000_000_000L;
    /** The receiver is done when its count has not moved for this long (or it has every frame sent). */
    static final long DRAIN_QUIET_NS = 100_000_000L;
    /** How long a receiver may take to empty its ring of earlier runs' frames before a run. */
    static final long READY_MAX_NS = 5_000_000_000L;
    private static final AtomicInteger TAGS = new AtomicInteger();

    /**
     * What to send.
     *
     * @param template     the frame
     * @param flows        flows sent in turn
     * @param pps          frames per second, or 0 for as fast as the ring takes them
     * @param burst        frames per kick at most
     * @param seconds      how long to send (0: until {@code count})
     * @param count        how many frames to send, or -1 for as many as {@code seconds} allow
     * @param maxBacklogNs how far behind its schedule the generator may fall before skipping
     */
    public record Plan(FrameTemplate template, int flows, double pps, int burst, double seconds, long count,
            long maxBacklogNs) {
    }

    /** A run's figures so far, for the line a long run prints each second; {@code received} -1 without a receiver. */
    public record Progress(double seconds, long sent, long received) {
        public String line() {
            String rx = received < 0 ? "" : String.format(Locale.ROOT, ", received %.3f Mpps, loss %.4f %%",
                    received / seconds / 1e6, sent == 0 ? 0 : 100.0 * Math.max(0, sent - received) / sent);
            return String.format(Locale.ROOT, "  %5.1f s: offered %.3f Mpps%s", seconds, sent / seconds / 1e6, rx);
        }
    }

    private TrafficRun() {
    }

    /** A fresh tag, 1..255, different from the last few runs'. */
    public static int nextTag() {
        return 1 + Math.floorMod(TAGS.getAndIncrement(), 255);
    }

    /**
     * Runs {@code plan} from {@code gen} to {@code rx} ({@code null}: send only); calls
     * {@code everySecond} (if not null) about once a second with the figures so far.
     */
    public static TrafficResult run(PacedUdpLoad gen, FlowReceiver rx, Plan plan, Consumer<Progress> everySecond)
            throws InterruptedException {
        int tag = nextTag();
        StampedFlows source = new StampedFlows(plan.template(), plan.flows(), tag);
        if (rx != null) {
            rx.start(tag, plan.flows());
            rx.awaitReady(READY_MAX_NS);
        }
        FlowReceiver.Run received = null;
        try {
            gen.start(source, plan.pps(), plan.burst(), plan.count(), plan.maxBacklogNs());
            long limitNs = plan.seconds() > 0 ? (long) (plan.seconds() * 1e9) : Long.MAX_VALUE;
            long nextReport = 1_000_000_000L;
            while (gen.running() && gen.runNs() < limitNs) {
                Thread.sleep(Math.max(1, Math.min(50, (limitNs - gen.runNs()) / 1_000_000)));
                if (everySecond != null && gen.runNs() >= nextReport) {
                    nextReport += 1_000_000_000L;
                    everySecond.accept(new Progress(gen.runNs() / 1e9, gen.txPackets(),
                            rx == null ? -1 : rx.receivedSoFar()));
                }
            }
            gen.stop();
            if (rx != null) {
                drain(rx, gen.txPackets());
                received = rx.stop();
            }
        } finally {
            gen.stop();
            if (rx != null) {
                rx.stop();
            }
        }
        long ringDrops = rx == null ? 0 : rx.runRingDrops();
        return new TrafficResult(plan, source, gen.txPackets(), gen.runNs() / 1e9, gen.skipped(), gen.ringFull(),
                received, ringDrops);
    }

    /** Waits until the receiver has every frame sent, or its count stayed still for a while. */
    private static void drain(FlowReceiver rx, long sent) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_MAX_NS;
        long last = -1;
        long stillSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = rx.receivedSoFar();
            if (now >= sent) {
                return;
            }
            if (now != last) {
                last = now;
                stillSince = System.nanoTime();
            } else if (System.nanoTime() - stillSince > DRAIN_QUIET_NS) {
                return;
            }
            Thread.sleep(5);
        }
    }
}
