package dev.jvswitch.ofproto.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.FieldRef;
import dev.jvswitch.ofproto.action.LearnSpec;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.mod.FlowMod;

/**
 * {@code learn(...)} (with its fin timeouts), {@code fin_timeout(...)}, and the subfields of load,
 * move, push and pop, parsed and printed as ovs-ofctl does: each expected text is what OVS 3.1's
 * {@code ovs-ofctl dump-flows} printed for the input (captured from the differential oracle).
 */
class LearnSyntaxTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "priority=1,actions=learn(table=10,idle_timeout=30,hard_timeout=60,priority=5,cookie=0x12,send_flow_rem,"
            + "delete_learned,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
            + "load:NXM_OF_IN_PORT[]->NXM_NX_REG0[0..15],output:NXM_OF_IN_PORT[]),load:5->NXM_NX_REG0[],"
            + "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],load:1->reg1[3],load:0x3->OXM_OF_METADATA[0..7],resubmit(,10)"
            + "|priority=1 actions=learn(table=10,idle_timeout=30,hard_timeout=60,priority=5,send_flow_rem,"
            + "delete_learned,cookie=0x12,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
            + "load:NXM_OF_IN_PORT[]->NXM_NX_REG0[0..15],output:NXM_OF_IN_PORT[]),load:0x5->NXM_NX_REG0[],"
            + "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],load:0x1->NXM_NX_REG1[3],load:0x3->OXM_OF_METADATA[0..7],"
            + "resubmit(,10)",
        "priority=2,udp,actions=learn(table=11,eth_dst=00:00:00:00:00:01,dl_type=0x800,nw_src=10.0.0.1,nw_proto=17,"
            + "udp_dst=53,reg1=5,nw_dst=nw_src,load:0x5->reg3[],load:10->NXM_NX_REG4[0..7],limit=10,"
            + "result_dst=reg5[0]),controller"
            + "|priority=2,udp actions=learn(table=11,limit=10,result_dst=NXM_NX_REG5[0],eth_dst=00:00:00:00:00:01,"
            + "eth_type=0x800,ip_src=10.0.0.1,nw_proto=17,udp_dst=53,reg1=0x5,NXM_OF_IP_DST[]=NXM_OF_IP_SRC[],"
            + "load:0x5->NXM_NX_REG3[],load:0xa->NXM_NX_REG4[0..7]),CONTROLLER:65535",
        "priority=3,tcp,actions=learn(table=11,dl_type=0x800,nw_proto=6,NXM_OF_IP_SRC[]=NXM_OF_IP_DST[],"
            + "NXM_OF_TCP_SRC[]=NXM_OF_TCP_DST[],load:NXM_OF_TCP_SRC[]->NXM_NX_REG6[0..15],output:reg0[0..15],"
            + "load:0->NXM_NX_REG1[]),output:2"
            + "|priority=3,tcp actions=learn(table=11,eth_type=0x800,nw_proto=6,NXM_OF_IP_SRC[]=NXM_OF_IP_DST[],"
            + "NXM_OF_TCP_SRC[]=NXM_OF_TCP_DST[],load:NXM_OF_TCP_SRC[]->NXM_NX_REG6[0..15],"
            + "output:NXM_NX_REG0[0..15],load:0->NXM_NX_REG1[]),output:2",
        "actions=learn(NXM_OF_ETH_DST[])|actions=learn(table=1,NXM_OF_ETH_DST[])",
        "priority=1,actions=learn(table=10,idle_timeout=30,fin_idle_timeout=5,fin_hard_timeout=10,hard_timeout=60,"
            + "priority=5,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[]),output:2"
            + "|priority=1 actions=learn(table=10,idle_timeout=30,hard_timeout=60,fin_idle_timeout=5,"
            + "fin_hard_timeout=10,priority=5,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[]),output:2",
        "priority=2,tcp,actions=learn(fin_hard_timeout=3,NXM_OF_ETH_DST[]),"
            + "fin_timeout(hard_timeout=3,idle_timeout=9),output:2"
            + "|priority=2,tcp actions=learn(table=1,fin_hard_timeout=3,NXM_OF_ETH_DST[]),"
            + "fin_timeout(idle_timeout=9,hard_timeout=3),output:2",
        "priority=3,actions=fin_timeout(idle_timeout=0x10),output:2"
            + "|priority=3 actions=fin_timeout(idle_timeout=16),output:2",
        "priority=4,actions=fin_timeout:idle_timeout=7,output:2|priority=4 actions=fin_timeout(idle_timeout=7),output:2",
        "priority=5,actions=clone(fin_timeout(idle_timeout=2)),fin_timeout(),output:2"
            + "|priority=5 actions=clone(fin_timeout(idle_timeout=2)),fin_timeout(),output:2",
        "ip,actions=push:NXM_NX_REG0[0..7],pop:reg1[8..15],move:reg0[]->reg1[],load:0->reg2[]"
            + "|ip actions=push:NXM_NX_REG0[0..7],pop:NXM_NX_REG1[8..15],move:NXM_NX_REG0[]->NXM_NX_REG1[],"
            + "load:0->NXM_NX_REG2[]",
        "udp,actions=move:NXM_OF_UDP_SRC[]->NXM_NX_REG0[0..15],move:in_port->reg1[0..15],move:xreg0[]->metadata[]"
            + "|udp actions=move:NXM_OF_UDP_SRC[]->NXM_NX_REG0[0..15],move:NXM_OF_IN_PORT[]->NXM_NX_REG1[0..15],"
            + "move:OXM_OF_PKT_REG0[]->OXM_OF_METADATA[]",
    })
    void printsAsOvs(String in, String out) {
        FlowMod fm = FlowSyntax.parseAdd(in);
        String text = FlowSyntax.format(fm);
        assertThat(text.substring(text.indexOf(", ", text.indexOf("table=")) + 2)).isEqualTo(out);
        assertThat(FlowSyntax.parseAdd(out)).isEqualTo(fm);
    }

    @Test
    void buildsTheSpecs() {
        FlowMod fm = FlowSyntax.parseAdd("actions=learn(table=2,NXM_OF_VLAN_TCI[0..11],"
                + "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:NXM_OF_IN_PORT[]->NXM_NX_REG0[0..15],eth_type=0x800,"
                + "output:NXM_OF_IN_PORT[])");
        OfAction.Learn l = (OfAction.Learn) fm.applyActions().get(0);
        assertThat(l.table()).isEqualTo(2);
        assertThat(l.priority()).isEqualTo(FlowMod.DEFAULT_PRIORITY);
        FieldRef tci = FieldRef.range(FlowField.VLAN_TCI, 0, 11);
        FieldRef port = new FieldRef(FlowField.IN_PORT, 0, 16);
        assertThat(l.specs()).containsExactly(
                LearnSpec.fromField(LearnSpec.Kind.MATCH, tci, tci),
                LearnSpec.fromField(LearnSpec.Kind.MATCH, FieldRef.whole(FlowField.ETH_SRC),
                        FieldRef.whole(FlowField.ETH_DST)),
                LearnSpec.fromField(LearnSpec.Kind.LOAD, port, FieldRef.range(FlowField.REG0, 0, 15)),
                LearnSpec.immediate(LearnSpec.Kind.MATCH, 0, 0x800, FieldRef.whole(FlowField.ETH_TYPE)),
                LearnSpec.fromField(LearnSpec.Kind.OUTPUT, port, null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "actions=learn(NXM_OF_IP_SRC[])|needs",
        "actions=learn(table=255,NXM_OF_ETH_DST[])|out of range",
        "actions=learn(fin_idle_timeout=70000,NXM_OF_ETH_DST[])|value '70000' out of range for learn fin_idle_timeout",
        "actions=learn(fin_hard_timeout,NXM_OF_ETH_DST[])|missing value for 'fin_hard_timeout'",
        "actions=fin_timeout(foo=1)|invalid value 'foo=1' for fin_timeout (expected idle_timeout=N or hard_timeout=N)",
        "actions=fin_timeout(idle_timeout=70000)|value '70000' out of range for fin_timeout idle_timeout (0..65535)",
        "actions=fin_timeout(idle_timeout)|missing value for 'fin_timeout idle_timeout'",
        "actions=fin_timeout(hard_timeout=x)|invalid value 'x' for fin_timeout hard_timeout",
        "actions=learn(NXM_OF_ETH_DST[]=NXM_NX_REG0[])|invalid value",
        "actions=learn(load:NXM_OF_ETH_SRC[]->NXM_NX_REG0[])|equal width",
        "actions=learn(load:0x1ff->NXM_NX_REG0[0..7])|out of range",
        "actions=learn(result_dst=reg0[0..1])|a single bit",
        "actions=learn(foo=1)|unknown field 'foo'",
        "actions=learn(load:1->eth_type)|not allowed",
        "actions=learn(output:NXM_OF_TCP_SRC[])|needs",
    })
    void refusesAsOvs(String in, String message) {
        assertThatThrownBy(() -> FlowSyntax.parseAdd(in)).isInstanceOf(SyntaxException.class)
                .hasMessageContaining(message);
    }

    @Test
    void learnKeepsItsFinTimeouts() {
        OfAction.Learn l = (OfAction.Learn) FlowSyntax.parseAdd("actions=learn(fin_idle_timeout=5,"
                + "fin_hard_timeout=10,NXM_OF_ETH_DST[])").applyActions().get(0);
        assertThat(l.finIdleTimeout()).isEqualTo(5);
        assertThat(l.finHardTimeout()).isEqualTo(10);
        assertThat(FlowSyntax.parseAdd("actions=fin_timeout(hard_timeout=4)").applyActions())
                .containsExactly(new OfAction.FinTimeout(0, 4));
    }

    @Test
    void learnIsAnActionOfItsFlow() {
        List<OfAction> acts = FlowSyntax.parseAdd("tcp,actions=learn(table=1,eth_type=0x800,nw_proto=6,"
                + "tcp_dst=80,NXM_OF_IP_SRC[]=NXM_OF_IP_DST[]),output:1").applyActions();
        assertThat(acts).hasSize(2);
        assertThat(acts.get(0)).isInstanceOf(OfAction.Learn.class);
    }
}
