package dev.jvswitch.pmd.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.Test;

import dev.jvswitch.testkit.frame.Frames;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.idle.PmdIdleStrategies;
import dev.jvswitch.pmd.testing.HostSide;
import dev.jvswitch.pmd.port.RingPorts;
import dev.jvswitch.pmd.show.DpctlFormat;
import dev.jvswitch.pmd.stats.PmdCounter;

/**
 * How a PMD accounts its time: the time between iterations (spent in the idle strategy, e.g.
 * parked by the backoff) is idle, so {@code pmd-stats-show} of a mostly parked PMD says mostly
 * idle; and output held back by {@code tx-flush-interval} keeps the PMD from parking. The clock
 * advances 250 ns at every read, so an iteration takes a little time of its own.
 */
class PmdIdleTimeTest {
    private long now = 1_000_000_000L;

    private static byte[] udp() {
        return Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1000, 80).size(60).build();
    }
    private final NanoClock clock = () -> now += 250;

    @Test
    void timeBetweenIterationsCountsAsIdle() {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("idle-time", 1024));
             RingPorts.Pair p1 = RingPorts.pair("p1", "h1", 1, 64);
             RingPorts.Pair p2 = RingPorts.pair("p2", "h2", 1, 64)) {
            Datapath dp = new Datapath(DatapathConfig.defaults(), pool, TestUpcall.forward(2), clock);
            MbufCache cache = pool.newCache();
            try {
                dp.addPort(1, p1.a());
                dp.addPort(2, p2.a());
                PmdAgent pmd = dp.pmd(0);
                pmd.doWork();
                pmd.stats().clear();
                // A parked PMD: 10 ms between iterations, then one iteration with a packet.
                for (int i = 0; i < 10; i++) {
                    now += 1_000_000;
                    assertThat(pmd.doWork()).isZero();
                }
                HostSide.send(p1.b(), 0, cache, List.of(udp()));
                assertThat(pmd.doWork()).isEqualTo(1);
                assertThat(HostSide.drain(p2.b(), cache)).hasSize(1);

                long idle = pmd.stats().get(PmdCounter.IDLE_NS);
                long busy = pmd.stats().get(PmdCounter.BUSY_NS);
                assertThat(idle).isGreaterThanOrEqualTo(10_000_000L);
                assertThat(busy).isPositive().isLessThan(idle / 100);
                Matcher share = Pattern.compile("idle time: (\\d+) ns \\(([0-9.]+)%\\)")
                        .matcher(DpctlFormat.pmdStatsShow(dp));
                assertThat(share.find()).isTrue();
                assertThat(Long.parseLong(share.group(1))).isEqualTo(idle);
                assertThat(Double.parseDouble(share.group(2))).isGreaterThan(99.0);
            } finally {
                pool.releaseCache(cache);
                dp.close();
            }
            pool.checkNoLeaks();
        }
    }

    @Test
    void outputWaitingForTheFlushIntervalCountsAsWork() {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("idle-flush", 1024));
             RingPorts.Pair p1 = RingPorts.pair("p1", "h1", 1, 64);
             RingPorts.Pair p2 = RingPorts.pair("p2", "h2", 1, 64)) {
            Datapath dp = new Datapath(DatapathConfig.defaults().withTxFlushIntervalUs(50), pool,
                    TestUpcall.forward(2), clock);
            MbufCache cache = pool.newCache();
            try {
                dp.addPort(1, p1.a());
                dp.addPort(2, p2.a());
                PmdAgent pmd = dp.pmd(0);
                HostSide.send(p1.b(), 0, cache, List.of(udp()));
                assertThat(pmd.doWork()).isEqualTo(2); // the packet, and its output still held back
                assertThat(HostSide.drain(p2.b(), cache)).isEmpty();
                assertThat(pmd.doWork()).as("held output keeps the PMD from parking").isEqualTo(1);
                now += 50_000;
                assertThat(pmd.doWork()).isZero();
                assertThat(HostSide.drain(p2.b(), cache)).hasSize(1);
            } finally {
                pool.releaseCache(cache);
                dp.close();
            }
            pool.checkNoLeaks();
        }
    }

    @Test
    void theBackoffStrategyParksAtMostTheStatedBound() {
        assertThat(PmdIdleStrategies.backoff().toString())
                .contains("minParkPeriodNs=" + PmdIdleStrategies.BACKOFF_MIN_PARK_NS)
                .contains("maxParkPeriodNs=" + PmdIdleStrategies.BACKOFF_MAX_PARK_NS);
    }
}
