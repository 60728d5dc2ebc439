package dev.jvswitch.ofproto.revalidate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.ofproto.Ofctl;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.OfprotoRevalidation;
import dev.jvswitch.ofproto.bridge.Bond;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.bridge.SlbBuckets;
import dev.jvswitch.ofproto.tnl.TunnelOutput;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.testkit.frame.Frames;

/**
 * Balance-slb rebalancing end to end in one process: a host on port 1 floods from many source
 * MACs into a bond of ports 2 and 3. With port 3 down every bucket goes to port 2; port 3 comes
 * back and keeps nothing (no failback); the megaflows' bytes reach the buckets through the
 * revalidators' statistics, the rebalance at the end of a cycle moves buckets to port 3, and the
 * next cycle translates again only the megaflows of the moved buckets: after that both members
 * carry traffic.
 */
class BondRebalanceRevalidationTest {
    private static final String BR = "br0";
    private static final int MACS = 64;
    private static final int FRAME_BYTES = 1000;
    private static final long INTERVAL_MS = 1_000;

    private final Set<String> dead = ConcurrentHashMap.newKeySet();
    private CachedNanoClock clock;
    private Ofproto ofproto;
    private RevalHarness h;
    private RevalidatorPool pool;
    private Bond bond;

    @BeforeEach
    void setUp() {
        clock = RevalHarness.newClock();
        ofproto = new Ofproto(clock::nanoTime, p -> !dead.contains(p.name()), TunnelOutput.NONE);
        BridgeConfig cfg = new BridgeConfig(BR, List.of(OfPort.trunk(1, 1, "p1"), OfPort.trunk(2, 2, "p2"),
                OfPort.trunk(3, 3, "p3")), BridgeConfig.DEFAULT_MAC_TABLE_SIZE, BridgeConfig.DEFAULT_MAC_AGING_SEC,
                Map.of(), List.of(new Bond("bond0", Bond.Mode.BALANCE_SLB, new int[] {2, 3}, Bond.NONE, INTERVAL_MS)));
        ofproto.addBridge(cfg);
        bond = ofproto.bridgeConfig(BR).bonds().get(0);
        Ofctl.addFlow(ofproto, BR, "priority=0,actions=NORMAL");
        h = new RevalHarness(clock, DatapathConfig.defaults(), ofproto.upcallHandler(), 3);
        pool = new RevalidatorPool(h.dp, new OfprotoRevalidation(ofproto), RevalidatorConfig.defaults().withThreads(2),
                clock);
    }

    @AfterEach
    void tearDown() {
        pool.close();
        h.close();
    }

    private static String mac(int i) {
        return String.format("02:00:00:00:01:%02x", i);
    }

    /** One broadcast frame from each source MAC, {@code rounds} times; what ports 2 and 3 got. */
    private int[] sendRounds(int rounds) {
        int[] got = new int[2];
        for (int r = 0; r < rounds; r++) {
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < MACS; i++) {
                frames.add(Frames.udp4().src(mac(i)).dst("ff:ff:ff:ff:ff:ff").ip("10.0.0.1", "10.0.0.255")
                        .ports(1000, 2000).size(FRAME_BYTES).build());
            }
            assertThat(h.send(1, frames)).isEqualTo(MACS);
            h.stepUntilIdle();
            got[0] += h.receive(2).size();
            got[1] += h.receive(3).size();
        }
        return got;
    }

    private int bucketsOn(int member) {
        int n = 0;
        for (int b = 0; b < SlbBuckets.BUCKETS; b++) {
            n += bond.buckets().member(b) == member ? 1 : 0;
        }
        return n;
    }

    @Test
    void aRebalanceMovesLoadedBucketsToTheIdleMemberAndRevalidatesOnlyTheirFlows() {
        dead.add("p3");
        pool.runCycle(); // Schedules the first rebalance, INTERVAL_MS from now.
        assertThat(sendRounds(4)).containsExactly(4 * MACS, 0);
        int used = bucketsOn(2);
        assertThat(used).as("buckets the %d MACs hash to", MACS).isGreaterThan(16);
        assertThat(bucketsOn(3)).isZero();

        dead.remove("p3");
        ofproto.onPortLivenessChanged();
        pool.runCycle();
        assertThat(sendRounds(4)).as("no failback: port 3 has no bucket yet").containsExactly(4 * MACS, 0);

        h.advanceMs(INTERVAL_MS + 100);
        pool.runCycle(); // Pushes the bytes, then rebalances at the cycle's end.
        int moved = bucketsOn(3);
        assertThat(moved).as("buckets moved to the idle member").isGreaterThan(0).isLessThan(used);
        assertThat(bond.buckets().nextRebalanceMs()).isGreaterThan(h.nowMs());

        long revalidated = pool.counter(RevalidatorCounter.FLOWS_REVALIDATED);
        long modified = pool.counter(RevalidatorCounter.FLOWS_MODIFIED);
        pool.runCycle();
        long again = pool.counter(RevalidatorCounter.FLOWS_REVALIDATED) - revalidated;
        assertThat(pool.counter(RevalidatorCounter.FLOWS_MODIFIED) - modified).as("the moved buckets' flows")
                .isEqualTo(again).isGreaterThanOrEqualTo(moved).isLessThan(MACS);

        int[] after = sendRounds(2);
        assertThat(after[0] + after[1]).isEqualTo(2 * MACS);
        assertThat(after[1]).as("port 3 carries the moved buckets' MACs").isEqualTo(2 * (int) again);
        assertThat(after[0]).as("port 2 keeps the rest").isGreaterThan(0);
        assertThat(ofproto.upcallHandler().upcalls()).as("flows were modified in place, none reinstalled")
                .isEqualTo(MACS);
    }
}
