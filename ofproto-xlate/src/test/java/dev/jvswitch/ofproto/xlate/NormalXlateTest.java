package dev.jvswitch.ofproto.xlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.Addresses;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.xlate.TestSwitch;
import dev.jvswitch.ofproto.xlate.XlateResult;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;
import dev.jvswitch.ofproto.mac.MacDependency;
import dev.jvswitch.ofproto.mac.MacLearning;
import dev.jvswitch.ofproto.mac.MacTable;

/**
 * NORMAL on a bridge with access ports 1, 2 (VLAN 10) and 3 (VLAN 20), a trunk port 4 for every
 * VLAN and a trunk port 5 for VLAN 20 only.
 */
class NormalXlateTest {
    private static final String A = "00:00:00:00:00:0a";
    private static final String B = "00:00:00:00:00:0b";
    private static final String C = "00:00:00:00:00:0c";
    private static final String BROADCAST = "ff:ff:ff:ff:ff:ff";
    private static final long SEC = 1_000_000_000L;

    private static final List<OfPort> PORTS = List.of(OfPort.access(1, 1, "p1", 10), OfPort.access(2, 2, "p2", 10),
            OfPort.access(3, 3, "p3", 20), OfPort.trunk(4, 4, "p4"),
            new OfPort(5, 5, "p5", OfPort.NO_TAG, Set.of(20), null));

    private TestSwitch sw;

    @BeforeEach
    void setUp() {
        sw = new TestSwitch().bridge(new BridgeConfig("br0", PORTS));
        sw.flows("br0", "priority=0,actions=NORMAL");
    }

    @AfterEach
    void tearDown() {
        sw.close();
    }

    private static FrameBuilder frame(String src, String dst) {
        return Frames.udp4().src(src).dst(dst);
    }

    private XlateResult upcall(FrameBuilder f, int port) {
        return sw.upcall(sw.key(f.build(), port));
    }

    private MacTable macs() {
        return sw.ofproto.macTable("br0");
    }

    @Test
    void learnsForwardsAndFloodsUnknown() {
        XlateResult first = upcall(frame(A, B), 1);
        assertThat(first.actions()).hasToString("2,push_vlan(vid=10,pcp=0),4");
        assertThat(macs().lookup(Addresses.parseMac(A), 10, sw.clockNs.get())).isEqualTo(1);
        assertThat(first.macLearnings()).containsExactly(new MacLearning("br0", 10, Addresses.parseMac(A), 1));
        assertThat(first.macDependencies()).containsExactly(
                new MacDependency("br0", 10, Addresses.parseMac(B), MacDependency.UNKNOWN));

        XlateResult reply = upcall(frame(B, A), 2);
        assertThat(reply.actions()).hasToString("1");
        assertThat(reply.macDependencies()).containsExactly(new MacDependency("br0", 10, Addresses.parseMac(A), 1));
        // The megaflow matches both addresses and the VLAN id, as OVS's does; the packet has no
        // tag, so "no tag" (the present bit) is all of its VLAN id the megaflow needs.
        assertThat(reply.mask().isExact(FlowField.ETH_SRC)).isTrue();
        assertThat(reply.mask().isExact(FlowField.ETH_DST)).isTrue();
        assertThat(reply.mask().get(FlowField.VLAN_TCI)).isEqualTo(FlowKey.VLAN_CFI);

        // Now that B is known too, A's traffic goes straight to it.
        assertThat(upcall(frame(A, B), 1).actions()).hasToString("2");
    }

    @Test
    void entriesAgeOut() {
        upcall(frame(A, B), 1);
        assertThat(upcall(frame(B, A), 2).actions()).hasToString("1");
        sw.clockNs.addAndGet(299 * SEC);
        assertThat(sw.xlate(sw.key(frame(B, A).build(), 2)).actions()).hasToString("1");
        long seq = macs().seq();
        sw.clockNs.addAndGet(2 * SEC);
        assertThat(sw.xlate(sw.key(frame(C, A).build(), 2)).actions()).hasToString("1,push_vlan(vid=10,pcp=0),4");
        assertThat(macs().seq()).isGreaterThan(seq);
    }

    @Test
    void aMoveChangesTheAnswerAndTheSeq() {
        upcall(frame(A, B), 1);
        XlateResult toA = upcall(frame(B, A), 2);
        assertThat(toA.actions()).hasToString("1");
        long revalSeq = macs().seq();
        // A shows up behind the trunk: its old location is stale.
        upcall(frame(A, B).vlan(10), 4);
        assertThat(macs().seq()).isGreaterThan(revalSeq);
        MacDependency dep = toA.macDependencies().get(0);
        assertThat(macs().lookup(dep.mac(), dep.vlan(), sw.clockNs.get())).isNotEqualTo(dep.ofPort()).isEqualTo(4);
        assertThat(upcall(frame(B, A), 2).actions()).hasToString("push_vlan(vid=10,pcp=0),4");
    }

    @Test
    void noHairpin() {
        upcall(frame(A, B), 1);
        assertThat(upcall(frame(C, A), 1).actions()).isEqualTo(dev.jvswitch.flowcache.actions.DpActions.DROP);
    }

    @Test
    void vlansAreIsolated() {
        // VLAN 20 from an access port: tagged on both trunks that carry 20, nothing to VLAN 10.
        assertThat(upcall(frame(A, BROADCAST), 3).actions()).hasToString("push_vlan(vid=20,pcp=0),4,5");
        // VLAN 10 from the trunk: untagged to the VLAN 10 access ports, not to trunk 5.
        assertThat(upcall(frame(B, BROADCAST).vlan(10), 4).actions()).hasToString("pop_vlan,1,2");
        // VLAN 20 from trunk 5: to access port 3 untagged and to trunk 4 tagged.
        assertThat(upcall(frame(C, BROADCAST).vlan(20), 5).actions()).hasToString("pop_vlan,3,push_vlan(vid=20,pcp=0),4");
        // The same MAC in two VLANs is two entries.
        upcall(frame(A, BROADCAST), 1);
        assertThat(macs().lookup(Addresses.parseMac(A), 10, sw.clockNs.get())).isEqualTo(1);
        assertThat(macs().lookup(Addresses.parseMac(A), 20, sw.clockNs.get())).isEqualTo(3);
        assertThat(upcall(frame(B, A).vlan(20), 4).actions()).hasToString("pop_vlan,3");
    }

    @Test
    void dropsDisallowedVlans() {
        long seq = macs().seq();
        // Tagged on an access port, a VLAN trunk 5 does not carry, untagged on trunk 5.
        assertThat(upcall(frame(A, BROADCAST).vlan(10), 1).actions().isDrop()).isTrue();
        assertThat(upcall(frame(A, BROADCAST).vlan(10), 5).actions().isDrop()).isTrue();
        assertThat(upcall(frame(A, BROADCAST), 5).actions().isDrop()).isTrue();
        assertThat(macs().seq()).as("nothing learned from dropped frames").isEqualTo(seq);
        // A priority-tagged frame (VLAN 0) on an access port is in the port's VLAN.
        assertThat(upcall(frame(A, BROADCAST).vlan(0, 5), 1).actions()).hasToString("pop_vlan,2,push_vlan(vid=10,pcp=5),4");
    }

    @Test
    void multicastSourcesAreNotLearnedAndReservedDestinationsDropped() {
        long seq = macs().seq();
        assertThat(upcall(frame("01:00:5e:00:00:01", BROADCAST), 1).actions()).hasToString("2,push_vlan(vid=10,pcp=0),4");
        assertThat(macs().seq()).isEqualTo(seq);
        assertThat(macs().size()).isZero();
        assertThat(upcall(frame(A, "01:80:c2:00:00:0e"), 1).actions().isDrop()).isTrue();
        assertThat(upcall(frame(A, "01:00:5e:00:00:fb"), 1).actions()).hasToString("2,push_vlan(vid=10,pcp=0),4");
    }

    @Test
    void translatingWithoutLearningChangesNothing() {
        FlowKey k = sw.key(frame(A, B).build(), 1);
        assertThat(sw.xlate(k).macLearnings()).hasSize(1);
        assertThat(macs().size()).isZero();
    }

    @Test
    void tableSizeAndAgingComeFromTheBridge() {
        assertThat(macs().maxEntries()).isEqualTo(BridgeConfig.DEFAULT_MAC_TABLE_SIZE);
        assertThat(macs().agingNs()).isEqualTo(BridgeConfig.DEFAULT_MAC_AGING_SEC * SEC);
        for (int i = 1; i <= 6; i++) {
            upcall(frame("00:00:00:00:01:0" + i, BROADCAST), 1);
        }
        sw.ofproto.reconfigureBridge(new BridgeConfig("br0", PORTS, 4, 120));
        assertThat(macs().maxEntries()).isEqualTo(4);
        assertThat(macs().agingNs()).isEqualTo(120 * SEC);
        assertThat(macs().size()).isEqualTo(4);
        sw.clockNs.addAndGet(120 * SEC);
        assertThat(upcall(frame(A, "00:00:00:00:01:06"), 2).actions()).hasToString("1,push_vlan(vid=10,pcp=0),4");
    }

    @Test
    void aPortThatLeavesTakesItsAddressesWithIt() {
        upcall(frame(A, BROADCAST), 1);
        upcall(frame(B, BROADCAST), 2);
        sw.ofproto.reconfigureBridge(new BridgeConfig("br0", List.of(PORTS.get(1), PORTS.get(2), PORTS.get(3))));
        assertThat(macs().lookup(Addresses.parseMac(A), 10, sw.clockNs.get())).isEqualTo(MacDependency.UNKNOWN);
        assertThat(macs().lookup(Addresses.parseMac(B), 10, sw.clockNs.get())).isEqualTo(2);
    }
}
