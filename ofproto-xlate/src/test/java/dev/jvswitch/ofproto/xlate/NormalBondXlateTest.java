package dev.jvswitch.ofproto.xlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.Addresses;
import dev.jvswitch.ofproto.bridge.Bond;
import dev.jvswitch.ofproto.bridge.BondHit;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.mac.MacDependency;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/**
 * NORMAL with bonds: port 1 alone, an active-backup bond of ports 2 and 3, a balance-slb bond of
 * ports 4 and 5 (datapath numbers equal the OpenFlow ones). Links go down and up through the test
 * switch's liveness.
 */
class NormalBondXlateTest {
    private static final String A = "00:00:00:00:00:0a";
    private static final String B = "00:00:00:00:00:0b";
    private static final String BROADCAST = "ff:ff:ff:ff:ff:ff";

    private TestSwitch sw;

    private static BridgeConfig bridge(int abPrimary) {
        List<OfPort> ports = List.of(OfPort.trunk(1, 1, "p1"), OfPort.trunk(2, 2, "p2"), OfPort.trunk(3, 3, "p3"),
                OfPort.trunk(4, 4, "p4"), OfPort.trunk(5, 5, "p5"));
        return new BridgeConfig("br0", ports, BridgeConfig.DEFAULT_MAC_TABLE_SIZE, BridgeConfig.DEFAULT_MAC_AGING_SEC,
                Map.of(), List.of(new Bond("ab0", Bond.Mode.ACTIVE_BACKUP, new int[] {3, 2}, abPrimary),
                        new Bond("slb0", Bond.Mode.BALANCE_SLB, new int[] {4, 5}, Bond.NONE)));
    }

    @BeforeEach
    void setUp() {
        sw = new TestSwitch().bridge(bridge(Bond.NONE));
        sw.flows("br0", "priority=0,actions=NORMAL");
    }

    @AfterEach
    void tearDown() {
        sw.close();
    }

    private static FrameBuilder frame(String src, String dst) {
        return Frames.udp4().src(src).dst(dst);
    }

    private String upcall(FrameBuilder f, int port) {
        return sw.upcall(sw.key(f.build(), port)).actions().toString();
    }

    private static String mac(int i) {
        return String.format("02:00:00:00:%02x:%02x", i >> 8, i & 0xff);
    }

    @Test
    void aFloodLeavesEachBondOnceAndNeverReturnsToTheBondItCameFrom() {
        String out = upcall(frame(A, BROADCAST), 1);
        assertThat(out).startsWith("2,").doesNotContain("3");
        assertThat(out.split(",")).hasSize(2).containsAnyOf("4", "5");
        // From the active member of ab0: out of port 1 and one member of slb0, never back into ab0.
        String fromBond = upcall(frame(B, BROADCAST), 2);
        assertThat(fromBond).startsWith("1,").doesNotContain("2").doesNotContain("3");
    }

    @Test
    void activeBackupFailsOverOnLinkDownAndStaysThereUntilTheActiveFails() {
        assertThat(upcall(frame(A, BROADCAST), 1)).startsWith("2,");
        assertThat(upcall(frame(B, A), 3)).as("a frame on the backup member").isEqualTo(DpActions.DROP.toString());

        sw.deadPorts.add("p2");
        assertThat(upcall(frame(A, BROADCAST), 1)).startsWith("3,");
        assertThat(upcall(frame(B, A), 3)).as("the backup is active now").isEqualTo("1");
        assertThat(upcall(frame(A, B), 1)).as("B learned on the bond").isEqualTo("3");

        sw.deadPorts.remove("p2");
        assertThat(upcall(frame(A, B), 1)).as("no failback without a primary").isEqualTo("3");
        assertThat(upcall(frame(B, A), 2)).isEqualTo(DpActions.DROP.toString());

        sw.deadPorts.add("p2");
        sw.deadPorts.add("p3");
        assertThat(upcall(frame(A, B), 1)).as("no live member").isEqualTo(DpActions.DROP.toString());
    }

    @Test
    void aLivePrimaryIsAlwaysTheActiveMember() {
        sw.close();
        sw = new TestSwitch().bridge(bridge(3));
        sw.flows("br0", "priority=0,actions=NORMAL");
        assertThat(upcall(frame(A, BROADCAST), 1)).startsWith("3,");
        sw.deadPorts.add("p3");
        assertThat(upcall(frame(A, BROADCAST), 1)).startsWith("2,");
        sw.deadPorts.remove("p3");
        assertThat(upcall(frame(A, BROADCAST), 1)).as("back to the primary").startsWith("3,");
    }

    @Test
    void balanceSlbSpreadsSourcesOverLiveMembersAndKeepsEachOnOne() {
        Map<String, String> memberOf = new HashMap<>();
        for (int i = 0; i < 64; i++) {
            String out = upcall(frame(mac(i), BROADCAST), 1);
            String slb = out.contains("4") ? "4" : "5";
            assertThat(out).as(out).doesNotContain(slb.equals("4") ? "5" : "4");
            memberOf.put(mac(i), slb);
            assertThat(upcall(frame(mac(i), BROADCAST), 1)).as("the same member again").contains(slb);
        }
        assertThat(memberOf.values()).contains("4", "5");

        sw.deadPorts.add("p4");
        for (int i = 0; i < 16; i++) {
            assertThat(upcall(frame(mac(i), BROADCAST), 1)).contains("5").doesNotContain("4");
        }
        sw.deadPorts.add("p5");
        assertThat(upcall(frame(mac(1), BROADCAST), 1)).isEqualTo("2");
    }

    @Test
    void balanceSlbTakesMulticastOnlyOnTheActiveMemberAndDropsReflections() {
        assertThat(upcall(frame(B, BROADCAST), 5)).as("broadcast on the inactive member")
                .isEqualTo(DpActions.DROP.toString());
        assertThat(upcall(frame(B, BROADCAST), 4)).startsWith("1,");
        // A is on port 1; the peer switch reflecting A's frame back through the bond is dropped.
        upcall(frame(A, BROADCAST), 1);
        XlateResult reflected = sw.upcall(sw.key(frame(A, B).build(), 5));
        assertThat(reflected.actions()).isEqualTo(DpActions.DROP);
        assertThat(reflected.macDependencies()).contains(new MacDependency("br0", 0, Addresses.parseMac(A), 1));
        // Unicast from a new host on either member is taken, and learned on the bond.
        assertThat(upcall(frame(B, A), 5)).isEqualTo("1");
        assertThat(sw.ofproto.macTable("br0").lookup(Addresses.parseMac(B), 0, sw.clockNs.get())).isEqualTo(4);
    }

    @Test
    void balanceSlbRecordsEachOutputsBucketAndMemberAndFollowsAMovedBucket() {
        XlateResult r = sw.upcall(sw.key(frame(mac(1), BROADCAST).build(), 1));
        assertThat(r.bondHits()).hasSize(1);
        BondHit hit = r.bondHits().get(0);
        assertThat(hit.bucket()).isEqualTo(SlbHash.bucket(Addresses.parseMac(mac(1)), 0, 0));
        assertThat(hit.member()).isIn(4, 5);
        assertThat(r.actions().toString().split(",")).contains(Integer.toString(hit.member()));
        assertThat(hit.stale()).isFalse();

        int other = hit.member() == 4 ? 5 : 4;
        hit.bond().buckets().migrate(hit.bucket(), other);
        assertThat(hit.stale()).as("the megaflow must be translated again").isTrue();
        assertThat(upcall(frame(mac(1), BROADCAST), 1).split(",")).contains(Integer.toString(other))
                .doesNotContain(Integer.toString(hit.member()));
        XlateResult fromBond = sw.upcall(sw.key(frame(B, BROADCAST).build(), 4));
        assertThat(fromBond.actions().toString()).startsWith("1,");
        assertThat(fromBond.bondHits()).as("a flood out of port 1 and active-backup ab0 passes no bucket").isEmpty();
    }
}
