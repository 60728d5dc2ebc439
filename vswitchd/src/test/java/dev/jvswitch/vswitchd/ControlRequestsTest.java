package dev.jvswitch.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.vswitchd.control.CommandKind;
import dev.jvswitch.vswitchd.control.CommandRegistry;
import dev.jvswitch.vswitchd.control.ControlProtocol;
import dev.jvswitch.vswitchd.control.ControlServer;
import dev.jvswitch.vswitchd.control.Reply;

/**
 * What the control agent does with requests, stepped by hand with a real switch and socket:
 * any Throwable a request causes (a 20 000-deep JSON line, a command that overflows its stack)
 * ends that request only, with an error line and a count; changes go to the change agent while
 * inline commands are answered at once, table reads wait behind a change in flight, a change
 * beyond the queue is refused as busy; and every command has a kind.
 */
class ControlRequestsTest {
    @TempDir
    Path dir;
    private TestSwitch ts;
    private ControlServer server;
    private ControlAgent agent;
    private final List<CompletableFuture<Ctl>> clients = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        ts = TestSwitch.start(dir);
        server = ts.server;
        CachedNanoClock clock = new CachedNanoClock();
        clock.update(1_000_000_000L);
        agent = ts.agent(clock);
    }

    @AfterEach
    void tearDown() {
        ts.close();
    }

    /** jvsctl on another thread (the agent is stepped on this one). */
    private CompletableFuture<Ctl> ctl(String... args) {
        CompletableFuture<Ctl> f = ts.jvsctl(args);
        clients.add(f);
        return f;
    }

    /** Steps the control agent (and, if {@code changes}, the change agent) until {@code f} is done. */
    private <T> T stepUntil(CompletableFuture<T> f, boolean changes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ControlIdleStrategy idle = new ControlIdleStrategy(server, agent);
        while (!f.isDone() && System.nanoTime() < deadline) {
            int work = agent.doWork();
            if (changes) {
                work += agent.changes().doWork();
            }
            if (work == 0) {
                idle.idle(0); // blocks in the selector until a client needs serving (or 250 ms)
            }
        }
        return f.get(1, TimeUnit.SECONDS);
    }

    /** Sends one raw line and returns the answer line, stepping the agent meanwhile. */
    private String raw(String line) throws Exception {
        CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
            try {
                return RawClient.exchange(server.path(), (line + "\n").getBytes(StandardCharsets.UTF_8), 30_000);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        return stepUntil(f, true);
    }

    @Test
    void fragmentReassemblyCommandsSetTheTrackerAndRefuseBadValuesInOneLine() throws Exception {
        assertThat(stepUntil(ctl("dpctl/ipf-set-disabled", "v4"), false).out())
                .contains("disabling fragmentation reassembly successful");
        assertThat(stepUntil(ctl("dpctl/ipf-set-min-frag", "v6", "1400"), false).out())
                .contains("setting minimum fragment size successful");
        assertThat(stepUntil(ctl("dpctl/ipf-set-max-nfrags", "netdev@ovs-netdev", "20"), false).out())
                .contains("setting maximum fragments successful");
        String status = stepUntil(ctl("dpctl/ipf-get-status", "-m"), false).out();
        assertThat(status).contains("        v4 enabled: 0\n", "        v6 enabled: 1\n",
                "        max num frags (v4/v6): 20\n", "        min v6 frag size: 1400\n", "Fragment Lists:");
        Ctl small = stepUntil(ctl("dpctl/ipf-set-min-frag", "v4", "100"), false);
        assertThat(small.exit()).isNotZero();
        assertThat(small.err().trim()).isEqualTo(
                "jvsctl: dpctl/ipf-set-min-frag: requested minimum fragment size too small (100 < 400)");
        Ctl family = stepUntil(ctl("dpctl/ipf-set-enabled", "v5"), false);
        assertThat(family.exit()).isNotZero();
        assertThat(family.err().trim())
                .isEqualTo("jvsctl: dpctl/ipf-set-enabled: parameter missing: 'v4' for IPv4 or 'v6' for IPv6");
        Ctl many = stepUntil(ctl("dpctl/ipf-set-max-nfrags", "5001"), false);
        assertThat(many.exit()).isNotZero();
        assertThat(many.err()).contains("out of range 0..5000").doesNotContain("\n ");
        assertThat(stepUntil(ctl("dpctl/ipf-get-status"), false).out()).contains("max num frags (v4/v6): 20\n");
    }

    @Test
    void deepNestingIsOneErrorLineAndTheDaemonServesOn() throws Exception {
        String answer = raw("[".repeat(20_000));
        assertThat(ControlProtocol.parseResponse(answer).error()).isEqualTo("bad JSON at character 65: nested deeper"
                + " than 64 levels");
        assertThat(stepUntil(ctl("list-commands"), false).exit()).isZero();
        assertThat(agent.coverage()).containsEntry("control_commands_failed", 1L).containsEntry("control_requests", 2L);
    }

    @Test
    void anyThrowableEndsOnlyItsRequest() throws Exception {
        CommandRegistry r = agent.commands();
        r.register("test/overflow", "", 0, 0, "overflows its stack", args -> overflow(0));
        r.register("test/npe", "", 0, 0, "fails", args -> {
            throw new NullPointerException("no such thing");
        });
        Ctl overflow = stepUntil(ctl("test/overflow"), true);
        assertThat(overflow.exit()).isEqualTo(1);
        assertThat(overflow.err()).isEqualTo("jvsctl: test/overflow: internal error: java.lang.StackOverflowError\n");
        Ctl again = stepUntil(ctl("test/overflow"), true);
        assertThat(again.err()).isEqualTo(overflow.err());
        Ctl npe = stepUntil(ctl("test/npe"), true);
        assertThat(npe.err()).isEqualTo("jvsctl: test/npe: internal error: java.lang.NullPointerException: no such"
                + " thing\n");
        Ctl ok = stepUntil(ctl("coverage/show"), false);
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).contains("control_internal_errors");
        assertThat(agent.coverage()).containsEntry("control_internal_errors", 3L)
                .containsEntry("control_commands_failed", 3L);
    }

    private static Reply overflow(int depth) {
        return overflow(depth + 1);
    }

    @Test
    void inlineCommandsAreAnsweredWhileAChangeIsInFlight() throws Exception {
        // A change queued for the change agent, which is not stepped: it stays "running".
        CompletableFuture<Ctl> change = ctl("ofctl/add-flow", "br0", "priority=5,actions=drop");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (agent.changes().inFlight() == 0 && System.nanoTime() < deadline) {
            agent.doWork();
        }
        assertThat(agent.changes().inFlight()).isEqualTo(1);
        assertThat(stepUntil(ctl("dpif-netdev/pmd-stats-show"), false).out()).contains("pmd thread");
        assertThat(stepUntil(ctl("coverage/show"), false).out()).contains("control_changes_queued");
        // A table read waits behind the change, and shows its result.
        CompletableFuture<Ctl> dump = ctl("ofctl/dump-flows", "br0");
        while (agent.changes().inFlight() < 2 && System.nanoTime() < deadline) {
            agent.doWork();
        }
        assertThat(dump).isNotDone();
        assertThat(change).isNotDone();
        assertThat(stepUntil(change, true).exit()).isZero();
        assertThat(stepUntil(dump, true).out()).contains("priority=5 actions=drop");
        assertThat(agent.changes().inFlight()).isZero();
        // Idle again: a table read is answered inline.
        assertThat(stepUntil(ctl("ofctl/dump-flows", "br0"), false).out()).contains("priority=5 actions=drop");
    }

    @Test
    void aChangeBeyondTheQueueIsRefusedAsBusy() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<CompletableFuture<Ctl>> queued = new ArrayList<>();
        for (int i = 0; i < ChangeAgent.MAX_QUEUED; i++) {
            queued.add(ctl("ofctl/add-flow", "br0", "priority=" + (10 + i) + ",actions=drop"));
        }
        while (agent.changes().inFlight() < ChangeAgent.MAX_QUEUED && System.nanoTime() < deadline) {
            agent.doWork();
        }
        Ctl busy = stepUntil(ctl("reload"), false);
        assertThat(busy.exit()).isEqualTo(1);
        assertThat(busy.err()).isEqualTo("jvsctl: busy: " + ChangeAgent.MAX_QUEUED + " changes are waiting already; try"
                + " again once they are done\n");
        for (CompletableFuture<Ctl> q : queued) {
            assertThat(stepUntil(q, true).exit()).isZero();
        }
        assertThat(agent.coverage()).containsEntry("control_changes_busy", 1L)
                .containsEntry("control_changes_queued", (long) ChangeAgent.MAX_QUEUED);
        assertThat(stepUntil(ctl("ofctl/dump-flows", "br0"), false).out()).contains("priority=25 actions=drop");
    }

    @Test
    void everyCommandHasAKind() {
        for (CommandRegistry.Command c : agent.commands().commands()) {
            assertThat(CommandKind.listed(c.name())).as(c.name() + " is listed in CommandKind").isTrue();
        }
    }
}
