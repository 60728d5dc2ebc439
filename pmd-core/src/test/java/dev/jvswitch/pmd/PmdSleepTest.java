package dev.jvswitch.pmd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.AgentRunner;
import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.idle.SleepingIdleStrategy;
import dev.jvswitch.pmd.port.NullPort;
import dev.jvswitch.pmd.port.RingPorts;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.pmd.upcall.UpcallOutcome;
import dev.jvswitch.testkit.frame.Frames;
import dev.jvswitch.testkit.sh.Await;

/**
 * {@code pmd-idle: sleep}: an idle PMD blocks in poll(2), and whatever gives it work wakes it at
 * once: a frame on one of its queues' descriptors, and every command (a packet-out, a reload, a
 * config change, a flow removal as the revalidators send it, a quiesce as a barrier waits for it).
 * The PMD here sleeps at most a minute at a time, so a wake-up that did not happen would show as a
 * wait of a minute; each assertion allows {@link #WELL_BEFORE}.
 */
class PmdSleepTest {
    private static final int LONG_SLEEP_MS = 60_000;
    private static final Duration WELL_BEFORE = Duration.ofSeconds(10);
    private static final byte[] FRAME = Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1000, 80).size(60).build();

    /** A datapath of two eventfd ports (1 forwards to 2), its PMD stepped by a runner that sleeps a minute. */
    private static final class Rig implements AutoCloseable {
        final MbufPool pool = MbufPool.create(MbufPoolConfig.of("sleep", 1024));
        final EventfdPort p1 = new EventfdPort("e1", FRAME);
        final EventfdPort p2 = new EventfdPort("e2", FRAME);
        final Datapath dp = new Datapath(DatapathConfig.defaults().withIdle(DatapathConfig.Idle.SLEEP), pool,
                (pmd, key, packet, result) -> {
                    result.actions(DpActions.builder().output(2).build());
                    return UpcallOutcome.OK;
                });
        final PmdAgent pmd = dp.pmd(0);
        private AgentRunner runner;

        Rig start() {
            dp.addPort(1, p1);
            dp.addPort(2, p2);
            assertThat(pmd.sleeper().open()).isTrue();
            dp.externallyDriven(true);
            runner = new AgentRunner(new SleepingIdleStrategy(pmd.sleeper(), LONG_SLEEP_MS), Throwable::printStackTrace,
                    null, pmd);
            AgentRunner.startOnThread(runner);
            return this;
        }

        /** Waits until the PMD is in poll(2); returns its sleeps so far. */
        long awaitAsleep() {
            Await.until(WELL_BEFORE, () -> pmd.sleeper().asleep(), () -> "the PMD going to sleep; " + pmd.stats());
            return pmd.stats().get(PmdCounter.IDLE_SLEEPS);
        }

        @Override
        public void close() {
            try {
                if (runner != null) {
                    pmd.sleeper().disable();
                    runner.close();
                }
                dp.externallyDriven(false);
                dp.close();
                pmd.sleeper().close();
            } finally {
                pool.checkNoLeaks();
                pool.close();
            }
        }
    }

    @Test
    void aFrameWakesASleepingPmd() {
        try (Rig r = new Rig().start()) {
            for (int i = 1; i <= 3; i++) {
                long sleeps = r.awaitAsleep();
                assertThat(r.p1.pollsEnded()).as("every sleep before this one ended its queues' polls")
                        .isEqualTo(r.p1.pollsAsked() - 1);
                long t0 = System.nanoTime();
                r.p1.arrive();
                int sent = i;
                Await.until(WELL_BEFORE, () -> r.p2.sent() == sent, () -> "frame " + sent + " forwarded");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(WELL_BEFORE);
                assertThat(r.pmd.stats().get(PmdCounter.IDLE_SLEEPS)).isGreaterThan(sleeps - 1).isPositive();
            }
            assertThat(r.pmd.stats().get(PmdCounter.RX_PACKETS)).isEqualTo(3);
        }
    }

    @Test
    void commandsWakeASleepingPmd() throws Exception {
        try (Rig r = new Rig().start()) {
            r.awaitAsleep();
            long t0 = System.nanoTime();
            r.dp.quiesce(); // what a barrier or a flow table change waits for
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("quiesce").isLessThan(WELL_BEFORE);

            r.awaitAsleep();
            MbufCache cache = r.pool.newCache();
            Mbuf m = cache.get();
            r.pool.releaseCache(cache);
            m.copyFrom(FRAME, 0, FRAME.length);
            t0 = System.nanoTime();
            CompletableFuture<Void> out = r.dp.execute(m, DpActions.builder().output(2).build());
            assertThat(out).isNotNull();
            out.get(WELL_BEFORE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(r.p2.sent()).as("packet-out sent").isEqualTo(1);

            r.awaitAsleep();
            r.dp.reconfigure(r.dp.config().withEmcInsertInvProb(1)); // a config change
            r.awaitAsleep();
            NullPort extra = NullPort.open("n3");
            r.dp.addPort(3, extra); // a reload; a null port's queue never stops the PMD sleeping
            r.awaitAsleep();
            assertThat(r.dp.removePort(3)).isSameAs(extra);
            extra.close();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("all of it").isLessThan(WELL_BEFORE);
        }
    }

    @Test
    void aRevalidatorsFlowRemovalWakesASleepingPmd() throws Exception {
        try (Rig r = new Rig().start()) {
            r.awaitAsleep();
            r.p1.arrive();
            Await.until(WELL_BEFORE, () -> r.p2.sent() == 1, () -> "first frame forwarded");
            assertThat(r.dp.flows().count()).isEqualTo(1);
            r.awaitAsleep();
            long t0 = System.nanoTime();
            r.dp.flows().deleteAsync(r.dp.flows().dump().get(0)).get(WELL_BEFORE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(WELL_BEFORE);
            assertThat(r.dp.flows().count()).isZero();
        }
    }

    @Test
    void aQueueWithoutDescriptorKeepsThePmdBackingOff() {
        EventfdPort withFd = new EventfdPort("e1", FRAME);
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("nosleep", 256));
             RingPorts.Pair ring = RingPorts.pair("r1", "h1", 1, 64)) {
            Datapath dp = new Datapath(DatapathConfig.defaults().withIdle(DatapathConfig.Idle.SLEEP), pool,
                    (pmd, key, packet, result) -> UpcallOutcome.FAILED);
            try {
                // The port with a descriptor first: it is asked, then the ring refuses the sleep.
                dp.addPort(1, withFd);
                dp.addPort(2, ring.a());
                dp.start();
                long iterations = dp.pmd(0).stats().raw(PmdCounter.ITERATIONS);
                // 2 000 parks of at most 50 µs: well past the stretch after which it would sleep.
                Await.until(WELL_BEFORE, () -> dp.pmd(0).stats().raw(PmdCounter.ITERATIONS) > iterations + 2_000
                        && withFd.pollsAsked() > 0, () -> "the PMD iterating and trying to sleep");
                assertThat(dp.pmd(0).stats().raw(PmdCounter.IDLE_SLEEPS)).isZero();
            } finally {
                dp.close();
            }
            assertThat(withFd.pollsEnded()).as("a refused sleep ends the polls it asked for")
                    .isEqualTo(withFd.pollsAsked());
            pool.checkNoLeaks();
        }
    }

    @Test
    void aStartedSleepDatapathSleepsAndStopsPromptly() {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("started", 256))) {
            Datapath dp = new Datapath(DatapathConfig.defaults().withIdle(DatapathConfig.Idle.SLEEP), pool,
                    (pmd, key, packet, result) -> UpcallOutcome.FAILED);
            try {
                dp.addPort(1, NullPort.open("n1"));
                dp.start();
                Await.until(WELL_BEFORE, () -> dp.pmd(0).stats().raw(PmdCounter.IDLE_SLEEPS) > 2,
                        () -> "the PMD sleeping");
                long t0 = System.nanoTime();
                dp.quiesce();
                dp.stop();
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(WELL_BEFORE);
                dp.start(); // a restart sleeps again
                long sleeps = dp.pmd(0).stats().raw(PmdCounter.IDLE_SLEEPS);
                Await.until(WELL_BEFORE, () -> dp.pmd(0).stats().raw(PmdCounter.IDLE_SLEEPS) > sleeps,
                        () -> "the PMD sleeping after a restart");
            } finally {
                dp.close();
            }
            pool.checkNoLeaks();
        }
    }

    @Test
    void sleepingAndWakingAllocateNothing() {
        try (Rig r = new Rig()) {
            r.dp.addPort(1, r.p1);
            r.dp.addPort(2, r.p2);
            assertThat(r.pmd.sleeper().open()).isTrue();
            r.dp.externallyDriven(true);
            SleepingIdleStrategy idle = new SleepingIdleStrategy(r.pmd.sleeper(), 0);
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            // Warm up (JIT, JNR's call stubs), then measure: idle iterations that back off and sleep
            // (a zero timeout: poll(2) returns at once), wake-ups, frames.
            long allocated = 0;
            for (int round = 0; round < 3; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                long sleeps = r.pmd.stats().get(PmdCounter.IDLE_SLEEPS);
                for (int i = 0; i < 20_000; i++) {
                    int work = r.pmd.doWork();
                    idle.idle(work);
                    if (i % 1_000 == 0) {
                        r.pmd.sleeper().wake();
                        r.p1.arrive();
                    }
                }
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertThat(r.pmd.stats().get(PmdCounter.IDLE_SLEEPS)).isGreaterThan(sleeps);
            }
            assertThat(allocated).as("bytes allocated by the last 20 000 iterations").isZero();
            r.dp.externallyDriven(false);
        }
    }
}
