package dev.jvswitch.pmd.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.management.ThreadMXBean;

import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevRxq;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.pmd.netdev.NetdevTxq;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.pmd.netdev.TestFrames;
import dev.jvswitch.pmd.pcap.PcapBytes;

/**
 * The in-memory ports on the hot path allocate nothing once warm: a million packets through each
 * leave the thread's allocated-bytes counter where it was, give or take a small fixed slack for
 * the measurement itself.
 */
class ZeroAllocationTest {
    private static final long PACKETS = 1_000_000;
    private static final long WARM_UP_PACKETS = 300_000;
    private static final long SLACK_BYTES = 1024;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    private MbufPool pool;
    private MbufCache cache;
    private final PacketBatch batch = new PacketBatch();

    @BeforeEach
    void createPool() {
        pool = MbufPool.create(MbufPoolConfig.of("zero-alloc", 2048).withCacheSize(256));
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

    private static long allocatedBytes() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** Moves {@code packets} from {@code rxq} to {@code txq}, one batch per step; returns packets received. */
    private long forward(NetdevRxq rxq, NetdevTxq txq, long packets) {
        long moved = 0;
        for (long step = 0; moved < packets && step < packets * 4; step++) {
            moved += rxq.recv(batch, cache);
            txq.send(batch, cache);
        }
        return moved;
    }

    /** Bytes allocated by one forwarding run of {@link #PACKETS} after a warm-up run. */
    private long allocatedWhileForwarding(NetdevRxq rxq, NetdevTxq txq) {
        assertThat(forward(rxq, txq, WARM_UP_PACKETS)).isGreaterThanOrEqualTo(WARM_UP_PACKETS);
        long probe = allocatedBytes();
        long probeCost = allocatedBytes() - probe;
        long before = allocatedBytes();
        long moved = forward(rxq, txq, PACKETS);
        long after = allocatedBytes();
        assertThat(moved).isGreaterThanOrEqualTo(PACKETS);
        return after - before - probeCost;
    }

    private Path capture() {
        PcapBytes b = PcapBytes.nanos(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 100; i++) {
            b.record(i, 0, TestFrames.frame(60 + i, i));
        }
        return b.writeTo(dir.resolve("traffic.pcap"));
    }

    @Test
    void pcapReplayIntoNullAllocatesNothing() throws Exception {
        Netdev source = Netdevs.open(new NetdevConfig("src", "pcap", Map.of("file", capture().toString()), pool));
        Netdev sink = Netdevs.open(new NetdevConfig("sink", "null", Map.of(), pool));
        try {
            long allocated = allocatedWhileForwarding(source.rxq(0), sink.txq(0));
            assertThat(allocated).as("bytes allocated for %d packets", PACKETS).isLessThanOrEqualTo(SLACK_BYTES);
            NetdevStats s = new NetdevStats();
            sink.readStats(s);
            assertThat(s.txPackets).isGreaterThanOrEqualTo(PACKETS + WARM_UP_PACKETS);
        } finally {
            source.close();
            sink.close();
        }
    }

    @Test
    void ringPairAllocatesNothing() {
        try (RingPorts.Pair pair = RingPorts.pair("za", "zb", 1, 1024)) {
            // Prime a's rx ring through b; forwarding a's rx into b's tx then circulates them.
            for (int i = 0; i < 256; i++) {
                batch.add(cache.get());
                batch.get(0).copyFrom(TestFrames.frame(64, i), 0, 64);
                pair.b().txq(0).send(batch, cache);
            }
            long allocated = allocatedWhileForwarding(pair.a().rxq(0), pair.b().txq(0));
            assertThat(allocated).as("bytes allocated for %d packets", PACKETS).isLessThanOrEqualTo(SLACK_BYTES);
        }
    }

    @Test
    void pcapOutWriterAllocatesNothing() throws Exception {
        Path out = dir.resolve("out.pcap");
        Netdev source = Netdevs.open(new NetdevConfig("src", "pcap", Map.of("file", capture().toString()), pool));
        Netdev sink = Netdevs.open(new NetdevConfig("rec", "pcap", Map.of("out", out.toString()), pool));
        try {
            assertThat(forward(source.rxq(0), sink.txq(0), WARM_UP_PACKETS)).isGreaterThanOrEqualTo(WARM_UP_PACKETS);
            long before = allocatedBytes();
            long moved = forward(source.rxq(0), sink.txq(0), 200_000);
            long allocated = allocatedBytes() - before;
            assertThat(moved).isGreaterThanOrEqualTo(200_000);
            assertThat(allocated).as("bytes allocated writing 200000 packets").isLessThanOrEqualTo(SLACK_BYTES);
        } finally {
            source.close();
            sink.close();
        }
    }
}
