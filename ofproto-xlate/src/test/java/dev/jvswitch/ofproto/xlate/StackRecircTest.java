package dev.jvswitch.ofproto.xlate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.Ofctl;
import dev.jvswitch.testkit.frame.Frames;

/**
 * The push/pop stack survives a recirculation, as OVS freezes it with the rest of the
 * translation state: a value pushed before a {@code dp_hash} select group recirculates is there
 * to pop in the bucket the recirculated pass runs.
 */
class StackRecircTest {
    /** The pops are in table 1, not in the buckets: OVS runs a bucket as an action set, without pop. */
    private static final String GROUP = "group_id=1,type=select,selection_method=dp_hash,"
            + "bucket=bucket_id=1,actions=resubmit(,1),bucket=bucket_id=2,actions=resubmit(,1)";

    private static String secondPass(TestSwitch sw, int udpSrc) {
        FlowKey key = sw.key(Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(udpSrc, 53).build(), 1);
        XlateResult first = sw.xlate(key);
        assertThat(first.actions().toString()).startsWith("hash(l4(0)),recirc(");
        assertThat(first.recircPoints()).hasSize(1);
        XlateResult second = sw.xlate(TestSwitch.recirculated(key, first.recircPoints().get(0)));
        assertThat(second.error()).isNull();
        return second.actions().toString();
    }

    @Test
    void aValuePushedBeforeTheRecirculationPopsAfterIt() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 3, 0)) {
            Ofctl.addGroup(sw.ofproto, "br0", GROUP);
            sw.flows("br0",
                    "table=0,in_port=1,actions=load:5->NXM_NX_REG0[],push:NXM_NX_REG0[],load:0->NXM_NX_REG0[],group:1",
                    "table=1,actions=pop:NXM_NX_REG1[],resubmit(,2)",
                    "table=2,reg1=5,actions=output:2",
                    "table=2,priority=0,actions=output:3");
            for (int port = 1000; port < 1016; port++) {
                assertThat(secondPass(sw, port)).as("udp_src %d", port).isEqualTo("2");
            }
        }
    }

    @Test
    void packetFieldsPushedKeepTheirOwnRecirculation() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 3, 0)) {
            Ofctl.addGroup(sw.ofproto, "br0", GROUP);
            sw.flows("br0",
                    "table=0,in_port=1,udp,actions=push:NXM_OF_UDP_SRC[],group:1",
                    "table=1,actions=pop:NXM_NX_REG1[0..15],resubmit(,2)",
                    "table=2,reg1=1000,actions=output:2",
                    "table=2,priority=0,actions=output:3");
            assertThat(secondPass(sw, 1000)).isEqualTo("2");
            assertThat(secondPass(sw, 1001)).isEqualTo("3");
            // The pushed port is read, so it is in the first pass's megaflow.
            FlowKey key = sw.key(Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1000, 53).build(), 1);
            assertThat(sw.xlate(key).mask().isExact(dev.jvswitch.flowcache.key.FlowField.TP_SRC)).isTrue();
        }
    }
}
