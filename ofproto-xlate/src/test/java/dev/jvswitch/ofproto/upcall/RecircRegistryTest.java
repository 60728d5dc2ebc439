package dev.jvswitch.ofproto.upcall;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.xlate.FrozenState;

class RecircRegistryTest {
    private static FrozenState state(long group) {
        return new FrozenState("br0", 1, List.of(new FrozenState.Frame(0, List.of(new OfAction.GroupAction(group),
                new OfAction.Output(2)))));
    }

    @Test
    void equalStatesShareAnIdAndIdsFindTheirState() {
        RecircRegistry r = new RecircRegistry();
        int a = r.recircId(state(1));
        int b = r.recircId(state(2));
        assertThat(a).isNotZero().isNotEqualTo(b);
        assertThat(r.recircId(state(1))).isEqualTo(a);
        assertThat(r.frozenState(a)).isEqualTo(state(1));
        assertThat(r.frozenState(12345)).isNull();
        assertThat(r.size()).isEqualTo(2);
    }

    @Test
    void sweepRetiresIdsNotUsedSinceTheMark() {
        RecircRegistry r = new RecircRegistry();
        int a = r.recircId(state(1));
        int b = r.recircId(state(2));
        long mark = r.mark();
        r.frozenState(a); // still used by a recirculating flow
        assertThat(r.sweep(mark)).isEqualTo(1);
        assertThat(r.frozenState(a)).isNotNull();
        assertThat(r.frozenState(b)).isNull();
        // A retired state that comes back gets a fresh id, never the old one.
        assertThat(r.recircId(state(2))).isNotEqualTo(b);
    }

    @Test
    void concurrentTranslationsOfOneStateGetOneId() throws Exception {
        RecircRegistry r = new RecircRegistry();
        Set<Integer> ids = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 2000; i++) {
                    ids.add(r.recircId(state(i % 50)));
                }
            });
            threads[t].start();
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(t.isAlive()).isFalse();
        }
        assertThat(ids).hasSize(50);
        assertThat(r.size()).isEqualTo(50);
    }
}
