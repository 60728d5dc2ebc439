package dev.jvswitch.openflow.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.port.OfPorts;
import dev.jvswitch.testkit.sh.Sh;

/**
 * An OpenFlow 1.5 packet-out as pinctrl sends one (its match carries in_port and registers, its
 * actions are Nicira's), read by hand; OVS 3.1's {@code ovs-ofctl ofp-print} reads the same bytes
 * as the same packet-out.
 */
class PacketOut15WireTest {
    /** in_port=3, reg0=0x5 (NXM_NX_REG0), actions=resubmit(,8), a 14-byte frame. */
    private static final String PACKET_OUT = "060d004600000007" + "ffffffff" + "0010" + "0000"
            + "0001" + "0014" + "80000004" + "00000003" + "00010004" + "00000005" + "00000000"
            + "ffff001000002320000efff808000000"
            + "ffffffffffff" + "000000000001" + "0806";

    private static ByteBuf bytes() {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(PACKET_OUT));
    }

    @Test
    void pinctrlsPacketOutDecodes() {
        PacketOut15Wire.PacketOut p = PacketOut15Wire.decode(bytes());
        assertThat(p.inPort()).isEqualTo(3);
        assertThat(p.metadata().value(FlowField.REG0)).isEqualTo(5);
        assertThat(p.actions()).containsExactly(new OfAction.Resubmit(OfPorts.IN_PORT, 8));
        assertThat(p.data()).hasSize(14);
        if (Sh.onPath("ovs-ofctl")) {
            assertThat(Sh.run("ovs-ofctl", "ofp-print", PACKET_OUT)).contains("in_port=3")
                    .contains("reg0=0x5").contains("actions=resubmit(,8)").contains("data_len=14");
        }
    }

    @Test
    void aBufferedOrCutPacketOutIsRefused() {
        ByteBuf b = bytes();
        b.setInt(8, 1);
        assertThatThrownBy(() -> PacketOut15Wire.decode(b)).isInstanceOf(OfCodecException.class);
        ByteBuf cut = bytes();
        cut.setShort(12, 0x100);
        assertThatThrownBy(() -> PacketOut15Wire.decode(cut)).isInstanceOf(OfCodecException.class);
    }
}
