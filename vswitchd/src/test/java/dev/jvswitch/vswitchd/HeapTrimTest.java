package dev.jvswitch.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * The heap trim's decisions on a simulated heap: a big growth of the old generation shortens the
 * periodic collection until the committed heap stops shrinking, then puts the launcher's interval
 * back; small growth and a steady heap change nothing.
 */
class HeapTrimTest {
    private static final long MB = 1L << 20;

    private static final class FakeHeap implements HeapTrim.Heap {
        long old = 100 * MB;
        long committed = 400 * MB;
        final List<Long> set = new ArrayList<>();

        @Override
        public long oldUsed() {
            return old;
        }

        @Override
        public long committed() {
            return committed;
        }

        @Override
        public void periodicMs(long ms) {
            set.add(ms);
        }
    }

    @Test
    void aSteadyHeapAndSmallGrowthChangeNothing() {
        FakeHeap heap = new FakeHeap();
        HeapTrim trim = new HeapTrim(heap, 15_000);
        for (long t = 0; t < 60_000; t += 1_000) {
            heap.old = 100 * MB + (t / 1_000) * MB; // a slow trickle, 60 MB in a minute
            trim.check(t);
        }
        assertThat(heap.set).isEmpty();
        assertThat(trim.fast()).isFalse();
    }

    @Test
    void aBigGrowthCollectsOftenUntilTheHeapStopsShrinking() {
        FakeHeap heap = new FakeHeap();
        HeapTrim trim = new HeapTrim(heap, 15_000);
        trim.check(0);
        heap.old = 1_500 * MB; // a reload replaced a million rules
        heap.committed = 4_000 * MB;
        trim.check(1_000);
        assertThat(trim.fast()).isTrue();
        assertThat(heap.set).containsExactly(HeapTrim.FAST_MS);
        // The first remark shrinks the heap, the mixed collections empty the old regions, the next
        // remark shrinks it again: while it shrinks the interval stays short.
        heap.committed = 1_500 * MB;
        trim.check(5_000);
        heap.old = 600 * MB;
        trim.check(15_000);
        heap.committed = 900 * MB;
        trim.check(24_000);
        heap.committed -= (HeapTrim.SHRINK_MB - 1) * MB; // too little to count as a shrink
        trim.check(30_000);
        trim.check(24_000 + HeapTrim.QUIET_MS - 1_000);
        assertThat(trim.fast()).isTrue();
        trim.check(24_000 + HeapTrim.QUIET_MS);
        assertThat(trim.fast()).isFalse();
        assertThat(heap.set).containsExactly(HeapTrim.FAST_MS, 15_000L);
        // The next trim measures growth from where this one ended.
        heap.old = 600 * MB + (HeapTrim.GROWTH_MB - 1) * MB;
        trim.check(60_000);
        assertThat(trim.fast()).isFalse();
        heap.old = 600 * MB + HeapTrim.GROWTH_MB * MB;
        trim.check(61_000);
        assertThat(trim.fast()).isTrue();
        assertThat(trim.trims()).isEqualTo(2);
    }

    @Test
    void aHeapThatKeepsShrinkingIsLeftAfterTheLongestWindow() {
        FakeHeap heap = new FakeHeap();
        HeapTrim trim = new HeapTrim(heap, 15_000);
        trim.check(0);
        heap.old = 2_000 * MB;
        heap.committed = 8_000 * MB; // shrinks by a little more than the least that counts, every second
        trim.check(1_000);
        long t = 1_000;
        for (; trim.fast() && t < 10 * HeapTrim.MAX_MS; t += 1_000) {
            heap.committed -= HeapTrim.SHRINK_MB * MB;
            trim.check(t);
        }
        assertThat(t - 1_000).isBetween(HeapTrim.MAX_MS, HeapTrim.MAX_MS + 2_000);
        assertThat(heap.set).containsExactly(HeapTrim.FAST_MS, 15_000L);
    }

    @Test
    void theIntervalTheTrimChangesIsManageableInThisJvm() {
        // The trim relies on HotSpot letting G1PeriodicGCInterval change at run time (JDK 12+).
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        assertThat(hotspot.getVMOption("G1PeriodicGCInterval").isWriteable()).isTrue();
    }
}
