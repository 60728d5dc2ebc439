package dev.jvswitch.ofproto.revalidate;

import static dev.jvswitch.ofproto.revalidate.RevalidatorPoolTest.frame;
import static dev.jvswitch.ofproto.revalidate.RevalidatorPoolTest.frames;
import static dev.jvswitch.ofproto.revalidate.RevalidatorPoolTest.output;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.flow.Ukey;

/**
 * The change barrier, stepped by hand: a flow that an upcall translated against the old tables
 * while the change was being published (and while a whole revalidation cycle ran) is still
 * revalidated before {@link RevalidatorPool#awaitRevalidated} returns. The same race under real
 * threads is {@link ChangeBarrierThreadsTest}.
 */
class ChangeBarrierTest {

    @Test
    void aFlowTranslatedAgainstTheOldTablesDuringTheChangeIsCaughtBeforeTheBarrierReturns() {
        CachedNanoClock clock = RevalHarness.newClock();
        TestSlowPath slowPath = new TestSlowPath(() -> clock.nanoTime() / 1_000_000L);
        slowPath.perPortMegaflows = true;
        try (RevalHarness h = new RevalHarness(clock, DatapathConfig.defaults(), slowPath, 2);
             RevalidatorPool pool = new RevalidatorPool(h.dp, slowPath, RevalidatorConfig.defaults().withThreads(2))) {
            long before = slowPath.add("web", 100, 1, -1, output(2));
            assertThat(pool.awaitRevalidated(before, Duration.ofSeconds(5))).isTrue();
            assertThat(pool.revalidatedSeq()).isEqualTo(before);

            long[] changed = new long[1];
            slowPath.duringUpcall = () -> {
                // The upcall has read version `before`. Now the rule becomes a drop, and a whole
                // revalidation cycle runs (and offers its fence) before the upcall answers.
                changed[0] = slowPath.modify("web", DpActions.DROP);
                pool.runCycle();
            };
            assertThat(h.send(1, frame(80))).isEqualTo(1);
            h.step(1);
            // That packet was in flight during the change: the old rule may forward it.
            assertThat(h.receive(2)).hasSize(1);
            Ukey late = h.dp.flows().dump().get(0);
            assertThat(late.revalSeq).isEqualTo(before);
            assertThat(late.flow().actions()).isEqualTo(output(2));

            // The PMD runs the first cycle's fence: version `changed` is now what every upcall
            // reads, but the late flow is not revalidated yet, so the barrier is not reached.
            h.stepUntilIdle();
            assertThat(pool.revalidatedSeq()).isLessThan(changed[0]);
            assertThat(h.send(1, frame(80))).isEqualTo(1);
            h.stepUntilIdle();
            assertThat(h.receive(2)).as("the late flow still forwards before the barrier").hasSize(1);

            assertThat(pool.awaitRevalidated(changed[0], Duration.ofSeconds(5))).isTrue();
            assertThat(late.flow().actions().isDrop()).isTrue();
            assertThat(late.revalSeq).isEqualTo(changed[0]);
            h.send(1, frames(80, 10));
            h.send(1, frames(81, 10));
            h.stepUntilIdle();
            assertThat(h.receive(2)).isEmpty();
        }
    }

    @Test
    void theBarrierWaitsForCommandsARefusedOfferLeftBehind() {
        CachedNanoClock clock = RevalHarness.newClock();
        TestSlowPath slowPath = new TestSlowPath(() -> clock.nanoTime() / 1_000_000L);
        slowPath.perPortMegaflows = true;
        try (RevalHarness h = new RevalHarness(clock, DatapathConfig.defaults(), slowPath, 3);
             RevalidatorPool pool = new RevalidatorPool(h.dp, slowPath, RevalidatorConfig.defaults().withThreads(1))) {
            slowPath.add("fwd", 100, 1, -1, output(2));
            for (int p = 1; p <= 40; p++) {
                h.send(1, frame(p));
            }
            h.stepUntilIdle();
            assertThat(h.receive(2)).hasSize(40);
            assertThat(h.dp.flows().count()).isEqualTo(40);
            // Fill the PMD's command queue so the cycle's batch and fence are refused.
            List<Ukey> flows = h.dp.flows().dump();
            int filler = 0;
            while (h.dp.flows().offerBatch(0, new dev.jvswitch.flowcache.megaflow.Megaflow[0],
                    new dev.jvswitch.flowcache.megaflow.Megaflow[] {flows.get(0).flow()},
                    new DpActions[] {output(2)}) != null) {
                filler++;
            }
            assertThat(filler).isGreaterThan(0);
            long seq = slowPath.modify("fwd", output(3));
            pool.runCycle();
            assertThat(pool.counter(RevalidatorCounter.OFFERS_REFUSED)).isGreaterThan(0);
            // Drain the queue; the next cycles re-offer the refused batch before counting anything done.
            h.pmd().runCommands();
            assertThat(pool.revalidatedSeq()).isLessThan(seq);
            assertThat(pool.awaitRevalidated(seq, Duration.ofSeconds(5))).isTrue();
            for (Ukey u : h.dp.flows().dump()) {
                assertThat(u.flow().actions()).isEqualTo(output(3));
            }
            for (int p = 1; p <= 40; p++) {
                h.send(1, frame(p));
            }
            h.stepUntilIdle();
            assertThat(h.receive(2)).isEmpty();
            assertThat(h.receive(3)).hasSize(40);
        }
    }
}
