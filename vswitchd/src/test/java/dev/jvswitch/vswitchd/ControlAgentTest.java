package dev.jvswitch.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.config.PortSpec;
import dev.jvswitch.vswitchd.control.ControlServer;
import dev.jvswitch.vswitchd.run.Switch;

/**
 * The control agent stepped by hand with a test clock: its duty cycle's work count, the tick
 * schedule, reload and shutdown requests through its proxy (coalesced, counted, first reason
 * wins), and {@code jvsctl exit} answered before the agent stops. A real switch with
 * {@code null} ports and a real control socket; no sleeps.
 */
class ControlAgentTest {
    @TempDir
    Path dir;
    private TestSwitch ts;
    private Switch sw;
    private ControlServer server;
    private CachedNanoClock clock;
    private ControlAgent agent;

    @BeforeEach
    void setUp() throws Exception {
        ts = TestSwitch.start(dir);
        sw = ts.sw;
        server = ts.server;
        clock = new CachedNanoClock();
        clock.update(1_000_000_000L);
        agent = ts.agent(clock);
    }

    @AfterEach
    void tearDown() {
        ts.close();
    }

    private void advanceMs(long ms) {
        clock.update(clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms));
    }

    @Test
    void aDutyCycleTicksWhenDueAndReportsItsWork() {
        assertThat(agent.msUntilDue()).isZero();
        assertThat(agent.doWork()).isEqualTo(1);
        assertThat(agent.doWork()).isZero();
        assertThat(agent.msUntilDue()).isEqualTo(ControlAgent.TICK_MS);
        advanceMs(ControlAgent.TICK_MS - 1);
        assertThat(agent.doWork()).isZero();
        assertThat(agent.msUntilDue()).isEqualTo(1);
        advanceMs(1);
        assertThat(agent.msUntilDue()).isZero();
        assertThat(agent.doWork()).isEqualTo(1);
    }

    @Test
    void reloadRequestsCoalesceIntoOneReloadOnTheAgent() throws Exception {
        agent.doWork();
        TestSwitch.writeConfig(dir, TestSwitch.CONFIG.replace("      a: {type: null, ofport: 1}\n",
                "      a: {type: null, ofport: 1}\n      b: {type: null, ofport: 2}\n"));
        ControlProxy proxy = agent.proxy();
        proxy.reload();
        proxy.reload();
        proxy.reload();
        assertThat(agent.msUntilDue()).isZero();
        assertThat(agent.doWork()).isEqualTo(1);
        // The agent hands the reload to the change agent, which runs it (here, stepped by hand).
        assertThat(agent.changes().doWork()).isEqualTo(1);
        assertThat(agent.changes().doWork()).isZero();
        assertThat(sw.config().ports()).extracting(PortSpec::name).containsExactly("a", "b");
        assertThat(sw.coverage()).containsEntry("reload", 1L);
        assertThat(agent.coverage()).containsEntry("signal_hup", 3L);
        assertThat(agent.doWork()).isEqualTo(1); // the finished change, drained
        assertThat(agent.doWork()).isZero();
        // Taken: the next request queues another.
        proxy.reload();
        assertThat(agent.doWork()).isEqualTo(1);
        agent.changes().doWork();
        assertThat(sw.coverage()).containsEntry("reload", 2L);
        assertThat(proxy.failedOffers()).isZero();
    }

    @Test
    void theFirstShutdownRequestWinsAndStopsTheAgent() {
        agent.doWork();
        agent.proxy().exit("SIGTERM");
        agent.proxy().exit("SIGINT");
        assertThat(agent.msUntilDue()).isZero();
        assertThatThrownBy(agent::doWork).isInstanceOfSatisfying(AgentTerminationException.class,
                e -> assertThat(e.isExpected()).isTrue());
        assertThat(agent.exitReason()).isEqualTo("SIGTERM");
        assertThat(agent.failure()).isNull();
        assertThat(agent.coverage()).containsEntry("signal_term", 2L);
    }

    @Test
    void theExitCommandIsAnsweredThenTheAgentStops() throws Exception {
        CompletableFuture<Ctl> client = ts.jvsctl("exit");
        ControlIdleStrategy idle = new ControlIdleStrategy(server, agent);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean stopped = false;
        // The test clock stands still, so only the client's connection and request end the
        // idle strategy's select before its 250 ms.
        for (int i = 0; i < 1_000 && !stopped && System.nanoTime() < deadline; i++) {
            try {
                idle.idle(agent.doWork());
            } catch (AgentTerminationException e) {
                stopped = true;
            }
        }
        assertThat(stopped).isTrue();
        Ctl exit = client.get(30, TimeUnit.SECONDS);
        assertThat(exit.exit()).as(exit.err()).isZero();
        assertThat(agent.exitReason()).isEqualTo("exit command");
        assertThat(agent.coverage()).containsEntry("control_requests", 1L).containsEntry("signal_term", 1L);
    }
}
