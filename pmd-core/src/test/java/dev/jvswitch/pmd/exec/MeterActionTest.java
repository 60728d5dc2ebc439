package dev.jvswitch.pmd.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.conntrack.Conntrack;
import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.meter.DpMeter;
import dev.jvswitch.pmd.meter.DpMeters;
import dev.jvswitch.pmd.stats.DropReason;

/**
 * The datapath meter (OVS's {@code dp_netdev_run_meter}): token bucket arithmetic per band in
 * pktps and kbps, burst, refill by elapsed milliseconds, the highest-rate band taking the count,
 * and the {@code meter(id)} action in the executor.
 */
class MeterActionTest {
    private MbufPool pool;
    private MbufCache cache;
    private RecordingContext ctx;
    private final TestFrame.Frame frame = TestFrame.ipv4(TestFrame.UDP).payload(100).build();

    @BeforeEach
    void setUp() {
        pool = MbufPool.create(MbufPoolConfig.of("meter", 512));
        cache = pool.newCache();
        ctx = new RecordingContext(cache);
    }

    @AfterEach
    void tearDown() {
        cache.flush();
        pool.releaseCache(cache);
        pool.checkNoLeaks();
        pool.close();
    }

    private PacketBatch batch(int n) {
        PacketBatch b = new PacketBatch();
        for (int i = 0; i < n; i++) {
            Mbuf m = cache.get();
            m.copyFrom(frame.bytes(), 0, frame.bytes().length);
            m.headerOffsets(frame.l2(), frame.l3(), frame.l4());
            b.add(m);
        }
        return b;
    }

    /** Runs the meter and drops what it took out, as the executor does. */
    private void run(DpMeter m, PacketBatch b, long nowMs) {
        Mbuf[] dropped = new Mbuf[PacketBatch.MAX_SIZE];
        int n = m.run(b, nowMs, dropped);
        for (int i = 0; i < n; i++) {
            ctx.drop(dropped[i], DropReason.METER);
        }
    }

    private int passed(PacketBatch b) {
        int n = b.size();
        for (int i = 0; i < n; i++) {
            cache.put(b.get(i));
        }
        b.clear();
        return n;
    }

    @Test
    void pktpsBucketStartsFullAtBurstAndRefillsByRateTimesMilliseconds() {
        DpMeter m = new DpMeter(true, new long[] {10}, new long[] {5});
        PacketBatch b = batch(32);
        run(m, b, 1_000);
        assertThat(passed(b)).as("a full bucket holds the burst: 5 packets").isEqualTo(5);
        assertThat(ctx.drops[DropReason.METER.id()]).isEqualTo(27);

        b = batch(32);
        run(m, b, 1_100);
        assertThat(passed(b)).as("100 ms at 10 pkt/s refill one packet").isEqualTo(1);

        b = batch(32);
        run(m, b, 1_150);
        assertThat(passed(b)).as("50 ms refill half a packet: not enough").isZero();

        b = batch(32);
        run(m, b, 1_200);
        assertThat(passed(b)).as("the half packet left and 50 ms more make one").isEqualTo(1);

        b = batch(32);
        run(m, b, 100_000);
        assertThat(passed(b)).as("a long idle refills no more than the burst").isEqualTo(5);

        DpMeter.Stats s = m.stats();
        assertThat(s.packets()).isEqualTo(5 * 32);
        assertThat(s.bytes()).isEqualTo(5L * 32 * frame.bytes().length);
        assertThat(s.bandPackets()[0]).isEqualTo(5 * 32 - 12);
        assertThat(s.bandBytes()[0]).isEqualTo((5L * 32 - 12) * frame.bytes().length);
    }

    @Test
    void kbpsBucketCountsBitsAndAZeroBurstIsTheRate() {
        int bits = frame.bytes().length * 8;
        // 16 kbit/s, no burst: the bucket holds 16 000 bits.
        DpMeter m = new DpMeter(false, new long[] {16}, new long[] {0});
        PacketBatch b = batch(PacketBatch.MAX_SIZE);
        run(m, b, 0);
        assertThat(passed(b)).isEqualTo(16_000 / bits);
        long left = 16_000 % bits;
        b = batch(PacketBatch.MAX_SIZE);
        run(m, b, 250);
        assertThat(passed(b)).as("250 ms at 16 kbit/s: 4000 bits more").isEqualTo((int) ((left + 4_000) / bits));
    }

    @Test
    void aPacketOverSeveralBandsCountsOnTheHighestRate() {
        DpMeter m = new DpMeter(true, new long[] {10, 1000}, new long[] {2, 4});
        PacketBatch b = batch(10);
        run(m, b, 0);
        assertThat(passed(b)).as("the tighter band lets 2 through").isEqualTo(2);
        DpMeter.Stats s = m.stats();
        // Packets 3 and 4 fit the 1000/s band: band 0 only; packets 5..10 exceed both: band 1.
        assertThat(s.bandPackets()).containsExactly(2, 6);
    }

    @Test
    void slowPathPacketsPassOneAtATime() {
        DpMeter m = new DpMeter(true, new long[] {10}, new long[] {2});
        assertThat(m.pass(60, 0)).isTrue();
        assertThat(m.pass(60, 0)).isTrue();
        assertThat(m.pass(60, 0)).isFalse();
        assertThat(m.pass(60, 100)).isTrue();
        assertThat(m.stats().bandPackets()[0]).isEqualTo(1);
        assertThat(m.stats().packets()).isEqualTo(4);
    }

    @Test
    void theMeterActionDropsOverTheRateAndPassesTheRestOn() {
        DpMeters meters = new DpMeters();
        meters.set(3, new DpMeter(true, new long[] {1}, new long[] {4}));
        ActionExecutor executor = new ActionExecutor(new Conntrack(), meters);
        executor.execute(DpActions.parse("meter(3),2"), batch(20), ctx);
        assertThat(ctx.outputs(2)).hasSize(4);
        assertThat(ctx.drops[DropReason.METER.id()]).isEqualTo(16);

        executor.execute(DpActions.parse("meter(7),2"), batch(20), ctx);
        assertThat(ctx.outputs(2)).as("a meter that does not exist passes everything, as in OVS").hasSize(24);
        meters.delete(3);
        executor.execute(DpActions.parse("meter(3),2"), batch(20), ctx);
        assertThat(ctx.outputs(2)).hasSize(44);
    }

    @Test
    void theActionPrintsAndParsesAsOvsAndChecksItsId() {
        assertThat(DpActions.parse("meter(0),2").toString()).isEqualTo("meter(0),2");
        assertThat(DpActions.builder().meter(5).output(1).build().toString()).isEqualTo("meter(5),1");
        assertThatThrownBy(() -> DpActions.builder().meter(DpActions.MAX_METERS))
                .hasMessageContaining("meter: id 262144 out of range");
        assertThatThrownBy(() -> new DpMeter(true, new long[] {0}, new long[] {0})).hasMessageContaining("rate 0");
    }
}
