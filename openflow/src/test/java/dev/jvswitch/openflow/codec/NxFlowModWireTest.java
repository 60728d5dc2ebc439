package dev.jvswitch.openflow.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.syntax.FlowSyntax;

/**
 * Flow mods with Nicira fields and actions as ovn-controller sends them, decoded by hand: each hex
 * message below is one that OVS 3.1's {@code ovs-ofctl ofp-print} prints as the text beside it,
 * and the decoded mod must equal what ofproto's parser makes of that text. Then the flow stats
 * writer must write the rule back so that it decodes to the same mod.
 */
class NxFlowModWireTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        ct commit nat exec | table=26,priority=100,ip,reg0=0x2/0x2002,metadata=0x1 actions=ct(commit,zone=NXM_NX_REG13[0..15],nat(src),exec(set_field:0/0x1->ct_mark)),resubmit(,27) | 060e00a800000007000000000000000000000000000000001a00000000000064ffffffffffffffffffffffff000000000001002280000a0208000001010800000002000020028000040800000000000000010000000000000004005000000000ffff0038000023200023000100011a04000fff0000000000ffff0010000023200024000000010000001900100001d7080000000000000001ffff001000002320000efff81b000000
        """)
    void decodesAsOvsPrintsIt(String name, String ovsText, String hex) {
        FlowMod decoded = decode(hex);
        assertThat(decoded).isEqualTo(FlowSyntax.parseAdd(ovsText));
    }

    static FlowMod decode(String hex) {
        ByteBuf b = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        assertThat(NxFlowModWire.needsNx(b, 0)).isTrue();
        return NxFlowModWire.decode(b, 6);
    }
}
