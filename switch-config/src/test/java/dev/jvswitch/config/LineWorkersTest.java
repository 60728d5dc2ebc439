package dev.jvswitch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

/**
 * Chunked work over many lines: every line once, on more than one thread when asked for, the
 * first failure rethrown to the caller, short lists on the caller alone.
 */
class LineWorkersTest {
    @Test
    void everyLineIsWorkedOnOnceAndTheWorkIsShared() throws Exception {
        int n = 10 * LineWorkers.CHUNK_LINES + 17;
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        // The first two chunks wait for each other: done only if a second thread takes one.
        CountDownLatch both = new CountDownLatch(2);
        LineWorkers.forEachChunk(n, 2, (from, to) -> {
            threads.add(Thread.currentThread());
            if (from < 2 * LineWorkers.CHUNK_LINES) {
                both.countDown();
                try {
                    assertThat(both.await(30, TimeUnit.SECONDS)).as("a second thread took a chunk").isTrue();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            for (int i = from; i < to; i++) {
                seen.incrementAndGet(i);
            }
        });
        for (int i = 0; i < n; i++) {
            assertThat(seen.get(i)).as("line %d", i).isEqualTo(1);
        }
        assertThat(threads).hasSize(2).contains(Thread.currentThread());
    }

    @Test
    void aShortListIsWorkedOnByTheCallerInOneGo() {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        int[] calls = new int[1];
        LineWorkers.forEachChunk(LineWorkers.MIN_PARALLEL_LINES - 1, 4, (from, to) -> {
            threads.add(Thread.currentThread());
            calls[0]++;
            assertThat(from).isZero();
            assertThat(to).isEqualTo(LineWorkers.MIN_PARALLEL_LINES - 1);
        });
        assertThat(calls[0]).isOne();
        assertThat(threads).containsExactly(Thread.currentThread());
    }

    @Test
    void theFirstFailureReachesTheCaller() {
        int n = 8 * LineWorkers.CHUNK_LINES;
        assertThatThrownBy(() -> LineWorkers.forEachChunk(n, 4, (from, to) -> {
            if (from == 3 * LineWorkers.CHUNK_LINES) {
                throw new IllegalArgumentException("chunk at " + from);
            }
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("chunk at " + 3 * LineWorkers.CHUNK_LINES);
    }
}
