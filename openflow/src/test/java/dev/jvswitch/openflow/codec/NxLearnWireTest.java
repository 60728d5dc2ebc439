package dev.jvswitch.openflow.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.sh.Sh;

/**
 * {@code learn} on the wire ({@code NXAST_LEARN}, {@code NXAST_LEARN2}). Each case is a learn
 * as OVS 3.1 prints it; the writer's bytes must be exactly the bytes OVS writes for it
 * ({@code ovs-ofctl parse-actions} decodes them, prints the action and the differences of its own
 * re-encoding, which must be none) and must decode to the action ofproto's parser makes of the text.
 */
class NxLearnWireTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        ovn lb hairpin | tcp | learn(table=69,delete_learned,cookie=0x4a3c0c1b,OXM_OF_METADATA[],eth_type=0x800,NXM_OF_IP_SRC[],ip_dst=10.0.0.1,nw_proto=6,NXM_OF_TCP_SRC[]=NXM_OF_TCP_DST[],load:0x1->NXM_NX_REG10[7])
        timeouts and output | ip | learn(table=1,idle_timeout=10,hard_timeout=20,fin_idle_timeout=5,fin_hard_timeout=10,priority=10,send_flow_rem,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[])
        learn2 limit result_dst | ip | learn(table=2,limit=10,result_dst=NXM_NX_REG0[5],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:NXM_NX_REG1[]->NXM_NX_REG2[])
        ipv6 immediate | ipv6 | learn(table=3,eth_type=0x86dd,ipv6_src=2001:db8::1,load:0xabcdef->NXM_NX_XXREG0[8..71])
        udp learned | udp | learn(table=4,eth_type=0x800,nw_proto=17,NXM_OF_UDP_DST[]=NXM_OF_UDP_SRC[],load:NXM_NX_REG14[]->NXM_NX_REG15[])
        """)
    void writesWhatOvsWritesAndReadsItBack(String name, String match, String learn) {
        FlowMod mod = FlowSyntax.parseAdd("table=0,priority=1," + match + " actions=" + learn);
        OfAction parsed = mod.applyActions().get(0);
        assertThat(FlowSyntax.format(mod)).as("ofproto prints the learn as OVS").contains(learn);
        ByteBuf b = Unpooled.buffer();
        NxFlowWriter.instructions(b, mod.instructions(), mod.match());
        // Apply-actions instruction header: type, length, 4 bytes of pad.
        String hex = ByteBufUtil.hexDump(b, 8, b.readableBytes() - 8);
        assertThat(NxActionWire.decode(b, 8, b.writerIndex())).as(hex).containsExactly(parsed);
        Needs.that(Sh.onPath("ovs-ofctl"), "ovs-ofctl (openvswitch-common)");
        String ovs = Sh.run("sh", "-c", "echo " + hex + " | ovs-ofctl parse-actions OpenFlow15").trim();
        assertThat(ovs).as("ovs-ofctl reads " + hex).isEqualTo("actions=" + learn);
    }

    @Test
    void refusesWhatOvsRefuses() {
        // A spec header with the reserved destination 3 where the padding after the last spec was.
        ByteBuf b = learn("learn(table=5,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[])");
        int at = b.writerIndex();
        int specEnd = 32 + 2 + 6 + 6;
        b.setShort(specEnd, 0x1800 | 8);
        assertThatThrownBy(() -> NxActionWire.decode(b, 0, at)).isInstanceOfSatisfying(OfCodecException.class,
                e -> assertThat(e.error()).isEqualTo(OfError.BAD_ACTION_BAD_ARGUMENT));
        ByteBuf table = learn("learn(table=5,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[])");
        table.setByte(26, 0xff);
        assertThatThrownBy(() -> NxActionWire.decode(table, 0, table.writerIndex()))
                .isInstanceOfSatisfying(OfCodecException.class,
                        e -> assertThat(e.error()).isEqualTo(OfError.BAD_ACTION_BAD_ARGUMENT));
        // A learned match on the IPv4 source without eth_type=0x800 before it.
        ByteBuf prereq = learn("learn(table=5,eth_type=0x800,NXM_OF_IP_SRC[])");
        ByteBuf withoutEthType = learnWithout(prereq);
        assertThatThrownBy(() -> NxActionWire.decode(withoutEthType, 0, withoutEthType.writerIndex()))
                .isInstanceOfSatisfying(OfCodecException.class,
                        e -> assertThat(e.error()).isEqualTo(OfError.BAD_MATCH_BAD_PREREQ));
    }

    @Test
    void aShortenedLearnIsReadOrRefusedNeverReadPastItsEnd() {
        ByteBuf full = learn("learn(table=69,delete_learned,OXM_OF_METADATA[],eth_type=0x800,NXM_OF_IP_SRC[],"
                + "ip_dst=10.0.0.1,load:0x1->NXM_NX_REG10[7])");
        int len = full.writerIndex();
        int refused = 0;
        for (int cut = 8; cut < len; cut += 8) {
            // A buffer that ends at the cut: a read past it throws IndexOutOfBoundsException.
            ByteBuf b = full.copy(0, cut);
            b.setShort(2, cut);
            try {
                NxActionWire.decode(b, 0, cut);
            } catch (OfCodecException e) {
                refused++;
            }
        }
        assertThat(refused).as("cuts inside a spec").isPositive();
    }

    private static ByteBuf learn(String text) {
        FlowMod mod = FlowSyntax.parseAdd("table=0,priority=1,ip actions=" + text);
        ByteBuf b = Unpooled.buffer();
        NxFlowWriter.actions(b, List.of(mod.applyActions().get(0)));
        return b;
    }

    /** {@code b}'s learn without its first spec, an immediate 16-bit match. */
    private static ByteBuf learnWithout(ByteBuf b) {
        // First spec: header (2) | 2 bytes of value | field header (4) | ofs (2) = 10 bytes.
        ByteBuf out = Unpooled.buffer();
        out.writeBytes(b, 0, 32);
        out.writeBytes(b, 42, b.writerIndex() - 42);
        int len = out.writerIndex();
        out.writeZero(((len + 7) & ~7) - len);
        out.setShort(2, out.writerIndex());
        return out;
    }
}
