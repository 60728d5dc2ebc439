package dev.jvswitch.pmd.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.testing.DatapathHarness;
import dev.jvswitch.pmd.upcall.PortMapUpcallHandler;

/** The PMD's command queue: bounded per iteration, and never a dead end for a caller. */
class PmdCommandsTest {

    private static CompletableFuture<Void> fence(DatapathHarness h) {
        return h.dp.flows().offerBatch(0, new Megaflow[0], new Megaflow[0], new DpActions[0]);
    }

    @Test
    void anIterationRunsAtMostSixteenCommands() {
        try (DatapathHarness h = new DatapathHarness(DatapathConfig.defaults(), PortMapUpcallHandler.crossConnect(1, 2),
                2)) {
            List<CompletableFuture<Void>> fences = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                fences.add(fence(h));
            }
            assertThat(fences).doesNotContainNull();
            assertThat(h.pmd().doWork()).as("work done by the first iteration").isEqualTo(16);
            assertThat(fences.stream().filter(CompletableFuture::isDone).count()).isEqualTo(16);
            assertThat(h.pmd().doWork()).isEqualTo(16);
            assertThat(h.pmd().doWork()).isEqualTo(8);
            assertThat(h.pmd().proxy().isEmpty()).isTrue();
            assertThat(fences).allMatch(CompletableFuture::isDone);
            assertThat(h.pmd().doWork()).isZero();
        }
    }

    @Test
    void aBlockingRequestMeetingAFullQueueWithoutPmdThreadsRunsTheQueueItself() {
        try (DatapathHarness h = new DatapathHarness(DatapathConfig.defaults(), PortMapUpcallHandler.crossConnect(1, 2),
                2)) {
            List<CompletableFuture<Void>> queued = new ArrayList<>();
            CompletableFuture<Void> f;
            while ((f = fence(h)) != null) {
                queued.add(f);
            }
            assertThat(h.pmd().proxy().failedOffers()).isEqualTo(1);
            h.dp.quiesce();
            assertThat(queued).allMatch(CompletableFuture::isDone);
            assertThat(h.pmd().proxy().isEmpty()).isTrue();
        }
    }
}
