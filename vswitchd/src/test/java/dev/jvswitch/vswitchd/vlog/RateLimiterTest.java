package dev.jvswitch.vswitchd.vlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @Test
    void lets_a_burst_through_then_the_rate_and_reports_what_it_dropped() {
        RateLimiter rl = new RateLimiter(6, 3); // one every 10 s after 3 at once
        long t = 1_000 * S;
        assertThat(rl.allow(t)).isTrue();
        assertThat(rl.allow(t)).isTrue();
        assertThat(rl.allow(t)).isTrue();
        for (int i = 0; i < 100; i++) {
            assertThat(rl.allow(t + i * S / 20)).isFalse();
        }
        assertThat(rl.dropped()).isEqualTo(100);
        assertThat(rl.allow(t + 9 * S)).isFalse();
        assertThat(rl.allow(t + 10 * S)).isTrue();
        assertThat(rl.takeDroppedReport(t + 10 * S)).isEqualTo(
                "Dropped 101 log messages in last 10 seconds (most recently, 1 seconds ago) due to excessive rate");
        assertThat(rl.takeDroppedReport(t + 10 * S)).isNull();
        // A long quiet spell refills the burst, no more.
        assertThat(rl.allow(t + 1000 * S)).isTrue();
        assertThat(rl.allow(t + 1000 * S)).isTrue();
        assertThat(rl.allow(t + 1000 * S)).isTrue();
        assertThat(rl.allow(t + 1000 * S)).isFalse();
    }

    @Test
    void allowAllocatesNothing() {
        RateLimiter rl = new RateLimiter(5, 10);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                .getThreadMXBean();
        long t = 0;
        for (int i = 0; i < 20_000; i++) {
            rl.allow(t += 1000);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000_000; i++) {
            rl.allow(t += 1000);
        }
        assertThat(mx.getCurrentThreadAllocatedBytes() - before).isLessThan(1024);
    }
}
