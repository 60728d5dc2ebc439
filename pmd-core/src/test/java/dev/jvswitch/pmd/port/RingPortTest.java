package dev.jvswitch.pmd.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.pmd.netdev.TestFrames;

/** What is particular to ring ports; the shared behaviour is in {@link RingPortContractTest}. */
class RingPortTest {
    private MbufPool pool;
    private MbufCache cache;
    private final PacketBatch batch = new PacketBatch();

    @BeforeEach
    void createPool() {
        pool = MbufPool.create(MbufPoolConfig.of("ring-test", 4096).withCacheSize(64));
        cache = pool.newCache();
    }

    @AfterEach
    void checkLeaks() {
        try {
            pool.releaseCache(cache);
            pool.checkNoLeaks();
        } finally {
            pool.close();
        }
    }

    private Netdev open(String name, Map<String, String> options) throws NetdevException {
        return Netdevs.open(new NetdevConfig(name, "ring", options, pool));
    }

    private int send(Netdev port, int txq, int count, int size, int firstSeq) {
        for (int i = 0; i < count; i++) {
            Mbuf m = cache.get();
            byte[] f = TestFrames.frame(size, firstSeq + i);
            m.copyFrom(f, 0, f.length);
            batch.add(m);
        }
        return port.txq(txq).send(batch, cache);
    }

    /** Receives everything waiting on {@code rxq}, checks it is intact, frees it and returns the count. */
    private int drain(Netdev port, int rxq) {
        int total = 0;
        for (int round = 0; round < 1_000_000; round++) {
            int n = port.rxq(rxq).recv(batch, cache);
            if (n == 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                byte[] f = batch.get(i).toByteArray();
                assertThat(f).isEqualTo(TestFrames.frame(f.length, TestFrames.sequence(f)));
            }
            cache.putAll(batch);
            total += n;
        }
        return total;
    }

    private static NetdevStats stats(Netdev port) {
        NetdevStats s = new NetdevStats();
        port.readStats(s);
        return s;
    }

    @Test
    void portsOpenedThroughTheSpiPairUpByPeerName() throws NetdevException {
        Netdev a = open("spi-a", Map.of("peer", "spi-b", "queues", "2", "size", "64"));
        try {
            assertThat(a.type()).isEqualTo("ring");
            assertThat(a.linkUp()).as("alone").isFalse();
            assertThat(send(a, 0, 3, 64, 0)).isZero();
            assertThat(stats(a).txLinkDown).isEqualTo(3);
            Netdev b = open("spi-b", Map.of("peer", "spi-a", "queues", "2"));
            try {
                assertThat(a.linkUp()).isTrue();
                assertThat(b.linkUp()).isTrue();
                assertThat(((RingPort) a).peer()).isSameAs(b);
                assertThat(((RingPort) a).ringSize()).isEqualTo(64);
                assertThat(((RingPort) b).ringSize()).isEqualTo(1024);
                assertThat(a.rxqCount()).isEqualTo(2);
                assertThat(send(a, 1, 5, 100, 10)).isEqualTo(5);
                assertThat(drain(b, 0)).isZero();
                assertThat(drain(b, 1)).isEqualTo(5);
                assertThat(send(b, 0, 4, 100, 20)).isEqualTo(4);
                assertThat(drain(a, 0)).isEqualTo(4);
            } finally {
                b.close();
            }
        } finally {
            a.close();
        }
    }

    @Test
    void aClosedWaitingSideLeavesTheRegistry() throws NetdevException {
        Netdev first = open("reg-a", Map.of("peer", "reg-b"));
        assertThatThrownBy(() -> open("reg-a", Map.of("peer", "reg-c")))
                .hasMessage("port reg-a: a ring port of that name is already waiting for its peer reg-b");
        first.close();
        Netdev again = open("reg-a", Map.of("peer", "reg-b"));
        Netdev b = open("reg-b", Map.of("peer", "reg-a"));
        assertThat(again.linkUp()).isTrue();
        assertThat(first.linkUp()).isFalse();
        again.close();
        b.close();
    }

    @Test
    void badOptionsAreNamed() throws NetdevException {
        assertThatThrownBy(() -> open("o1", Map.of())).hasMessage("port o1: option 'peer' is required for type ring");
        assertThatThrownBy(() -> open("o1", Map.of("peer", "o1")))
                .hasMessage("port o1: option 'peer' must name another port, not itself");
        assertThatThrownBy(() -> open("o1", Map.of("peer", "o2", "size", "1000")))
                .hasMessage("port o1: option 'size' must be a power of two within 4..1048576, got 1000");
        assertThatThrownBy(() -> open("o1", Map.of("peer", "o2", "queues", "0")))
                .hasMessage("port o1: option 'queues' must be within 1..64, got 0");
        assertThatThrownBy(() -> open("o1", Map.of("peer", "o2", "mac", "02:00:00:00:00")))
                .hasMessage("port o1: option 'mac' must be six hex bytes like 02:00:00:00:00:01, got '02:00:00:00:00'");
        assertThatThrownBy(() -> open("o1", Map.of("peer", "o2", "colour", "red")))
                .hasMessageStartingWith("port o1: unknown option 'colour' for type ring");
        Netdev a = open("q-a", Map.of("peer", "q-b", "queues", "2"));
        try {
            assertThatThrownBy(() -> open("q-b", Map.of("peer", "q-a")))
                    .hasMessage("port q-b: option 'queues' is 1 but its peer q-a has 2");
            assertThat(a.linkUp()).isFalse();
        } finally {
            a.close();
        }
    }

    @Test
    void macAndMtuOptions() throws NetdevException {
        Netdev a = open("m-a", Map.of("peer", "m-b", "mac", "0a:1B:2c:3d:4e:5f", "mtu", "9000"));
        Netdev b = open("m-b", Map.of("peer", "m-a"));
        try {
            assertThat(a.macAddress()).isEqualTo(0x0a1b2c3d4e5fL);
            assertThat(a.mtu()).isEqualTo(9000);
            assertThat(b.mtu()).isEqualTo(1500);
            assertThat(b.macAddress()).isEqualTo(PortOptions.generatedMac("m-b"));
            assertThat(b.macAddress() >>> 40).as("locally administered unicast").isEqualTo(0x02);
            assertThat(PortOptions.generatedMac("m-b")).isNotEqualTo(PortOptions.generatedMac("m-a"));
            assertThat(PortOptions.formatMac(a.macAddress())).isEqualTo("0a:1b:2c:3d:4e:5f");
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void whatDoesNotFitTheRingIsFreedAndCountedAsQueueFull() {
        try (RingPorts.Pair pair = RingPorts.pair("full-a", "full-b", 1, 16)) {
            assertThat(send(pair.a(), 0, 32, 80, 0)).isEqualTo(16);
            assertThat(batch.isEmpty()).isTrue();
            NetdevStats s = stats(pair.a());
            assertThat(s.txPackets).isEqualTo(16);
            assertThat(s.txBytes).isEqualTo(16 * 80);
            assertThat(s.txDropped).isEqualTo(16);
            assertThat(s.txQueueFull).isEqualTo(16);
            assertThat(pool.inUse()).isEqualTo(16);
            assertThat(drain(pair.b(), 0)).isEqualTo(16);
            assertThat(pool.inUse()).isZero();
        }
    }

    @Test
    void rxDeliversTheSentMbufsWithMetadataCleared() {
        try (RingPorts.Pair pair = RingPorts.pair("zc-a", "zc-b")) {
            Mbuf m = cache.get();
            byte[] f = TestFrames.frame(90, 1);
            m.copyFrom(f, 0, f.length);
            assertThat(m.trimFront(4)).isTrue();
            m.inPort(7);
            m.rssHash(1234);
            m.recircId(3);
            m.headerOffsets(0, 14, 34);
            m.tunnel(5, 1, 2, 0, 64, 0, 4789, 4789);
            batch.add(m);
            pair.a().txq(0).send(batch, cache);
            assertThat(pair.b().rxq(0).recv(batch, cache)).isEqualTo(1);
            Mbuf got = batch.get(0);
            assertThat(got).isSameAs(m);
            assertThat(got.length()).isEqualTo(86);
            assertThat(got.inPort()).isZero();
            assertThat(got.rssHashValid()).isFalse();
            assertThat(got.recircId()).isZero();
            assertThat(got.l3Offset()).isEqualTo(-1);
            assertThat(got.hasTunnel()).isFalse();
            cache.putAll(batch);
        }
    }

    @Test
    void receiverFreesMbufsOfTheSendersPool() {
        try (MbufPool senderPool = MbufPool.create(MbufPoolConfig.of("sender", 64));
                RingPorts.Pair pair = RingPorts.pair("fp-a", "fp-b")) {
            MbufCache senderCache = senderPool.newCache();
            for (int i = 0; i < 10; i++) {
                Mbuf m = senderCache.get();
                m.copyFrom(TestFrames.frame(64, i), 0, 64);
                batch.add(m);
            }
            assertThat(pair.a().txq(0).send(batch, senderCache)).isEqualTo(10);
            assertThat(pair.b().rxq(0).recv(batch, cache)).isEqualTo(10);
            cache.putAll(batch);
            senderPool.releaseCache(senderCache);
            assertThat(senderPool.inUse()).isZero();
            senderPool.checkNoLeaks();
        }
    }

    @Test
    void closingOneSideFreesWhatIsQueuedForItAndTakesTheLinkDown() {
        RingPorts.Pair pair = RingPorts.pair("cl-a", "cl-b", 2, 256);
        assertThat(send(pair.a(), 0, 20, 64, 0)).isEqualTo(20);
        assertThat(send(pair.a(), 1, 20, 64, 0)).isEqualTo(20);
        assertThat(send(pair.b(), 0, 7, 64, 0)).isEqualTo(7);
        assertThat(pool.inUse()).isEqualTo(47);
        pair.b().close();
        assertThat(pool.inUse()).as("what waited for b is freed").isEqualTo(7);
        assertThat(pair.a().linkUp()).isFalse();
        assertThat(stats(pair.a()).linkDownEvents).isEqualTo(1);
        assertThat(send(pair.a(), 0, 3, 64, 0)).isZero();
        assertThat(stats(pair.a()).txLinkDown).isEqualTo(3);
        assertThat(drain(pair.a(), 0)).as("what was queued before the close still arrives").isEqualTo(7);
        send(pair.b(), 0, 1, 64, 0);
        assertThat(drain(pair.a(), 0)).isZero();
        pair.a().close();
        pair.a().close();
        assertThat(pool.inUse()).isZero();
    }

    @Test
    void framesCrossThreadsIntactAndInOrder() throws Exception {
        int total = 200_000;
        try (RingPorts.Pair pair = RingPorts.pair("th-a", "th-b", 1, 256)) {
            ExecutorService producer = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> sent = producer.submit(() -> {
                    MbufCache own = pool.newCache();
                    PacketBatch b = new PacketBatch();
                    int seq = 0;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (seq < total && System.nanoTime() < deadline) {
                        Mbuf m = own.get();
                        if (m == null) {
                            Thread.yield();
                            continue;
                        }
                        byte[] f = TestFrames.frame(64 + seq % 64, seq);
                        m.copyFrom(f, 0, f.length);
                        b.add(m);
                        if (pair.a().txq(0).send(b, own) == 1) {
                            seq++;
                        } else {
                            Thread.yield();
                        }
                    }
                    pool.releaseCache(own);
                    return seq;
                });
                int expected = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (expected < total && System.nanoTime() < deadline) {
                    int n = pair.b().rxq(0).recv(batch, cache);
                    for (int i = 0; i < n; i++) {
                        byte[] f = batch.get(i).toByteArray();
                        assertThat(TestFrames.sequence(f)).isEqualTo(expected);
                        assertThat(f).isEqualTo(TestFrames.frame(64 + expected % 64, expected));
                        expected++;
                    }
                    cache.putAll(batch);
                    if (n == 0) {
                        Thread.yield();
                    }
                }
                assertThat(sent.get(30, TimeUnit.SECONDS)).isEqualTo(total);
                assertThat(expected).isEqualTo(total);
            } finally {
                producer.shutdownNow();
                assertThat(producer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    void closingWhileThePeerKeepsSendingLeavesNothingBehind() throws Exception {
        for (int round = 0; round < 20; round++) {
            RingPorts.Pair pair = RingPorts.pair("race-a", "race-b", 1, 64);
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService sender = Executors.newSingleThreadExecutor();
            try {
                Future<?> done = sender.submit(() -> {
                    MbufCache own = pool.newCache();
                    PacketBatch b = new PacketBatch();
                    for (int i = 0; i < 1_000_000 && !stop.get(); i++) {
                        Mbuf m = own.get();
                        if (m != null) {
                            m.copyFrom(TestFrames.frame(60, i), 0, 60);
                            b.add(m);
                            pair.b().txq(0).send(b, own);
                        }
                    }
                    pool.releaseCache(own);
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (stats(pair.b()).txPackets == 0 && System.nanoTime() < deadline) {
                    Thread.yield();
                }
                drain(pair.a(), 0);
                pair.a().close();
                stop.set(true);
                done.get(30, TimeUnit.SECONDS);
            } finally {
                sender.shutdownNow();
                assertThat(sender.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
            pair.b().close();
            assertThat(pool.inUse()).as("round %d", round).isZero();
        }
    }
}
