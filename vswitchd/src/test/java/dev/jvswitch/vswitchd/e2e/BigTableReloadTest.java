package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.vswitchd.Ctl;
import dev.jvswitch.vswitchd.TestSwitch;
import dev.jvswitch.vswitchd.control.Json;

/**
 * A reload to a million OpenFlow rules in a daemon of its own: while it runs, read-only
 * commands are answered, link polling goes on (the control tick keeps counting), and SIGTERM is
 * honoured at once (the control loop stops and says why) and ends the process within the
 * change's grace period, not once the change is done.
 */
class BigTableReloadTest {
    private static final int RULES = 1_000_000;
    private static final String CONFIG = """
            datapath:
              pmd-idle: backoff
            mempool:
              mbufs: 512
            bridges:
              br0:
                ports:
                  a: {type: null, ofport: 1}
                  b: {type: null, ofport: 2}
                flows: "@flows.txt"
            control:
              socket: ctl/jvswitchd.sock
            """;

    @TempDir
    Path dir;
    private DaemonProcess daemon;

    @AfterEach
    void tearDown() {
        if (daemon != null) {
            daemon.close();
        }
    }

    /** Rule {@code i} of an ACL-like set: one mask, 100 priorities, a distinct source each. */
    private static String rule(int i) {
        int src = 0x0a000000 + i;
        int dst = 0xac100000 + ((i * 7) & 0xfff) * 256;
        return String.format(Locale.ROOT,
                "table=0,priority=%d,tcp,nw_src=%d.%d.%d.%d/32,nw_dst=%d.%d.%d.0/24,tp_dst=%d,actions=output:%d",
                100 + i % 100, src >>> 24, (src >>> 16) & 255, (src >>> 8) & 255, src & 255, dst >>> 24,
                (dst >>> 16) & 255, (dst >>> 8) & 255, 1 + (i / 100) % 1000, 1 + i % 2);
    }

    private Map<?, ?> coverage() {
        return (Map<?, ?>) Json.parse(daemon.ok("--json", "coverage/show"));
    }

    private long counter(String name) {
        return (Long) coverage().get(name);
    }

    @Test
    void commandsLinkPollingAndSigtermAreServedWhileAMillionRulesLoad() throws Exception {
        Files.writeString(dir.resolve("flows.txt"), "priority=0,actions=drop\n");
        daemon = new DaemonProcess(TestSwitch.writeConfig(dir, CONFIG), dir.resolve("ctl/jvswitchd.sock"), dir)
                .maxHeap("2g").start(null, Duration.ofSeconds(60));
        assertThat(daemon.ok("ofctl/dump-flows", "br0")).contains("priority=0 actions=drop");
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("flows.txt"))) {
            for (int i = 0; i < RULES; i++) {
                w.write(rule(i));
                w.newLine();
            }
        }
        long queued = counter("control_changes_queued");
        CompletableFuture<Ctl> reload = CompletableFuture.supplyAsync(() -> daemon.ctl("--timeout", "600", "reload"));
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(10), () -> counter("control_changes_queued") > queued,
                () -> "the reload to reach the change thread");

        // Read-only commands answer while it runs (each within seconds, not after the change).
        for (String[] cmd : new String[][] {{"coverage/show"}, {"dpif-netdev/pmd-stats-show"}, {"upcall/show"},
            {"ofctl/dump-ports", "br0"}, {"list-commands"}}) {
            long t0 = System.nanoTime();
            daemon.ok(cmd);
            assertThat(System.nanoTime() - t0).as(cmd[0]).isLessThan(TimeUnit.SECONDS.toNanos(5));
        }
        // Link polling goes on: the control tick (every 250 ms) keeps counting.
        long ticks = counter("control_ticks");
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(50), () -> counter("control_ticks") >= ticks + 2,
                () -> "two more control ticks while the reload runs");
        assertThat(reload).as("the reload of %d rules still runs", RULES).isNotDone();

        // SIGTERM: the control loop stops at once; the process ends within the change's grace.
        long t0 = System.nanoTime();
        daemon.signal("TERM");
        Await.until(Duration.ofSeconds(5), Duration.ofMillis(20), () -> daemon.log().contains("shutting down (SIGTERM)"),
                () -> "the daemon to take SIGTERM");
        int status = daemon.terminate(Duration.ofSeconds(30));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "SIGTERM during a %d-rule reload: exit %d after %.1f s%n", RULES, status,
                seconds);
        assertThat(status).isZero();
        assertThat(seconds).isLessThan(20);
        assertThat(reload.get(10, TimeUnit.SECONDS).exit()).as("the reload's client is answered or let go")
                .isNotNull();
    }
}
