package dev.jvswitch.ofproto.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.FieldRef;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.mod.GroupMod;
import dev.jvswitch.ofproto.mod.Instruction;
import dev.jvswitch.ofproto.port.OfPorts;

/** ovs-ofctl text into flow mods, and flow mods and flow stats back into text. */
class FlowSyntaxTest {
    @Test
    void parsesTheIssueExample() {
        FlowMod fm = FlowSyntax.parseAdd("table=0,priority=100,in_port=1,tcp,nw_dst=10.0.0.0/24,tp_dst=80,actions=output:2");
        assertThat(fm.command()).isEqualTo(FlowMod.Command.ADD);
        assertThat(fm.tableId()).isZero();
        assertThat(fm.priority()).isEqualTo(100);
        Match m = fm.match();
        assertThat(m.value(FlowField.IN_PORT)).isEqualTo(1);
        assertThat(m.value(FlowField.ETH_TYPE)).isEqualTo(0x0800);
        assertThat(m.value(FlowField.NW_PROTO)).isEqualTo(6);
        assertThat(m.value(FlowField.NW_DST)).isEqualTo(0x0a000000L);
        assertThat(m.mask(FlowField.NW_DST)).isEqualTo(0xffffff00L);
        assertThat(m.value(FlowField.TP_DST)).isEqualTo(80);
        assertThat(fm.instructions()).containsExactly(new Instruction.ApplyActions(List.of(new OfAction.Output(2))));
        assertThat(FlowSyntax.format(fm))
                .isEqualTo("cookie=0x0, table=0, priority=100,tcp,in_port=1,nw_dst=10.0.0.0/24,tp_dst=80 actions=output:2");
    }

    @Test
    void anActionTextMetAgainGivesTheSameInstructions() {
        FlowMod a = FlowSyntax.parseAdd("priority=1,tcp,tp_dst=80,actions=output:2,resubmit(,3)");
        FlowMod b = FlowSyntax.parseAdd("priority=2,udp,actions=output:2,resubmit(,3)");
        FlowMod c = FlowSyntax.parseAdd("priority=3,actions=output:3,resubmit(,3)");
        assertThat(b.instructions()).isSameAs(a.instructions());
        assertThat(FlowSyntax.formatInstructions(b.instructions())).isEqualTo("output:2,resubmit(,3)");
        assertThat(FlowSyntax.formatInstructions(c.instructions())).isEqualTo("output:3,resubmit(,3)");
    }

    @Test
    void anActionThatNeedsTheMatchIsCheckedAgainstEachLinesMatch() {
        String bad = "arp,actions=set_field:10.0.0.1->nw_dst";
        String message = null;
        try {
            FlowSyntax.parseAdd(bad);
        } catch (SyntaxException e) {
            message = e.getMessage();
        }
        assertThat(message).isNotNull();
        FlowMod ok = FlowSyntax.parseAdd("ip,actions=set_field:10.0.0.1->nw_dst");
        assertThat(ok.instructions()).hasSize(1);
        assertThatThrownBy(() -> FlowSyntax.parseAdd(bad)).isInstanceOf(SyntaxException.class).hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ip,actions=drop|ip actions=drop",
        "priority=32768,actions=NORMAL|actions=NORMAL",
        "dl_type=0x0800,nw_proto=17,actions=normal|udp actions=NORMAL",
        "eth_type=0x86dd,ip_proto=6,tcp_dst=443,actions=flood|tcp6,tp_dst=443 actions=FLOOD",
        "tcp,tcp_flags=+syn-ack,actions=all|tcp,tcp_flags=+syn-ack actions=ALL",
        "udp,tp_src=0x100/0xff00,actions=local|udp,tp_src=0x100/0xff00 actions=LOCAL",
        "arp,arp_op=1,nw_src=192.0.2.1,actions=controller|arp,arp_spa=192.0.2.1,arp_op=1 actions=CONTROLLER:65535",
        "dl_vlan=10,dl_vlan_pcp=3,actions=strip_vlan|dl_vlan=10,dl_vlan_pcp=3 actions=strip_vlan",
        "vlan_tci=0x0000/0x1000,actions=push_vlan:0x8100|vlan_tci=0x0000/0x1000 actions=push_vlan:0x8100",
        "vlan_tci=0x100a,actions=pop_vlan|dl_vlan=10,dl_vlan_pcp=0 actions=strip_vlan",
        "vlan_tci=0x100a/0x1fff,actions=drop|dl_vlan=10 actions=drop",
        "vlan_tci=0x100a/0x0fff,actions=drop|vlan_tci=0x000a/0x0fff actions=drop",
        "dl_src=00:11:22:33:44:55/ff:ff:ff:00:00:00,eth_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=drop"
            + "|dl_src=00:11:22:00:00:00/ff:ff:ff:00:00:00,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=drop",
        "ipv6,ipv6_src=2001:db8::/32,ipv6_label=5,actions=drop|ipv6,ipv6_src=2001:db8::/32,ipv6_label=0x00005 actions=drop",
        "icmp,icmp_type=8,icmp_code=0,actions=drop|icmp,icmp_type=8,icmp_code=0 actions=drop",
        "icmp6,icmp_type=135,nd_target=fe80::1,actions=drop|icmp6,icmp_type=135,nd_target=fe80::1 actions=drop",
        "ip,nw_tos=32,nw_ecn=1,nw_ttl=64,actions=dec_ttl|ip,nw_tos=32,nw_ecn=1,nw_ttl=64 actions=dec_ttl",
        "ip,ip_frag=later,actions=drop|ip,nw_frag=later actions=drop",
        "ip,nw_frag=yes,actions=drop|ip,nw_frag=yes actions=drop",
        "tun_id=0x5,tun_src=1.2.3.4,tun_dst=5.6.7.0/24,in_port=LOCAL,actions=drop"
            + "|tun_id=0x5,tun_src=1.2.3.4,tun_dst=5.6.7.0/24,in_port=LOCAL actions=drop",
        "recirc_id=0x1,dp_hash=0x3/0xf,pkt_mark=7,actions=drop|pkt_mark=0x7,recirc_id=0x1,dp_hash=0x3/0xf actions=drop",
        "ip,nw_src=10.1.2.1/255.0.255.0,actions=drop|ip,nw_src=10.0.2.0/255.0.255.0 actions=drop",
        "dl_type=0x88cc,actions=drop|dl_type=0x88cc actions=drop",
        "reg0=5,reg1=0x10/0xf0,actions=drop|reg0=0x5,reg1=0x10/0xf0 actions=drop",
        "ip,metadata=0x1/0xff,reg15=1,tun_id=5,in_port=1,actions=drop"
            + "|ip,reg15=0x1,tun_id=0x5,metadata=0x1/0xff,in_port=1 actions=drop",
        "xreg0=0x100000002,actions=drop|reg0=0x1,reg1=0x2 actions=drop",
        "xxreg1=0x1/0xff,actions=drop|reg7=0x1/0xff actions=drop",
        "conj_id=7,actset_output=3,pkt_mark=1,actions=drop|pkt_mark=0x1,conj_id=7,actset_output=3 actions=drop",
        "in_port_oxm=3,actions=drop|in_port=3 actions=drop",
        "ip,nw_proto=2,actions=drop|ip,nw_proto=2 actions=drop",
        "send_flow_rem,no_byte_counts,ip,actions=drop|send_flow_rem no_byte_counts ip actions=drop",
        "idle_timeout=5,check_overlap,reset_counts,no_packet_counts,actions=drop"
            + "|idle_timeout=5, check_overlap reset_counts no_packet_counts actions=drop",
    })
    void printsLikeDumpFlows(String in, String printedTail) {
        FlowMod fm = FlowSyntax.parseAdd(in);
        assertThat(FlowSyntax.format(fm)).isEqualTo("cookie=0x0, table=0, " + printedTail);
        assertThat(FlowSyntax.parseAdd(FlowSyntax.format(fm))).isEqualTo(fm);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "output:3|output:3",
        "3|output:3",
        "output:NORMAL|NORMAL",
        "output:65532|ALL",
        "CONTROLLER:100|CONTROLLER:100",
        "controller(max_len=128)|CONTROLLER:128",
        "mod_vlan_vid:10,mod_vlan_pcp:5|mod_vlan_vid:10,mod_vlan_pcp:5",
        "push_vlan:0x88a8|push_vlan:0x88a8",
        "mod_dl_src:00:00:5e:00:53:01,mod_dl_dst:00:00:5E:00:53:02|mod_dl_src:00:00:5e:00:53:01,mod_dl_dst:00:00:5e:00:53:02",
        "mod_nw_src:10.0.0.1,mod_nw_dst:10.0.0.2,mod_nw_tos:16,mod_nw_ttl:9|"
            + "mod_nw_src:10.0.0.1,mod_nw_dst:10.0.0.2,mod_nw_tos:16,mod_nw_ttl:9",
        "mod_tp_src:1,mod_tp_dst:2|mod_tp_src:1,mod_tp_dst:2",
        "set_field:10.0.0.1->ip_dst|set_field:10.0.0.1->nw_dst",
        "set_field:10.0.0.0/24->nw_src|set_field:10.0.0.0/24->nw_src",
        "set_field:0x64->tun_id,set_field:192.0.2.9->tun_dst|set_field:0x64->tun_id,set_field:192.0.2.9->tun_dst",
        "load:0x5->NXM_OF_IP_DST[0..7]|load:0x5->NXM_OF_IP_DST[0..7]",
        "load:1->skb_mark[]|load:0x1->NXM_NX_PKT_MARK[]",
        "move:nw_src[]->nw_dst[]|move:NXM_OF_IP_SRC[]->NXM_OF_IP_DST[]",
        "set_field:0x5->reg3,set_field:7->metadata|set_field:0x5->reg3,set_field:0x7->metadata",
        "load:0x5->NXM_NX_REG0[],load:1->OXM_OF_PKT_REG1[63]|load:0x5->NXM_NX_REG0[],load:0x1->OXM_OF_PKT_REG1[63]",
        "move:NXM_NX_XXREG0[0..63]->OXM_OF_METADATA[]|move:NXM_NX_XXREG0[0..63]->OXM_OF_METADATA[]",
        "set_field:0x11112222333344445555666677778888->xxreg1|set_field:0x11112222333344445555666677778888->xxreg1",
        "set_field:0xff/0xf->xxreg3|set_field:0xf/0xf->xxreg3",
        "resubmit(,1,)|resubmit(,1)",
        "clone(mod_dl_src:00:00:00:00:00:09,output:2),push:NXM_NX_REG0[0..7],pop:reg1[]"
            + "|clone(mod_dl_src:00:00:00:00:00:09,output:2),push:NXM_NX_REG0[0..7],pop:NXM_NX_REG1[]",
        "clone()|clone()",
        "move:eth_src[0..15]->tp_dst[]|move:NXM_OF_ETH_SRC[0..15]->NXM_OF_TCP_DST[]",
        "resubmit:2|resubmit:2",
        "resubmit(,1)|resubmit(,1)",
        "resubmit(3,4)|resubmit(3,4)",
        "resubmit(IN_PORT,4)|resubmit(,4)",
        "goto_table:7|goto_table:7",
        "group:9|group:9",
        "set_tunnel:0x10|set_tunnel:0x10",
        "set_tunnel64:0x100000000|set_tunnel64:0x100000000",
        "note:01.ab.ff|note:01.ab.ff",
        "note:01abff|note:01.ab.ff",
        "drop|drop",
        "output:1,clear_actions,write_actions(output:2,dec_ttl),write_metadata:0x5/0xff,goto_table:3"
            + "|output:1,clear_actions,write_actions(output:2,dec_ttl),write_metadata:0x5/0xff,goto_table:3",
        "write_metadata:7|write_metadata:0x7",
        "write_actions(drop)|write_actions(drop)",
    })
    void actionsPrintLikeOvs(String in, String printed) {
        // Each printed form is what OVS 3.1's ovs-ofctl dump-flows (OpenFlow 1.0 + NXM) prints.
        FlowMod fm = FlowSyntax.parseAdd("tcp,actions=" + in);
        assertThat(FlowSyntax.formatInstructions(fm.instructions())).isEqualTo(printed);
        assertThat(FlowSyntax.parseAdd(FlowSyntax.format(fm))).isEqualTo(fm);
    }

    @Test
    void aParseThatFailsHalfWayLeavesNothingForTheNext() {
        // A parse works in words its thread reuses: what a failed one set must not leak into the next.
        FlowMod clean = FlowSyntax.parseAdd("udp,actions=drop");
        assertThatThrownBy(() -> FlowSyntax.parseAdd("tcp,nw_src=10.0.0.1,tp_dst=80,tp_dst=81,actions=drop"))
                .isInstanceOf(SyntaxException.class).hasMessageContaining("conflicts with 'tp_dst=80'");
        assertThatThrownBy(() -> FlowSyntax.parseAdd("ip,nw_dst=10.0.0.0/8,tcp_dst=x,actions=drop"))
                .isInstanceOf(SyntaxException.class);
        assertThat(FlowSyntax.parseAdd("udp,actions=drop")).isEqualTo(clean);
        assertThat(FlowSyntax.parseAdd("udp,actions=drop").match().shape()).isSameAs(clean.match().shape());
    }

    @Test
    void instructionsComeInExecutionOrder() {
        FlowMod fm = FlowSyntax.parseAdd("ip,actions=dec_ttl,write_actions(output:2),goto_table:4");
        assertThat(fm.instructions()).containsExactly(new Instruction.ApplyActions(List.of(new OfAction.DecTtl())),
                new Instruction.WriteActions(List.of(new OfAction.Output(2))), new Instruction.GotoTable(4));
        assertThat(fm.applyActions()).containsExactly(new OfAction.DecTtl());
        assertThat(fm.gotoTable()).isEqualTo(4);
    }

    @Test
    void tcpFlagsAndIpv6SetField() {
        FlowMod fm = FlowSyntax.parseAdd("tcp6,tcp_flags=syn|ack,actions=set_field:2001:db8::1->ipv6_dst,in_port");
        assertThat(FlowSyntax.format(fm)).isEqualTo(
                "cookie=0x0, table=0, tcp6,tcp_flags=syn|ack actions=set_field:2001:db8::1->ipv6_dst,IN_PORT");
        assertThat(FlowSyntax.parseAdd(FlowSyntax.format(fm))).isEqualTo(fm);
    }

    @Test
    void actionRecordsHaveTheParsedValues() {
        FlowMod fm = FlowSyntax.parseAdd("ip,actions=load:0x5->nw_dst[0..7],resubmit(,1),set_field:5->tun_id");
        assertThat(fm.applyActions()).containsExactly(
                new OfAction.Load(5, FieldRef.range(FlowField.NW_DST, 0, 7)),
                new OfAction.Resubmit(OfPorts.IN_PORT, 1),
                OfAction.SetField.exact(FlowField.TUN_ID, 5));
    }

    @Test
    void whitespaceSeparatesAndDumpFlowsStatisticsAreIgnored() {
        FlowMod fm = FlowSyntax.parseAdd("cookie=0x5, duration=3.5s, table=2, n_packets=4, n_bytes=256, idle_timeout=10, "
                + "idle_age=1, priority=7,ip actions=drop");
        assertThat(fm).isEqualTo(FlowMod.builder(FlowMod.Command.ADD).tableId(2).priority(7).cookie(5)
                .idleTimeoutSec(10).match(Match.builder().set(FlowField.ETH_TYPE, 0x0800).build()).build());
    }

    @Test
    void dumpFlowHasStatisticsInOvsOrder() {
        FlowStats fs = new FlowStats(1, 5, Match.builder().set(FlowField.ETH_TYPE, 0x0800).build(), 0, 30, 60,
                Set.of(), List.of(new Instruction.ApplyActions(List.of(new OfAction.Normal()))), 3_250_000_000L,
                2_250_000_000L, 3, 180);
        assertThat(FlowSyntax.dumpFlow(fs)).isEqualTo("cookie=0x0, duration=3.250s, table=1, "
                + "n_packets=3, n_bytes=180, idle_timeout=30, hard_timeout=60, idle_age=2, priority=5,ip actions=NORMAL");
        assertThat(FlowSyntax.parseAdd(FlowSyntax.dumpFlow(fs))).isEqualTo(fs.toAdd());
        FlowStats flagged = new FlowStats(0, 5, Match.ANY, 0, 0, 0, Set.of(FlowMod.Flag.SEND_FLOW_REM), List.of(),
                0, 0, 0, 0);
        assertThat(FlowSyntax.dumpFlow(flagged)).isEqualTo("cookie=0x0, duration=0.000s, table=0, n_packets=0, "
                + "n_bytes=0, send_flow_rem idle_age=0, priority=5 actions=drop");
    }

    @Test
    void modifyAndDeleteSelections() {
        FlowMod mod = FlowSyntax.parseModify("cookie=0x10/0xf0,tcp,actions=output:1");
        assertThat(mod.command()).isEqualTo(FlowMod.Command.MODIFY);
        assertThat(mod.tableId()).isEqualTo(FlowMod.ALL_TABLES);
        assertThat(mod.cookie()).isEqualTo(0x10);
        assertThat(mod.cookieMask()).isEqualTo(0xf0);
        assertThat(mod.applyActions()).containsExactly(new OfAction.Output(1));
        FlowMod del = FlowSyntax.parseDelete("table=3,udp");
        assertThat(del.instructions()).isEmpty();
        assertThat(del.tableId()).isEqualTo(3);
        assertThat(FlowSyntax.parseDelete("")).isEqualTo(FlowMod.deleteAll());
        FlowMod strict = FlowSyntax.parseDelete("priority=7,out_port=LOCAL,out_group=3,cookie=0x5,udp", true);
        assertThat(strict.command()).isEqualTo(FlowMod.Command.DELETE_STRICT);
        assertThat(strict.priority()).isEqualTo(7);
        assertThat(strict.outPort()).isEqualTo(OfPorts.LOCAL);
        assertThat(strict.outGroup()).isEqualTo(3);
        assertThat(strict.cookieMask()).isEqualTo(-1L);
        assertThat(FlowSyntax.format(strict)).isEqualTo("cookie=0x5, out_port=LOCAL, out_group=3, priority=7,udp");
        assertThat(FlowSyntax.parseDelete("priority=7,udp").priority())
                .as("a non-strict selection has no priority").isEqualTo(FlowMod.DEFAULT_PRIORITY);
    }

    @Test
    void groupCommandsBecomeGroupMods() {
        GroupMod add = GroupSyntax.parseAdd("group_id=4,type=all,bucket=output:1");
        assertThat(add.command()).isEqualTo(GroupMod.Command.ADD);
        assertThat(add.group().buckets()).hasSize(1);
        assertThat(GroupSyntax.parseModify("group_id=4,type=indirect,bucket=output:2").command())
                .isEqualTo(GroupMod.Command.MODIFY);
        assertThat(GroupSyntax.parseDelete("group_id=4")).isEqualTo(GroupMod.delete(4));
        assertThat(GroupSyntax.parseDelete("")).isEqualTo(GroupMod.delete(GroupMod.ALL));
        assertThat(GroupSyntax.parseDelete("group_id=all").isDeleteAll()).isTrue();
    }

    @Test
    void protocolShorthandMayFollowTheFieldsItEnables() {
        FlowMod fm = FlowSyntax.parseAdd("tp_dst=80,tcp,actions=drop");
        assertThat(fm.match().value(FlowField.TP_DST)).isEqualTo(80);
        assertThat(FlowSyntax.parseAdd("ip,tcp,actions=drop")).isEqualTo(FlowSyntax.parseAdd("tcp,actions=drop"));
    }

    @Test
    void emptyActionsMeanDrop() {
        assertThat(FlowSyntax.parseAdd("actions=drop").instructions()).isEqualTo(List.of());
    }
}
