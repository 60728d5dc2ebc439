package dev.jvswitch.bench.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The pacing arithmetic, stepped with a hand-held clock. */
class PacerTest {
    private static final long MS = 1_000_000L;

    /** Sends as a generator would, polling every {@code stepNs}, and returns the frames sent by {@code endNs}. */
    private static long simulate(Pacer p, long stepNs, long endNs, int burst) {
        p.start(0);
        long sent = 0;
        for (long t = 0; t <= endNs + stepNs - 1; t += stepNs) {
            t = Math.min(t, endNs);
            int n;
            while ((n = p.due(t, burst)) > 0) {
                p.sent(n);
                sent += n;
            }
            if (t == endNs) {
                break;
            }
        }
        return sent;
    }

    @Test
    void sendsExactlyTheScheduleWhateverThePollingInterval() {
        for (double pps : new double[] {1, 999, 10_000, 123_457, 1_000_000, 3_300_000}) {
            for (long step : new long[] {1_000, 20_000, 77_777, 1 * MS}) {
                Pacer p = new Pacer(pps, 1_000 * MS);
                long sent = simulate(p, step, 1_000 * MS, 32);
                // Anchored at the start: within one frame of pps x 1 s, however often it polls.
                assertThat((double) sent).as("%s pps polled every %d ns", pps, step).isCloseTo(pps, org.assertj.core.data.Offset.offset(1.0));
                assertThat(p.skipped()).isZero();
            }
        }
    }

    @Test
    void nothingIsDueBeforeTheFirstFrameTimeAndTheWaitSaysWhen() {
        Pacer p = new Pacer(1_000, 10 * MS);
        p.start(5 * MS);
        assertThat(p.due(5 * MS, 32)).isZero();
        assertThat(p.nsUntilNext(5 * MS)).isEqualTo(1 * MS);
        assertThat(p.due(6 * MS - 1, 32)).isZero();
        assertThat(p.due(6 * MS, 32)).isEqualTo(1);
        p.sent(1);
        assertThat(p.nsUntilNext(6 * MS)).isEqualTo(1 * MS);
        assertThat(p.nsUntilNext(8 * MS)).isZero();
    }

    @Test
    void aLateSenderCatchesUpOneBurstAtATime() {
        Pacer p = new Pacer(1_000_000, 10 * MS);
        p.start(0);
        // 100 us late: 100 frames due, released 32, 32, 32, 4.
        assertThat(p.due(100_000, 32)).isEqualTo(32);
        p.sent(32);
        assertThat(p.due(100_000, 32)).isEqualTo(32);
        p.sent(32);
        assertThat(p.due(100_000, 32)).isEqualTo(32);
        p.sent(32);
        assertThat(p.due(100_000, 32)).isEqualTo(4);
        p.sent(4);
        assertThat(p.due(100_000, 32)).isZero();
    }

    @Test
    void aBacklogBeyondTheLimitIsSkippedAndCounted() {
        Pacer p = new Pacer(1_000_000, 1 * MS);
        p.start(0);
        // 10 ms descheduled: 10 000 frames due, 1 000 (1 ms) kept, 9 000 skipped.
        assertThat(p.due(10 * MS, 32)).isEqualTo(32);
        assertThat(p.skipped()).isEqualTo(9_000);
        long sent = 0;
        int n;
        while ((n = p.due(10 * MS, 32)) > 0) {
            p.sent(n);
            sent += n;
        }
        assertThat(sent).isEqualTo(1_000);
        // Back on schedule: the next frame is due 1 us later.
        assertThat(p.nsUntilNext(10 * MS)).isEqualTo(1_000);
    }

    @Test
    void theBacklogLimitIsAtLeastOneBurst() {
        Pacer p = new Pacer(100, 1 * MS);
        p.start(0);
        assertThat(p.due(1_000 * MS, 32)).isEqualTo(32);
        assertThat(p.skipped()).isEqualTo(100 - 32);
    }

    @Test
    void aRateMustBePositive() {
        assertThatThrownBy(() -> new Pacer(0, MS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pacer(Double.NaN, MS)).isInstanceOf(IllegalArgumentException.class);
    }
}
