package dev.jvswitch.ofproto.revalidate;

import static dev.jvswitch.ofproto.revalidate.RevalidatorPoolTest.frame;
import static dev.jvswitch.ofproto.revalidate.RevalidatorPoolTest.output;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.stats.PmdCounter;

/**
 * The flow limit: upcalls stop installing at the (dynamic) limit but keep forwarding; a slow dump
 * lowers the limit, fast dumps raise it again; over the limit flows idle for 100 ms go, over twice
 * the limit every flow goes.
 */
class FlowLimitEnforcementTest {
    private final CachedNanoClock clock = RevalHarness.newClock();
    private final TestSlowPath slowPath = new TestSlowPath(() -> clock.nanoTime() / 1_000_000L);
    private RevalHarness h;
    private RevalidatorPool pool;

    private void open(int flowLimit, long maxIdleMs) {
        h = new RevalHarness(clock, DatapathConfig.defaults().withFlowLimit(flowLimit), slowPath, 2);
        pool = new RevalidatorPool(h.dp, slowPath, RevalidatorConfig.defaults().withThreads(2)
                .withFlowLimit(flowLimit).withMaxIdleMs(maxIdleMs));
        slowPath.perPortMegaflows = true;
        slowPath.add("fwd", 100, 1, -1, output(2));
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

    /** Sends one packet to each tp_dst in [first, first + count), all forwarded; returns how many arrived. */
    private int sendFlows(int first, int count) {
        int received = 0;
        for (int start = first; start < first + count; start += 500) {
            List<byte[]> frames = new ArrayList<>();
            for (int p = start; p < Math.min(first + count, start + 500); p++) {
                frames.add(frame(p));
            }
            assertThat(h.send(1, frames)).isEqualTo(frames.size());
            h.stepUntilIdle();
            received += h.receive(2).size();
        }
        return received;
    }

    @Test
    void threeTimesTheLimitOfFlowsStaysWithinTheLimitAndEveryPacketIsForwarded() {
        open(1_000, 1_000);
        int received = 0;
        for (int chunk = 0; chunk < 6; chunk++) {
            received += sendFlows(1 + chunk * 500, 500);
            assertThat(h.dp.flows().count()).isLessThanOrEqualTo(1_000);
            h.advanceMs(100);
            pool.runCycle();
            h.stepUntilIdle();
        }
        assertThat(received).isEqualTo(3_000);
        assertThat(h.dp.flows().count()).isEqualTo(1_000);
        assertThat(h.pmd().stats().get(PmdCounter.FLOW_LIMIT_SKIPS)).isEqualTo(2_000);
        assertThat(h.pmd().stats().get(PmdCounter.UPCALL_OK)).isEqualTo(3_000);
        assertThat(pool.snapshot().flowsMax()).isLessThanOrEqualTo(1_000);

        // The flows age out; new ones install again.
        h.advanceMs(1_500);
        pool.runCycle();
        h.stepUntilIdle();
        assertThat(h.dp.flows().count()).isZero();
        assertThat(sendFlows(10_000, 10)).isEqualTo(10);
        assertThat(h.dp.flows().count()).isEqualTo(10);
        // Installed flows' packets come through the pushed statistics, the 2 000 that were only
        // executed through the upcall's flow-limit hook: every packet is on the rule.
        pool.runCycle();
        assertThat(slowPath.stats("fwd").packets.get()).isEqualTo(3_010);
        assertThat(slowPath.notInstalled.get()).isEqualTo(2_000);
    }

    @Test
    void aSlowDumpLowersTheLimitAndOverTwiceTheLimitEveryFlowIsDeleted() {
        open(10_000, 60_000);
        assertThat(sendFlows(1, 3_000)).isEqualTo(3_000);
        assertThat(h.dp.flows().count()).isEqualTo(3_000);

        // Each push takes 4 ms of the test clock: 3 000 pushes make a 12 s dump.
        slowPath.onPush = () -> clock.advance(4_000_000L);
        pool.runCycle();
        slowPath.onPush = null;
        RevalidatorSnapshot slow = pool.snapshot();
        assertThat(slow.dumpDurationMs()).isGreaterThanOrEqualTo(12_000);
        assertThat(slow.flowLimit()).isEqualTo(FlowLimit.FLOOR);
        assertThat(h.dp.ukeys().dynamicLimit()).isEqualTo(1_000);

        // At the dynamic limit, upcalls forward without installing.
        long skips = h.pmd().stats().get(PmdCounter.FLOW_LIMIT_SKIPS);
        assertThat(sendFlows(20_000, 5)).isEqualTo(5);
        assertThat(h.pmd().stats().get(PmdCounter.FLOW_LIMIT_SKIPS)).isEqualTo(skips + 5);

        // 3 000 > 2 x 1 000: the next cycle deletes every flow.
        pool.runCycle();
        h.stepUntilIdle();
        assertThat(h.dp.flows().count()).isZero();
        assertThat(pool.snapshot().deletedLimit()).isEqualTo(3_000);
        assertThat(pool.snapshot().deletedIdle()).isZero();
        assertThat(sendFlows(30_000, 4)).isEqualTo(4);
        assertThat(h.dp.flows().count()).isEqualTo(4);
    }

    @Test
    void overTheLimitFlowsIdleForAHundredMillisecondsGoAndBusyOnesStay() {
        open(10_000, 60_000);
        assertThat(sendFlows(1, 1_500)).isEqualTo(1_500);
        slowPath.onPush = () -> clock.advance(8_000_000L);
        pool.runCycle();
        slowPath.onPush = null;
        assertThat(pool.snapshot().flowLimit()).isEqualTo(1_000);

        // 1 500 flows over a limit of 1 000: max-idle is 100 ms. Keep 100 of them busy.
        h.advanceMs(200);
        assertThat(sendFlows(1, 100)).isEqualTo(100);
        pool.runCycle();
        h.stepUntilIdle();
        assertThat(h.dp.flows().count()).isEqualTo(100);
        RevalidatorSnapshot s = pool.snapshot();
        assertThat(s.deletedLimit()).isEqualTo(1_400);
        assertThat(s.deletedIdle()).isZero();
    }

    @Test
    void fastDumpsRaiseALoweredLimitBackToTheCeilingAThousandAtATime() {
        open(3_500, 60_000);
        assertThat(sendFlows(1, 900)).isEqualTo(900);
        slowPath.onPush = () -> clock.advance(15_000_000L);
        pool.runCycle();
        slowPath.onPush = null;
        assertThat(pool.flowLimit()).isEqualTo(1_000);
        int[] seen = new int[4];
        for (int i = 0; i < seen.length; i++) {
            pool.runCycle();
            seen[i] = pool.flowLimit();
        }
        assertThat(seen).containsExactly(2_000, 3_000, 3_500, 3_500);
        // 900 flows, under even the lowered limit: nothing was deleted on the way.
        h.stepUntilIdle();
        assertThat(h.dp.flows().count()).isEqualTo(900);
        assertThat(pool.snapshot().deletedLimit()).isZero();
    }
}
