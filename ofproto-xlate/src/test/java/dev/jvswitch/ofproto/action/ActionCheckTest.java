package dev.jvswitch.ofproto.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.match.Match;

class ActionCheckTest {
    private static final Match ANY = Match.ANY;
    private static final Match IP = Match.builder().set(FlowField.ETH_TYPE, 0x0800).build();
    private static final Match ARP = Match.builder().set(FlowField.ETH_TYPE, 0x0806).build();
    private static final Match TCP = Match.builder().set(FlowField.ETH_TYPE, 0x0800).set(FlowField.NW_PROTO, 6).build();
    private static final Match VLAN = Match.builder().set(FlowField.VLAN_TCI, 0x1005, 0x1fff).build();

    private static String apply(Match m, OfAction... actions) {
        return ActionCheck.wireProblem(m, List.of(actions));
    }

    @Test
    void fieldWritesAndReadsNeedTheirPrerequisites() {
        assertThat(apply(ANY, OfAction.SetField.exact(FlowField.NW_DST, 0x0a000001)))
                .isEqualTo("set_field nw_dst needs ip (OVS: actions are invalid with specified match,"
                        + " OFPBAC_MATCH_INCONSISTENT)");
        assertThat(apply(IP, OfAction.SetField.exact(FlowField.NW_DST, 0x0a000001))).isNull();
        assertThat(apply(IP, OfAction.SetField.exact(FlowField.TP_DST, 80))).startsWith("set_field tp_dst needs tcp");
        assertThat(apply(TCP, OfAction.SetField.exact(FlowField.TP_DST, 80))).isNull();
        assertThat(apply(IP, new OfAction.Load(1, FieldRef.whole(FlowField.ARP_OP))))
                .startsWith("load arp_op needs arp or rarp");
        assertThat(apply(ARP, new OfAction.Move(FieldRef.whole(FlowField.ARP_SPA), FieldRef.whole(FlowField.ARP_TPA))))
                .isNull();
        assertThat(apply(ARP, new OfAction.Move(FieldRef.whole(FlowField.NW_SRC), FieldRef.whole(FlowField.TUN_DST))))
                .startsWith("move nw_src needs ip");
        assertThat(apply(ANY, new OfAction.StackPush(FieldRef.whole(FlowField.TP_SRC)))).startsWith("push tp_src");
        assertThat(apply(ANY, new OfAction.StackPop(FieldRef.whole(FlowField.NW_TTL)))).startsWith("pop nw_ttl");
        assertThat(apply(ANY, new OfAction.OutputReg(FieldRef.whole(FlowField.NW_SRC), 0))).startsWith("output nw_src");
        // Registers and metadata need nothing.
        assertThat(apply(ANY, new OfAction.Move(FieldRef.whole(FlowField.IN_PORT), FieldRef.whole(FlowField.TUN_SRC))))
                .isNull();
    }

    @Test
    void conntrackAndNestedListsAreChecked() {
        OfAction ct = new OfAction.Ct(false, false, 0, null, OfAction.Ct.NO_RECIRC, List.of());
        assertThat(apply(ARP, ct)).startsWith("ct needs ip or ipv6");
        assertThat(apply(IP, ct)).isNull();
        OfAction ctExec = new OfAction.Ct(true, false, 0, null, OfAction.Ct.NO_RECIRC,
                List.of(OfAction.SetField.exact(FlowField.CT_MARK, 1)));
        assertThat(apply(IP, ctExec)).isNull();
        assertThat(apply(ARP, ctExec)).startsWith("ct needs ip or ipv6");
        OfAction ctZone = new OfAction.Ct(false, false, 0, FieldRef.range(FlowField.TP_SRC, 0, 15),
                OfAction.Ct.NO_RECIRC, List.of());
        assertThat(apply(IP, ctZone)).startsWith("ct zone tp_src needs tcp");
        assertThat(apply(ANY, new OfAction.Clone(List.of(new OfAction.DecTtl())))).startsWith("dec_ttl needs ip");
        assertThat(apply(ANY, OfAction.SetField.exact(FlowField.NW_SRC, 1))).startsWith("set_field nw_src needs ip");
    }

    @Test
    void openFlow10OnlyActionsNeedWhatTheyChange() {
        assertThat(apply(ANY, new OfAction.StripVlan())).startsWith("strip_vlan needs a VLAN header");
        assertThat(apply(VLAN, new OfAction.StripVlan())).isNull();
        assertThat(apply(ANY, new OfAction.PushVlan(0x8100), new OfAction.StripVlan())).isNull();
        // The VLAN pushed inside a clone is the clone's own.
        assertThat(apply(ANY, new OfAction.Clone(List.of(new OfAction.PushVlan(0x8100))), new OfAction.StripVlan()))
                .startsWith("strip_vlan");
        assertThat(apply(VLAN, new OfAction.StripVlan(), new OfAction.StripVlan())).startsWith("strip_vlan");
        assertThat(apply(ARP, new OfAction.ModNwTtl(9))).startsWith("mod_nw_ttl needs ip or ipv6");
        assertThat(apply(ARP, new OfAction.ModNwDst(1))).startsWith("mod_nw_dst needs ip");
        assertThat(apply(IP, new OfAction.ModTpDst(1))).startsWith("mod_tp_dst needs tcp, udp or sctp");
        assertThat(apply(TCP, new OfAction.ModTpDst(1), new OfAction.FinTimeout(1, 2), new OfAction.DecTtl())).isNull();
        assertThat(apply(IP, new OfAction.FinTimeout(1, 2))).startsWith("fin_timeout needs tcp");
    }
}
