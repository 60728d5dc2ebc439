package dev.jvswitch.ofproto.revalidate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.pmd.DatapathConfig;

/**
 * The revalidators as agents: named daemon threads while started and none after a stop, commands
 * through the proxy (queued, counted when refused, run before the next cycle), and an error in a
 * cycle kept without ending the leader.
 */
class RevalidatorAgentsTest {
    private final CachedNanoClock clock = RevalHarness.newClock();
    private final TestSlowPath slowPath = new TestSlowPath(() -> clock.nanoTime() / 1_000_000L);
    private RevalHarness h;
    private RevalidatorPool pool;

    @BeforeEach
    void setUp() {
        h = new RevalHarness(clock, DatapathConfig.defaults(), slowPath, 3);
        pool = new RevalidatorPool(h.dp, slowPath, RevalidatorConfig.defaults().withThreads(3).withMaxIdleMs(1_000));
    }

    @AfterEach
    void tearDown() {
        pool.close();
        h.close();
    }

    private static List<Thread> revalidatorThreads() {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("revalidator") && t.isAlive()) {
                out.add(t);
            }
        }
        return out;
    }

    @Test
    void eachAgentHasANamedDaemonThreadUntilStopped() {
        pool.start();
        try {
            pool.runCycle();
            assertThat(revalidatorThreads()).extracting(Thread::getName)
                    .containsExactlyInAnyOrder("revalidator0", "revalidator1", "revalidator2");
            assertThat(revalidatorThreads()).allMatch(Thread::isDaemon);
        } finally {
            pool.stop();
        }
        assertThat(revalidatorThreads()).isEmpty();
        assertThat(pool.lastError()).isNull();
    }

    @Test
    void commandsWaitForTheNextCycleAndAFullQueueIsCounted() {
        RevalidatorConfig next = pool.config().withMaxIdleMs(2_000);
        pool.reconfigure(next);
        assertThat(pool.config()).as("what was asked, at once").isEqualTo(next);
        for (int i = 1; i < RevalidatorProxy.CAPACITY; i++) {
            pool.purge();
        }
        assertThat(pool.commandsRefused()).isZero();
        pool.purge();
        assertThat(pool.commandsRefused()).isEqualTo(1);
        pool.runCycle();
        assertThat(pool.snapshot().flows()).isZero();
        for (int i = 0; i < RevalidatorProxy.CAPACITY; i++) {
            pool.purge();
        }
        assertThat(pool.commandsRefused()).as("the cycle drained the queue").isEqualTo(1);
    }

    @Test
    void aCycleThatThrowsIsKeptAndTheLeaderGoesOn() {
        slowPath.failCycleEnd = true;
        pool.start();
        try {
            long dumps = pool.counter(RevalidatorCounter.DUMPS);
            pool.runCycle();
            pool.runCycle();
            assertThat(pool.counter(RevalidatorCounter.DUMPS)).isGreaterThanOrEqualTo(dumps + 2);
            assertThat(pool.lastError()).hasMessage("cycle end failed");
        } finally {
            pool.stop();
        }
    }
}
