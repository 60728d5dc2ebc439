package dev.jvswitch.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.concurrent.AgentRunner;
import org.junit.jupiter.api.Test;

/**
 * {@link ChangeAgent#runNowIfIdle}: a task runs on the caller's thread only when nothing runs or
 * waits on the change thread, and the change thread runs nothing while it does, so changes stay
 * one at a time and in order (what the OpenFlow event loop relies on when it runs a read's
 * requests in place).
 */
class ChangeAgentInPlaceTest {
    private static final long WAIT_MS = 5_000;

    private static ChangeAgent agent() {
        return new ChangeAgent(job -> "ok", () -> { });
    }

    private static AgentRunner start(ChangeAgent a) {
        AgentRunner r = new AgentRunner(new ChangeAgent.ParkUntilWoken(), Throwable::printStackTrace, null, a);
        AgentRunner.startOnThread(r);
        return r;
    }

    @Test
    void anIdleAgentLetsTheCallerRunTheTaskOnItsOwnThread() {
        ChangeAgent a = agent();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        assertThat(a.runNowIfIdle(() -> ranOn.set(Thread.currentThread()))).isTrue();
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void aTaskWaitingForTheChangeThreadGoesFirst() {
        ChangeAgent a = agent();
        AtomicBoolean queuedRan = new AtomicBoolean();
        AtomicBoolean inPlaceRan = new AtomicBoolean();
        assertThat(a.execute(() -> queuedRan.set(true))).isTrue();
        assertThat(a.runNowIfIdle(() -> inPlaceRan.set(true))).isFalse();
        assertThat(inPlaceRan).isFalse();
        a.doWork();
        assertThat(queuedRan).isTrue();
        assertThat(a.runNowIfIdle(() -> inPlaceRan.set(true))).isTrue();
        assertThat(inPlaceRan).isTrue();
    }

    @Test
    void nothingRunsInPlaceWhileATaskRunsOnTheChangeThread() throws Exception {
        ChangeAgent a = agent();
        try (AgentRunner r = start(a)) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            assertThat(a.execute(() -> {
                started.countDown();
                await(release);
            })).isTrue();
            assertThat(started.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            AtomicBoolean inPlaceRan = new AtomicBoolean();
            assertThat(a.runNowIfIdle(() -> inPlaceRan.set(true))).isFalse();
            assertThat(inPlaceRan).isFalse();
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
            while (!a.runNowIfIdle(() -> inPlaceRan.set(true)) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(inPlaceRan).as("runs in place once the change thread is done").isTrue();
        }
    }

    @Test
    void theChangeThreadWaitsForATaskRunningInPlace() throws Exception {
        ChangeAgent a = agent();
        try (AgentRunner r = start(a)) {
            CountDownLatch queuedRan = new CountDownLatch(1);
            AtomicBoolean overlapped = new AtomicBoolean();
            AtomicBoolean inPlace = new AtomicBoolean();
            assertThat(a.runNowIfIdle(() -> {
                inPlace.set(true);
                assertThat(a.execute(() -> {
                    overlapped.set(inPlace.get());
                    queuedRan.countDown();
                })).isTrue();
                // The change thread is awake with a task: for 200 ms it must not start it.
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                while (System.nanoTime() < until && queuedRan.getCount() == 1) {
                    Thread.onSpinWait();
                }
                inPlace.set(false);
            })).isTrue();
            assertThat(queuedRan.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(overlapped).as("the queued task ran while the in-place one did").isFalse();
        }
    }

    @Test
    void aStoppingAgentRunsNothingInPlace() {
        ChangeAgent a = agent();
        a.requestStop();
        AtomicBoolean ran = new AtomicBoolean();
        assertThat(a.runNowIfIdle(() -> ran.set(true))).isFalse();
        assertThat(ran).isFalse();
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
