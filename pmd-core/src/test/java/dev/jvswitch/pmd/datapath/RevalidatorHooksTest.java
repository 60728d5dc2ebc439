package dev.jvswitch.pmd.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.flow.Ukey;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.pmd.testing.DatapathHarness;
import dev.jvswitch.pmd.upcall.UpcallHandler;
import dev.jvswitch.pmd.upcall.UpcallOutcome;
import dev.jvswitch.pmd.upcall.UpcallResult;
import dev.jvswitch.testkit.frame.Frames;

/**
 * What the revalidators use of the datapath: the table version an upcall records in its ukey, the
 * dynamic flow limit and its hook for packets not installed, and batch commands to a PMD.
 */
class RevalidatorHooksTest {
    private static final DpActions TO_2 = DpActions.builder().output(2).build();
    private static final DpActions TO_3 = DpActions.builder().output(3).build();

    /** Port per tp_dst, version 7, and a count of packets executed without a flow. */
    private static final class VersionedUpcall implements UpcallHandler {
        final AtomicInteger notInstalled = new AtomicInteger();

        @Override
        public UpcallOutcome onUpcall(int pmdId, FlowKey key, Mbuf packet, UpcallResult result) {
            result.mask().exact(FlowField.TP_DST);
            result.actions(TO_2);
            result.ukeyData("rule");
            result.revalSeq(7);
            return UpcallOutcome.OK;
        }

        @Override
        public void onNotInstalled(int pmdId, Mbuf packet, UpcallResult result) {
            assertThat(result.ukeyData()).isEqualTo("rule");
            notInstalled.incrementAndGet();
        }
    }

    private static byte[] udp(int dstPort) {
        return Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1000, dstPort).size(60).build();
    }

    @Test
    void theUkeyKeepsTheVersionTheUpcallTranslatedAgainst() {
        try (DatapathHarness h = new DatapathHarness(DatapathConfig.defaults(), new VersionedUpcall(), 2)) {
            h.send(1, udp(80));
            h.step(2);
            List<Ukey> ukeys = h.dp.flows().dump();
            assertThat(ukeys).hasSize(1);
            assertThat(ukeys.get(0).revalSeq).isEqualTo(7);
            assertThat(ukeys.get(0).data()).isEqualTo("rule");
            assertThat(h.dp.ukeys().values()).containsExactly(ukeys.get(0));
        }
    }

    @Test
    void theDynamicLimitStopsInstallsButThePacketsAreForwardedAndReported() {
        VersionedUpcall upcall = new VersionedUpcall();
        try (DatapathHarness h = new DatapathHarness(DatapathConfig.defaults(), upcall, 2)) {
            assertThat(h.dp.ukeys().dynamicLimit()).isEqualTo(Integer.MAX_VALUE);
            h.dp.ukeys().dynamicLimit(2);
            h.send(1, udp(1), udp(2), udp(3), udp(4));
            h.step(2);
            assertThat(h.receive(2)).hasSize(4);
            assertThat(h.dp.flows().count()).isEqualTo(2);
            assertThat(upcall.notInstalled.get()).isEqualTo(2);
            h.step(2000);
            assertThat(h.pmd().stats().get(PmdCounter.FLOW_LIMIT_SKIPS)).isEqualTo(2);
        }
    }

    @Test
    void aBatchCommandDeletesAndModifiesAndAnEmptyOneIsAFence() {
        try (DatapathHarness h = new DatapathHarness(DatapathConfig.defaults(), new VersionedUpcall(), 3)) {
            h.send(1, udp(1), udp(2), udp(3));
            h.step(2);
            assertThat(h.receive(2)).hasSize(3);
            List<Ukey> ukeys = h.dp.flows().dump();
            Megaflow gone = ukeys.get(0).flow();
            Megaflow moved = ukeys.get(1).flow();
            CompletableFuture<Void> done = h.dp.flows().offerBatch(0, new Megaflow[] {gone},
                    new Megaflow[] {moved}, new DpActions[] {TO_3});
            assertThat(done).isNotNull().isNotDone();
            assertThat(gone.isDead()).as("marked dead before the PMD runs the command").isTrue();
            CompletableFuture<Void> fence = h.dp.flows().offerBatch(0, new Megaflow[0], new Megaflow[0],
                    new DpActions[0]);
            h.step(1);
            assertThat(done).isDone();
            assertThat(fence).isDone();
            assertThat(h.dp.flows().count()).isEqualTo(2);
            assertThat(moved.actions()).isEqualTo(TO_3);

            // A full queue refuses the offer instead of running the command on this thread.
            int offered = 0;
            while (h.dp.flows().offerBatch(0, new Megaflow[0], new Megaflow[0], new DpActions[0]) != null) {
                offered++;
            }
            assertThat(offered).isGreaterThan(0);
            assertThat(h.pmd().proxy().failedOffers()).isEqualTo(1);
            h.pmd().runCommands();
        }
    }
}
