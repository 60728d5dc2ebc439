package dev.jvswitch.ofproto.revalidate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jvswitch.testkit.frame.Frames;
import dev.jvswitch.ofproto.Ofctl;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.OfprotoRevalidation;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.pmd.flow.Ukey;

/**
 * {@link OfprotoRevalidation} with the real slow path: an {@link Ofproto} translating the upcalls
 * of a datapath over ring ports (OpenFlow port N is datapath port N), PMD and revalidation cycles
 * stepped by hand on one test clock shared by both.
 */
class OfprotoRevalidationTest extends OfprotoRevalFixture {
    private static final int FRAME_BYTES = 60;

    static byte[] frame(int tpDst) {
        return Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1000, tpDst).size(FRAME_BYTES).build();
    }

    /** {@code count} frames over {@code flows} distinct source ports, to {@code tpDst}. */
    static List<byte[]> frames(int tpDst, int flows, int count) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(2000 + i % flows, tpDst).size(FRAME_BYTES).build());
        }
        return out;
    }

    /** Sends, steps until the PMD is idle, and returns what came out of ports 2 and 3. */
    private int[] sendAndCount(List<byte[]> frames) {
        assertThat(h.send(1, frames)).isEqualTo(frames.size());
        h.stepUntilIdle();
        return new int[] {h.receive(2).size(), h.receive(3).size()};
    }

    private List<Ukey> liveFlows() {
        List<Ukey> out = new ArrayList<>();
        for (Ukey u : h.dp.flows().dump()) {
            if (!u.flow().isDead()) {
                out.add(u);
            }
        }
        return out;
    }

    @Test
    void aRuleChangedFromOutput2ToOutput3MovesTrafficWithinOneCycleAndLosesNothing() {
        Ofctl.addFlow(ofproto, BR, "in_port=1,actions=output:2");
        assertThat(sendAndCount(frames(80, 8, 64))).containsExactly(64, 0);
        Ukey before = liveFlows().get(0);

        Ofctl.addFlow(ofproto, BR, "in_port=1,actions=output:3");
        // Traffic already queued when the change lands; the old megaflow forwards it until revalidated.
        assertThat(h.send(1, frames(80, 8, 32))).isEqualTo(32);
        h.step(1);
        long cyclesBefore = pool.counter(RevalidatorCounter.DUMPS);
        pool.runCycle();
        assertThat(pool.counter(RevalidatorCounter.DUMPS)).isEqualTo(cyclesBefore + 1);
        assertThat(h.send(1, frames(80, 8, 64))).isEqualTo(64);
        h.stepUntilIdle();
        int to2 = h.receive(2).size();
        int to3 = h.receive(3).size();
        assertThat(to2 + to3).as("no packet lost to the change").isEqualTo(96);
        assertThat(to2).as("only what the PMD took before the cycle").isLessThanOrEqualTo(32);

        assertThat(sendAndCount(frames(80, 8, 64))).containsExactly(0, 64);
        assertThat(liveFlows()).containsExactly(before);
        assertThat(pool.counter(RevalidatorCounter.FLOWS_MODIFIED)).isEqualTo(1);
        assertThat(pool.counter(RevalidatorCounter.FLOWS_DELETED_REVALIDATION)).isZero();
    }

    @Test
    void aDeletedRuleStopsMatching() {
        Ofctl.addFlow(ofproto, BR, "priority=100,in_port=1,udp,tp_dst=80,actions=output:2");
        Ofctl.addFlow(ofproto, BR, "priority=0,actions=drop");
        assertThat(sendAndCount(frames(80, 4, 16))).containsExactly(16, 0);

        assertThat(Ofctl.delFlows(ofproto, BR, "udp,tp_dst=80", false)).isEqualTo(1);
        revalidate();
        assertThat(sendAndCount(frames(80, 4, 16))).containsExactly(0, 0);
        assertThat(ofproto.upcallHandler().upcalls()).as("the flow was modified to drop, not reinstalled").isEqualTo(1);
    }

    @Test
    void aRuleNeedingAWiderMaskDeletesTheMegaflowAndTheNextPacketReinstallsIt() {
        Ofctl.addFlow(ofproto, BR, "in_port=1,actions=output:2");
        assertThat(sendAndCount(frames(80, 4, 16))).containsExactly(16, 0);
        Ukey wide = liveFlows().get(0);

        Ofctl.addFlow(ofproto, BR, "priority=40000,in_port=1,udp,tp_dst=80,actions=output:3");
        revalidate();
        assertThat(pool.counter(RevalidatorCounter.FLOWS_DELETED_REVALIDATION)).isEqualTo(1);
        assertThat(liveFlows()).doesNotContain(wide);

        assertThat(sendAndCount(frames(80, 4, 16))).containsExactly(0, 16);
        assertThat(sendAndCount(frames(81, 4, 16))).containsExactly(16, 0);
        assertThat(liveFlows()).hasSize(2);
        assertThat(ofproto.upcallHandler().upcalls()).isEqualTo(3);
    }

    @Test
    void ruleCountersEqualPacketsSentAfterRevalidation() {
        Ofctl.addFlow(ofproto, BR, "table=0,in_port=1,udp,actions=resubmit(,1)");
        Ofctl.addFlow(ofproto, BR, "table=1,udp,tp_dst=80,actions=output:2");
        Ofctl.addFlow(ofproto, BR, "table=1,udp,tp_dst=81,actions=output:3");
        int[] out80 = sendAndCount(frames(80, 16, 300));
        int[] out81 = sendAndCount(frames(81, 16, 200));
        assertThat(out80).containsExactly(300, 0);
        assertThat(out81).containsExactly(0, 200);
        pool.runCycle();

        Rule classify = rule(0, "Resubmit");
        assertThat(classify.stats().packets()).isEqualTo(500);
        assertThat(classify.stats().bytes()).isEqualTo(500L * FRAME_BYTES);
        assertThat(rule(1, "Output[port=2]").stats().packets()).isEqualTo(300);
        assertThat(rule(1, "Output[port=3]").stats().packets()).isEqualTo(200);

        // Further traffic is pushed as a delta, not counted twice.
        sendAndCount(frames(80, 16, 50));
        pool.runCycle();
        pool.runCycle();
        assertThat(rule(1, "Output[port=2]").stats().packets()).isEqualTo(350);
        assertThat(classify.stats().packets()).isEqualTo(550);
    }

    private Rule rule(int table, String actionsContain) {
        for (Rule r : ofproto.rules(BR)) {
            if (r.tableId() == table && r.toString().contains(actionsContain)) {
                return r;
            }
        }
        throw new AssertionError("no rule in table " + table + " with " + actionsContain + ": " + ofproto.rules(BR));
    }

    @Test
    void idleTimeoutExpiresARuleOnlyOnceItsTrafficStops() {
        Ofctl.addFlow(ofproto, BR, "priority=100,idle_timeout=5,in_port=1,actions=output:2");
        Ofctl.addFlow(ofproto, BR, "priority=0,actions=drop");
        // Busy for 8 s (longer than the idle timeout): the pushed used time keeps the rule.
        for (int s = 0; s < 8; s++) {
            assertThat(sendAndCount(frames(80, 2, 4))).containsExactly(4, 0);
            h.advanceMs(1_000);
            pool.runCycle();
        }
        assertThat(ofproto.rules(BR)).hasSize(2);

        h.advanceMs(3_000);
        pool.runCycle();
        assertThat(ofproto.rules(BR)).as("idle 4 s").hasSize(2);
        h.advanceMs(1_500);
        pool.runCycle();
        assertThat(ofproto.rules(BR)).as("idle 5.5 s").hasSize(1);
        revalidate();
        assertThat(sendAndCount(frames(80, 2, 4))).containsExactly(0, 0);
    }

    @Test
    void hardTimeoutExpiresABusyRule() {
        Ofctl.addFlow(ofproto, BR, "priority=100,hard_timeout=3,in_port=1,actions=output:2");
        for (int s = 0; s < 2; s++) {
            assertThat(sendAndCount(frames(80, 2, 4))).containsExactly(4, 0);
            h.advanceMs(1_000);
            pool.runCycle();
        }
        assertThat(ofproto.rules(BR)).hasSize(1);
        h.advanceMs(1_100);
        sendAndCount(frames(80, 2, 4));
        pool.runCycle();
        assertThat(ofproto.rules(BR)).isEmpty();
        revalidate();
        assertThat(sendAndCount(frames(80, 2, 4))).containsExactly(0, 0);
    }

    @Test
    void aMacLearnedAfterTheFlowWasMadeNarrowsItsFloodToOnePort() {
        Ofctl.addFlow(ofproto, BR, "actions=NORMAL");
        byte[] aToB = Frames.udp4().src("02:00:00:00:00:0a").dst("02:00:00:00:00:0b")
                .ip("10.0.0.1", "10.0.0.2").ports(1000, 80).size(FRAME_BYTES).build();
        byte[] bToA = Frames.udp4().src("02:00:00:00:00:0b").dst("02:00:00:00:00:0a")
                .ip("10.0.0.2", "10.0.0.1").ports(80, 1000).size(FRAME_BYTES).build();
        assertThat(sendAndCount(List.of(aToB))).as("B unknown: flooded").containsExactly(1, 1);
        long seq = ofproto.revalSeq();
        assertThat(h.send(2, bToA)).isEqualTo(1);
        h.stepUntilIdle();
        assertThat(h.receive(1)).hasSize(1);
        assertThat(ofproto.revalSeq()).as("learning B grows the version").isGreaterThan(seq);
        revalidate();
        assertThat(sendAndCount(List.of(aToB, aToB))).as("B learned on port 2").containsExactly(2, 0);
    }

    @Test
    void aRecirculationIdLivesWhileAFlowUsesItAndIsRetiredAfter() {
        Ofctl.addGroup(ofproto, BR, "group_id=1,type=select,selection_method=dp_hash"
                + ",bucket=weight:1,actions=output:2,bucket=weight:1,actions=output:3");
        Ofctl.addFlow(ofproto, BR, "priority=10,in_port=1,udp,actions=group:1");
        int[] out = sendAndCount(frames(80, 4, 16));
        assertThat(out[0] + out[1]).isEqualTo(16);
        assertThat(ofproto.recircIds().size()).isEqualTo(1);
        // Busy flows keep their id however many cycles run; a new connection still finds it.
        for (int i = 0; i < 5; i++) {
            sendAndCount(frames(80, 4, 8));
            h.advanceMs(500);
            pool.runCycle();
        }
        assertThat(ofproto.recircIds().size()).isEqualTo(1);
        out = sendAndCount(frames(443, 4, 8));
        assertThat(out[0] + out[1]).as("new connections recirculate with the live id").isEqualTo(8);

        Ofctl.delFlows(ofproto, BR, "", false);
        revalidate();
        h.advanceMs(RevalidatorConfig.DEFAULT_MAX_IDLE_MS + 1_000);
        for (int i = 0; i < 4; i++) {
            pool.runCycle();
            h.stepUntilIdle();
        }
        assertThat(liveFlows()).isEmpty();
        assertThat(ofproto.recircIds().size()).as("no flow uses the id any more").isZero();
    }

    /**
     * The change barrier with the real slow path: 1 000 flips of one rule between output:2 and
     * drop, with packets queued on the port at every change. Whatever the PMD takes after the
     * barrier returned follows the new rule: not one packet by the old one, none lost.
     */
    @Test
    void afterEachChangeAndBarrierNotOnePacketIsForwardedByTheOldRule() {
        Ofctl.addFlow(ofproto, BR, "priority=0,actions=drop");
        List<byte[]> traffic = frames(80, 8, 16);
        for (int round = 1; round <= 1_000; round++) {
            boolean forward = round % 2 == 1;
            // Steady traffic: a batch the PMD has taken, and one still queued on the port.
            assertThat(h.send(1, traffic)).isEqualTo(16);
            h.step(1);
            assertThat(h.send(1, traffic)).isEqualTo(16);
            Ofctl.addFlow(ofproto, BR, "priority=100,in_port=1,actions=" + (forward ? "output:2" : "drop"));
            revalidate();
            h.receive(2);
            h.stepUntilIdle();
            assertThat(h.receive(2)).as("round %d", round).hasSize(forward ? 16 : 0);
            h.advanceMs(1);
        }
        assertThat(liveFlows()).hasSize(1);
    }
}
