package dev.jvswitch.ofproto.revalidate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.flow.Ukey;
import dev.jvswitch.testkit.frame.Frames;

/**
 * The pool stepped by hand: idle expiry, statistics, revalidation after rule changes, rule
 * timeouts, {@code upcall/show}. One PMD without a thread, a test clock, cycles run with
 * {@link RevalidatorPool#runCycle()}.
 */
class RevalidatorPoolTest {
    private static final int FRAME_BYTES = 60;

    private final CachedNanoClock clock = RevalHarness.newClock();
    private final TestSlowPath slowPath = new TestSlowPath(() -> clock.nanoTime() / 1_000_000L);
    private RevalHarness h;
    private RevalidatorPool pool;

    private void open(RevalidatorConfig config) {
        h = new RevalHarness(clock, DatapathConfig.defaults(), slowPath, 3);
        pool = new RevalidatorPool(h.dp, slowPath, config);
    }

    private void open() {
        open(RevalidatorConfig.defaults().withThreads(2).withMaxIdleMs(1_000));
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
        if (h != null) {
            h.close();
        }
    }

    static byte[] frame(int tpDst) {
        return Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1000, tpDst).size(FRAME_BYTES).build();
    }

    static List<byte[]> frames(int tpDst, int count) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(frame(tpDst));
        }
        return out;
    }

    static DpActions output(int port) {
        return DpActions.builder().output(port).build();
    }

    private boolean hasFlowFor(int tpDst) {
        for (Ukey u : h.dp.flows().dump()) {
            FlowKey k = new FlowKey();
            u.flow().copyMaskedKeyTo(k);
            if (k.get(FlowField.TP_DST) == tpDst && !u.flow().isDead()) {
                return true;
            }
        }
        return false;
    }

    /** Sends, lets the PMD forward everything, and returns what came out of {@code port}. */
    private int forward(int tpDst, int count, int port) {
        assertThat(h.send(1, frames(tpDst, count))).isEqualTo(count);
        h.stepUntilIdle();
        return h.receive(port).size();
    }

    @Test
    void aFlowUnusedForMaxIdleGoesWithinOneExtraCycleWhileABusyFlowStays() {
        open();
        slowPath.perPortMegaflows = true;
        slowPath.add("fwd", 100, 1, -1, output(2));
        assertThat(h.send(1, frame(80), frame(81))).isEqualTo(2);
        h.stepUntilIdle();
        assertThat(h.receive(2)).hasSize(2);
        assertThat(h.dp.flows().count()).isEqualTo(2);

        // Cycles every 500 ms (min(max-idle, 500)); port 80 is used before each, 81 never again.
        for (int cycle = 1; cycle <= 2; cycle++) {
            h.advanceMs(500);
            assertThat(forward(80, 1, 2)).isEqualTo(1);
            pool.runCycle();
            h.stepUntilIdle();
            assertThat(hasFlowFor(81)).as("idle %d ms of 1000", 500 * cycle).isTrue();
        }
        h.advanceMs(500);
        assertThat(forward(80, 1, 2)).isEqualTo(1);
        pool.runCycle();
        h.stepUntilIdle();
        assertThat(hasFlowFor(81)).as("idle 1500 ms").isFalse();
        assertThat(hasFlowFor(80)).isTrue();
        assertThat(h.dp.flows().count()).isEqualTo(1);
        assertThat(pool.snapshot().deletedIdle()).isEqualTo(1);

        // The next cycle pushes the deleted flow's final statistics: every packet is counted.
        pool.runCycle();
        assertThat(slowPath.deleted.get()).isEqualTo(1);
        assertThat(slowPath.stats("fwd").packets.get()).isEqualTo(5);
        assertThat(slowPath.stats("fwd").bytes.get()).isEqualTo(5L * FRAME_BYTES);
    }

    @Test
    void aFlowNeverUsedCountsItsIdleTimeFromItsCreation() {
        open();
        FlowKey key = new FlowKey().set(FlowField.IN_PORT, 1);
        FlowMask mask = new FlowMask().exact(FlowField.IN_PORT);
        h.dp.flows().put(0, key, mask, output(2));
        h.advanceMs(1_000);
        pool.runCycle();
        assertThat(h.dp.flows().count()).isEqualTo(1);
        h.advanceMs(1);
        pool.runCycle();
        h.stepUntilIdle();
        assertThat(h.dp.flows().count()).isZero();
        assertThat(pool.snapshot().deletedIdle()).isEqualTo(1);
    }

    @Test
    void statisticsPushedToTheRulesEqualThePacketsSent() {
        open(RevalidatorConfig.defaults().withThreads(3).withMaxIdleMs(1_000));
        slowPath.perPortMegaflows = true;
        slowPath.add("to2", 100, 1, 80, output(2));
        slowPath.add("to3", 90, 1, -1, output(3));
        int sentTo2 = 0;
        int sentTo3 = 0;
        for (int round = 0; round < 20; round++) {
            int a = 1 + round % 7;
            int b = 1 + round % 5;
            assertThat(forward(80, a, 2)).isEqualTo(a);
            sentTo2 += a;
            h.send(1, frames(1000 + round % 4, b));
            h.stepUntilIdle();
            assertThat(h.receive(3)).hasSize(b);
            sentTo3 += b;
            h.advanceMs(100);
            if (round % 3 == 0) {
                pool.runCycle();
                h.stepUntilIdle();
            }
        }
        pool.runCycle();
        assertThat(slowPath.stats("to2").packets.get()).isEqualTo(sentTo2);
        assertThat(slowPath.stats("to3").packets.get()).isEqualTo(sentTo3);
        assertThat(slowPath.stats("to3").bytes.get()).isEqualTo((long) sentTo3 * FRAME_BYTES);

        // After every flow idled out and was deleted, the totals are still exact.
        h.advanceMs(2_000);
        pool.runCycle();
        h.stepUntilIdle();
        pool.runCycle();
        assertThat(h.dp.flows().count()).isZero();
        assertThat(slowPath.stats("to2").packets.get()).isEqualTo(sentTo2);
        assertThat(slowPath.stats("to3").packets.get()).isEqualTo(sentTo3);
        assertThat(slowPath.deleted.get()).isEqualTo(5);
    }

    @Test
    void replacingOutputTwoWithOutputThreeTakesOneCycleAndLosesNothing() {
        open();
        slowPath.add("fwd", 100, 1, -1, output(2));
        assertThat(forward(80, 10, 2)).isEqualTo(10);
        int upcalls = slowPath.upcalls.get();

        slowPath.modify("fwd", output(3));
        // Until the revalidators run, the megaflow still sends to 2; nothing is dropped.
        assertThat(forward(80, 5, 2)).isEqualTo(5);
        pool.runCycle();
        h.send(1, frames(80, 7));
        h.stepUntilIdle();
        assertThat(h.receive(2)).isEmpty();
        assertThat(h.receive(3)).hasSize(7);
        assertThat(slowPath.upcalls.get()).as("modified in place, no new upcall").isEqualTo(upcalls);
        RevalidatorSnapshot s = pool.snapshot();
        assertThat(s.modified()).isEqualTo(1);
        assertThat(s.deletedRevalidation()).isZero();
        assertThat(slowPath.stats("fwd").packets.get()).isEqualTo(15);
    }

    @Test
    void aRuleThatNeedsAWiderMaskDeletesTheMegaflowWhichIsInstalledAgain() {
        open();
        slowPath.add("fwd", 100, 1, -1, output(2));
        assertThat(forward(80, 3, 2)).isEqualTo(3);
        assertThat(h.dp.flows().count()).isEqualTo(1);
        int upcalls = slowPath.upcalls.get();

        // Port 80 now goes to 3: the megaflow (in_port only) would have to look at tp_dst.
        slowPath.add("web", 200, 1, 80, output(3));
        pool.runCycle();
        h.stepUntilIdle();
        assertThat(pool.snapshot().deletedRevalidation()).isEqualTo(1);
        assertThat(h.dp.flows().count()).isZero();

        h.send(1, frames(80, 4));
        h.send(1, frames(81, 2));
        h.stepUntilIdle();
        assertThat(h.receive(3)).hasSize(4);
        assertThat(h.receive(2)).hasSize(2);
        assertThat(slowPath.upcalls.get()).isEqualTo(upcalls + 2);
        assertThat(hasFlowFor(80)).isTrue();
        assertThat(hasFlowFor(81)).isTrue();
    }

    @Test
    void aDeletedRuleStopsMatching() {
        open();
        slowPath.add("fwd", 100, 1, -1, output(2));
        assertThat(forward(80, 3, 2)).isEqualTo(3);
        long seq = slowPath.remove("fwd");
        assertThat(pool.awaitRevalidated(seq, java.time.Duration.ofSeconds(5))).isTrue();
        h.send(1, frames(80, 5));
        h.stepUntilIdle();
        assertThat(h.receive(2)).isEmpty();
        assertThat(h.receive(3)).isEmpty();
        assertThat(h.dp.flows().dump()).allSatisfy(u -> assertThat(u.flow().actions().isDrop()).isTrue());
    }

    @Test
    void ruleIdleTimeoutsExpireFromThePushedStatisticsAndTheirFlowsFollow() {
        open(RevalidatorConfig.defaults().withThreads(1).withMaxIdleMs(10_000));
        slowPath.perPortMegaflows = true;
        slowPath.add("short", 200, 1, 80, output(2), 2_000, 0);
        slowPath.add("long", 100, 1, -1, output(3), 0, 0);
        for (int i = 0; i < 6; i++) {
            // Port 80 is used every 500 ms for 3 s: the rule outlives its 2 s idle timeout.
            assertThat(forward(80, 1, 2)).isEqualTo(1);
            h.advanceMs(500);
            pool.runCycle();
            h.stepUntilIdle();
        }
        assertThat(slowPath.tables().rules()).extracting(TestSlowPath.Rule::name).contains("short");
        // Idle now: 2.5 s after its last use the cycle's end expires it and revalidation follows.
        h.advanceMs(2_000);
        long before = slowPath.revalSeq();
        pool.runCycle();
        assertThat(slowPath.tables().rules()).extracting(TestSlowPath.Rule::name).containsExactly("long");
        assertThat(slowPath.revalSeq()).isGreaterThan(before);
        assertThat(pool.awaitRevalidated(slowPath.revalSeq(), java.time.Duration.ofSeconds(5))).isTrue();
        h.send(1, frames(80, 2));
        h.stepUntilIdle();
        assertThat(h.receive(2)).isEmpty();
        assertThat(h.receive(3)).hasSize(2);
        assertThat(slowPath.cycleEnds.get()).isGreaterThanOrEqualTo(8);
    }

    @Test
    void upcallShowHasOvsLayoutAndTheCounters() {
        open();
        slowPath.perPortMegaflows = true;
        slowPath.add("fwd", 100, 1, -1, output(2));
        h.send(1, frame(80), frame(81), frame(82));
        h.stepUntilIdle();
        pool.runCycle();
        RevalidatorSnapshot s = pool.snapshot();
        assertThat(s.keysPerRevalidator()).hasSize(2);
        assertThat(s.keysPerRevalidator()[0] + s.keysPerRevalidator()[1]).isEqualTo(3);
        String text = UpcallShow.format(s);
        assertThat(text).isEqualTo("system@ovs-system:\n"
                + "  flows         : (current 3) (avg 1) (max 3) (limit 200000)\n"
                + "  dump duration : 1ms\n"
                + "  ufid enabled : true\n"
                + "\n"
                + "  0: (keys " + s.keysPerRevalidator()[0] + ")\n"
                + "  1: (keys " + s.keysPerRevalidator()[1] + ")\n"
                + "\n"
                + "  flows deleted : (idle 0) (limit 0) (revalidation 0)\n"
                + "  flows modified : 0\n");
        assertThat(s.toJson()).startsWith("{\"flows\":3,\"flowsAvg\":1,\"flowsMax\":3,\"flowLimit\":200000,")
                .contains("\"keysPerRevalidator\":[" + s.keysPerRevalidator()[0] + "," + s.keysPerRevalidator()[1] + "]");
        assertThat(h.dp.counters()).isNotNull();
        assertThat(pool.counter(RevalidatorCounter.DUMPS)).isEqualTo(1);
    }

    @Test
    void purgeDeletesEveryFlowInTheNextCycleAndPushesTheirStatistics() {
        open();
        slowPath.perPortMegaflows = true;
        slowPath.add("fwd", 100, 1, -1, output(2));
        for (int p = 1; p <= 6; p++) {
            assertThat(forward(p, 2, 2)).isEqualTo(2);
        }
        assertThat(h.dp.flows().count()).isEqualTo(6);
        pool.purge();
        pool.runCycle();
        h.stepUntilIdle();
        assertThat(h.dp.flows().count()).isZero();
        pool.runCycle();
        assertThat(pool.counter(RevalidatorCounter.FLOWS_DELETED_PURGE)).isEqualTo(6);
        assertThat(pool.snapshot().deletedIdle() + pool.snapshot().deletedLimit()).isZero();
        assertThat(slowPath.stats("fwd").packets.get()).isEqualTo(12);
        assertThat(slowPath.deleted.get()).isEqualTo(6);
    }

    @Test
    void revalidatorThreadsSplitTheUkeysAndRunCycleWaitsForAWholeCycle() {
        open(RevalidatorConfig.defaults().withThreads(4).withMaxIdleMs(1_000));
        slowPath.perPortMegaflows = true;
        slowPath.add("fwd", 100, 1, -1, output(2));
        for (int p = 1; p <= 64; p++) {
            h.send(1, frame(p));
        }
        h.stepUntilIdle();
        assertThat(h.receive(2)).hasSize(64);
        // The PMD stays on this thread; only the revalidators run on their own.
        pool.start();
        try {
            long dumps = pool.counter(RevalidatorCounter.DUMPS);
            pool.runCycle();
            assertThat(pool.counter(RevalidatorCounter.DUMPS)).isGreaterThan(dumps);
            int[] keys = pool.snapshot().keysPerRevalidator();
            assertThat(keys).hasSize(4);
            assertThat(java.util.Arrays.stream(keys).sum()).isEqualTo(64);
            assertThat(keys).doesNotContain(0);

            h.advanceMs(1_001);
            pool.runCycle();
            h.stepUntilIdle();
            assertThat(h.dp.flows().count()).isZero();
            pool.runCycle();
            assertThat(pool.snapshot().deletedIdle()).isEqualTo(64);
            assertThat(slowPath.stats("fwd").packets.get()).isEqualTo(64);
        } finally {
            pool.stop();
        }
        assertThat(pool.isRunning()).isFalse();
        assertThat(pool.lastError()).isNull();
    }

    @Test
    void stoppingWhileCyclesRunBackToBackNeverStrandsTheLeader() {
        open();
        slowPath.perPortMegaflows = true;
        slowPath.add("fwd", 100, 1, -1, output(2));
        for (int p = 1; p <= 200; p++) {
            h.send(1, frame(p));
        }
        h.stepUntilIdle();
        // A version bump at every cycle's end keeps the leader cycling without a pause.
        java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong(1);
        Revalidation churn = new Revalidation() {
            @Override
            public long revalSeq() {
                return seq.get();
            }

            @Override
            public RevalidateResult revalidate(Ukey ukey) {
                return RevalidateResult.KEEP;
            }

            @Override
            public void pushStats(Ukey ukey, long packetsDelta, long bytesDelta, long usedMs, int tcpFlags) {
            }

            @Override
            public void onCycleEnd(long nowMs) {
                seq.incrementAndGet();
            }
        };
        try (RevalidatorPool busy = new RevalidatorPool(h.dp, churn,
                RevalidatorConfig.defaults().withThreads(4).withMaxIdleMs(60_000))) {
            for (int round = 0; round < 200; round++) {
                busy.start();
                busy.wakeup();
                for (int spin = 0; spin < round % 7; spin++) {
                    Thread.yield();
                }
                busy.stop();
                h.pmd().runCommands();
            }
            assertThat(busy.counter(RevalidatorCounter.DUMPS)).isPositive();
            assertThat(busy.lastError()).isNull();
        }
    }
}
