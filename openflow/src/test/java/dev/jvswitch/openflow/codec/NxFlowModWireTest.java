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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        registers and resubmit | table=3,priority=6,reg0=0x1,reg9=0x3/0xff,metadata=0x1 actions=set_field:0x2->reg15,resubmit(,8)
        arp responder | table=25,priority=50,arp,metadata=0x1,arp_tpa=10.9.0.2,arp_op=1 actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],set_field:00:00:00:00:01:02->eth_src,set_field:2->arp_op,move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],set_field:00:00:00:00:01:02->arp_sha,move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],set_field:10.9.0.2->arp_spa,move:NXM_NX_REG14[]->NXM_NX_REG15[],set_field:0x1/0x1->reg10,resubmit(,37)
        in_port saved around a resubmit | table=64,priority=100,reg10=0x1/0x1,reg15=0x1,metadata=0x1 actions=push:NXM_OF_IN_PORT[],set_field:0xffff->in_port,resubmit(,65),pop:NXM_OF_IN_PORT[]
        ct states and labels | table=9,priority=8,ct_state=+est+trk,ct_label=0x1/0x1,ip actions=ct(commit,zone=NXM_NX_REG13[0..15],exec(set_field:0x1/0x1->ct_mark,move:NXM_NX_XXREG0[0..31]->NXM_NX_CT_LABEL[96..127])),ct_clear,output:1
        conjunction | table=9,priority=9,conj_id=7,ip,nw_src=10.0.0.0/8 actions=conjunction(12,1/2),note:00.01.02.03.04.05
        ct with alg | table=1,priority=5,tcp actions=ct(commit,zone=1,nat(src=10.1.1.240),alg=ftp),output:2
        ct with tftp | priority=5,udp actions=ct(commit,alg=tftp),output:2
        geneve option | table=0,priority=100,tun_id=0x1,tun_metadata0=0x10000/0x7fff0000 actions=move:tun_metadata0[16..30]->reg14[0..14],set_field:0x2->tun_metadata0,resubmit(,33)
        resubmit as CONTROLLER (pinctrl's packet-outs) | table=0,priority=1,reg0=0x1 actions=resubmit(CONTROLLER,37)
        dec_ttl with ids | table=21,priority=74,ip,metadata=0x1 actions=dec_ttl(1,2),resubmit(,22)
        rarp request | table=33,priority=75,rarp,metadata=0x2,dl_src=00:00:00:00:ff:01,arp_op=3 actions=set_field:0x8004->reg15,resubmit(,37)
        """)
    void writtenBackDecodesToTheSameMod(String name, String text) {
        FlowMod mod = FlowSyntax.parseAdd(text);
        assertThat(NxFlowWriter.needed(mod.match(), mod.instructions())).isTrue();
        assertThat(NxFlowModWire.decode(writtenAsAdd(mod), 6)).isEqualTo(mod);
    }

    /** {@code mod} as a 1.5 OFPFC_ADD whose match and instructions the Nicira writer wrote. */
    static ByteBuf writtenAsAdd(FlowMod mod) {
        ByteBuf body = Unpooled.buffer();
        NxFlowWriter.match(body, mod.match());
        NxFlowWriter.instructions(body, mod.instructions(), mod.match());
        ByteBuf m = Unpooled.buffer();
        m.writeByte(6).writeByte(14).writeShort(0).writeInt(9);
        m.writeLong(0).writeLong(0).writeByte(mod.tableId()).writeByte(0).writeShort(0).writeShort(0)
                .writeShort(mod.priority()).writeInt(-1).writeInt(-1).writeInt(-1).writeShort(0).writeShort(0);
        m.writeBytes(body);
        m.setShort(2, m.readableBytes());
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        udp  | table=2,priority=5,udp,reg0=0x1 actions=set_field:53->udp_src,set_field:54->udp_dst  | 80001e02 | 80002002
        tcp  | table=2,priority=5,tcp,reg0=0x1 actions=set_field:53->tcp_src,set_field:54->tcp_dst  | 80001a02 | 80001c02
        sctp | table=2,priority=5,sctp,reg0=0x1 actions=set_field:53->sctp_src,set_field:54->sctp_dst | 80002202 | 80002402
        """)
    void transportPortSetFieldKeepsTheRulesProtocol(String name, String text, String src, String dst) {
        // OVS writes back the field the controller named; the model has one tp_src, so the
        // rule's ip_proto chooses the header (a UDP rewrite written as TCP's was refused by OVS).
        FlowMod mod = FlowSyntax.parseAdd(text);
        ByteBuf body = Unpooled.buffer();
        NxFlowWriter.instructions(body, mod.instructions(), mod.match());
        String hex = ByteBufUtil.hexDump(body);
        assertThat(hex).contains(src + "0035", dst + "0036");
    }

    @Test
    void whatTheModelLacksIsRefusedWithOvssError() {
        // "priority=10,reg0=0x1 actions=sample(probability=10,collector_set_id=1,obs_domain_id=2,obs_point_id=3)"
        String sample = "060e00600000000700000000000000000000000000000000000000000000000affffffffffffffffffffffff"
                + "000000000001000c0001000400000001000000000004002000000000ffff001800002320001d000a00000001"
                + "0000000200000003";
        // sample is modelled now (it counts and samples nothing).
        assertThat(decode(sample).applyActions()).containsExactly(new dev.jvswitch.ofproto.action.OfAction.Sample(
                10, 1, 2, 3, dev.jvswitch.ofproto.action.OfAction.Sample.NO_PORT, 0));
        // "priority=10,tun_metadata0=0x1 actions=drop": read here; the bridge's TLV map is checked
        // where the mod reaches the bridge.
        String tunMetadata = "060e00480000000700000000000000000000000000000000000000000000000affffffffffffffffffffffff"
                + "000000000001000c0001500400000001000000000004000800000000";
        assertThat(decode(tunMetadata).match()).isEqualTo(FlowSyntax.parseMatch("tun_metadata0=0x1"));
        // A value wider than the 4 bytes of the option this switch maps: OVS's bad value.
        String wide = "060e00480000000700000000000000000000000000000000000000000000000affffffffffffffffffffffff"
                + "000000000001000d000150050100000001000000000004000800000000";
        assertThatThrownBy(() -> decode(wide)).isInstanceOfSatisfying(OfCodecException.class,
                e -> assertThat(e.error()).isEqualTo(OfError.BAD_MATCH_BAD_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        none, as ovn-controller sends it | 0    | dec_ttl()
        two                              | 1,2  | dec_ttl(1,2)
        """)
    void decTtlWithControllerIdsIsWhatOvsWrites(String name, String ids, String ovsText) {
        java.util.List<Integer> list = ids.equals("0") ? java.util.List.of()
                : java.util.Arrays.stream(ids.split(",")).map(Integer::valueOf).toList();
        ByteBuf b = Unpooled.buffer();
        NxFlowWriter.actions(b, java.util.List.of(new dev.jvswitch.ofproto.action.OfAction.DecTtl(list)));
        assertThat(NxActionWire.decode(b, 0, b.writerIndex()))
                .containsExactly(new dev.jvswitch.ofproto.action.OfAction.DecTtl(list));
        dev.jvswitch.testkit.env.Needs.that(dev.jvswitch.testkit.sh.Sh.onPath("ovs-ofctl"), "ovs-ofctl");
        String hex = ByteBufUtil.hexDump(b);
        // parse-actions prints the action, then any byte where its own encoding differs (none).
        assertThat(dev.jvswitch.testkit.sh.Sh.run("sh", "-c", "echo " + hex + " | ovs-ofctl parse-actions OpenFlow15")
                .trim()).as(hex).isEqualTo("actions=" + ovsText);
    }

    static FlowMod decode(String hex) {
        ByteBuf b = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        assertThat(NxFlowModWire.needsNx(b, 0)).isTrue();
        return NxFlowModWire.decode(b, 6);
    }
}
