package dev.jvswitch.ofproto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.xlate.TestSwitch;
import dev.jvswitch.ofproto.xlate.XlateSnapshot;
import dev.jvswitch.pmd.tunnel.IpAddress;
import dev.jvswitch.testkit.frame.Frames;

class OfprotoTest {
    private static final byte[] TCP = Frames.tcp4().ip("10.0.0.1", "10.0.0.2").ports(1, 80).build();

    @Test
    void everyChangePublishesANewSnapshotAndBumpsRevalSeq() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 3, 0)) {
            Ofproto of = sw.ofproto;
            XlateSnapshot before = of.snapshot();
            long seq = of.revalSeq();
            Ofctl.addFlow(of, "br0", "priority=10,tcp,actions=output:2");
            assertThat(of.snapshot().version()).isGreaterThan(before.version());
            assertThat(of.revalSeq()).isGreaterThan(seq);
            // The old snapshot is untouched: a PMD still translating against it sees the old tables.
            assertThat(of.xlate().translate(before, sw.key(TCP, 1), false, 0, null).actions().isDrop()).isTrue();
            assertThat(sw.actions(TCP, 1)).isEqualTo("2");

            assertThat(Ofctl.modFlows(of, "br0", "tcp,actions=output:3", false)).isEqualTo(1);
            assertThat(sw.actions(TCP, 1)).isEqualTo("3");
            seq = of.revalSeq();
            assertThat(Ofctl.modFlows(of, "br0", "udp,actions=output:3", false)).isZero();
            assertThat(of.revalSeq()).as("no change, no new version").isEqualTo(seq);
            assertThat(Ofctl.delFlows(of, "br0", "priority=10,tcp", true)).isEqualTo(1);
            assertThat(sw.actions(TCP, 1)).isEqualTo("drop");
            of.onPortLivenessChanged();
            assertThat(of.revalSeq()).isGreaterThan(seq);
        }
    }

    /**
     * A next hop learned (or changed, or flushed) and a port's liveness move {@code revalSeq}
     * without a change barrier waiting for the revalidators, so Ofproto wakes them itself: the
     * megaflow that dropped a tunnel packet for want of the neighbour is replaced at once, not
     * at the next revalidation interval (500 ms by default).
     */
    @Test
    void aNeighbourLearnedOrALivenessChangeWakesTheRevalidators() {
        Ofproto of = new Ofproto(() -> 0L, dev.jvswitch.ofproto.xlate.PortLiveness.ALL_LIVE);
        java.util.concurrent.atomic.AtomicInteger woken = new java.util.concurrent.atomic.AtomicInteger();
        of.revalidatorWakeup(woken::incrementAndGet);
        IpAddress hop = IpAddress.parse("192.0.2.2");
        long seq = of.revalSeq();
        of.tunnels().neighbours().set("br-phy", hop, 0x0a0000000002L, 1);
        assertThat(of.revalSeq()).isGreaterThan(seq);
        assertThat(woken).hasValue(1);
        of.tunnels().neighbours().set("br-phy", hop, 0x0a0000000002L, 2);
        assertThat(woken).as("the same MAC again changes nothing").hasValue(1);
        of.tunnels().neighbours().set("br-phy", hop, 0x0a0000000003L, 3);
        assertThat(woken).as("a moved next hop").hasValue(2);
        of.onPortLivenessChanged();
        assertThat(woken).hasValue(3);
    }

    /**
     * As OVS revalidates when its MAC learning table changes: an address learned, moved to
     * another port or forgotten with its port wakes the revalidators, so a megaflow that flooded
     * for it, or sent it to the old port, is fixed at once rather than at the next interval. A
     * refresh on the same port changes nothing.
     */
    @Test
    void aMacLearnedMovedOrForgottenWakesTheRevalidators() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 3, 0)) {
            Ofproto of = sw.ofproto;
            java.util.concurrent.atomic.AtomicInteger woken = new java.util.concurrent.atomic.AtomicInteger();
            of.revalidatorWakeup(woken::incrementAndGet);
            dev.jvswitch.ofproto.mac.MacTable mac = of.macTable("br0");
            long seq = of.revalSeq();
            mac.learn(0x02000000000aL, 0, 1, 0);
            assertThat(woken).as("learned").hasValue(1);
            assertThat(of.revalSeq()).isGreaterThan(seq);
            mac.learn(0x02000000000aL, 0, 1, 1);
            assertThat(woken).as("refreshed on the same port").hasValue(1);
            mac.learn(0x02000000000aL, 0, 2, 2);
            assertThat(woken).as("moved to port 2").hasValue(2);
            mac.removePort(2);
            assertThat(woken).as("forgotten with its port").hasValue(3);
        }
    }

    @Test
    void groupsAndTheRulesThatUseThem() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 3, 0)) {
            Ofproto of = sw.ofproto;
            assertThatThrownBy(() -> Ofctl.addFlow(of, "br0", "actions=group:1")).hasMessageContaining("group 1 does not exist");
            Ofctl.addGroup(of, "br0", "group_id=1,type=all,bucket=actions=output:2,bucket=actions=output:3");
            Ofctl.addFlow(of, "br0", "actions=group:1");
            assertThat(sw.actions(TCP, 1)).isEqualTo("2,3");
            Ofctl.modGroup(of, "br0", "group_id=1,type=indirect,bucket=actions=output:3");
            assertThat(sw.actions(TCP, 1)).isEqualTo("3");
            assertThat(of.groups("br0")).hasSize(1);
            assertThat(Ofctl.delGroup(of, "br0", 1)).isTrue();
            assertThat(of.rules("br0")).as("deleting a group deletes its rules").isEmpty();
            assertThat(Ofctl.delGroup(of, "br0", 1)).isFalse();
        }
    }

    @Test
    void bridgesAndTheirErrors() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 3, 0)) {
            Ofproto of = sw.ofproto;
            assertThatThrownBy(() -> Ofctl.addFlow(of, "br9", "actions=drop")).hasMessage("no bridge named 'br9'");
            assertThatThrownBy(() -> of.addBridge(new BridgeConfig("br0", List.of())))
                    .hasMessage("bridge br0 already exists");
            assertThatThrownBy(() -> of.addBridge(new BridgeConfig("br1", List.of(OfPort.trunk(1, 2, "q1")))))
                    .hasMessage("port q1: datapath port 2 is used by another bridge");
            assertThat(of.bridges()).containsExactly("br0");
            of.addBridge(new BridgeConfig("br1", List.of(OfPort.trunk(1, 7, "q1"))));
            assertThat(of.snapshot().byDpPort(7).bridge().name()).isEqualTo("br1");
            of.removeBridge("br1");
            assertThat(of.snapshot().byDpPort(7)).isNull();
        }
    }

    @Test
    void timeoutsExpireRules() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 3, 0)) {
            sw.flows("br0", "idle_timeout=10,actions=output:2", "priority=0,hard_timeout=100,actions=output:3");
            sw.clockNs.addAndGet(5_000_000_000L);
            sw.upcall(sw.key(TCP, 1)); // the translation marks the rule used
            sw.clockNs.addAndGet(9_000_000_000L);
            assertThat(sw.ofproto.expireFlows()).isEmpty();
            sw.clockNs.addAndGet(2_000_000_000L);
            assertThat(sw.ofproto.expireFlows()).hasSize(1);
            assertThat(sw.actions(TCP, 1)).isEqualTo("3");
        }
    }
}
