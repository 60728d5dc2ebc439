package dev.jvswitch.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.vswitchd.control.Json;
import dev.jvswitch.vswitchd.control.Reply;

/**
 * A change that takes long, with both agents on threads of their own as in the daemon: the
 * control agent answers read-only commands, keeps ticking (link polling) and honours a shutdown
 * request while the change runs; the shutdown interrupts a change that waits, and abandons,
 * after its grace period, one that does not listen.
 */
class LongChangeTest {
    @TempDir
    Path dir;
    private TestSwitch ts;
    private ControlAgent agent;
    private AgentRunner control;
    private AgentRunner changes;
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean spin = new AtomicBoolean(true);

    @BeforeEach
    void setUp() throws Exception {
        ts = TestSwitch.start(dir);
        agent = ts.agent(new SystemNanoClock());
        agent.commands().register("test/wait", "", 0, 0, "waits for the test, interruptibly", args -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Reply.text("interrupted");
            }
            return Reply.text("released");
        });
        agent.commands().register("test/spin", "", 0, 0, "spins, deaf to interrupts", args -> {
            while (spin.get()) {
                Thread.onSpinWait();
            }
            return Reply.text("done");
        });
        changes = Jvswitchd.startChanges(agent.changes(), LoggerFactory.getLogger("test"));
        control = new AgentRunner(new ControlIdleStrategy(ts.server, agent), Throwable::printStackTrace, null, agent);
        AgentRunner.startOnThread(control);
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        spin.set(false);
        control.close();
        changes.close();
        ts.close();
    }

    /** jvsctl on another thread: its exit status, a colon, and what it printed (stdout, then stderr). */
    private CompletableFuture<String> ctl(String... args) {
        return ts.jvsctl(args).thenApply(c -> c.exit() + ":" + c.out() + c.err());
    }

    /** control_ticks, read through coverage/show (the agent's own counters are its thread's). */
    private long ticks() {
        try {
            String out = ctl("--json", "coverage/show").get(5, TimeUnit.SECONDS);
            Map<?, ?> m = (Map<?, ?>) Json.parse(out.substring(2));
            return (Long) m.get("control_ticks");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void awaitRunning(String command) {
        Await.until(Duration.ofSeconds(30), () -> command.equals(agent.changes().running()),
                () -> command + " to run on the change thread");
    }

    @Test
    void readsTicksAndShutdownAreServedWhileAChangeRuns() throws Exception {
        CompletableFuture<String> change = ctl("test/wait");
        awaitRunning("test/wait");
        long t0 = System.nanoTime();
        assertThat(ctl("dpif-netdev/pmd-stats-show").get(5, TimeUnit.SECONDS)).startsWith("0:").contains("pmd thread");
        assertThat(ctl("coverage/show").get(5, TimeUnit.SECONDS)).startsWith("0:");
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(1));
        // Link polling goes on: the tick (every 250 ms) keeps running.
        long ticks = ticks();
        Await.until(Duration.ofSeconds(5), Duration.ofMillis(50), () -> ticks() >= ticks + 2,
                () -> "two more ticks while the change runs");
        // SIGTERM: the control agent stops at once, the change still running.
        agent.proxy().exit("SIGTERM");
        Await.until(Duration.ofSeconds(5), () -> control.thread() == null || !control.thread().isAlive(),
                () -> "the control agent to stop");
        assertThat(agent.exitReason()).isEqualTo("SIGTERM");
        assertThat(change).isNotDone();
        // The shutdown's stop interrupts the waiting change, which ends.
        t0 = System.nanoTime();
        assertThat(Jvswitchd.stopChanges(agent.changes(), changes, LoggerFactory.getLogger("test"), 200)).isTrue();
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(2));
        agent.answerFinishedChanges();
        assertThat(change.get(5, TimeUnit.SECONDS)).isEqualTo("0:interrupted\n");
    }

    @Test
    void aChangeDeafToInterruptsIsAbandonedAfterItsGrace() throws Exception {
        CompletableFuture<String> change = ctl("test/spin");
        awaitRunning("test/spin");
        CompletableFuture<String> queued = ctl("reload");
        Await.until(Duration.ofSeconds(5), () -> agent.changes().inFlight() == 2, () -> "the reload to queue");
        agent.proxy().exit("SIGTERM");
        Await.until(Duration.ofSeconds(5), () -> control.thread() == null || !control.thread().isAlive(),
                () -> "the control agent to stop");
        long t0 = System.nanoTime();
        assertThat(Jvswitchd.stopChanges(agent.changes(), changes, LoggerFactory.getLogger("test"), 200)).isFalse();
        assertThat(System.nanoTime() - t0).isBetween(TimeUnit.MILLISECONDS.toNanos(1_200),
                TimeUnit.SECONDS.toNanos(3));
        assertThat(change).isNotDone();
        // Let it end, as the JVM's exit would: the queued reload is answered "shutting down".
        spin.set(false);
        Await.until(Duration.ofSeconds(5), () -> !changes.thread().isAlive(), () -> "the change thread to end");
        agent.answerFinishedChanges();
        assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo("1:jvsctl: reload: not run: jvswitchd is shutting down\n");
        assertThat(change.get(5, TimeUnit.SECONDS)).isEqualTo("0:done\n");
    }
}
