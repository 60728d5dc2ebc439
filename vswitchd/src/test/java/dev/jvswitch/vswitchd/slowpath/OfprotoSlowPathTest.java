package dev.jvswitch.vswitchd.slowpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.ofproto.OfprotoRevalidation;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.vswitchd.slowpath.BridgeView.PortView;

/**
 * The daemon's slow path on ofproto, without PMD threads: bridges with VLAN ports, replacing
 * flows and groups as a difference (unchanged rules keep their counters), the dump formats,
 * fdb/show's layout, trace, and the one-line errors.
 */
class OfprotoSlowPathTest {
    private MbufPool pool;
    private Datapath dp;
    private OfprotoSlowPath sp;

    @BeforeEach
    void setUp() throws SlowPathException {
        pool = MbufPool.create(MbufPoolConfig.of("sp-test", 256));
        sp = new OfprotoSlowPath(OfprotoRevalidation::new);
        dp = new Datapath(DatapathConfig.defaults().withPmdCpus(0), pool, (pmd, key, pkt, result) -> {
            throw new AssertionError("the slow path must replace the handler");
        });
        sp.start(dp, new SlowPathSettings(10_000, 1, 200_000, 1024, 300));
        sp.setBridges(List.of(new BridgeView("br0", List.of(
                new PortView("p1", 1, 1, 10, List.of()),
                new PortView("p2", 2, 2, -1, List.of(10, 20)),
                new PortView("p3", 3, 3, -1, List.of())))));
    }

    @AfterEach
    void tearDown() {
        sp.close();
        dp.close();
        assertThat(pool.leakReport()).isNull();
        pool.close();
    }

    @Test
    void bridgesCarryVlanModesAndMacSettings() throws SlowPathException {
        var br = sp.ofproto().bridgeConfig("br0");
        assertThat(br.byOfPort(1)).isEqualTo(OfPort.access(1, 1, "p1", 10));
        assertThat(br.byOfPort(2).trunks()).containsExactly(10, 20);
        assertThat(br.byOfPort(3).trunks()).isEmpty();
        assertThat(br.macTableSize()).isEqualTo(1024);
        sp.setBridges(List.of(new BridgeView("br1", List.of(new PortView("q1", 1, 9, -1, List.of())))));
        assertThat(sp.ofproto().bridges()).containsExactly("br1");
    }

    @Test
    void replaceFlowsKeepsUnchangedRulesWithTheirCountersAndDeletesTheRest() throws SlowPathException {
        sp.replaceFlows("br0", List.of("priority=10,in_port=1,actions=output:2", "priority=0,actions=normal"));
        Rule kept = sp.ofproto().rules("br0").get(0);
        kept.stats().add(5, 500, sp.ofproto().nowNs());
        sp.replaceFlows("br0", List.of("priority=10,in_port=1,actions=output:2", "priority=5,actions=drop",
                "priority=5,actions=output:3"));
        assertThat(sp.ofproto().rules("br0")).hasSize(2).contains(kept);
        String dump = sp.dumpFlows("br0");
        assertThat(dump.lines()).hasSize(2).allSatisfy(l -> assertThat(l).startsWith(" cookie=0x0, duration="));
        assertThat(dump).contains("n_packets=5, n_bytes=500, idle_age=", "priority=10,in_port=1 actions=output:2",
                "priority=5 actions=output:3").doesNotContain("NORMAL", "drop");
        sp.replaceFlows("br0", List.of());
        assertThat(sp.dumpFlows("br0")).isEmpty();
    }

    @Test
    void replaceGroupsAddsModifiesAndDeletes() throws SlowPathException {
        sp.replaceGroups("br0", List.of("group_id=1,type=all,bucket=output:1", "group_id=2,type=all,bucket=output:2"));
        sp.replaceFlows("br0", List.of("in_port=3,actions=group:2"));
        sp.replaceGroups("br0", List.of("group_id=1,type=all,bucket=output:1,bucket=output:3"));
        assertThat(sp.dumpGroups("br0")).isEqualTo(" group_id=1,type=all,bucket=actions=output:1,"
                + "bucket=actions=output:3\n");
        // Deleting group 2 took the rule that sent to it along, as OpenFlow does.
        assertThat(sp.dumpFlows("br0")).isEmpty();
        sp.addGroup("br0", "group_id=5,type=select,bucket=output:1,bucket=output:3");
        sp.addFlow("br0", "in_port=2,actions=group:5");
        assertThat(sp.dumpGroups("br0")).contains("group_id=5,type=select");
        assertThatThrownBy(() -> sp.addFlow("br0", "in_port=2,actions=group:6"))
                .isInstanceOf(SlowPathException.class).hasMessageContaining("6");
    }

    @Test
    void traceEndsWithTheDatapathActions() throws SlowPathException {
        sp.addFlow("br0", "priority=10,in_port=3,actions=output:2");
        assertThat(sp.trace("br0", "in_port=3", null)).startsWith("Flow: ").contains("bridge(\"br0\")")
                .endsWith("Datapath actions: 2\n");
        assertThat(sp.delFlows("br0", "in_port=3")).isEqualTo(1);
        assertThat(sp.delFlows("br0", null)).isZero();
    }

    @Test
    void fdbShowHasOvsLayoutAndFlushEmptiesIt() throws SlowPathException {
        long now = sp.ofproto().nowNs();
        sp.ofproto().macTable("br0").learn(0x0a0000000002L, 10, 2, now);
        sp.ofproto().macTable("br0").learn(0x0a0000000001L, 10, 1, now);
        assertThat(sp.fdbShow("br0")).isEqualTo(" port  VLAN  MAC                Age\n"
                + "    1    10  0a:00:00:00:00:01    0\n"
                + "    2    10  0a:00:00:00:00:02    0\n");
        sp.fdbFlush(null);
        assertThat(sp.fdbShow("br0")).isEqualTo(FdbFormat.HEADER);
    }

    @Test
    void errorsAreOneLineAndNameWhatIsWrong() {
        assertThatThrownBy(() -> sp.dumpFlows("br9")).isInstanceOf(SlowPathException.class)
                .hasMessage("no bridge named br9 (bridges: br0)");
        assertThatThrownBy(() -> sp.fdbFlush("br9")).hasMessage("no bridge named br9 (bridges: br0)");
        assertThatThrownBy(() -> sp.addFlow("br0", "in_port=1,actions=outptu:2"))
                .hasMessage("flow syntax error at column 19: unknown action 'outptu'");
        assertThat(sp.checkFlow("in_port=1,tp_dst=80,actions=drop")).startsWith("flow syntax error at column 11: ");
        assertThat(sp.checkFlow("priority=0,actions=normal")).isNull();
        assertThat(sp.checkGroup("group_id=1,type=all,bucket=output:1")).isNull();
        assertThat(sp.checkVlans()).isNull();
    }

    @Test
    void upcallShowAndCoverageComeFromTheRevalidators() {
        assertThat(sp.upcallShow()).startsWith("system@ovs-system:\n").contains("(current 0)", "  0: (keys ");
        assertThat(sp.coverage()).containsKeys("upcall_handled", "xlate_error", "revalidator_dumps",
                "change_barrier_timeout");
        assertThat(sp.description()).isEqualTo("OpenFlow (ofproto-xlate), 1 revalidator thread(s)");
    }
}
