package dev.jvswitch.ofproto.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

/** Chunked bulk work: every item once, worker indices in range, the lowest chunk's failure reported. */
class BulkWorkersTest {
    @Test
    void everyItemIsWorkedOnceByAWorkerInRange() {
        int n = 10 * BulkWorkers.CHUNK + 17;
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        BulkWorkers.forEachChunk(n, 2, (worker, from, to) -> {
            assertThat(worker).isBetween(0, 1);
            for (int i = from; i < to; i++) {
                seen.incrementAndGet(i);
            }
        });
        for (int i = 0; i < n; i++) {
            assertThat(seen.get(i)).as("item %d", i).isEqualTo(1);
        }
    }

    @Test
    void theFailureOfTheLowestChunkIsRethrown() {
        int n = 20 * BulkWorkers.CHUNK;
        int first = 7 * BulkWorkers.CHUNK + 5;
        int later = 15 * BulkWorkers.CHUNK + 1;
        assertThatThrownBy(() -> BulkWorkers.forEachChunk(n, BulkWorkers.MAX_THREADS, (worker, from, to) -> {
            for (int i = from; i < to; i++) {
                if (i == first || i == later) {
                    throw new IllegalArgumentException("item " + i);
                }
            }
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("item " + first);
    }

    @Test
    void aShortListIsWorkedOnByTheCallerAlone() {
        Thread caller = Thread.currentThread();
        BulkWorkers.forEachChunk(BulkWorkers.MIN_PARALLEL - 1, BulkWorkers.MAX_THREADS, (worker, from, to) -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            assertThat(from).isZero();
            assertThat(to).isEqualTo(BulkWorkers.MIN_PARALLEL - 1);
        });
    }
}
