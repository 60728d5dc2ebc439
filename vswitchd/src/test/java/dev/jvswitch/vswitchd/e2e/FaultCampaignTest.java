package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.netns.Hosts;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;
import dev.jvswitch.vswitchd.control.Json;

/**
 * Faults under real traffic, bounded in time: {@code kill -9} of the daemon while hosts ping
 * through it, then a restart through {@code bin/jvswitchd} over the stale pid file and socket
 * (traffic resumes, nothing is left behind); and a storm of reloads (by command and by SIGHUP)
 * while a ping runs at 100 packets a second, with not one packet lost. Each ends with SIGTERM and
 * the mbuf leak check.
 */
@Tag("netns")
class FaultCampaignTest {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private SwitchedHosts net;
    private Hosts hosts;
    private ProcessHandle launched;

    /** Both hosts through NORMAL, with {@code extraFlow} (a flow line or nothing) after it. */
    private static String config(String extraFlow) {
        return SwitchedHosts.config(false, SwitchedHosts.NORMAL + extraFlow);
    }

    @BeforeEach
    void setUp() {
        net = SwitchedHosts.create(dir);
        hosts = net.hosts;
        hosts.host(1);
        hosts.host(2);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (launched != null && launched.isAlive()) {
                launched.destroyForcibly();
                launched.onExit().get(10, TimeUnit.SECONDS);
            }
        } finally {
            if (net != null) {
                net.close();
            }
        }
    }

    /**
     * Replaces the config as a careful operator does, by rename: a reload (SIGHUP comes
     * asynchronously) then reads the old file or the new one, never half of one.
     */
    private Path writeConfig(String text) throws IOException {
        return net.writeConfig(text);
    }

    private Process backgroundPing(int count, double intervalS) throws IOException {
        Process p = new ProcessBuilder(Sh.nsCommand(hosts.hostNs(1), "ping", "-n", "-c", Integer.toString(count), "-i",
                Double.toString(intervalS), "-W", "2", "10.77.0.2")).redirectErrorStream(true).start();
        p.getOutputStream().close();
        return p;
    }

    private static String output(Process p) throws Exception {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void killNineUnderTrafficThenRestartLeavesNothingBehind() throws Exception {
        Path config = writeConfig(config(""));
        Path pid = dir.resolve("jvswitchd.pid");
        Path log = dir.resolve("jvswitchd.log");
        Path socket = dir.resolve("jvswitchd.sock");
        String[] args = {"--config", config.toString(), "--pidfile", pid.toString(), "--log-file", log.toString()};
        Sh.Result first = Launcher.run(hosts.sw, args);
        assertThat(first.exit()).as(first.output()).isZero();
        ProcessHandle killed = Launcher.daemon(pid).orElseThrow();
        launched = killed;
        assertThat(hosts.ping(1, 2, 3, 0.2).output()).contains(" 0% packet loss");

        // SIGKILL while a ping runs: no shutdown of any kind.
        Process ping = backgroundPing(150, 0.02);
        Thread.sleep(500); // the kill must land while the ping runs
        Launcher.stop(killed, "KILL", Duration.ofSeconds(10));
        assertThat(socket).as("a killed daemon leaves its socket file").exists();
        assertThat(pid).as("and its pid file").exists();

        Sh.Result restart = Launcher.run(hosts.sw, args);
        assertThat(restart.exit()).as(restart.output()).isZero();
        ProcessHandle second = Launcher.daemon(pid).orElseThrow();
        launched = second;
        assertThat(second.pid()).isNotEqualTo(killed.pid());
        String both = Files.readString(log);
        assertThat(both.split("jvswitchd starting", -1)).as("the log keeps both runs").hasSize(3);
        assertThat(both).contains("removed the stale file of a daemon that is gone").doesNotContain("leak check");
        output(ping);
        // Traffic resumes through the new daemon (its first packets wait for ARP and cold
        // upcalls, which take seconds on a loaded machine), then flows without loss both ways.
        Await.until(Duration.ofSeconds(30), Duration.ofMillis(200), () -> hosts.ping(1, 2, 1, 0.2).exit() == 0,
                () -> "a first ping through the restarted daemon:\n" + readLog(log));
        assertThat(hosts.ping(1, 2, 5, 0.1).output()).contains(" 0% packet loss");
        assertThat(hosts.ping(2, 1, 5, 0.1).output()).contains(" 0% packet loss");

        Launcher.stop(second, "TERM", Duration.ofSeconds(30));
        String text = Files.readString(log);
        assertThat(text.substring(text.lastIndexOf("jvswitchd starting"))).contains("shutting down (SIGTERM)",
                "leak check: all 2048 mbufs returned to mempool 'jvswitch'").doesNotContain("ERROR");
        assertThat(socket).doesNotExist();
        assertThat(pid).doesNotExist();
        assertThat(dir).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(config
                .toString()))).as("no process of ours left").isEmpty();
    }

    @Test
    void aReloadStormUnderTrafficLosesNoPacket() throws Exception {
        writeConfig(config(""));
        DaemonProcess d = net.startDaemon(START);
        assertThat(hosts.ping(1, 2, 3, 0.2).output()).contains(" 0% packet loss");

        Process ping = backgroundPing(800, 0.01);
        int reloads = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ping.isAlive() && System.nanoTime() < deadline) {
            // Every other reload adds a rule in front of NORMAL that this traffic does not match.
            writeConfig(config(reloads % 2 == 0 ? "      - priority=100,udp,tp_dst=9,actions=drop\n" : ""));
            if (reloads % 5 == 4) {
                d.signal("HUP");
            } else {
                assertThat(d.ok("reload")).startsWith("reloaded ");
            }
            reloads++;
        }
        String out = output(ping);
        System.out.println("reload storm: " + reloads + " reloads during an 800-packet ping; " + out.lines()
                .filter(l -> l.contains("packet loss")).findFirst().orElse("?"));
        assertThat(out).contains("800 received", " 0% packet loss");
        assertThat(reloads).isGreaterThanOrEqualTo(5);
        Map<?, ?> coverage = (Map<?, ?>) Json.parse(d.ok("--json", "coverage/show"));
        assertThat(coverage.get("reload_failed")).isEqualTo(0L);
        assertThat(d.terminate(Duration.ofSeconds(30))).isZero();
        assertThat(d.log()).contains("leak check: all 2048 mbufs returned").doesNotContain("ERROR");
        Await.until(Duration.ofSeconds(5), () -> !Files.exists(dir.resolve("jvswitchd.sock")), () -> "socket removed");
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
