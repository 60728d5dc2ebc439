package dev.jvswitch.ofproto.upcall;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.xlate.TestSwitch;
import dev.jvswitch.pmd.upcall.UpcallOutcome;
import dev.jvswitch.pmd.upcall.UpcallResult;
import dev.jvswitch.testkit.frame.Frames;

/**
 * What a {@code learn} costs an upcall, measured on this thread (CPU time and heap bytes per
 * upcall, printed): upcalls through a MAC-learning rule that learn a new flow each (a table
 * change: a rule added and a version published), upcalls that teach a flow already there (a
 * refresh: no version), and the same rule set without the learn. The refresh path is the one
 * every learning megaflow's packets take afterwards through the revalidators, so it is bounded
 * here: it makes the learned flow's add (a few records) and nothing per table size.
 */
class LearnUpcallCostTest {
    private static final int MACS = 4000;
    private static final String LEARN = "table=0,priority=10,in_port=1,actions=learn(table=1,idle_timeout=60,"
            + "NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:NXM_OF_IN_PORT[]->NXM_NX_REG0[0..15],"
            + "output:NXM_OF_IN_PORT[]),resubmit(,1)";
    private static final String NO_LEARN = "table=0,priority=10,in_port=1,actions=resubmit(,1)";

    private static List<FlowKey> keys(TestSwitch sw, int base) {
        List<FlowKey> out = new ArrayList<>(MACS);
        for (int i = 0; i < MACS; i++) {
            long mac = 0x0200_0000_0000L | (base + i);
            out.add(sw.key(Frames.udp4().src(mac).dst("00:00:00:00:00:02").ports(1000, 53).build(), 1));
        }
        return out;
    }

    /** CPU ns and heap bytes per upcall over {@code keys}. */
    private static double[] run(TestSwitch sw, List<FlowKey> keys) {
        com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        UpcallResult res = new UpcallResult();
        long cpu0 = t.getCurrentThreadCpuTime();
        long mem0 = t.getCurrentThreadAllocatedBytes();
        for (FlowKey k : keys) {
            res.reset();
            assertThat(sw.ofproto.upcallHandler().onUpcall(0, k, null, res)).isEqualTo(UpcallOutcome.OK);
        }
        long cpu = t.getCurrentThreadCpuTime() - cpu0;
        long mem = t.getCurrentThreadAllocatedBytes() - mem0;
        return new double[] {(double) cpu / keys.size(), (double) mem / keys.size()};
    }

    @Test
    void learningCostsPerUpcall() {
        try (TestSwitch plain = new TestSwitch().bridge("br0", 3, 0);
             TestSwitch learning = new TestSwitch().bridge("br0", 3, 0)) {
            plain.flows("br0", NO_LEARN, "table=1,priority=0,actions=output:3");
            learning.flows("br0", LEARN, "table=1,priority=0,actions=output:3");
            List<FlowKey> warm = keys(learning, 0);
            List<FlowKey> fresh = keys(learning, MACS);
            // Warm both paths (and the JIT) on other MACs.
            run(plain, warm);
            run(learning, warm);
            run(learning, warm);

            double[] base = run(plain, fresh);
            double[] learnNew = run(learning, fresh);
            int rules = learning.ofproto.rules("br0").size();
            double[] refresh = run(learning, fresh);
            System.out.printf("upcall without learn: %.0f CPU ns, %.0f heap bytes%n", base[0], base[1]);
            System.out.printf("upcall that learns a new flow (table of %d rules): %.0f CPU ns, %.0f heap bytes%n",
                    rules, learnNew[0], learnNew[1]);
            System.out.printf("upcall that refreshes a learned flow: %.0f CPU ns, %.0f heap bytes%n", refresh[0],
                    refresh[1]);
            assertThat(rules).isEqualTo(2 * MACS + 2);
            assertThat(learning.ofproto.learnCounts()[1]).as("refreshed").isGreaterThanOrEqualTo(2L * MACS);
            assertThat(refresh[1]).as("heap bytes per refreshing upcall").isLessThan(3_000);
        }
    }
}
