package dev.jvswitch.afpacket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.pmd.netdev.TestPmd;
import dev.jvswitch.testkit.frame.MarkedFrames;
import dev.jvswitch.testkit.netns.Peer;
import dev.jvswitch.testkit.netns.Topology;

/** Several rx queues on one interface through a PACKET_FANOUT_HASH group. */
class AfPacketFanoutTest extends NetnsPortTest {

    @Test
    void withTwoRxQueuesEveryFrameIsReceivedExactlyOnce() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        AfPacketNetdev port = open("p1", v.root(), Map.of("rxqs", "2"));
        assertThat(port.rxqCount()).isEqualTo(2);

        int count = 1000;
        List<byte[]> frames = new ArrayList<>();
        for (int seq = 0; seq < count; seq++) {
            frames.add(MarkedFrames.udp4(64 + seq % 200, seq));
        }
        List<TestPmd.Rx> got;
        try (Peer sender = Peer.sender(ns, v.peer(), frames)) {
            got = new ArrayList<>(pmd.receive(List.of(port.rxq(0), port.rxq(1)), count, WAIT, MarkedFrames::marked));
            sender.awaitExit(WAIT);
        }
        // Poll a little longer once all arrived, so that a duplicate would be seen.
        got.addAll(pmd.receive(List.of(port.rxq(0), port.rxq(1)), 1, Duration.ofMillis(300), MarkedFrames::marked));
        Map<Integer, Integer> seen = new HashMap<>();
        int[] perQueue = new int[2];
        List<byte[]> bytes = new ArrayList<>();
        for (TestPmd.Rx rx : got) {
            seen.merge(MarkedFrames.seq(rx.bytes()), 1, Integer::sum);
            perQueue[rx.queue()]++;
            bytes.add(rx.bytes());
        }
        assertThat(seen.values()).as("times each frame was received").containsOnly(1);
        assertSameFrames(bytes, frames, port);
        // 1000 flows hashed over two queues: both get some (all on one has odds of 2^-999).
        assertThat(perQueue[0]).as("frames on rxq 0").isPositive();
        assertThat(perQueue[1]).as("frames on rxq 1").isPositive();
        NetdevStats s = stats(port);
        assertThat(s.rxPackets).isEqualTo(count);
        assertThat(s.rxDropped).as(dump(port)).isZero();
        closeAndCheckNoLeaks();
    }

    @Test
    void twoPortsOnOneInterfaceGetTheirOwnFanoutGroups() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        AfPacketNetdev a = open("a", v.root(), Map.of("rxqs", "2"));
        AfPacketNetdev b = open("b", v.root(), Map.of("rxqs", "2"));

        List<byte[]> frames = new ArrayList<>();
        for (int seq = 0; seq < 50; seq++) {
            frames.add(MarkedFrames.udp4(100, seq));
        }
        List<byte[]> gotA = new ArrayList<>();
        List<byte[]> gotB = new ArrayList<>();
        try (Peer sender = Peer.sender(ns, v.peer(), frames)) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<TestPmd.Rx> rxA = new ArrayList<>();
            List<TestPmd.Rx> rxB = new ArrayList<>();
            while ((rxA.size() < frames.size() || rxB.size() < frames.size()) && System.nanoTime() < deadline) {
                for (int q = 0; q < 2; q++) {
                    pmd.poll(a.rxq(q), q, MarkedFrames::marked, rxA);
                    pmd.poll(b.rxq(q), q, MarkedFrames::marked, rxB);
                }
            }
            sender.awaitExit(WAIT);
            rxA.forEach(rx -> gotA.add(rx.bytes()));
            rxB.forEach(rx -> gotB.add(rx.bytes()));
        }
        // Each port is a separate listener: both see every frame once.
        assertSameFrames(gotA, frames, a);
        assertSameFrames(gotB, frames, b);
        closeAndCheckNoLeaks();
    }
}
