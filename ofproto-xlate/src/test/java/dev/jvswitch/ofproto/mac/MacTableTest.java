package dev.jvswitch.ofproto.mac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class MacTableTest {
    private static final long SEC = 1_000_000_000L;
    private static final long A = 0x0000_0000_000aL;
    private static final long B = 0x0000_0000_000bL;

    @Test
    void learnsLooksUpAndTellsWhatChanged() {
        MacTable t = new MacTable(16, 300);
        assertThat(t.lookup(A, 0, 0)).isEqualTo(MacDependency.UNKNOWN);
        long seq = t.seq();
        assertThat(t.learn(A, 0, 1, 0)).isEqualTo(MacTable.Learned.NEW);
        assertThat(t.seq()).isGreaterThan(seq);
        assertThat(t.lookup(A, 0, SEC)).isEqualTo(1);
        seq = t.seq();
        assertThat(t.learn(A, 0, 1, SEC)).isEqualTo(MacTable.Learned.REFRESHED);
        assertThat(t.seq()).as("a refresh changes no answer").isEqualTo(seq);
        assertThat(t.learn(A, 0, 2, 2 * SEC)).isEqualTo(MacTable.Learned.MOVED);
        assertThat(t.seq()).isGreaterThan(seq);
        assertThat(t.lookup(A, 0, 2 * SEC)).isEqualTo(2);
    }

    @Test
    void vlansAreSeparateTables() {
        MacTable t = new MacTable(16, 300);
        t.learn(A, 10, 1, 0);
        assertThat(t.lookup(A, 10, 0)).isEqualTo(1);
        assertThat(t.lookup(A, 20, 0)).isEqualTo(MacDependency.UNKNOWN);
        t.learn(A, 20, 3, 0);
        assertThat(t.lookup(A, 10, 0)).isEqualTo(1);
        assertThat(t.lookup(A, 20, 0)).isEqualTo(3);
    }

    @Test
    void agesOutOnLookupAndOnExpire() {
        MacTable t = new MacTable(16, 300);
        t.learn(A, 0, 1, 0);
        t.learn(B, 0, 2, 100 * SEC);
        assertThat(t.lookup(A, 0, 299 * SEC)).isEqualTo(1);
        long seq = t.seq();
        assertThat(t.lookup(A, 0, 300 * SEC)).isEqualTo(MacDependency.UNKNOWN);
        assertThat(t.seq()).isGreaterThan(seq);
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.expire(399 * SEC)).isZero();
        assertThat(t.expire(400 * SEC)).isEqualTo(1);
        assertThat(t.size()).isZero();
        // An entry that aged out is new when it comes back.
        assertThat(t.learn(B, 0, 2, 500 * SEC)).isEqualTo(MacTable.Learned.NEW);
    }

    @Test
    void evictsTheLeastRecentlyLearned() {
        MacTable t = new MacTable(3, 300);
        t.learn(1, 0, 1, 0);
        t.learn(2, 0, 1, 1);
        t.learn(3, 0, 1, 2);
        t.learn(1, 0, 1, 3); // refreshed: now the newest
        long seq = t.seq();
        t.learn(4, 0, 1, 4);
        assertThat(t.seq()).isGreaterThan(seq);
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.lookup(2, 0, 5)).isEqualTo(MacDependency.UNKNOWN);
        assertThat(t.lookup(1, 0, 5)).isEqualTo(1);
        assertThat(t.entries(5)).extracting(MacTable.Entry::mac).containsExactly(3L, 1L, 4L);
        t.configure(1, 300);
        assertThat(t.entries(5)).extracting(MacTable.Entry::mac).containsExactly(4L);
    }

    @Test
    void forgetsAPortAndFlushes() {
        MacTable t = new MacTable(16, 300);
        t.learn(A, 0, 1, 0);
        t.learn(B, 0, 2, 0);
        assertThat(t.removePort(1)).isEqualTo(1);
        assertThat(t.lookup(A, 0, 0)).isEqualTo(MacDependency.UNKNOWN);
        long seq = t.seq();
        t.flush();
        assertThat(t.size()).isZero();
        assertThat(t.seq()).isGreaterThan(seq);
    }

    @Test
    void refusesBadLimitsNamingTheSetting() {
        assertThatThrownBy(() -> new MacTable(0, 300)).hasMessage("mac-table-size 0 < 1");
        assertThatThrownBy(() -> new MacTable(10, 0)).hasMessage("mac-aging-time 0 < 1");
    }

    @Test
    void concurrentLearnersKeepTheTableConsistent() throws Exception {
        MacTable t = new MacTable(512, 300);
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int port = w + 1;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 20_000; i++) {
                    t.learn(i % 1000, 0, port, i);
                    t.lookup((i * 7) % 1000, 0, i);
                }
            });
            workers.add(th);
            th.start();
        }
        start.countDown();
        for (Thread th : workers) {
            th.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(th.isAlive()).isFalse();
        }
        assertThat(t.size()).isEqualTo(512);
        for (MacTable.Entry e : t.entries(0)) {
            assertThat(e.ofPort()).isBetween(1, threads);
        }
    }
}
