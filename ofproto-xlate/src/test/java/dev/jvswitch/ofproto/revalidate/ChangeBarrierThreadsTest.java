package dev.jvswitch.ofproto.revalidate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.actions.DpField;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.testkit.frame.Frames;

/**
 * The change barrier under real threads: a PMD thread forwarding steady traffic over many
 * megaflows (new ones keep being installed, others age out, some are executed without being
 * installed at the flow limit), two revalidator threads, and a control thread that flips a rule
 * 1 000 times between "set eth_src=round, output:2" and "drop", waiting on the barrier each time.
 *
 * <p>Every packet carries a stamp, given in order just before it is sent; the control thread
 * notes the next stamp right after each barrier returns. A packet stamped after the barrier of
 * round r returned was received by the PMD after it, so:
 * <ul>
 *   <li>no packet forwarded by output round m (it carries m in eth_src) may be stamped after the
 *       barrier of the drop round m + 1 returned;</li>
 *   <li>every packet stamped after the barrier of output round r returned, and processed before
 *       round r + 1 was published, arrives with r in eth_src — none is dropped by round r - 1.</li>
 * </ul>
 */
class ChangeBarrierThreadsTest {
    private static final int ROUNDS = 1_000;
    private static final int MAX_STAMPS = 8_000_000;
    private static final int STAMP_OFFSET = 42;
    private static final int PORTS = 2_048;
    private static final int AFTER_BARRIER = 48;
    private static final int NOT_INJECTED = -2;
    /**
     * The safety bound on the whole run. Quiet, the 1 000 rounds take about 9 s; with a dozen
     * other builds on two cores they took 100-120 s and the old 120 s bound failed runs that were
     * only slow. Correctness is checked by the stamps, not by this bound.
     */
    private static final long TIMEOUT_NS = 300_000_000_000L;

    private static DpActions version(int round) {
        return round % 2 == 0
                ? DpActions.builder().setField(DpField.ETH_SRC, round).output(2).build()
                : DpActions.DROP;
    }

    @Test
    void afterEachFlipReturnsNotOnePacketIsForwardedByTheOldRule() throws Exception {
        TestSlowPath slowPath = new TestSlowPath(() -> System.nanoTime() / 1_000_000L);
        slowPath.perPortMegaflows = true;
        slowPath.upcallSpinNs = 50_000;
        slowPath.add("fwd", 100, 1, -1, version(0));
        DatapathConfig dpConfig = DatapathConfig.defaults().withFlowLimit(1_500);
        int[] marker = new int[MAX_STAMPS];
        Arrays.fill(marker, -1);
        long[] boundary = new long[ROUNDS + 1];
        AtomicLong assigned = new AtomicLong();
        AtomicLong received = new AtomicLong();
        AtomicLong maxStampSeen = new AtomicLong(-1);
        AtomicBoolean stopSending = new AtomicBoolean();
        AtomicBoolean stopReceiving = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();

        try (RevalHarness h = new RevalHarness(new SystemNanoClock(), dpConfig, slowPath, 2, 4096, 16_384);
             RevalidatorPool pool = new RevalidatorPool(h.dp, slowPath, RevalidatorConfig.defaults().withThreads(2)
                     .withFlowLimit(1_500).withMaxIdleMs(100))) {
            PmdAgent pmd = h.pmd();
            h.dp.start();
            pool.start();
            Thread sender = new Thread(() -> {
                MbufCache cache = h.pool.newCache();
                try {
                    send(h, pmd, cache, assigned, received, marker, stopSending);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    h.pool.releaseCache(cache);
                }
            }, "sender");
            Thread receiver = new Thread(() -> {
                MbufCache cache = h.pool.newCache();
                try {
                    receive(h, cache, marker, received, maxStampSeen, stopReceiving);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    h.pool.releaseCache(cache);
                }
            }, "receiver");
            sender.start();
            receiver.start();
            long deadline = System.nanoTime() + TIMEOUT_NS;
            try {
                for (int r = 1; r <= ROUNDS && failure.get() == null; r++) {
                    long seq = slowPath.modify("fwd", version(r));
                    assertThat(pool.awaitRevalidated(seq, Duration.ofSeconds(20))).as("barrier of round %d", r).isTrue();
                    boundary[r] = assigned.get();
                    // Let traffic stamped after the barrier go through this version before the next flip.
                    while (System.nanoTime() < deadline && failure.get() == null) {
                        long processed = r % 2 == 0 ? maxStampSeen.get() : pmd.stats().raw(PmdCounter.RX_PACKETS);
                        if (processed >= boundary[r] + AFTER_BARRIER) {
                            break;
                        }
                        Thread.yield();
                    }
                    assertThat(System.nanoTime()).as("round %d within the time limit", r).isLessThan(deadline);
                }
            } finally {
                stopSending.set(true);
                sender.join(30_000);
                // Everything sent is either forwarded and received, or dropped by a drop round.
                long injected = assigned.get();
                while (System.nanoTime() < deadline && pmd.stats().raw(PmdCounter.RX_PACKETS) < injected) {
                    Thread.yield();
                }
                long tx = -1;
                while (System.nanoTime() < deadline && (tx = pmd.stats().raw(PmdCounter.TX_PACKETS)) != received.get()) {
                    Thread.yield();
                }
                stopReceiving.set(true);
                receiver.join(30_000);
                pool.stop();
                h.dp.stop();
            }
            if (failure.get() != null) {
                throw new AssertionError("traffic thread failed", failure.get());
            }
            assertThat(pmd.stats().raw(PmdCounter.TX_DROPPED)).as("tx drops would blur the check").isZero();

            long forwardedByOldRule = 0;
            long droppedByOldRule = 0;
            long checkedAfterOutputBarriers = 0;
            long injected = assigned.get();
            for (int s = 0; s < injected; s++) {
                int m = marker[s];
                if (m >= 0 && m + 1 <= ROUNDS && s >= boundary[m + 1]) {
                    forwardedByOldRule++;
                }
            }
            for (int r = 2; r <= ROUNDS; r += 2) {
                for (long s = boundary[r]; s < boundary[r] + AFTER_BARRIER && s < injected; s++) {
                    int m = marker[(int) s];
                    if (m == NOT_INJECTED) {
                        continue;
                    }
                    checkedAfterOutputBarriers++;
                    if (m != r) {
                        droppedByOldRule++;
                    }
                }
            }
            assertThat(forwardedByOldRule).as("packets forwarded by the old rule after the barrier").isZero();
            assertThat(droppedByOldRule).as("packets dropped by the old rule after the barrier").isZero();
            assertThat(checkedAfterOutputBarriers).isGreaterThan(ROUNDS / 2L * AFTER_BARRIER * 9 / 10);
            RevalidatorSnapshot snap = pool.snapshot();
            assertThat(snap.modified()).isGreaterThanOrEqualTo(ROUNDS);
            assertThat(snap.errors()).isZero();
            assertThat(pool.lastError()).isNull();
            assertThat(slowPath.upcalls.get()).as("upcalls kept racing with the flips").isGreaterThan(ROUNDS);
        }
    }

    /** Sends stamped frames over {@value #PORTS} destination ports, a few hundred in flight at most. */
    private static void send(RevalHarness h, PmdAgent pmd, MbufCache cache, AtomicLong assigned, AtomicLong received,
                             int[] marker, AtomicBoolean stop) {
        byte[][] templates = new byte[PORTS][];
        for (int p = 0; p < PORTS; p++) {
            templates[p] = Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1000, 1 + p).size(60).build();
        }
        PacketBatch batch = new PacketBatch();
        long stamp = 0;
        while (!stop.get() && stamp + 16 < MAX_STAMPS) {
            if (stamp - pmd.stats().raw(PmdCounter.RX_PACKETS) > 256
                    || pmd.stats().raw(PmdCounter.TX_PACKETS) - received.get() > 1_024) {
                Thread.yield();
                continue;
            }
            assigned.set(stamp + 16);
            for (int i = 0; i < 16; i++) {
                long s = stamp + i;
                byte[] f = templates[(int) (s % PORTS)];
                for (int b = 0; b < 8; b++) {
                    f[STAMP_OFFSET + b] = (byte) (s >>> (56 - 8 * b));
                }
                Mbuf m = cache.get();
                if (m == null) {
                    throw new IllegalStateException("sender: pool exhausted");
                }
                m.copyFrom(f, 0, f.length);
                batch.add(m);
            }
            int sent = h.host(1).txq(0).send(batch, cache);
            for (int i = sent; i < 16; i++) {
                marker[(int) (stamp + i)] = NOT_INJECTED;
            }
            stamp += 16;
        }
    }

    /** Records each forwarded packet's round (eth_src) under its stamp. */
    private static void receive(RevalHarness h, MbufCache cache, int[] marker, AtomicLong received,
                                AtomicLong maxStampSeen, AtomicBoolean stop) {
        PacketBatch batch = new PacketBatch();
        while (true) {
            int n = h.host(2).rxq(0).recv(batch, cache);
            if (n == 0) {
                if (stop.get()) {
                    return;
                }
                Thread.yield();
                continue;
            }
            for (int i = 0; i < n; i++) {
                byte[] f = batch.get(i).toByteArray();
                long s = 0;
                for (int b = 0; b < 8; b++) {
                    s = (s << 8) | (f[STAMP_OFFSET + b] & 0xff);
                }
                long round = 0;
                for (int b = 6; b < 12; b++) {
                    round = (round << 8) | (f[b] & 0xff);
                }
                marker[(int) s] = (int) round;
                if (s > maxStampSeen.get()) {
                    maxStampSeen.set(s);
                }
            }
            received.addAndGet(n);
            cache.putAll(batch);
        }
    }
}
