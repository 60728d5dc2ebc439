package dev.jvswitch.ofproto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.testkit.frame.Frames;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowRemoved;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.mod.FlowStatsRequest;
import dev.jvswitch.ofproto.mod.GroupMod;
import dev.jvswitch.ofproto.mod.Instruction;
import dev.jvswitch.ofproto.mod.ModResult;
import dev.jvswitch.ofproto.mod.OfMod;
import dev.jvswitch.ofproto.mod.PortMod;
import dev.jvswitch.ofproto.port.OfPorts;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.syntax.GroupSyntax;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.ofproto.xlate.TestSwitch;

/** {@link Ofproto#apply} and {@link Ofproto#replaceFlows}: the flow-mod model's semantics. */
class ApplyModsTest {
    private static final byte[] TCP = Frames.tcp4().ip("10.0.0.1", "10.0.0.2").ports(1, 80).build();

    private TestSwitch sw;
    private Ofproto of;

    @BeforeEach
    void setUp() {
        sw = new TestSwitch().bridge("br0", 4, 0);
        of = sw.ofproto;
    }

    @AfterEach
    void tearDown() {
        sw.close();
    }

    private static FlowMod add(String text) {
        return FlowSyntax.parseAdd(text);
    }

    @Test
    void aListIsOneVersionAndCountsWhatChanged() {
        long seq = of.revalSeq();
        ModResult r = of.apply("br0", List.of(GroupSyntax.parseAdd("group_id=1,type=all,bucket=output:3"),
                add("priority=10,tcp,actions=group:1"), add("priority=5,ip,actions=output:2"),
                FlowSyntax.parseModify("ip,actions=output:4"), FlowSyntax.parseDelete("priority=5,ip", true)));
        assertThat(of.revalSeq()).as("one transaction, one version").isEqualTo(seq + 1);
        assertThat(r.groupsAdded()).isEqualTo(1);
        assertThat(r.flowsAdded()).isEqualTo(2);
        assertThat(r.flowsModified()).isEqualTo(2);
        assertThat(r.flowsDeleted()).isEqualTo(1);
        assertThat(r.removed()).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo(FlowRemoved.Reason.DELETE);
            assertThat(f.flow().priority()).isEqualTo(5);
        });
        assertThat(sw.actions(TCP, 1)).isEqualTo("4");
    }

    @Test
    void aFailingModLeavesEverythingAsItWas() {
        Ofctl.addFlow(of, "br0", "priority=10,tcp,actions=output:2");
        long seq = of.revalSeq();
        assertThatThrownBy(() -> of.apply("br0", List.of(FlowSyntax.parseDelete(""), add("actions=group:9"))))
                .hasMessage("group 9 does not exist");
        assertThat(of.revalSeq()).isEqualTo(seq);
        assertThat(of.rules("br0")).hasSize(1);
    }

    @Test
    void checkOverlapRefusesAnOverlappingRuleOfTheSamePriority() {
        Ofctl.addFlow(of, "br0", "priority=10,ip,nw_dst=10.0.0.0/8,actions=output:2");
        assertThatThrownBy(() -> of.apply("br0", add("check_overlap,priority=10,tcp,actions=output:3")))
                .hasMessage("check_overlap: table 0 has a rule of the same priority that overlaps: "
                        + "priority=10,ip,nw_dst=10.0.0.0/8");
        of.apply("br0", add("check_overlap,priority=11,tcp,actions=output:3"));
        of.apply("br0", add("check_overlap,priority=10,ip,nw_dst=11.0.0.0/8,actions=output:3"));
        of.apply("br0", add("check_overlap,table=1,priority=10,ip,actions=output:3"));
        assertThat(of.rules("br0")).hasSize(4);
        // As OVS: an add that replaces a rule of the very same match is no overlap.
        of.apply("br0", add("check_overlap,priority=10,ip,nw_dst=10.0.0.0/8,actions=output:4"));
        assertThat(of.rules("br0")).hasSize(4);
        assertThat(of.rules("br0")).allSatisfy(r -> assertThat(r.flags()).isEmpty());
    }

    @Test
    void outPortAndOutGroupFilterModifiesAndDeletes() {
        Ofctl.addGroup(of, "br0", "group_id=7,type=all,bucket=output:1");
        Ofctl.addFlows(of, "br0", List.of("priority=1,in_port=1,actions=output:2", "priority=2,in_port=2,actions=NORMAL",
                "priority=3,in_port=3,actions=group:7", "priority=4,in_port=4,actions=output:3,output:2"));
        assertThat(of.apply("br0", FlowSyntax.parseModify("out_port=2,actions=output:4")).flowsModified()).isEqualTo(2);
        assertThat(of.apply("br0", FlowSyntax.parseDelete("out_port=NORMAL")).flowsDeleted()).isEqualTo(1);
        assertThat(of.apply("br0", FlowSyntax.parseDelete("out_group=7")).removed())
                .extracting(f -> f.flow().priority()).containsExactly(3);
        assertThat(of.rules("br0")).extracting(Rule::actions)
                .containsOnly(List.of(new OfAction.Output(4)));
        assertThat(of.flowStats("br0", FlowStatsRequest.of(FlowSyntax.parseDelete("out_port=4")))).hasSize(2);
        assertThat(of.flowStats("br0", FlowStatsRequest.of(FlowSyntax.parseDelete("out_port=2")))).isEmpty();
    }

    @Test
    void cookieMaskSelectsAndAnAddSetsTheCookie() {
        Ofctl.addFlows(of, "br0", List.of("cookie=0x11,priority=1,ip,actions=drop",
                "cookie=0x21,priority=2,ip,actions=drop", "cookie=0x12,priority=3,ip,actions=drop"));
        assertThat(of.rules("br0")).extracting(Rule::cookie).containsExactlyInAnyOrder(0x11L, 0x21L, 0x12L);
        assertThat(of.apply("br0", FlowSyntax.parseModify("cookie=0x1/0xf,actions=output:1")).flowsModified())
                .isEqualTo(2);
        assertThat(of.apply("br0", FlowSyntax.parseDelete("cookie=0x12")).removed())
                .extracting(f -> f.flow().cookie()).containsExactly(0x12L);
        assertThat(of.rules("br0")).extracting(Rule::cookie).as("a modify keeps the cookie")
                .containsExactlyInAnyOrder(0x11L, 0x21L);
    }

    @Test
    void aModifyKeepsCountersUnlessResetCounts() {
        Ofctl.addFlow(of, "br0", "send_flow_rem,idle_timeout=30,priority=10,tcp,actions=output:2");
        of.rules("br0").get(0).stats().add(5, 500, sw.clockNs.get());
        of.apply("br0", FlowSyntax.parseModify("tcp,actions=output:3"));
        Rule kept = of.rules("br0").get(0);
        assertThat(kept.stats().packets()).isEqualTo(5);
        assertThat(kept.flags()).containsExactly(FlowMod.Flag.SEND_FLOW_REM);
        assertThat(kept.idleTimeoutSec()).isEqualTo(30);
        of.apply("br0", FlowSyntax.parseModify("reset_counts,tcp,actions=output:4"));
        assertThat(of.rules("br0").get(0).stats().packets()).isZero();
        assertThat(of.rules("br0").get(0).flags()).as("reset_counts is no state").containsExactly(
                FlowMod.Flag.SEND_FLOW_REM);
    }

    @Test
    void whatTranslationCannotDoIsRefusedByName() {
        for (String text : List.of("actions=clear_actions", "actions=write_actions(output:1)")) {
            FlowMod fm = add(text);
            String name = fm.instructions().get(0).ovsName();
            assertThatThrownBy(() -> of.apply("br0", fm)).hasMessage(name + " is not supported yet");
            assertThatThrownBy(() -> Ofproto.validate(fm)).hasMessage(name + " is not supported yet");
        }
        Ofproto.validate(add("actions=output:1,goto_table:1"));
        Ofproto.validate(add("actions=output:1,write_metadata:0x1/0xff,goto_table:1"));
        assertThatThrownBy(() -> of.apply("br0", PortMod.set(9, PortMod.Config.PORT_DOWN, false)))
                .hasMessage("port mod: bridge br0 has no port 9");
        assertThat(of.apply("br0", PortMod.set(3, PortMod.Config.PORT_DOWN, false)).isEmpty())
                .as("up on a port that is up").isTrue();
    }

    @Test
    void portConfigBitsStopTrafficAsOvsDoes() {
        Ofctl.addFlows(of, "br0", List.of("in_port=1,actions=output:2", "in_port=2,actions=output:1",
                "in_port=3,actions=flood", "in_port=4,actions=all"));
        assertThat(sw.actions(TCP, 1)).isEqualTo("2");
        long seq = of.revalSeq();
        of.apply("br0", PortMod.set(2, PortMod.Config.PORT_DOWN, true));
        assertThat(of.revalSeq()).as("a config change revalidates the megaflows").isGreaterThan(seq);
        assertThat(of.portConfig("br0", 2)).isEqualTo(PortMod.Config.PORT_DOWN.bit());
        assertThat(sw.actions(TCP, 1)).as("nothing leaves a port that is down").isEqualTo("drop");
        assertThat(sw.actions(TCP, 2)).as("nothing comes in on a port that is down").isEqualTo("drop");
        assertThat(sw.actions(TCP, 3)).isEqualTo("1,4");
        of.apply("br0", PortMod.set(2, PortMod.Config.PORT_DOWN, false));
        assertThat(of.portConfig("br0", 2)).isZero();
        assertThat(sw.actions(TCP, 2)).isEqualTo("1");

        of.apply("br0", List.of(PortMod.set(1, PortMod.Config.NO_FLOOD, true),
                PortMod.set(2, PortMod.Config.NO_FWD, true), PortMod.set(4, PortMod.Config.NO_RECV, true)));
        assertThat(sw.actions(TCP, 3)).as("flood leaves out no-flood and no-forward ports").isEqualTo("4");
        assertThat(sw.actions(TCP, 4)).as("no-receive").isEqualTo("drop");
        assertThat(sw.actions(TCP, 2)).as("no-forward still receives").isEqualTo("1");
        of.apply("br0", PortMod.set(4, PortMod.Config.NO_RECV, false));
        assertThat(sw.actions(TCP, 4)).as("all ignores no-flood").isEqualTo("1,3");
        assertThat(of.portConfig("br0", 1)).isEqualTo(PortMod.Config.NO_FLOOD.bit());
    }

    @Test
    void gotoTableIsTheLastStepOfTheRule() {
        Ofctl.addFlows(of, "br0", List.of("tcp,actions=mod_tp_dst:81,goto_table:2", "table=2,actions=output:3"));
        assertThat(sw.actions(TCP, 1)).isEqualTo("set(tcp(dst=81)),3");
        FlowStats fs = of.flowStats("br0").get(0);
        assertThat(fs.instructions()).containsExactly(new Instruction.ApplyActions(List.of(new OfAction.ModTpDst(81))),
                new Instruction.GotoTable(2));
        assertThat(fs.toAdd()).isEqualTo(add("tcp,actions=mod_tp_dst:81,goto_table:2"));
    }

    @Test
    void deletingAGroupReportsItsRulesRemoved() {
        Ofctl.addGroup(of, "br0", "group_id=1,type=all,bucket=output:2");
        Ofctl.addGroup(of, "br0", "group_id=2,type=all,bucket=output:3");
        Ofctl.addFlows(of, "br0", List.of("priority=1,tcp,actions=group:1", "priority=2,udp,actions=group:2"));
        ModResult r = of.apply("br0", GroupMod.delete(GroupMod.ALL));
        assertThat(r.groupsDeleted()).isEqualTo(2);
        assertThat(r.removed()).extracting(FlowRemoved::reason).containsOnly(FlowRemoved.Reason.GROUP_DELETE);
        assertThat(r.removed()).hasSize(2);
        assertThat(of.apply("br0", GroupMod.delete(5)).groupsDeleted()).as("no such group: no error").isZero();
    }

    @Test
    void expiryReportsTheReason() {
        Ofctl.addFlows(of, "br0", List.of("priority=1,idle_timeout=5,ip,actions=drop",
                "priority=2,hard_timeout=5,tcp,actions=drop"));
        sw.clockNs.addAndGet(6_000_000_000L);
        assertThat(of.expireFlows()).extracting(f -> f.flow().priority() + ":" + f.reason())
                .containsExactlyInAnyOrder("1:IDLE_TIMEOUT", "2:HARD_TIMEOUT");
    }

    @Test
    void replaceFlowsIsOneVersionThatKeepsIdenticalRules() {
        Ofctl.addFlows(of, "br0", List.of("priority=10,in_port=1,actions=output:2", "priority=0,actions=NORMAL",
                "priority=5,udp,actions=drop"));
        Rule kept = of.rules("br0").get(0);
        kept.stats().add(5, 500, sw.clockNs.get());
        long seq = of.revalSeq();
        ModResult r = of.replaceFlows("br0", List.of(add("priority=10,in_port=1,actions=output:2"),
                add("priority=5,udp,actions=output:1"), add("priority=5,udp,actions=output:3"),
                add("priority=7,tcp,actions=output:4")));
        assertThat(of.revalSeq()).isEqualTo(seq + 1);
        assertThat(r.flowsAdded()).as("the changed udp rule and the new tcp one").isEqualTo(2);
        assertThat(r.flowsDeleted()).isEqualTo(1);
        assertThat(r.removed()).extracting(f -> f.flow().priority()).containsExactly(0);
        assertThat(of.rules("br0")).hasSize(3).first().isSameAs(kept);
        assertThat(of.flowStats("br0")).extracting(FlowSyntax::dumpFlow).anySatisfy(
                l -> assertThat(l).contains("n_packets=5, n_bytes=500", "priority=10,in_port=1 actions=output:2"))
                .anySatisfy(l -> assertThat(l).endsWith("priority=5,udp actions=output:3"));
        seq = of.revalSeq();
        assertThat(of.replaceFlows("br0", flowsOf(of)).isEmpty()).isTrue();
        assertThat(of.revalSeq()).as("nothing changed, no version").isEqualTo(seq);
        assertThatThrownBy(() -> of.replaceFlows("br0", List.of(FlowSyntax.parseDelete(""))))
                .hasMessage("a rule is made by an add, not a DELETE");
    }

    @Test
    void replacingManyRulesIsLinear() {
        List<FlowMod> adds = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            adds.add(add("priority=10,udp,nw_dst=10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)
                    + ",actions=output:2"));
        }
        of.replaceFlows("br0", adds);
        List<FlowMod> next = new ArrayList<>(adds.subList(1, adds.size()));
        next.add(add("priority=1,actions=drop"));
        ModResult r = of.replaceFlows("br0", next);
        assertThat(r.flowsAdded()).isEqualTo(1);
        assertThat(r.flowsDeleted()).isEqualTo(1);
        assertThat(of.tables("br0").ruleCount()).isEqualTo(20_000);
    }

    private static List<FlowMod> flowsOf(Ofproto of) {
        List<FlowMod> out = new ArrayList<>();
        for (FlowStats fs : of.flowStats("br0")) {
            out.add(fs.toAdd());
        }
        return out;
    }

    @Test
    void aModelListMayMixEveryKind() {
        List<OfMod> mods = List.of(PortMod.set(1, PortMod.Config.NO_FLOOD, false), add("actions=output:1"));
        assertThat(of.apply("br0", mods).flowsAdded()).isEqualTo(1);
        assertThat(of.flowStats("br0")).singleElement().extracting(FlowStats::flags).isEqualTo(Set.of());
        assertThat(OfPorts.ANY).isEqualTo(OfPorts.NONE);
    }
}
