package dev.jvswitch.openflow.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.xlate.ControllerOutput;
import dev.jvswitch.ofproto.xlate.FrozenState;
import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.sh.Sh;

/**
 * NXT_PACKET_IN2 as OVS 3.1's {@code ovs-ofctl ofp-print} reads it (user data, metadata with the
 * registers, the continuation's actions), and an NXT_RESUME made of its properties, as
 * ovn-controller's pinctrl makes one, giving back the packet, metadata and frozen state.
 */
class NxPacketIn2Test {
    private static final byte[] PACKET = new byte[60];

    static {
        Arrays.fill(PACKET, 0, 6, (byte) 0xff);
        PACKET[11] = 1;
        PACKET[12] = 0x08;
        PACKET[13] = 0x06;
    }

    private static ControllerOutput pausedAt(FrozenState state) {
        FlowKey flow = new FlowKey();
        flow.set(FlowField.REG0, 5);
        flow.set(FlowField.METADATA, 0x1);
        flow.set(FlowField.REG14, 0x2);
        ControllerOutput.Pin pin = new ControllerOutput.Pin(1, 0, new byte[] {1, 2, 3}, flow, true, state);
        return new ControllerOutput("br-int", 3, 10, 0xabcdL, false, 65535, false, 0, null, pin);
    }

    private static FrozenState state() {
        return new FrozenState("br-int", 3, List.of(
                new FrozenState.Frame(10, List.of(new OfAction.Resubmit(dev.jvswitch.ofproto.port.OfPorts.IN_PORT, 11))),
                new FrozenState.Frame(8, List.of(new OfAction.Output(2)))),
                FrozenState.zeroPipeline(), new long[] {7, 0});
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] a = new byte[b.readableBytes()];
        b.getBytes(0, a);
        return a;
    }

    @Test
    void openVSwitchReadsOurPacketIn2() {
        Needs.that(Sh.onPath("ovs-ofctl"), "ovs-ofctl (openvswitch-common)");
        ByteBuf b = NxPacketIn2.encode(UnpooledByteBufAllocator.DEFAULT, 6, 9, pausedAt(state()), PACKET, 60);
        String hex = ByteBufUtil.hexDump(b);
        String out = Sh.run("ovs-ofctl", "ofp-print", hex);
        // OVS prints the frame boundaries it would unroll as unroll_xlate(table=N, cookie=C).
        assertThat(out).as(hex).contains("NXT_PACKET_IN2 (OF1.5)").contains("cookie=0xabcd").contains("table_id=10")
                .contains("reg0=0x5").contains("reg14=0x2").contains("metadata=0x1").contains("in_port=3")
                .contains("userdata=01.02.03").contains("continuation.bridge=").contains("continuation.actions=")
                .contains("resubmit(,11)")
                .doesNotContain("decode error");
    }

    @Test
    void aResumeOfThosePropertiesGivesBackPacketMetadataAndState() {
        byte[] msg = bytes(NxPacketIn2.encode(UnpooledByteBufAllocator.DEFAULT, 6, 9, pausedAt(state()), PACKET, 60));
        byte[] body = Arrays.copyOfRange(msg, 16, msg.length);
        NxPacketIn2.Resume r = NxPacketIn2.decodeResume(body, "br-int");
        assertThat(r.packet()).isEqualTo(PACKET);
        assertThat(r.metadata().value(FlowField.REG0)).isEqualTo(5);
        assertThat(r.metadata().value(FlowField.IN_PORT)).isEqualTo(3);
        assertThat(r.state().frames()).isEqualTo(state().frames());
        assertThat(r.state().stack()).containsExactly(7, 0);
        assertThat(r.state().ofInPort()).isEqualTo(3);
        FlowKey key = new FlowKey();
        NxPacketIn2.applyMetadata(r.metadata(), key);
        assertThat(key.get(FlowField.REG14)).isEqualTo(2);
        assertThat(key.get(FlowField.METADATA)).isEqualTo(1);

        assertThatThrownBy(() -> NxPacketIn2.decodeResume(body, "br-ex")).isInstanceOf(OfCodecException.class);
        byte[] cut = Arrays.copyOf(body, body.length - 9);
        assertThatThrownBy(() -> NxPacketIn2.decodeResume(cut, "br-int")).isInstanceOf(OfCodecException.class);
    }
}
