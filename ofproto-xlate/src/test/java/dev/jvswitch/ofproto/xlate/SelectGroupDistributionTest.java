package dev.jvswitch.ofproto.xlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.testkit.frame.Frames;
import dev.jvswitch.ofproto.Ofctl;

/**
 * Select groups spread flows over buckets by weight: over many random flows each bucket's share
 * stays within a chi-square bound of its weight's share, with {@code dp_hash} (through the
 * recirculated pass) and with {@code hash} over listed fields; weight 0 gets nothing; a dead
 * bucket's flows go to the live ones while the live buckets keep theirs.
 */
class SelectGroupDistributionTest {
    private static final int FLOWS = 20_000;

    @ParameterizedTest
    @CsvSource({"dp_hash,1:2:5", "dp_hash,3:5:7:1", "hash,1:2:5", "hash,3:5:7:1", "dp_hash,1:1"})
    void bucketsGetFlowsByWeight(String method, String weightList) {
        String[] w = weightList.split(":");
        StringBuilder group = new StringBuilder("group_id=7,type=select,selection_method=" + method);
        if (method.equals("hash")) {
            group.append(",fields(ip_src,ip_dst,udp_src,udp_dst)");
        }
        long total = 0;
        for (int i = 0; i < w.length; i++) {
            group.append(",bucket=weight:").append(w[i]).append(",actions=output:").append(i + 2);
            total += Long.parseLong(w[i]);
        }
        try (TestSwitch sw = new TestSwitch().bridge("br0", w.length + 1, 0)) {
            Ofctl.addGroup(sw.ofproto, "br0", group.toString());
            sw.flows("br0", "in_port=1,actions=group:7");
            int[] count = count(sw, w.length + 2);
            double chi2 = 0;
            for (int i = 0; i < w.length; i++) {
                double expected = FLOWS * Double.parseDouble(w[i]) / total;
                chi2 += Math.pow(count[i + 2] - expected, 2) / expected;
            }
            // The table rounds shares to within 5% of the weights; over 20 000 flows that alone
            // is worth a chi-square of at most ~30, while a broken spread is worth thousands.
            assertThat(chi2).as("chi-square over %s", java.util.Arrays.toString(count)).isLessThan(40.0);
        }
    }

    @Test
    void weightZeroAndDeadBuckets() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 4, 0)) {
            Ofctl.addGroup(sw.ofproto, "br0", "group_id=7,type=select,selection_method=dp_hash,bucket=weight:0,actions=output:2,"
                    + "bucket=weight:1,watch_port:3,actions=output:3,bucket=weight:1,actions=output:4");
            sw.flows("br0", "in_port=1,actions=group:7");
            int[] all = count(sw, 5);
            assertThat(all[2]).isZero();
            assertThat(all[3]).isPositive();
            assertThat(all[4]).isPositive();
            int[] before = outputs(sw);
            sw.deadPorts.add("br0-p3");
            int[] after = outputs(sw);
            for (int f = 0; f < before.length; f++) {
                if (before[f] == 4) {
                    assertThat(after[f]).as("flow %d stays on the live bucket", f).isEqualTo(4);
                }
                assertThat(after[f]).isEqualTo(4);
            }
        }
    }

    /**
     * A dp_hash select group reached after a conntrack recirculation (OVN's load balancer: ct,
     * then the group): the packet back from ct carries no dp_hash, so the group hashes and
     * recirculates again rather than reading dp_hash 0 (which sent every connection to one
     * bucket), and connections spread over both buckets.
     */
    @Test
    void aDpHashGroupAfterAConntrackRecirculationHashesFirst() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 3, 0)) {
            Ofctl.addGroup(sw.ofproto, "br0", "group_id=7,type=select,selection_method=dp_hash,"
                    + "bucket=weight:100,actions=output:2,bucket=weight:100,actions=output:3");
            sw.flows("br0", "table=0,in_port=1,tcp,actions=ct(table=1)", "table=1,actions=group:7");
            int[] count = new int[4];
            for (int sport = 40000; sport < 40200; sport += 2) {
                FlowKey key = sw.key(Frames.tcp4().ip("10.0.0.1", "172.16.0.100").ports(sport, 80).build(), 1);
                XlateResult ct = sw.xlate(key);
                assertThat(ct.recircPoints()).hasSize(1);
                FlowKey back = ct.recircPoints().get(0).packet().copy();
                XlateResult group = sw.xlate(back);
                assertThat(group.recircPoints()).as("the group recirculates with a hash").hasSize(1);
                assertThat(hasOp(group.actions(), DpActions.OP_HASH)).isTrue();
                DpActions out = sw.xlate(TestSwitch.recirculated(back, group.recircPoints().get(0))).actions();
                assertThat(out.op(0)).isEqualTo(DpActions.OP_OUTPUT);
                count[out.a(0)]++;
            }
            assertThat(count[2]).as("bucket 1's connections of 100").isBetween(25, 75);
            assertThat(count[3]).isEqualTo(100 - count[2]);
        }
    }

    private static boolean hasOp(DpActions a, byte op) {
        for (int i = 0; i < a.length(); i++) {
            if (a.op(i) == op) {
                return true;
            }
        }
        return false;
    }

    private static int[] count(TestSwitch sw, int ports) {
        int[] count = new int[ports];
        for (int port : outputs(sw)) {
            count[port]++;
        }
        return count;
    }

    /** The output port of each of {@link #FLOWS} random UDP flows, following recirculation. */
    private static int[] outputs(TestSwitch sw) {
        Random rnd = new Random(42);
        int[] out = new int[FLOWS];
        for (int f = 0; f < FLOWS; f++) {
            byte[] frame = Frames.udp4().ip("10." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256),
                    "192.0.2.1").ports(1024 + rnd.nextInt(60000), 53).build();
            FlowKey key = sw.key(frame, 1);
            XlateResult r = sw.xlate(key);
            DpActions a = r.actions();
            if (!r.recircPoints().isEmpty()) {
                a = sw.xlate(TestSwitch.recirculated(key, r.recircPoints().get(0))).actions();
            }
            assertThat(a.op(0)).isEqualTo(DpActions.OP_OUTPUT);
            out[f] = a.a(0);
        }
        return out;
    }
}
