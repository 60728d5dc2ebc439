package dev.jvswitch.ofproto.revalidate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jvswitch.ofproto.Ofctl;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.testkit.frame.Frames;

/**
 * {@code fin_timeout} through the real datapath path (OVS's {@code XC_FIN_TIMEOUT}): a FIN or RST
 * that misses lowers its rule's timeouts in the upcall; one that hits an installed megaflow (which
 * does not match {@code tcp_flags}) does so when the revalidators push the megaflow's statistics;
 * a lowered rule then expires by its new timeouts, and no timeout is ever raised. Learned flows get
 * the action from {@code learn(fin_idle_timeout=...,fin_hard_timeout=...)}.
 */
class FinTimeoutRevalidationTest extends OfprotoRevalFixture {
    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int ACK = 0x10;

    private static byte[] tcp(String src, String dst, int sport, int dport, int flags) {
        return Frames.tcp4().ip(src, dst).ports(sport, dport).tcpFlags(flags).build();
    }

    /** Sends on {@code port}, steps until the PMD is idle, returns what ports 1, 2, 3 sent. */
    private int[] send(int port, byte[]... frames) {
        assertThat(h.send(port, List.of(frames))).isEqualTo(frames.length);
        h.stepUntilIdle();
        return new int[] {h.receive(1).size(), h.receive(2).size(), h.receive(3).size()};
    }

    /** The flows of {@code table} as dump-flows prints them, without times and counters. */
    private List<String> flows(int table) {
        List<String> out = new ArrayList<>();
        for (FlowStats fs : ofproto.flowStats(BR)) {
            if (fs.tableId() == table) {
                out.add(FlowSyntax.dumpFlow(fs).replaceAll("duration=[0-9.]+s, ", "")
                        .replaceAll("n_packets=\\d+, n_bytes=\\d+, ", "").replaceAll("idle_age=\\d+, ", "")
                        .replaceAll("hard_age=\\d+, ", "").trim());
            }
        }
        return out;
    }

    /** Steps the clock by {@code ms} and runs one revalidation cycle (which expires rules). */
    private void after(long ms) {
        h.advanceMs(ms);
        pool.runCycle();
    }

    @Test
    void aFinThroughALearnedFlowShortensItsTimeoutsAndTheFlowThenExpires() {
        Ofctl.addFlows(ofproto, BR, List.of(
                "table=0,priority=10,in_port=1,tcp,actions=learn(table=1,idle_timeout=60,fin_idle_timeout=2,"
                        + "fin_hard_timeout=30,eth_type=0x800,nw_proto=6,NXM_OF_IP_SRC[]=NXM_OF_IP_DST[],"
                        + "NXM_OF_IP_DST[]=NXM_OF_IP_SRC[],NXM_OF_TCP_SRC[]=NXM_OF_TCP_DST[],"
                        + "NXM_OF_TCP_DST[]=NXM_OF_TCP_SRC[],output:NXM_OF_IN_PORT[]),output:2",
                "table=0,priority=10,in_port=2,actions=resubmit(,1)",
                "table=1,priority=0,actions=output:3"));
        assertThat(send(1, tcp("10.0.0.1", "10.0.0.2", 1000, 80, SYN))).containsExactly(0, 1, 0);
        String learned = "cookie=0x0, table=1, idle_timeout=60, tcp,nw_src=10.0.0.2,nw_dst=10.0.0.1,"
                + "tp_src=80,tp_dst=1000 actions=fin_timeout(idle_timeout=2,hard_timeout=30),output:1";
        assertThat(flows(1)).contains(learned);

        assertThat(send(2, tcp("10.0.0.2", "10.0.0.1", 80, 1000, ACK))).as("the reply takes the learned flow")
                .containsExactly(1, 0, 0);
        long upcalls = ofproto.upcallHandler().upcalls();
        after(1_000);
        assertThat(flows(1)).as("no FIN yet").contains(learned);

        assertThat(send(2, tcp("10.0.0.2", "10.0.0.1", 80, 1000, FIN | ACK))).containsExactly(1, 0, 0);
        assertThat(ofproto.upcallHandler().upcalls()).as("the FIN hit the reply's megaflow").isEqualTo(upcalls);
        assertThat(flows(1)).as("not before its statistics are pushed").contains(learned);
        pool.runCycle();
        assertThat(flows(1)).contains("cookie=0x0, table=1, idle_timeout=2, hard_timeout=30, tcp,"
                + "nw_src=10.0.0.2,nw_dst=10.0.0.1,tp_src=80,tp_dst=1000 "
                + "actions=fin_timeout(idle_timeout=2,hard_timeout=30),output:1");

        after(1_000);
        assertThat(flows(1)).as("idle 1 s").hasSize(2);
        after(1_100);
        assertThat(flows(1)).as("idle 2.1 s: expired by the lowered idle timeout")
                .containsExactly("cookie=0x0, table=1, priority=0 actions=output:3");
        revalidate();
        assertThat(send(2, tcp("10.0.0.2", "10.0.0.1", 80, 1000, ACK))).as("replies miss the learned flow again")
                .containsExactly(0, 0, 1);
    }

    @Test
    void aFinOrRstThatMissesLowersTheRuleInTheUpcallAndOtherPacketsDoNot() {
        Ofctl.addFlows(ofproto, BR, List.of(
                "table=0,priority=10,in_port=1,tcp,tp_dst=80,actions=fin_timeout(idle_timeout=3),output:2",
                "table=0,priority=10,in_port=1,tcp,tp_dst=81,actions=fin_timeout(hard_timeout=5),output:2",
                "table=0,priority=10,in_port=1,tcp,tp_dst=82,actions=fin_timeout(idle_timeout=3),output:2"));
        send(1, tcp("10.0.0.1", "10.0.0.2", 1000, 80, FIN | ACK), tcp("10.0.0.1", "10.0.0.2", 1000, 81, RST),
                tcp("10.0.0.1", "10.0.0.2", 1000, 82, SYN));
        assertThat(flows(0)).containsExactlyInAnyOrder(
                "cookie=0x0, table=0, idle_timeout=3, priority=10,tcp,in_port=1,tp_dst=80 "
                        + "actions=fin_timeout(idle_timeout=3),output:2",
                "cookie=0x0, table=0, hard_timeout=5, priority=10,tcp,in_port=1,tp_dst=81 "
                        + "actions=fin_timeout(hard_timeout=5),output:2",
                "cookie=0x0, table=0, priority=10,tcp,in_port=1,tp_dst=82 actions=fin_timeout(idle_timeout=3),output:2");

        after(3_100);
        assertThat(flows(0)).as("3.1 s idle").hasSize(2);
        after(2_000);
        assertThat(flows(0)).as("5.1 s since creation").containsExactly(
                "cookie=0x0, table=0, priority=10,tcp,in_port=1,tp_dst=82 actions=fin_timeout(idle_timeout=3),output:2");
    }

    @Test
    void aTimeoutIsNeverRaisedAndATraceLowersNothing() {
        Ofctl.addFlows(ofproto, BR, List.of("table=0,idle_timeout=2,hard_timeout=100,priority=10,in_port=1,tcp,"
                + "actions=fin_timeout(idle_timeout=10,hard_timeout=50),output:2"));
        ofproto.tracer().trace(BR, "in_port=1,tcp,nw_src=10.0.0.1,nw_dst=10.0.0.2,tcp_src=1,tcp_dst=2,tcp_flags=fin");
        assertThat(flows(0)).as("a trace has no side effects").containsExactly("cookie=0x0, table=0, idle_timeout=2, "
                + "hard_timeout=100, priority=10,tcp,in_port=1 actions=fin_timeout(idle_timeout=10,hard_timeout=50),"
                + "output:2");
        send(1, tcp("10.0.0.1", "10.0.0.2", 1000, 80, FIN));
        assertThat(flows(0)).as("idle stays 2, hard comes down to 50").containsExactly("cookie=0x0, "
                + "table=0, idle_timeout=2, hard_timeout=50, priority=10,tcp,in_port=1 "
                + "actions=fin_timeout(idle_timeout=10,hard_timeout=50),output:2");
        after(2_100);
        assertThat(flows(0)).isEmpty();
    }
}
