package dev.jvswitch.ofproto.xlate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.testkit.frame.Frames;

/**
 * {@code controller(pause)} and its resume, as OVS's continuations: translation stops at the
 * action (nothing after it reaches the datapath), the packet-in carries the flow's registers and
 * a frozen state holding the actions still to run at every level; resuming that state with the
 * metadata the controller sent back runs them with its registers. Also {@code output:REG},
 * {@code check_pkt_larger} and {@code sample}.
 */
class PauseResumeXlateTest {
    private static FlowKey udp(TestSwitch sw) {
        return sw.key(Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(68, 67).build(), 1);
    }

    @Test
    void aPauseFreezesTheRestAndAResumeRunsItWithTheControllersRegisters() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 3, 0)) {
            sw.flows("br0",
                    "table=0,in_port=1,actions=load:7->NXM_NX_REG1[],push:NXM_NX_REG1[],resubmit(,1),output:3",
                    "table=1,actions=controller(userdata=01.02,pause),resubmit(,2)",
                    "table=2,reg0=1,actions=pop:NXM_NX_REG2[],output:2",
                    "table=2,priority=0,actions=drop");
            XlateResult first = sw.xlate(udp(sw));
            assertThat(first.error()).isNull();
            assertThat(first.slowPath()).isTrue();
            assertThat(first.actions().toString()).as("nothing runs after the pause").isEqualTo("drop");
            assertThat(first.controllerOutputs()).hasSize(1);
            ControllerOutput out = first.controllerOutputs().get(0);
            assertThat(out.tableId()).isEqualTo(1);
            assertThat(out.pin().userdata()).containsExactly(1, 2);
            assertThat(out.pin().flow().get(FlowField.REG1)).isEqualTo(7);
            FrozenState state = out.pin().continuation();
            assertThat(state.frames()).hasSize(2);
            assertThat(state.frames().get(0).tableId()).isEqualTo(1);
            assertThat(state.frames().get(0).actions().toString()).contains("Resubmit");
            assertThat(state.frames().get(1).tableId()).isEqualTo(0);
            assertThat(state.stack()).containsExactly(7, 0);

            // The controller answers with reg0=1 (as pinctrl writes its result bit).
            FlowKey back = udp(sw);
            back.set(FlowField.REG0, 1);
            XlateResult resumed = sw.ofproto.xlate().resume(sw.ofproto.snapshot(), back, state, 60, 0);
            assertThat(resumed.error()).isNull();
            assertThat(resumed.actions().toString()).isEqualTo("2,3");
            assertThat(resumed.finalFlow().get(FlowField.REG2)).as("the frozen stack popped").isEqualTo(7);

            XlateResult refused = sw.ofproto.xlate().resume(sw.ofproto.snapshot(), udp(sw), state, 60, 0);
            assertThat(refused.actions().toString()).as("reg0=0: the drop rule, then output:3").isEqualTo("3");
        }
    }

    @Test
    void aPlainControllerActionHasNoPinAndTheListGoesOn() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 3, 0)) {
            sw.flows("br0", "table=0,actions=controller(max_len=100),output:2");
            XlateResult r = sw.xlate(udp(sw));
            assertThat(r.actions().toString()).isEqualTo("2");
            assertThat(r.controllerOutputs().get(0).pin()).isNull();
            assertThat(r.controllerOutputs().get(0).maxLen()).isEqualTo(100);
        }
    }

    @Test
    void outputRegCheckPktLargerAndSample() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 3, 0)) {
            sw.flows("br0",
                    "table=0,actions=sample(probability=65535,collector_set_id=1,obs_domain_id=2,obs_point_id=3),"
                            + "load:3->NXM_NX_REG15[],check_pkt_larger(100)->NXM_NX_REG0[0],resubmit(,1)",
                    "table=1,reg0=0x1/0x1,actions=output:NXM_NX_REG15[]",
                    "table=1,priority=0,actions=output:2");
            long samples = ActionXlate.SAMPLES.sum();
            FlowKey key = udp(sw);
            XlateOutput small = sw.ofproto.xlate().translateUpcall(sw.ofproto.snapshot(), key, 0, 60);
            assertThat(small.actions().toString()).isEqualTo("2");
            assertThat(small.slowPath()).as("each packet is measured").isTrue();
            XlateOutput big = sw.ofproto.xlate().translateUpcall(sw.ofproto.snapshot(), key, 0, 1000);
            assertThat(big.actions().toString()).isEqualTo("3");
            assertThat(ActionXlate.SAMPLES.sum() - samples).isEqualTo(2);
        }
    }
}
