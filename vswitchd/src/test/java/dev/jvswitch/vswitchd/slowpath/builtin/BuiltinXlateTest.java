package dev.jvswitch.vswitchd.slowpath.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.vswitchd.slowpath.BridgeView.PortView;

/**
 * Translation in the built-in slow path: the learning switch behind {@code normal}, rule order,
 * and megaflow masks that cover every field a translation looked at. Datapath ports are numbered
 * 11, 12, 13 for OpenFlow ports 1, 2, 3, so the two numberings cannot be confused.
 */
class BuiltinXlateTest {
    private static final long A = 0x02_00_00_00_00_0aL;
    private static final long B = 0x02_00_00_00_00_0bL;
    private static final long BROADCAST = 0xff_ff_ff_ff_ff_ffL;

    private final MacTable macs = new MacTable(16);

    private BridgeState bridge(String... flows) {
        List<PortView> ports = List.of(new PortView("p1", 1, 11, -1, List.of()),
                new PortView("p2", 2, 12, -1, List.of()), new PortView("p3", 3, 13, -1, List.of()));
        List<BuiltinRule> rules = new ArrayList<>();
        for (String f : flows) {
            rules.add(BuiltinFlowSyntax.parseRule(f, 0));
        }
        return new BridgeState("br0", ports, rules, macs);
    }

    private static FlowKey key(int dpInPort, long src, long dst) {
        return new FlowKey().set(FlowField.IN_PORT, dpInPort).set(FlowField.ETH_SRC, src).set(FlowField.ETH_DST, dst)
                .set(FlowField.ETH_TYPE, 0x0800);
    }

    @Test
    void normalFloodsUnknownAndForwardsLearnedAddresses() {
        BridgeState b = bridge("actions=normal");
        FlowMask mask = new FlowMask();
        BuiltinXlate.Result r = BuiltinXlate.translate(b, key(11, A, B), mask, true, 1_000, null);
        assertThat(r.actions()).isEqualTo(DpActions.parse("12,13"));
        assertThat(r.macsChanged()).isTrue();
        assertThat(macs.lookup(A)).isEqualTo(11);
        assertThat(mask.isExact(FlowField.ETH_SRC)).isTrue();
        assertThat(mask.isExact(FlowField.ETH_DST)).isTrue();
        assertThat(mask.isWildcard(FlowField.ETH_TYPE)).isTrue();

        r = BuiltinXlate.translate(b, key(12, B, A), new FlowMask(), true, 1_001, null);
        assertThat(r.actions()).isEqualTo(DpActions.parse("11"));
        r = BuiltinXlate.translate(b, key(11, A, B), new FlowMask(), true, 1_002, null);
        assertThat(r.actions()).isEqualTo(DpActions.parse("12"));
        assertThat(r.macsChanged()).isFalse();
    }

    @Test
    void broadcastFloodsAndNothingGoesBackOutItsInputPort() {
        BridgeState b = bridge("actions=normal");
        assertThat(BuiltinXlate.translate(b, key(13, A, BROADCAST), new FlowMask(), true, 0, null).actions())
                .isEqualTo(DpActions.parse("11,12"));
        // A now lives behind port 13; a frame to A arriving on 13 is not sent back out.
        assertThat(BuiltinXlate.translate(b, key(13, B, A), new FlowMask(), true, 0, null).actions().isDrop()).isTrue();
    }

    @Test
    void macMoveIsAChange() {
        BridgeState b = bridge("actions=normal");
        BuiltinXlate.translate(b, key(11, A, B), new FlowMask(), true, 0, null);
        assertThat(BuiltinXlate.translate(b, key(12, A, B), new FlowMask(), true, 1, null).macsChanged()).isTrue();
        assertThat(macs.lookup(A)).isEqualTo(12);
        assertThat(macs.moved.get()).isEqualTo(1);
    }

    @Test
    void revalidationAndTraceDoNotLearn() {
        BridgeState b = bridge("actions=normal");
        BuiltinXlate.translate(b, key(11, A, B), new FlowMask(), false, 0, new StringBuilder());
        assertThat(macs.size()).isZero();
    }

    @Test
    void higherPriorityRuleWinsAndTheMaskCoversEveryRuleExamined() {
        BridgeState b = bridge("priority=0,actions=normal", "priority=20,in_port=1,actions=output:3",
                "priority=10,dl_dst=02:00:00:00:00:0b,actions=drop");
        FlowMask m1 = new FlowMask();
        BuiltinXlate.Result r1 = BuiltinXlate.translate(b, key(11, A, B), m1, true, 0, null);
        assertThat(r1.actions()).isEqualTo(DpActions.parse("13"));
        assertThat(r1.rule().priority).isEqualTo(20);
        assertThat(m1.isCatchAll()).isTrue(); // in_port alone decided; the datapath adds in_port itself
        FlowMask m2 = new FlowMask();
        BuiltinXlate.Result r2 = BuiltinXlate.translate(b, key(12, A, A), m2, true, 0, null);
        assertThat(r2.rule().priority).isZero();
        // The dl_dst rule was examined (and did not match): eth_dst must be in the mask.
        assertThat(m2.isExact(FlowField.ETH_DST)).isTrue();
        assertThat(BuiltinXlate.translate(b, key(12, A, B), new FlowMask(), true, 0, null).actions().isDrop()).isTrue();
    }

    @Test
    void tableMissDrops() {
        BridgeState b = bridge("in_port=2,actions=output:1");
        BuiltinXlate.Result r = BuiltinXlate.translate(b, key(11, A, B), new FlowMask(), true, 0, null);
        assertThat(r.actions().isDrop()).isTrue();
        assertThat(r.rule()).isNull();
    }

    @Test
    void outputToTheInputPortIsSkippedUnlessAskedForByInPort() {
        BridgeState b = bridge("in_port=1,actions=output:1,output:2", "in_port=2,actions=in_port");
        assertThat(BuiltinXlate.translate(b, key(11, A, B), new FlowMask(), true, 0, null).actions())
                .isEqualTo(DpActions.parse("12"));
        assertThat(BuiltinXlate.translate(b, key(12, A, B), new FlowMask(), true, 0, null).actions())
                .isEqualTo(DpActions.parse("12"));
    }

    @Test
    void traceNamesTheRuleAndTheDecision() {
        BridgeState b = bridge("priority=0,actions=normal");
        StringBuilder sb = new StringBuilder();
        BuiltinXlate.translate(b, key(11, A, BROADCAST), new FlowMask(), false, 0, sb);
        assertThat(sb.toString()).isEqualTo(" 0. priority 0\n    NORMAL\n     -> broadcast, flooding\n");
    }

    @Test
    void macTableEvictsTheOldestWhenFullAndAges() {
        MacTable t = new MacTable(2);
        t.learn(A, 1, 100);
        t.learn(B, 2, 200);
        t.learn(0x02_00_00_00_00_0cL, 3, 300);
        assertThat(t.lookup(A)).isEqualTo(-1);
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.evicted.get()).isEqualTo(1);
        t.refresh(B, 2, 1_000);
        assertThat(t.age(1_100, 500)).isEqualTo(1);
        assertThat(t.lookup(B)).isEqualTo(2);
    }
}
