package dev.jvswitch.ofproto.revalidate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jvswitch.ofproto.Ofctl;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.testkit.frame.Frames;

/**
 * {@code learn} through the real datapath path: upcalls learn, learned flows forward, the
 * learning megaflow keeps its flows fresh through the revalidators while it sees packets (OVS's
 * XC_LEARN), timeouts expire them once it stops, and {@code delete_learned} takes them with their
 * parent. One test clock for the datapath and the ofproto; cycles stepped by hand.
 */
class LearnRevalidationTest extends OfprotoRevalFixture {
    private static final String A = "00:00:00:00:00:0a";
    private static final String B = "00:00:00:00:00:0b";

    private static List<byte[]> frames(String src, String dst, int count) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(Frames.udp4().src(src).dst(dst).ip("10.0.0.1", "10.0.0.2").ports(2000 + i, 53).build());
        }
        return out;
    }

    /** Sends on {@code port}, steps until the PMD is idle, returns what ports 1, 2, 3 sent. */
    private int[] send(int port, List<byte[]> frames) {
        assertThat(h.send(port, frames)).isEqualTo(frames.size());
        h.stepUntilIdle();
        return new int[] {h.receive(1).size(), h.receive(2).size(), h.receive(3).size()};
    }

    private List<String> learned() {
        List<String> out = new ArrayList<>();
        for (Rule r : ofproto.rules(BR)) {
            if (r.tableId() == 1 && r.priority() != 0) {
                out.add(FlowSyntax.formatMatch(r.match(), r.priority()) + " " + FlowSyntax.formatActions(r.actions()));
            }
        }
        return out;
    }

    private void macLearning(String learnOptions) {
        Ofctl.addFlows(ofproto, BR, List.of(
                "table=0,priority=10,in_port=1,actions=learn(table=1," + learnOptions
                        + "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[]),output:2",
                "table=0,priority=10,in_port=2,actions=resubmit(,1)",
                "table=1,priority=0,actions=output:3"));
    }

    @Test
    void anUpcallLearnsAndTheLearnedFlowForwardsTheReplies() {
        macLearning("");
        assertThat(learned()).isEmpty();
        assertThat(send(2, frames(B, A, 4))).as("nothing learned yet: table 1 misses").containsExactly(0, 0, 4);

        assertThat(send(1, frames(A, B, 4))).containsExactly(0, 4, 0);
        assertThat(learned()).containsExactly("dl_dst=" + A + " output:1");
        revalidate();
        assertThat(send(2, frames(B, A, 4))).as("replies follow the learned flow").containsExactly(4, 0, 0);
        // Other destinations still miss it.
        assertThat(send(2, frames(B, "00:00:00:00:00:0c", 2))).containsExactly(0, 0, 2);
    }

    @Test
    void aLearningFlowThatKeepsSeeingPacketsKeepsItsLearnedFlowAndOneThatStopsLetsItExpire() {
        macLearning("hard_timeout=3,");
        send(1, frames(A, B, 2));
        assertThat(learned()).hasSize(1);
        long seq = ofproto.revalSeq();
        // Busy for 6 s, twice the hard timeout: each cycle's pushed packets teach the flow again.
        for (int s = 0; s < 6; s++) {
            assertThat(send(1, frames(A, B, 2))).containsExactly(0, 2, 0);
            h.advanceMs(1_000);
            pool.runCycle();
            assertThat(learned()).as("after %d s", s + 1).hasSize(1);
        }
        assertThat(ofproto.learnCounts()[0]).as("added once").isEqualTo(1);
        assertThat(ofproto.learnCounts()[1]).as("refreshed").isPositive();
        assertThat(ofproto.revalSeq()).as("a refresh publishes no table version").isEqualTo(seq);

        h.advanceMs(3_100);
        pool.runCycle();
        assertThat(learned()).as("3.1 s without a packet").isEmpty();
    }

    @Test
    void anExpiredLearnedFlowComesBackWithTheNextPackets() {
        macLearning("idle_timeout=2,");
        send(1, frames(A, B, 2));
        assertThat(learned()).hasSize(1);
        h.advanceMs(2_500);
        pool.runCycle();
        assertThat(learned()).as("idle 2.5 s").isEmpty();
        // The learning megaflow is still installed: its next packets teach the flow again.
        send(1, frames(A, B, 2));
        pool.runCycle();
        ofproto.drainLearned();
        assertThat(learned()).containsExactly("dl_dst=" + A + " output:1");
    }

    @Test
    void deleteLearnedTakesTheLearnedFlowsWithTheLastParent() {
        Ofctl.addFlows(ofproto, BR, List.of(
                "table=0,priority=10,in_port=1,actions=learn(table=1,delete_learned,cookie=0x9,"
                        + "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[]),output:2",
                "table=0,priority=5,in_port=3,actions=learn(table=1,delete_learned,cookie=0x9,"
                        + "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[]),output:2",
                "table=1,priority=0,cookie=0x9,actions=output:3",
                "table=1,priority=1,cookie=0x8,dl_dst=" + B + ",actions=output:2"));
        send(1, frames(A, B, 1));
        send(3, frames("00:00:00:00:00:0c", B, 1));
        assertThat(learned()).hasSize(3);

        Ofctl.delFlows(ofproto, BR, "table=0,in_port=1", false);
        assertThat(learned()).as("one parent left").hasSize(3);
        Ofctl.delFlows(ofproto, BR, "table=0,in_port=3", false);
        assertThat(learned()).as("the rules of table 1 with cookie 0x9 went with the last parent")
                .containsExactly("priority=1,dl_dst=" + B + " output:2");
    }

    @Test
    void learnSourcesAreInTheMegaflowAndRegistersAreNot() {
        Ofctl.addFlows(ofproto, BR, List.of(
                "table=0,priority=10,in_port=1,udp,actions=learn(table=1,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
                        + "load:NXM_OF_UDP_SRC[]->NXM_NX_REG0[0..15],load:NXM_NX_REG1[]->NXM_NX_REG2[]),output:2"));
        send(1, frames(A, B, 3));
        assertThat(h.dp.flows().dump()).as("one megaflow per source port: udp_src is read").hasSize(3);
        assertThat(learned()).hasSize(1);
        assertThat(learned().get(0)).isEqualTo("dl_dst=" + A + " load:0x7d2->NXM_NX_REG0[0..15],load:0->NXM_NX_REG2[]");
    }
}
