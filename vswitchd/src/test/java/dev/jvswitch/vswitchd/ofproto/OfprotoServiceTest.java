package dev.jvswitch.vswitchd.ofproto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.config.BridgeSettings;
import dev.jvswitch.config.RevalidatorSettings;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.mod.GroupMod;
import dev.jvswitch.ofproto.mod.ModResult;
import dev.jvswitch.ofproto.revalidate.UpcallShow;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.syntax.GroupSyntax;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.ofproto.trace.Trace;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.config.FlowLine;
import dev.jvswitch.ofproto.match.PrefixFields;
import dev.jvswitch.vswitchd.ofproto.BridgeView.PortView;

/**
 * The daemon's ofproto service without PMD threads: bridges with VLAN ports, replacing flows and
 * groups as a difference (unchanged rules keep their counters), the models it returns as the
 * commands print them, trace, and the one-line errors.
 */
class OfprotoServiceTest {
    private static final BridgeSettings MAC = new BridgeSettings(1024, 300);
    private MbufPool pool;
    private Datapath dp;
    private OfprotoService sp;

    @BeforeEach
    void setUp() throws OfprotoException {
        pool = MbufPool.create(MbufPoolConfig.of("sp-test", 256));
        sp = new OfprotoService();
        dp = new Datapath(DatapathConfig.defaults().withPmdCpus(0), pool, (pmd, key, pkt, result) -> {
            throw new AssertionError("ofproto must replace the handler");
        });
        sp.start(dp, new RevalidatorSettings(1, 10_000, 200_000));
        sp.setBridges(List.of(new BridgeView("br0", List.of(
                new PortView("p1", 1, 1, 10, List.of()),
                new PortView("p2", 2, 2, -1, List.of(10, 20)),
                new PortView("p3", 3, 3, -1, List.of())), MAC)));
    }

    @AfterEach
    void tearDown() {
        sp.close();
        dp.close();
        assertThat(pool.leakReport()).isNull();
        pool.close();
    }

    private static List<FlowMod> adds(String... flows) {
        List<FlowMod> out = new ArrayList<>();
        for (String f : flows) {
            out.add(FlowSyntax.parseAdd(f));
        }
        return out;
    }

    private static List<GroupMod> groupAdds(String... groups) {
        List<GroupMod> out = new ArrayList<>();
        for (String g : groups) {
            out.add(GroupSyntax.parseAdd(g));
        }
        return out;
    }

    /** What {@code ofctl/dump-flows} prints. */
    private String dumpFlows(String bridge) throws OfprotoException {
        StringBuilder sb = new StringBuilder();
        for (FlowStats fs : sp.flowStats(bridge)) {
            sb.append(' ').append(FlowSyntax.dumpFlow(fs)).append('\n');
        }
        return sb.toString();
    }

    /** What {@code ofctl/dump-groups} prints. */
    private String dumpGroups(String bridge) throws OfprotoException {
        StringBuilder sb = new StringBuilder();
        for (Group g : sp.groups(bridge)) {
            sb.append(' ').append(GroupSyntax.format(g)).append('\n');
        }
        return sb.toString();
    }

    private ModResult addFlow(String flow) throws OfprotoException {
        return sp.apply("br0", List.of(FlowSyntax.parseAdd(flow)), "ofctl/add-flow");
    }

    @Test
    void bridgesCarryVlanModesAndMacSettings() throws OfprotoException {
        var br = sp.ofproto().bridgeConfig("br0");
        assertThat(br.byOfPort(1)).isEqualTo(OfPort.access(1, 1, "p1", 10));
        assertThat(br.byOfPort(2).trunks()).containsExactly(10, 20);
        assertThat(br.byOfPort(3).trunks()).isEmpty();
        assertThat(br.macTableSize()).isEqualTo(1024);
        sp.setBridges(List.of(new BridgeView("br1", List.of(new PortView("q1", 1, 9, -1, List.of())), MAC)));
        assertThat(sp.ofproto().bridges()).containsExactly("br1");
    }

    @Test
    void replaceFlowsKeepsUnchangedRulesWithTheirCountersAndDeletesTheRest() throws OfprotoException {
        sp.replaceFlows("br0", adds("priority=10,in_port=1,actions=output:2", "priority=0,actions=normal"));
        Rule kept = sp.ofproto().rules("br0").get(0);
        kept.stats().add(5, 500, sp.ofproto().nowNs());
        long seq = sp.ofproto().revalSeq();
        ModResult r = sp.replaceFlows("br0", adds("priority=10,in_port=1,actions=output:2", "priority=5,actions=drop",
                "priority=5,actions=output:3"));
        assertThat(sp.ofproto().revalSeq()).as("one version").isEqualTo(seq + 1);
        assertThat(r.flowsAdded()).isEqualTo(1);
        assertThat(r.flowsDeleted()).isEqualTo(1);
        assertThat(sp.ofproto().rules("br0")).hasSize(2).contains(kept);
        String dump = dumpFlows("br0");
        assertThat(dump.lines()).hasSize(2).allSatisfy(l -> assertThat(l).startsWith(" cookie=0x0, duration="));
        assertThat(dump).contains("n_packets=5, n_bytes=500, idle_age=", "priority=10,in_port=1 actions=output:2",
                "priority=5 actions=output:3").doesNotContain("NORMAL", "drop");
        sp.replaceFlows("br0", List.of());
        assertThat(dumpFlows("br0")).isEmpty();
    }

    @Test
    void replaceGroupsAddsModifiesAndDeletes() throws OfprotoException {
        sp.replaceGroups("br0", groupAdds("group_id=1,type=all,bucket=output:1", "group_id=2,type=all,bucket=output:2"));
        sp.replaceFlows("br0", adds("in_port=3,actions=group:2"));
        ModResult r = sp.replaceGroups("br0", groupAdds("group_id=1,type=all,bucket=output:1,bucket=output:3"));
        assertThat(r.groupsModified()).isEqualTo(1);
        assertThat(r.groupsDeleted()).isEqualTo(1);
        assertThat(dumpGroups("br0")).isEqualTo(" group_id=1,type=all,bucket=actions=output:1,"
                + "bucket=actions=output:3\n");
        // Deleting group 2 took the rule that sent to it along, as OpenFlow does.
        assertThat(dumpFlows("br0")).isEmpty();
        sp.apply("br0", List.of(GroupSyntax.parseAdd("group_id=5,type=select,bucket=output:1,bucket=output:3")),
                "ofctl/add-group");
        addFlow("in_port=2,actions=group:5");
        assertThat(dumpGroups("br0")).contains("group_id=5,type=select");
        assertThatThrownBy(() -> addFlow("in_port=2,actions=group:6"))
                .isInstanceOf(OfprotoException.class).hasMessageContaining("6");
    }

    @Test
    void traceEndsWithTheDatapathActions() throws OfprotoException {
        addFlow("priority=10,in_port=3,actions=output:2");
        assertThat(sp.trace("br0", Trace.parseFlow("in_port=3"), null)).startsWith("Flow: ")
                .contains("bridge(\"br0\")").endsWith("Datapath actions: 2\n");
        assertThat(sp.apply("br0", List.of(FlowSyntax.parseDelete("in_port=3")), "ofctl/del-flows").flowsDeleted())
                .isEqualTo(1);
        assertThat(sp.apply("br0", List.of(FlowMod.deleteAll()), "ofctl/del-flows").flowsDeleted()).isZero();
    }

    @Test
    void fdbShowHasOvsLayoutAndFlushEmptiesIt() throws OfprotoException {
        long now = sp.ofproto().nowNs();
        sp.ofproto().macTable("br0").learn(0x0a0000000002L, 10, 2, now);
        sp.ofproto().macTable("br0").learn(0x0a0000000001L, 10, 1, now);
        assertThat(FdbFormat.show(sp.fdb("br0"))).isEqualTo(" port  VLAN  MAC                Age\n"
                + "    1    10  0a:00:00:00:00:01    0\n"
                + "    2    10  0a:00:00:00:00:02    0\n");
        sp.fdbFlush(null);
        assertThat(FdbFormat.show(sp.fdb("br0"))).isEqualTo(FdbFormat.HEADER);
    }

    @Test
    void errorsAreOneLineAndNameWhatIsWrong() {
        assertThatThrownBy(() -> sp.flowStats("br9")).isInstanceOf(OfprotoException.class)
                .hasMessage("no bridge named br9 (bridges: br0)");
        assertThatThrownBy(() -> sp.fdbFlush("br9")).hasMessage("no bridge named br9 (bridges: br0)");
        assertThatThrownBy(() -> sp.checkBridge("br9")).hasMessage("no bridge named br9 (bridges: br0)");
        assertThatThrownBy(() -> addFlow("actions=write_actions(output:1)"))
                .hasMessage("write_actions is not supported yet");
        OfprotoFlowChecker checker = new OfprotoFlowChecker();
        assertThat(checker.checkFlow("in_port=1,actions=outptu:2"))
                .isEqualTo("flow syntax error at column 19: unknown action 'outptu'");
        assertThat(checker.checkFlow("in_port=1,tp_dst=80,actions=drop")).startsWith("flow syntax error at column 11: ");
        assertThat(checker.checkFlow("actions=clear_actions")).isEqualTo("clear_actions is not supported yet");
        assertThat(checker.checkFlow("priority=0,actions=normal")).isNull();
        assertThat(checker.checkGroup("group_id=1,type=all,bucket=output:1")).isNull();
        assertThat(checker.checkVlans()).isNull();
    }

    @Test
    void configLinesKeepTheirFileAndLine() {
        FlowLine bad = new FlowLine("actions=flyy", "flows.txt", 7, "bridges.br0.flows[0]");
        assertThatThrownBy(() -> ConfigFlows.flows(List.of(bad))).isInstanceOf(OfprotoException.class)
                .hasMessageStartingWith("flows.txt:7: ").hasMessageContaining("unknown action 'flyy'");
    }

    @Test
    void theDaemonsCheckerKeepsWhatItParsedUntilForgotten() throws Exception {
        FlowLine a = new FlowLine("priority=5,in_port=1,actions=output:2", "flows.txt", 1, "k[0]");
        FlowLine b = new FlowLine("priority=5,in_port=2,actions=output:1", "flows.txt", 2, "k[1]");
        OfprotoFlowChecker keeping = sp.flowChecker();
        keeping.expectFlows(2); // as the loader announces a list, then checks its lines by position
        assertThat(keeping.checkFlow(a.text(), 0)).isNull();
        List<FlowMod> first = ConfigFlows.flows(List.of(a, b), keeping);
        List<FlowMod> again = ConfigFlows.flows(List.of(a, b), keeping);
        // a's add is the one the check made (the same object each time); b was never checked: parsed anew.
        assertThat(again.get(0)).isSameAs(first.get(0)).isSameAs(keeping.parsedFlow(a.text()));
        assertThat(again.get(1)).isNotSameAs(first.get(1)).isEqualTo(first.get(1));
        // Kept by the identity of the text: an equal string of another line is parsed again.
        assertThat(keeping.parsedFlow(new String(a.text()))).isNull();
        keeping.forget();
        assertThat(keeping.parsedFlow(a.text())).isNull();
        OfprotoFlowChecker checkOnly = new OfprotoFlowChecker();
        assertThat(checkOnly.checkFlow(a.text())).isNull();
        assertThat(checkOnly.parsedFlow(a.text())).isNull();
    }

    @Test
    void upcallShowAndCoverageComeFromTheRevalidators() {
        assertThat(UpcallShow.format(sp.upcalls())).startsWith("system@ovs-system:\n").contains("(current 0)",
                "  0: (keys ");
        assertThat(sp.coverage()).containsKeys("upcall_handled", "xlate_error", "revalidator_dumps",
                "change_barrier_timeout");
        assertThat(sp.description()).isEqualTo("OpenFlow (ofproto-xlate), 1 revalidator thread(s)");
    }

    @Test
    void tablePrefixFieldsComeFromTheBridgeSettingsAndChangeOnReconfigure() throws Exception {
        List<PortView> ports = List.of(new PortView("p1", 1, 1, -1, List.of()), new PortView("p2", 2, 2, -1, List.of()));
        sp.setBridges(List.of(new BridgeView("br0", ports, MAC)));
        sp.replaceFlows("br0", adds("priority=10,ip,nw_dst=10.0.0.0/8,actions=output:2", "priority=0,actions=drop"));
        String flow = "in_port=1,ip,nw_src=192.0.2.1,nw_dst=192.168.0.1";
        assertThat(sp.ofproto().tables("br0").prefixFields(0)).isEqualTo(PrefixFields.DEFAULT);
        assertThat(sp.trace("br0", Trace.parseFlow(flow), null)).contains("Megaflow: recirc_id=0,eth,ip,in_port=1,"
                + "nw_dst=128.0.0.0/1,nw_frag=no\n");

        sp.setBridges(List.of(new BridgeView("br0", ports, MAC.withPrefixes(Map.of(0, List.of("none"))))));
        assertThat(sp.ofproto().tables("br0").prefixFields(0)).isEqualTo(PrefixFields.NONE);
        assertThat(sp.ofproto().tables("br0").prefixFields(1)).isEqualTo(PrefixFields.DEFAULT);
        assertThat(sp.trace("br0", Trace.parseFlow(flow), null)).as("without tries the /8 is unwildcarded whole")
                .contains("Megaflow: recirc_id=0,eth,ip,in_port=1,nw_dst=192.0.0.0/8,nw_frag=no\n");
    }
}
