package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/**
 * The distribution archive as an operator gets it: unpacked into an empty directory, run from
 * another directory, its {@code bin/jvswitchd} checks a config, starts (in the background, with a
 * pid file), answers {@code bin/jvsctl} and stops; the systemd unit in it passes
 * {@code systemd-analyze verify} with its paths pointed at the unpacked tree.
 *
 * <p>Runs in the {@code dist} surefire execution (after {@code package} made the archive), which
 * names the archive in {@code jvs.dist.archive}.
 */
@EnabledIfSystemProperty(named = "jvs.dist.archive", matches = ".+", disabledReason = "runs after package (dist execution)")
class DistributionTest {
    @TempDir
    Path dir;

    private Path unpack() {
        Path archive = Path.of(System.getProperty("jvs.dist.archive"));
        assertThat(archive).exists();
        Sh.run("tar", "-xzf", archive.toString(), "-C", dir.toString());
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("jvswitch-")).findFirst().orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Sh.Result run(Path cwd, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Sh.Result(-1, String.join(" ", cmd) + " did not return");
        }
        return new Sh.Result(p.exitValue(), new String(p.getInputStream().readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void theUnpackedArchiveChecksStartsAnswersAndStopsFromAnyDirectory() throws Exception {
        Path home = unpack();
        assertThat(home.resolve("bin/jvswitchd")).isExecutable();
        assertThat(home.resolve("bin/jvsctl")).isExecutable();
        assertThat(home.resolve("bin/jvs-tcpdump")).isExecutable();
        assertThat(home.resolve("lib/jvswitchd.jar")).exists();
        assertThat(home.resolve("conf/jvswitchd.service")).exists();
        assertThat(home.resolve("conf/jvswitch.yaml")).exists();

        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path config = elsewhere.resolve("sw.yaml");
        Files.writeString(config, """
                datapath:
                  pmd-idle: backoff
                mempool:
                  mbufs: 512
                bridges:
                  br0:
                    ports:
                      a: {type: null, ofport: 1}
                control:
                  socket: run/jvswitchd.sock
                """);
        Map<String, String> env = Map.of("JVS_JAVA_OPTS", "-Xmx256m");
        Sh.Result check = run(elsewhere, env, home.resolve("bin/jvswitchd").toString(), "--config", "sw.yaml",
                "--check");
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("sw.yaml: OK");
        Sh.Result shipped = run(elsewhere, env, home.resolve("bin/jvswitchd").toString(), "--config",
                home.resolve("conf/demo.yaml").toString(), "--check");
        assertThat(shipped.exit()).as(shipped.output()).isZero();

        Path pid = elsewhere.resolve("run/jvswitchd.pid");
        Sh.Result start = run(Path.of("/"), env, home.resolve("bin/jvswitchd").toString(), "--config",
                config.toString(), "--pidfile", pid.toString());
        assertThat(start.exit()).as(start.output()).isZero();
        long daemon = Long.parseLong(Files.readString(pid).trim());
        try {
            Sh.Result show = run(Path.of("/"), Map.of(), home.resolve("bin/jvsctl").toString(), "--socket",
                    elsewhere.resolve("run/jvswitchd.sock").toString(), "dpif-netdev/pmd-stats-show");
            assertThat(show.exit()).as(show.output()).isZero();
            assertThat(show.output()).contains("pmd thread");
            Sh.Result exit = run(Path.of("/"), Map.of(), home.resolve("bin/jvsctl").toString(), "--socket",
                    elsewhere.resolve("run/jvswitchd.sock").toString(), "exit");
            assertThat(exit.exit()).as(exit.output()).isZero();
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(100),
                    () -> ProcessHandle.of(daemon).map(h -> !h.isAlive()).orElse(true), () -> "jvswitchd to stop");
        } finally {
            ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
        }
        assertThat(Files.readString(elsewhere.resolve("run/jvswitchd.log"))).contains("leak check: all 512 mbufs returned");
    }

    @Test
    void theSystemdUnitVerifies() throws Exception {
        Needs.that(Sh.onPath("systemd-analyze"), "systemd-analyze (systemd)");
        Path home = unpack();
        String unit = Files.readString(home.resolve("conf/jvswitchd.service"));
        assertThat(unit).contains("AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN CAP_SYS_NICE CAP_IPC_LOCK")
                .contains("RuntimeDirectory=jvswitch").contains("ExecReload=/bin/kill -HUP $MAINPID");
        Path units = Files.createDirectories(dir.resolve("units"));
        Path copy = units.resolve("jvswitchd.service");
        Files.writeString(copy, unit.replace("/opt/jvswitch", home.toString()));
        Sh.Result r = Sh.tryRun(Map.of(), "systemd-analyze", "verify", copy.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(List.of(r.output().split("\n"))).noneMatch(l -> l.contains("jvswitchd.service:"));
    }
}
