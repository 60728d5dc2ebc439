package dev.jvswitch.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;

/** The latency probe's arithmetic, its clock stepped by hand: stamps, stalls, the ring, copies. */
class PipelineLatencyTest {
    private static final long US = 1_000L;

    private long nowNs = 1_000_000_000L;
    private MbufPool pool;
    private MbufCache cache;
    private PipelineLatency probe;
    private final PacketBatch batch = new PacketBatch();

    @BeforeEach
    void create() {
        pool = MbufPool.create(MbufPoolConfig.of("latency-test", 4096));
        cache = pool.newCache();
        probe = new PipelineLatency(pool.capacity(), () -> nowNs);
    }

    @AfterEach
    void leaks() {
        try {
            pool.releaseCache(cache);
            pool.checkNoLeaks();
        } finally {
            pool.close();
        }
    }

    /** What a pcap rx queue does: asks what is due, takes that many mbufs, reports them. */
    private int receive() {
        int n = probe.due(PacketBatch.MAX_SIZE);
        Mbuf[] slots = batch.array();
        int got = cache.getBulk(slots, 0, n);
        batch.setSize(got);
        if (n > 0) {
            probe.onReceived(slots, got, got);
        }
        return got;
    }

    /** The null port at the current time. */
    private void sink() {
        probe.onSink(batch);
        cache.putAll(batch);
    }

    @Test
    void eachFrameIsTimedFromItsOwnArrivalNotFromThePoll() {
        probe.pace(1_000_000); // a frame every microsecond
        nowNs += 10 * US;
        assertThat(receive()).isEqualTo(10);
        nowNs += 5 * US;
        sink();
        // Frames 0..9 arrived at 1..10 us; sent at 15 us: 14 down to 5 us.
        PipelineLatency.Figures f = probe.figures();
        assertThat(f.latencyNs().getTotalCount()).isEqualTo(10);
        assertThat(f.latencyNs().getMinValue()).isBetween(4_990L, 5_010L);
        assertThat(f.latencyNs().getMaxValue()).isBetween(13_990L, 14_010L);
        assertThat(f.ratePps()).isEqualTo(1_000_000);
        assertThat(f.missed()).isZero();
        assertThat(f.stalls()).isZero();
    }

    @Test
    void aStalledPmdShowsInTheLatencyOfWhatArrivedMeanwhileAndAsAStall() {
        probe.pace(100_000); // a frame every 10 us
        nowNs += 10 * US;
        assertThat(receive()).isEqualTo(1);
        sink();
        nowNs += 2_000 * US; // the PMD stops for 2 ms: 200 frames arrive
        int total = 0;
        for (int poll = 0; poll < 10; poll++) {
            total += receive();
            sink();
        }
        assertThat(total).isEqualTo(200);
        PipelineLatency.Figures f = probe.figures();
        assertThat(f.latencyNs().getMaxValue()).isBetween(1_980_000L, 2_000_000L);
        assertThat(f.latencyNs().getValueAtPercentile(50)).isBetween(990_000L, 1_010_000L);
        assertThat(f.maxGapNs()).isEqualTo(2_000 * US);
        assertThat(f.stalls()).isEqualTo(1);
        assertThat(f.stalledNs()).isEqualTo(2_000 * US);
    }

    @Test
    void arrivalsBeyondTheRxRingAreMissedNotQueued() {
        probe.pace(1_000_000);
        nowNs += 10_000 * US; // 10 000 frames arrive; the ring holds 2 048
        int total = 0;
        for (int poll = 0; poll < 100; poll++) {
            total += receive();
            sink();
        }
        assertThat(total).isEqualTo(PipelineLatency.RX_RING);
        PipelineLatency.Figures f = probe.figures();
        assertThat(f.missed()).isEqualTo(10_000 - PipelineLatency.RX_RING);
        // The oldest frame kept arrived 2 048 us before the poll: the ring's depth bounds latency.
        assertThat(f.latencyNs().getMaxValue()).isBetween(2_040_000L, 2_050_000L);
        probe.reset();
        assertThat(probe.figures().missed()).isZero();
        assertThat(probe.figures().latencyNs().getTotalCount()).isZero();
    }

    @Test
    void unpacedEveryPollTakesAFullBatchStampedAtThePoll() {
        assertThat(receive()).isEqualTo(PacketBatch.MAX_SIZE);
        nowNs += 3 * US;
        sink();
        PipelineLatency.Figures f = probe.figures();
        assertThat(f.ratePps()).isZero();
        assertThat(f.latencyNs().getTotalCount()).isEqualTo(PacketBatch.MAX_SIZE);
        assertThat(f.latencyNs().getMinValue()).isBetween(2_998L, 3_002L);
        assertThat(f.latencyNs().getMaxValue()).isBetween(2_998L, 3_002L);
    }

    @Test
    void aFrameWithoutAStampIsCountedNotRecordedAndAStampIsUsedOnce() {
        probe.pace(1_000_000);
        nowNs += 4 * US;
        assertThat(receive()).isEqualTo(4);
        Mbuf copy = cache.get();
        batch.add(copy);
        sink();
        // The same mbufs again, never received again: no stale stamps.
        Mbuf[] again = new Mbuf[4];
        assertThat(cache.getBulk(again, 0, 4)).isEqualTo(4);
        for (Mbuf m : again) {
            batch.add(m);
        }
        sink();
        PipelineLatency.Figures f = probe.figures();
        assertThat(f.latencyNs().getTotalCount()).isEqualTo(4);
        assertThat(f.unstamped()).isEqualTo(5);
    }
}
