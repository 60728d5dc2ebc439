package dev.jvswitch.ofproto.upcall;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.Ofctl;
import dev.jvswitch.ofproto.xlate.TestSwitch;
import dev.jvswitch.ofproto.xlate.XlateResult;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.pmd.testing.DatapathHarness;
import dev.jvswitch.testkit.frame.Frames;

/**
 * Design invariant 5: a TCP connection's packets go to one select-group bucket forever. Each
 * connection's packets go through a two-PMD datapath again and again while everything that could
 * split it changes: the first packet takes the slow path, the next ones the EMC, then every
 * megaflow is flushed and the connection arrives on the other PMD, then the EMC is turned off,
 * then an unrelated rule change publishes a new table version. The bucket (output port) never
 * changes, and it is the one a fresh translation predicts.
 */
class SelectGroupStabilityTest {
    private static final int CONNECTIONS = 150;

    @ParameterizedTest
    @ValueSource(strings = {"dp_hash", "hash,fields(ip_src,ip_dst,tcp_src,tcp_dst)"})
    void aConnectionKeepsItsBucket(String method) {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 5, 0)) {
            Ofctl.addGroup(sw.ofproto, "br0", "group_id=1,type=select,selection_method=" + method
                    + ",bucket=weight:1,actions=output:2,bucket=weight:2,actions=output:3"
                    + ",bucket=weight:5,actions=output:4");
            sw.flows("br0", "priority=10,in_port=1,tcp,actions=group:1");
            DatapathConfig cfg = DatapathConfig.defaults().withPmdCpus(-1, -1).withEmcInsertInvProb(1);
            try (DatapathHarness rig = DatapathHarness.builder(cfg, sw.ofproto.upcallHandler()).queues(2)
                    .portNumbers(1, 2, 3, 4, 5).build()) {
                rig.dp.pinRxq(1, 0, 0);
                rig.dp.pinRxq(1, 1, 1);
                int[] bucketOf = new int[CONNECTIONS];
                int[] perPort = new int[6];
                for (int c = 0; c < CONNECTIONS; c++) {
                    bucketOf[c] = predicted(sw, c);
                    perPort[bucketOf[c]]++;
                }
                // Every bucket gets connections, so a broken hash could not pass by luck.
                assertThat(perPort[2]).isPositive();
                assertThat(perPort[3]).isPositive();
                assertThat(perPort[4]).isGreaterThan(perPort[2]);

                phase(rig, bucketOf, 0, 0x02, "slow path on pmd 0");
                phase(rig, bucketOf, 0, 0x02, "EMC on pmd 0");
                assertThat(rig.dp.pmd(0).stats().get(PmdCounter.EMC_HITS)).isPositive();
                rig.dp.flows().flush();
                phase(rig, bucketOf, 1, 0x10, "after flush, on pmd 1");
                phase(rig, bucketOf, 1, 0x18, "megaflow hits on pmd 1");
                rig.dp.reconfigure(cfg.withEmcInsertInvProb(0));
                rig.dp.flows().flush();
                phase(rig, bucketOf, 0, 0x10, "EMC off, re-upcall on pmd 0");
                phase(rig, bucketOf, 0, 0x11, "EMC off, dpcls on pmd 0");
                sw.flows("br0", "priority=5,udp,actions=drop");
                rig.dp.flows().flush();
                phase(rig, bucketOf, 1, 0x10, "new table version, pmd 1");
                assertThat(rig.dp.pmd(1).stats().get(PmdCounter.UPCALL_OK)).isPositive();
            }
        }
    }

    /** Sends one packet of every connection on {@code queue} and checks where each went. */
    private static void phase(DatapathHarness rig, int[] bucketOf, int queue, int tcpFlags, String what) {
        for (int c = 0; c < bucketOf.length; c++) {
            rig.sendOnQueue(1, queue, packet(c, tcpFlags));
            rig.step(3);
            Map<Integer, List<byte[]>> out = rig.receiveAll();
            assertThat(out.keySet()).as("connection %d, %s", c, what).containsExactly(bucketOf[c]);
            assertThat(out.get(bucketOf[c])).hasSize(1);
        }
    }

    /** The output port a fresh translation gives, following the recirculation like the datapath. */
    private static int predicted(TestSwitch sw, int c) {
        FlowKey key = sw.key(packet(c, 0x02), 1);
        XlateResult r = sw.xlate(key);
        DpActions actions = r.actions();
        if (!r.recircPoints().isEmpty()) {
            actions = sw.xlate(TestSwitch.recirculated(key, r.recircPoints().get(0))).actions();
        }
        assertThat(actions.length()).isEqualTo(1);
        assertThat(actions.op(0)).isEqualTo(DpActions.OP_OUTPUT);
        return actions.a(0);
    }

    /** A packet of connection {@code c}: its 5-tuple is fixed, its flags and payload vary. */
    static byte[] packet(int c, int tcpFlags) {
        return Frames.tcp4().ip("10.1." + (c / 200) + "." + (c % 200 + 1), "192.0.2.10")
                .ports(10_000 + c * 7, 80).tcpFlags(tcpFlags).size(60 + (tcpFlags & 0xf)).build();
    }
}
