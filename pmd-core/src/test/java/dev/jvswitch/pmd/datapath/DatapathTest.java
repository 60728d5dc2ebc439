package dev.jvswitch.pmd.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.actions.DpActionsBuilder;
import dev.jvswitch.flowcache.hash.FlowHash;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.flow.Ukey;
import dev.jvswitch.pmd.port.RingPorts;
import dev.jvswitch.pmd.stats.DropReason;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.pmd.stats.PmdStats;
import dev.jvswitch.pmd.testing.DatapathHarness;
import dev.jvswitch.testkit.frame.Frames;

class DatapathTest {

    private static byte[] udp(int srcPort) {
        return Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(srcPort, 80).size(60).build();
    }

    private static void assertHitsAddUp(PmdStats s) {
        long hits = s.get(PmdCounter.EMC_HITS) + s.get(PmdCounter.SMC_HITS) + s.get(PmdCounter.MEGAFLOW_HITS)
                + s.get(PmdCounter.UPCALL_OK) + s.get(PmdCounter.UPCALL_FAILED);
        assertThat(hits).isEqualTo(s.get(PmdCounter.RX_PACKETS) + s.get(PmdCounter.RECIRCULATIONS));
    }

    @Test
    void forwardsAndTransformsWithOneUpcallPerMegaflow() {
        TestUpcall upcall = new TestUpcall(
                k -> DpActions.builder().pushVlan(0x8100, DpActions.vlanTci(10, 0)).output(2).build(),
                FlowField.ETH_TYPE, FlowField.NW_PROTO, FlowField.TP_SRC);
        DatapathConfig config = DatapathConfig.defaults().withEmcInsertInvProb(1);
        try (DatapathHarness h = new DatapathHarness(config, upcall, 2)) {
            List<byte[]> sent = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                for (int flow = 0; flow < 3; flow++) {
                    sent.add(udp(1000 + flow));
                }
            }
            h.send(1, sent.toArray(new byte[0][]));
            h.step(4);
            List<byte[]> got = h.receive(2);
            // Packets of one flow keep their order; flows of a batch go out one flow after the
            // other, as OVS's per-flow batches do.
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                expected.add(Frames.hex(Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1000 + i % 3, 80).vlan(10)
                        .size(64).build()));
            }
            assertThat(got.stream().map(Frames::hex).toList()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(upcall.upcalls.get()).isEqualTo(3);
            PmdStats s = h.pmd().stats();
            assertThat(s.get(PmdCounter.RX_PACKETS)).isEqualTo(30);
            assertThat(s.get(PmdCounter.UPCALL_OK)).isEqualTo(3);
            // One batch of 30: the first packet of each flow upcalls, the other 9 of each find the
            // megaflow it installed; the second batch hits the EMC (insert probability 1).
            assertThat(s.get(PmdCounter.MEGAFLOW_HITS)).isEqualTo(27);
            assertThat(s.get(PmdCounter.EMC_HITS)).isZero();
            h.send(1, sent.toArray(new byte[0][]));
            h.step(2);
            assertThat(h.receive(2)).hasSize(30);
            assertThat(s.get(PmdCounter.EMC_HITS)).isEqualTo(30);
            assertThat(s.get(PmdCounter.TX_PACKETS)).isEqualTo(60);
            assertThat(h.dp.flows().count()).isEqualTo(3);
            assertHitsAddUp(s);
        }
    }

    @Test
    void emcDisabledMeansMegaflowHits() {
        TestUpcall upcall = TestUpcall.forward(2);
        try (DatapathHarness h = new DatapathHarness(DatapathConfig.defaults().withEmcInsertInvProb(0), upcall, 2)) {
            for (int i = 0; i < 5; i++) {
                h.send(1, udp(1), udp(2));
                h.step(1);
            }
            assertThat(h.receive(2)).hasSize(10);
            PmdStats s = h.pmd().stats();
            assertThat(s.get(PmdCounter.EMC_HITS)).isZero();
            assertThat(s.get(PmdCounter.UPCALL_OK)).isEqualTo(1);
            assertThat(s.get(PmdCounter.MEGAFLOW_HITS)).isEqualTo(9);
            h.step(1001);
            assertThat(s.get(PmdCounter.SUBTABLE_LOOKUPS)).isEqualTo(9);
        }
    }

    @Test
    void smcServesWhatTheEmcDoesNotHold() {
        TestUpcall upcall = TestUpcall.forward(2, FlowField.TP_SRC);
        DatapathConfig config = DatapathConfig.defaults().withEmcInsertInvProb(0).withSmc(true);
        try (DatapathHarness h = new DatapathHarness(config, upcall, 2)) {
            h.send(1, udp(1), udp(2));
            h.step(1);
            h.send(1, udp(1), udp(2));
            h.step(1);
            assertThat(h.receive(2)).hasSize(4);
            PmdStats s = h.pmd().stats();
            assertThat(s.get(PmdCounter.SMC_HITS)).isEqualTo(2);
            assertHitsAddUp(s);
        }
    }

    @Test
    void failedUpcallDropsAndCounts() {
        TestUpcall upcall = new TestUpcall(k -> null);
        try (DatapathHarness h = new DatapathHarness(DatapathConfig.defaults(), upcall, 2)) {
            h.send(1, udp(1), udp(2));
            h.step(1);
            assertThat(h.receive(2)).isEmpty();
            PmdStats s = h.pmd().stats();
            assertThat(s.get(PmdCounter.UPCALL_FAILED)).isEqualTo(2);
            assertThat(s.get(PmdCounter.LOST)).isEqualTo(2);
            assertThat(h.dp.flows().count()).isZero();
            assertHitsAddUp(s);
        }
    }

    @Test
    void recirculationRunsTheSecondPassThroughThePipeline() {
        TestUpcall upcall = new TestUpcall(k -> (k.get(FlowField.RECIRC_ID) == 0)
                ? DpActions.builder().hash(0).recirc(7).build()
                : DpActions.builder().output(2).build(), FlowField.DP_HASH);
        try (DatapathHarness h = new DatapathHarness(DatapathConfig.defaults(), upcall, 2)) {
            h.send(1, udp(1), udp(2), udp(3));
            h.step(1);
            assertThat(h.receive(2)).hasSize(3);
            PmdStats s = h.pmd().stats();
            assertThat(s.get(PmdCounter.RECIRCULATIONS)).isEqualTo(3);
            assertHitsAddUp(s);
            boolean sawRecircFlow = false;
            for (Ukey u : h.dp.flows().dump()) {
                FlowKey k = new FlowKey();
                u.flow().copyMaskedKeyTo(k);
                sawRecircFlow |= k.get(FlowField.RECIRC_ID) == 7;
            }
            assertThat(sawRecircFlow).isTrue();
        }
    }

    /**
     * The lookup leaves the RSS hash to be computed on need: a flow whose actions read it (here
     * {@code hash}) gets the 5-tuple hash of its key on every path, upcall, a batch of several
     * flows and a batch of one, so the second pass sees the dp_hash the slow path expects (it
     * matches dp_hash exactly: a wrong one would miss and be dropped by its upcall).
     */
    @Test
    void aFlowThatHashesGetsTheFiveTupleHashOnEveryPath() {
        TestUpcall upcall = new TestUpcall(k -> {
            if (k.get(FlowField.RECIRC_ID) == 0) {
                return DpActions.builder().hash(0).recirc(7).build();
            }
            boolean right = k.get(FlowField.DP_HASH) == (FlowHash.dpHash(FlowHash.hash5(k), 0) & 0xffff_ffffL);
            return right ? DpActions.builder().output(2).build() : DpActions.builder().drop().build();
        }, FlowField.TP_SRC, FlowField.DP_HASH);
        DatapathConfig config = DatapathConfig.defaults().withEmcInsertInvProb(1);
        try (DatapathHarness h = new DatapathHarness(config, upcall, 2)) {
            h.send(1, udp(1), udp(2), udp(3));
            h.step(1);
            assertThat(h.receive(2)).hasSize(3);
            assertThat(upcall.upcalls.get()).isEqualTo(6);
            h.send(1, udp(3), udp(1), udp(2), udp(1));
            h.step(1);
            h.send(1, udp(2), udp(2));
            h.step(1);
            assertThat(h.receive(2)).hasSize(6);
            assertThat(upcall.upcalls.get()).isEqualTo(6);
            PmdStats s = h.pmd().stats();
            assertThat(s.get(PmdCounter.EMC_HITS)).isEqualTo(12);
            assertHitsAddUp(s);
        }
    }

    /**
     * A flow's program may change between the lookup and the execution of a batch (here the
     * slow path changes it during another packet's upcall, on the PMD thread, as a revalidator's
     * modify would): the lookup saw a program that reads no hash and left the IPv4 packet's RSS
     * hash unset, so the pipeline gives it the 5-tuple hash for the program it runs. The second
     * pass matches dp_hash exactly and drops a packet whose hash is wrong.
     */
    @Test
    void aProgramChangedToOneThatHashesAfterTheLookupStillGetsTheFiveTupleHash() {
        DpActions hashing = DpActions.builder().hash(0).recirc(7).build();
        AtomicReference<Runnable> duringUpcall = new AtomicReference<>(() -> { });
        TestUpcall upcall = new TestUpcall(k -> {
            if (k.get(FlowField.RECIRC_ID) != 0) {
                boolean right = k.get(FlowField.DP_HASH) == (FlowHash.dpHash(FlowHash.hash5(k), 0) & 0xffff_ffffL);
                return right ? DpActions.builder().output(2).build() : DpActions.builder().drop().build();
            }
            duringUpcall.get().run();
            return DpActions.builder().output(k.get(FlowField.TP_SRC) == 1 ? 2 : 3).build();
        }, FlowField.TP_SRC, FlowField.DP_HASH);
        DatapathConfig config = DatapathConfig.defaults().withEmcInsertInvProb(1);
        try (DatapathHarness h = new DatapathHarness(config, upcall, 3)) {
            h.send(1, udp(1));
            h.step(1);
            assertThat(h.receive(2)).hasSize(1);
            Megaflow plain = h.dp.flows().dump().iterator().next().flow();
            duringUpcall.set(() -> plain.actions(hashing));
            // udp(1) hits the EMC (a program without hash); udp(9)'s upcall then changes it.
            h.send(1, udp(1), udp(9));
            h.step(1);
            assertThat(plain.actions()).isSameAs(hashing);
            assertThat(h.receive(3)).hasSize(1);
            assertThat(h.receive(2)).as("udp(1) with the right dp_hash after its second pass").hasSize(1);
            PmdStats s = h.pmd().stats();
            assertThat(s.get(PmdCounter.EMC_HITS)).isEqualTo(1);
            assertThat(s.get(PmdCounter.RECIRCULATIONS)).isEqualTo(1);
            assertHitsAddUp(s);
        }
    }

    /**
     * A recirculation that ends a program hands its whole batch over: the copies a clone
     * recirculates take the empty waiting batch as they are (the two batches swap contents), the
     * originals that follow are appended one by one behind them; the second pass sees both, in
     * the order they arrived.
     */
    @Test
    void aWholeBatchRecirculatesInOrderWhetherItsContentsMoveOrItsPackets() {
        TestUpcall upcall = new TestUpcall(k -> switch ((int) k.get(FlowField.RECIRC_ID)) {
            case 0 -> DpActions.builder().clone(DpActions.builder().recirc(7).build()).recirc(8).build();
            case 7 -> DpActions.builder().output(2).build();
            default -> DpActions.builder().output(3).build();
        });
        try (DatapathHarness h = new DatapathHarness(DatapathConfig.defaults().withEmcInsertInvProb(1), upcall, 3)) {
            List<String> sent = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                byte[][] frames = new byte[5][];
                for (int i = 0; i < frames.length; i++) {
                    frames[i] = udp(100 * round + i);
                    sent.add(Frames.hex(frames[i]));
                }
                h.send(1, frames);
                h.step(1);
            }
            assertThat(h.receive(2).stream().map(Frames::hex).toList()).containsExactlyElementsOf(sent);
            assertThat(h.receive(3).stream().map(Frames::hex).toList()).containsExactlyElementsOf(sent);
            PmdStats s = h.pmd().stats();
            assertThat(s.get(PmdCounter.RECIRCULATIONS)).isEqualTo(30);
            assertThat(upcall.upcalls.get()).isEqualTo(3);
            assertHitsAddUp(s);
        }
    }

    /**
     * One batch whose every packet recirculates 40 times: the PMD queues 1024 of the copies (its
     * recirculation queue, in batches), drops and counts the rest, and runs every queued one
     * through its second pass, in order.
     */
    @Test
    void recirculationsBeyondTheQueueAreDroppedAndCounted() {
        DpActions again = DpActions.builder().recirc(7).build();
        TestUpcall upcall = new TestUpcall(k -> {
            if (k.get(FlowField.RECIRC_ID) != 0) {
                return DpActions.builder().output(2).build();
            }
            DpActionsBuilder b = DpActions.builder();
            for (int i = 0; i < 39; i++) {
                b.clone(again);
            }
            return b.recirc(7).build();
        });
        try (DatapathHarness h = DatapathHarness.builder(DatapathConfig.defaults(), upcall).ports(2).ringSize(4096)
                .build()) {
            byte[][] frames = new byte[32][];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = udp(1000 + i);
            }
            h.send(1, frames);
            h.step(1);
            List<byte[]> got = h.receive(2);
            assertThat(got).hasSize(1024);
            // Queued in order: each action runs over the whole batch, so the first copy of every
            // packet, then the second copy of every packet, ...
            for (int i = 0; i < got.size(); i++) {
                assertThat(Frames.hex(got.get(i))).as("packet %d", i).isEqualTo(Frames.hex(udp(1000 + i % 32)));
            }
            PmdStats s = h.pmd().stats();
            assertThat(s.get(PmdCounter.RECIRCULATIONS)).isEqualTo(1024);
            assertThat(s.get(DropReason.RECIRC_DEPTH)).isEqualTo(32 * 40 - 1024);
            assertHitsAddUp(s);
        }
    }

    @Test
    void deletedFlowIsNeverUsedAgain() {
        int[] out = {2};
        TestUpcall upcall = new TestUpcall(k -> DpActions.builder().output(out[0]).build());
        DatapathConfig config = DatapathConfig.defaults().withEmcInsertInvProb(1);
        try (DatapathHarness h = new DatapathHarness(config, upcall, 3)) {
            h.send(1, udp(1));
            h.step(1);
            h.send(1, udp(1));
            h.step(1);
            assertThat(h.receive(2)).hasSize(2);
            assertThat(h.pmd().stats().get(PmdCounter.EMC_HITS)).isEqualTo(1);
            Ukey ukey = h.dp.flows().dump().get(0);
            out[0] = 3;
            assertThat(h.dp.flows().delete(ukey.id())).isSameAs(ukey);
            assertThat(ukey.flow().isDead()).isTrue();
            assertThat(ukey.flow().packets()).isEqualTo(2);
            h.send(1, udp(1));
            h.step(1);
            assertThat(h.receive(2)).isEmpty();
            assertThat(h.receive(3)).hasSize(1);
            assertThat(upcall.upcalls.get()).isEqualTo(2);
        }
    }

    @Test
    void flowApiPutsModifiesAndFlushes() {
        TestUpcall upcall = TestUpcall.forward(2);
        try (DatapathHarness h = new DatapathHarness(DatapathConfig.defaults(), upcall, 3)) {
            FlowKey key = new FlowKey();
            key.set(FlowField.IN_PORT, 1);
            List<Ukey> put = h.dp.flows().put(-1, key, new dev.jvswitch.flowcache.key.FlowMask(),
                    DpActions.builder().output(3).build());
            assertThat(put).hasSize(1);
            h.send(1, udp(1));
            h.step(1);
            assertThat(h.receive(3)).hasSize(1);
            assertThat(upcall.upcalls.get()).isZero();
            assertThat(h.dp.flows().modify(put.get(0).id(), DpActions.builder().output(2).build())).isTrue();
            h.send(1, udp(1));
            h.step(1);
            assertThat(h.receive(2)).hasSize(1);
            assertThat(h.dp.flows().flush()).isEqualTo(1);
            assertThat(h.dp.flows().count()).isZero();
            assertThat(h.pmd().tables().flowCount()).isZero();
        }
    }

    @Test
    void flowLimitStillForwardsButDoesNotInstall() {
        TestUpcall upcall = TestUpcall.forward(2, FlowField.TP_SRC);
        try (DatapathHarness h = new DatapathHarness(DatapathConfig.defaults().withFlowLimit(2), upcall, 2)) {
            h.send(1, udp(1), udp(2), udp(3), udp(4));
            h.step(1);
            assertThat(h.receive(2)).hasSize(4);
            assertThat(h.dp.flows().count()).isEqualTo(2);
            h.step(1001);
            assertThat(h.pmd().stats().get(PmdCounter.FLOW_LIMIT_SKIPS)).isEqualTo(2);
            assertThat(h.pmd().stats().get(PmdCounter.UPCALL_OK)).isEqualTo(4);
        }
    }

    @Test
    void txFlushIntervalHoldsOutputUntilDue() {
        TestUpcall upcall = TestUpcall.forward(2);
        DatapathConfig config = DatapathConfig.defaults().withTxFlushIntervalUs(50);
        try (DatapathHarness h = new DatapathHarness(config, upcall, 2)) {
            h.send(1, udp(1));
            h.step(1);
            assertThat(h.receive(2)).isEmpty();
            h.step(60);
            assertThat(h.receive(2)).hasSize(1);
        }
    }

    @Test
    void aBatchsOutputLeavesBeforeTheNextQueueIsPolled() {
        // Ports 2 and 3 are the two ends of one wire, as a veth whose peer answers inside the send:
        // 1 -> 2 ~ 3 -> 4. Output to 2 is flushed after port 1's batch, so port 3 finds the frame
        // when it is polled in the same iteration (OVS's flush after each rx batch).
        TestUpcall upcall = new TestUpcall(k -> DpActions.builder().output(k.get(FlowField.IN_PORT) == 1 ? 2 : 4)
                .build(), FlowField.IN_PORT);
        try (DatapathHarness h = DatapathHarness.builder(DatapathConfig.defaults(), upcall).portNumbers(1, 4).build();
                RingPorts.Pair wire = RingPorts.pair("w2", "w3")) {
            h.dp.addPort(2, wire.a());
            h.dp.addPort(3, wire.b());
            h.stepUntilIdle();
            h.send(1, udp(1));
            h.step(1);
            assertThat(h.receive(4)).hasSize(1);
        }
    }

    @Test
    void outputToMissingPortIsCountedDrop() {
        TestUpcall upcall = TestUpcall.forward(9);
        try (DatapathHarness h = new DatapathHarness(DatapathConfig.defaults(), upcall, 2)) {
            h.send(1, udp(1));
            h.step(1);
            assertThat(h.pmd().stats().get(DropReason.NO_PORT)).isEqualTo(1);
        }
    }

    @Test
    void removingAPortUnderTrafficLeaksNothing() {
        TestUpcall upcall = TestUpcall.forward(2);
        try (DatapathHarness h = new DatapathHarness(DatapathConfig.defaults().withTxFlushIntervalUs(1000), upcall, 2)) {
            h.send(1, udp(1), udp(2));
            h.step(1);
            h.dp.removePort(2).close();
            h.send(1, udp(3));
            h.step(2);
            assertThat(h.dp.ports()).containsOnlyKeys(1);
        }
    }

    @Test
    void clearingStatsKeepsCountersForOtherReaders() {
        TestUpcall upcall = TestUpcall.forward(2);
        try (DatapathHarness h = new DatapathHarness(DatapathConfig.defaults(), upcall, 2)) {
            h.send(1, udp(1));
            h.step(1);
            PmdStats s = h.pmd().stats();
            s.clear();
            assertThat(s.get(PmdCounter.RX_PACKETS)).isZero();
            assertThat(s.raw(PmdCounter.RX_PACKETS)).isEqualTo(1);
            h.send(1, udp(1));
            h.step(1);
            assertThat(s.get(PmdCounter.RX_PACKETS)).isEqualTo(1);
        }
    }
}
