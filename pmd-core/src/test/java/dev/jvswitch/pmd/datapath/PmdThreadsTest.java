package dev.jvswitch.pmd.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.pmd.port.RingPorts;
import dev.jvswitch.pmd.rx.RxqPoller;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.pmd.upcall.PortMapUpcallHandler;
import dev.jvswitch.testkit.frame.Frames;

/** PMDs on their own threads (backing off when idle), rx queue assignment and rebalancing. */
class PmdThreadsTest {

    @Test
    void roundRobinSpreadsQueuesOverPmds() {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("rr", 1024));
             RingPorts.Pair p1 = RingPorts.pair("p1", "h1", 2, 64);
             RingPorts.Pair p2 = RingPorts.pair("p2", "h2", 2, 64)) {
            Datapath dp = new Datapath(DatapathConfig.defaults().withPmdCpus(-1, -1), pool,
                    PortMapUpcallHandler.crossConnect(1, 2));
            try {
                dp.addPort(1, p1.a());
                dp.addPort(2, p2.a());
                assertThat(names(dp.pmd(0))).containsExactly("p1 queue 0", "p2 queue 0");
                assertThat(names(dp.pmd(1))).containsExactly("p1 queue 1", "p2 queue 1");
                dp.pinRxq(1, 1, 0);
                assertThat(names(dp.pmd(0))).contains("p1 queue 0", "p1 queue 1");
                assertThatThrownBy(() -> dp.pinRxq(1, 0, 5))
                        .hasMessage("pmd-rxq-affinity: pmd 5 does not exist (have 2)");
                assertThatThrownBy(() -> dp.addPort(1, p2.b()))
                        .hasMessage("port h2: port number 1 is already used by p1");
            } finally {
                dp.close();
            }
            pool.checkNoLeaks();
        }
    }

    @Test
    void deferredReloadsAssignOnceAndARemovalIsNeverDeferred() {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("defer", 1024));
             RingPorts.Pair p1 = RingPorts.pair("p1", "h1", 2, 64);
             RingPorts.Pair p2 = RingPorts.pair("p2", "h2", 2, 64);
             RingPorts.Pair p3 = RingPorts.pair("p3", "h3", 1, 64)) {
            Datapath dp = new Datapath(DatapathConfig.defaults().withPmdCpus(-1, -1), pool,
                    PortMapUpcallHandler.crossConnect(1, 2));
            try {
                dp.addPort(3, p3.a());
                dp.deferReloads();
                dp.addPort(1, p1.a());
                dp.addPort(2, p2.a());
                dp.pinRxq(1, 1, 0);
                assertThat(names(dp.pmd(0))).as("held back").containsExactly("p3 queue 0");
                assertThat(names(dp.pmd(1))).isEmpty();
                dp.resumeReloads();
                List<String> all = new ArrayList<>(names(dp.pmd(0)));
                all.addAll(names(dp.pmd(1)));
                assertThat(all).containsExactlyInAnyOrder("p1 queue 0", "p1 queue 1", "p2 queue 0", "p2 queue 1",
                        "p3 queue 0");
                assertThat(names(dp.pmd(0))).as("pinned while held back").contains("p1 queue 1");

                dp.deferReloads();
                dp.removePort(3);
                assertThat(names(dp.pmd(0)).toString()).as("a removed port is gone at once").doesNotContain("p3");
                dp.resumeReloads();
                assertThatThrownBy(dp::resumeReloads).isInstanceOf(IllegalStateException.class);

                assertThatThrownBy(() -> dp.removePorts(List.of(1, 3))).as("one unknown port removes none")
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3");
                assertThat(dp.removePorts(List.of(2, 1))).extracting(n -> n.name()).containsExactly("p2", "p1");
                assertThat(names(dp.pmd(0))).isEmpty();
                assertThat(names(dp.pmd(1))).isEmpty();
            } finally {
                dp.close();
            }
            pool.checkNoLeaks();
        }
    }

    @Test
    void cyclesAssignmentPutsTheBusiestQueuesOnDifferentPmds() {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("cycles", 4096));
             RingPorts.Pair p1 = RingPorts.pair("p1", "h1", 2, 1024);
             RingPorts.Pair p2 = RingPorts.pair("p2", "h2", 2, 1024)) {
            Datapath dp = new Datapath(DatapathConfig.defaults().withPmdCpus(-1, -1)
                    .withRxqAssign(DatapathConfig.RxqAssign.CYCLES), pool, PortMapUpcallHandler.crossConnect(1, 2));
            MbufCache cache = pool.newCache();
            try {
                dp.addPort(1, p1.a());
                dp.addPort(2, p2.a());
                // Round-robin first placed p1q0 and p2q0 on pmd 0: make exactly those two busy.
                for (int round = 0; round < 20; round++) {
                    send(p1.b(), 0, cache, 32);
                    send(p2.b(), 0, cache, 32);
                    for (PmdAgent pmd : dp.pmds()) {
                        pmd.doWork();
                    }
                    drain(p1.b(), cache);
                    drain(p2.b(), cache);
                }
                dp.rebalance();
                List<String> pmd0 = names(dp.pmd(0));
                List<String> pmd1 = names(dp.pmd(1));
                assertThat(pmd0.contains("p1 queue 0") ^ pmd0.contains("p2 queue 0"))
                        .as("busy queues split: pmd0=%s pmd1=%s", pmd0, pmd1).isTrue();
            } finally {
                pool.releaseCache(cache);
                dp.close();
            }
            pool.checkNoLeaks();
        }
    }

    @Test
    void twoPmdThreadsForwardEverythingBothWays() throws Exception {
        int perQueue = 20_000;
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("threads", 8192));
             RingPorts.Pair p1 = RingPorts.pair("p1", "h1", 2, 1024);
             RingPorts.Pair p2 = RingPorts.pair("p2", "h2", 2, 1024)) {
            Datapath dp = new Datapath(DatapathConfig.defaults().withPmdCpus(-1, -1), pool,
                    PortMapUpcallHandler.crossConnect(1, 2));
            MbufCache cache = pool.newCache();
            try {
                dp.addPort(1, p1.a());
                dp.addPort(2, p2.a());
                dp.start();
                assertThat(dp.isRunning()).isTrue();
                long[] received = new long[3];
                int[] sent = new int[3];
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (System.nanoTime() < deadline) {
                    for (int q = 0; q < 2; q++) {
                        if (sent[1] < 2 * perQueue) {
                            sent[1] += send(p1.b(), q, cache, Math.min(16, 2 * perQueue - sent[1]));
                        }
                        if (sent[2] < 2 * perQueue) {
                            sent[2] += send(p2.b(), q, cache, Math.min(16, 2 * perQueue - sent[2]));
                        }
                    }
                    received[2] += drain(p2.b(), cache);
                    received[1] += drain(p1.b(), cache);
                    if (sent[1] + sent[2] == 4 * perQueue
                            && received[1] + txDropped(p1.a()) == sent[2]
                            && received[2] + txDropped(p2.a()) == sent[1]) {
                        break;
                    }
                    Thread.onSpinWait();
                }
                // Every packet the hosts managed to send arrived, or was dropped by a full ring and
                // counted there (the test thread drains on a loaded 2-core machine).
                assertThat(sent[1] + sent[2]).isEqualTo(4 * perQueue);
                assertThat(received[2] + txDropped(p2.a())).isEqualTo(sent[1]);
                assertThat(received[1] + txDropped(p1.a())).isEqualTo(sent[2]);
                assertThat(received[1] + received[2]).isGreaterThan(2L * perQueue);
                long rx = 0;
                for (PmdAgent pmd : dp.pmds()) {
                    rx += pmd.stats().get(PmdCounter.RX_PACKETS);
                    assertThat(pmd.stats().get(PmdCounter.RX_PACKETS)).as("pmd %d did work", pmd.pmdId()).isPositive();
                }
                assertThat(rx).isEqualTo(4L * perQueue);
                long iterations = dp.pmd(0).stats().raw(PmdCounter.ITERATIONS);
                dp.quiesce();
                // The quiesce command completes in the commands that start an iteration, before that
                // iteration is counted: a PMD that was between iterations counts it a moment later.
                dev.jvswitch.testkit.sh.Await.until(java.time.Duration.ofSeconds(10),
                        () -> dp.pmd(0).stats().raw(PmdCounter.ITERATIONS) > iterations,
                        () -> "pmd 0 counting an iteration after quiesce");
                assertThat(dp.pmd(0).stats().raw(PmdCounter.ITERATIONS)).isGreaterThan(iterations);
                dp.stop();
                assertThat(dp.isRunning()).isFalse();
            } finally {
                pool.releaseCache(cache);
                dp.close();
            }
            pool.checkNoLeaks();
        }
    }

    private static int send(dev.jvswitch.pmd.netdev.Netdev host, int queue, MbufCache cache, int n) {
        PacketBatch batch = new PacketBatch();
        byte[] f = Frames.udp4().ports(queue + 1, 2).size(60).build();
        for (int i = 0; i < n; i++) {
            Mbuf m = cache.get();
            if (m == null) {
                break;
            }
            m.copyFrom(f, 0, f.length);
            batch.add(m);
        }
        return host.txq(queue).send(batch, cache);
    }

    private static int drain(dev.jvswitch.pmd.netdev.Netdev host, MbufCache cache) {
        PacketBatch batch = new PacketBatch();
        int total = 0;
        for (int q = 0; q < host.rxqCount(); q++) {
            int n;
            while ((n = host.rxq(q).recv(batch, cache)) > 0) {
                total += n;
                cache.putAll(batch);
            }
        }
        return total;
    }

    private static long txDropped(dev.jvswitch.pmd.netdev.Netdev port) {
        NetdevStats s = new NetdevStats();
        port.readStats(s);
        return s.txDropped;
    }

    private static List<String> names(PmdAgent pmd) {
        List<String> out = new ArrayList<>();
        for (RxqPoller r : pmd.rxqs()) {
            out.add(r.toString());
        }
        return out;
    }

}
