package dev.jvswitch.openflow.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.sh.Sh;

/**
 * The controller-traffic actions (controller with userdata and pause, sample, check_pkt_larger,
 * output_reg, meter) in ovs-ofctl's text and OVS's wire encoding: each string parses, prints
 * back the same, encodes to bytes that decode to the same actions, and OVS 3.1's
 * {@code ovs-ofctl parse-actions OpenFlow15} reads those bytes as the same string.
 */
class NxPinWireTest {
    private static List<OfAction> parse(String actions) {
        FlowMod fm = FlowSyntax.parseAdd("ip,actions=" + actions);
        return fm.applyActions();
    }

    private static String hex(List<OfAction> actions) {
        ByteBuf b = Unpooled.buffer();
        NxFlowWriter.actions(b, actions);
        return ByteBufUtil.hexDump(b);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "controller(userdata=00.00.00.05.00.00.00.00.00.01.00.00,pause)",
        "controller(reason=no_match,max_len=100,id=3,userdata=01.02.03,pause,meter_id=2)",
        "controller(userdata=00.00.00.0c.00.00.00.00)",
        "controller(id=2)",
        "controller(reason=invalid_ttl)",
        "controller(meter_id=7)",
        "CONTROLLER:65535",
        "CONTROLLER:128",
        "sample(probability=65535,collector_set_id=1,obs_domain_id=2,obs_point_id=3)",
        "sample(probability=100,collector_set_id=4,obs_domain_id=5,obs_point_id=6,sampling_port=3)",
        "sample(probability=100,collector_set_id=4,obs_domain_id=5,obs_point_id=6,sampling_port=3,ingress)",
        "check_pkt_larger(1500)->NXM_NX_REG0[0]",
        "check_pkt_larger(1400)->NXM_NX_XXREG1[100]",
        "output:NXM_NX_REG15[]",
        "output:NXM_NX_REG0[16..31]",
        "meter:3",
        "controller(userdata=00.00.00.05,pause),resubmit(,20)",
    })
    void ovsTextAndBytesBothWays(String text) {
        List<OfAction> actions = parse(text);
        assertThat(FlowSyntax.format(FlowSyntax.parseAdd("ip,actions=" + text))).endsWith("actions=" + text);
        String hex = hex(actions);
        ByteBuf b = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        assertThat(NxActionWire.decode(b, 0, b.readableBytes())).isEqualTo(actions);
        if (Sh.onPath("ovs-ofctl")) {
            String out = Sh.run("sh", "-c", "echo " + hex + " | ovs-ofctl parse-actions OpenFlow15");
            assertThat(out).contains("actions=" + text + "\n");
        }
    }

    @Test
    void openVSwitchIsTheOracle() {
        Needs.that(Sh.onPath("ovs-ofctl"), "ovs-ofctl (openvswitch-common)");
        String out = Sh.run("sh", "-c", "echo " + hex(parse("controller(userdata=01,pause)"))
                + " | ovs-ofctl parse-actions OpenFlow15");
        assertThat(out).contains("actions=controller(userdata=01,pause)");
    }

    @Test
    void aPauseWithoutUserDataAndAnUnknownPropertyAreReadAsOvsDoes() {
        // NXAST_CONTROLLER2 with only PAUSE (type 4, len 4) after its 16-byte header.
        ByteBuf b = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("ffff0018000023200025000000000000"
                + "0004000400000000"));
        assertThat(NxActionWire.decode(b, 0, b.readableBytes())).containsExactly(
                new OfAction.Controller(65535, 1, 0, null, true, OfAction.Controller.NO_METER));
        ByteBuf bad = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("ffff0018000023200025000000000000"
                + "0009000400000000"));
        assertThatThrownBy(() -> NxActionWire.decode(bad, 0, bad.readableBytes()))
                .isInstanceOf(OfCodecException.class);
    }
}
