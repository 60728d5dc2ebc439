package dev.jvswitch.dist;

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
 * pid file), answers {@code bin/jvsctl} and stops, leaving the class-data archive of the classes it
 * loaded, which its next start maps; {@code bin/jvs-bench} runs from it too, and the
 * three tools' man pages and completion are in it; {@code bin/jvsctl} writes its class-data
 * archive into the unpacked {@code lib/} and maps it, again after the tree moved; the systemd
 * unit in it passes {@code systemd-analyze verify} with its paths pointed at the unpacked tree.
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
        assertThat(home.resolve("lib/jvsctl.jsa")).as("path-bound: written where unpacked, never shipped").doesNotExist();

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
            exit(home, elsewhere, daemon);
        } finally {
            ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
        }
        assertThat(Files.readString(elsewhere.resolve("run/jvswitchd.log"))).contains("leak check: all 512 mbufs returned");

        // That daemon wrote the classes it loaded at its exit; the next start maps them.
        assertThat(home.resolve("lib/jvswitchd.jsa.new")).as("class-data archive written at exit").isNotEmptyFile();
        Sh.Result again = run(Path.of("/"), env, home.resolve("bin/jvswitchd").toString(), "--config",
                config.toString(), "--pidfile", pid.toString());
        assertThat(again.exit()).as(again.output()).isZero();
        long second = Long.parseLong(Files.readString(pid).trim());
        try {
            assertThat(Files.readString(Path.of("/proc", Long.toString(second), "cmdline")))
                    .contains("-XX:SharedArchiveFile=" + home.toRealPath().resolve("lib/jvswitchd.jsa"));
            assertThat(home.resolve("lib/jvswitchd.jsa.new")).doesNotExist();
            exit(home, elsewhere, second);
        } finally {
            ProcessHandle.of(second).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** {@code jvsctl exit} to the daemon of {@code dir/run/jvswitchd.sock}; waits for process {@code pid} to end. */
    private static void exit(Path home, Path dir, long pid) throws Exception {
        Sh.Result exit = run(Path.of("/"), Map.of(), home.resolve("bin/jvsctl").toString(), "--socket",
                dir.resolve("run/jvswitchd.sock").toString(), "exit");
        assertThat(exit.exit()).as(exit.output()).isZero();
        Await.until(Duration.ofSeconds(30), Duration.ofMillis(100),
                () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), () -> "jvswitchd to stop");
    }

    @Test
    void jvsBenchItsManPagesAndCompletionAreInTheArchive() throws Exception {
        Path home = unpack();
        assertThat(home.resolve("bin/jvs-bench")).isExecutable();
        assertThat(home.resolve("lib/jvs-bench.jar")).exists();
        assertThat(home.resolve("lib/scripts/daemon-tables")).isExecutable();
        for (String tool : List.of("jvswitchd", "jvsctl", "jvs-bench")) {
            assertThat(home.resolve("share/man/man1/" + tool + ".1")).isNotEmptyFile();
            assertThat(home.resolve("share/bash-completion/completions/" + tool)).isNotEmptyFile();
        }
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Sh.Result version = run(elsewhere, Map.of(), home.resolve("bin/jvs-bench").toString(), "--version");
        assertThat(version.exit()).as(version.output()).isZero();
        assertThat(version.output()).contains("jvs-bench");
        Sh.Result help = run(elsewhere, Map.of(), home.resolve("bin/jvs-bench").toString(), "daemon-tables", "--help");
        assertThat(help.exit()).as(help.output()).isZero();
        assertThat(help.output()).contains("daemon-tables");
        Sh.Result bad = run(elsewhere, Map.of(), home.resolve("bin/jvs-bench").toString(), "gen-pcap", "--frames", "x");
        assertThat(bad.exit()).as(bad.output()).isEqualTo(2);
    }

    @Test
    void jvsctlWritesItsClassDataArchiveWhereUnpackedAndMapsIt() throws Exception {
        Path home = unpack();
        Path jsa = home.resolve("lib/jvsctl.jsa");
        String jvsctl = home.resolve("bin/jvsctl").toString();
        Sh.Result first = run(Path.of("/"), Map.of(), jvsctl, "--version");
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(jsa).isNotEmptyFile();
        // -Xshare:on makes the JVM refuse to start when it cannot map the archive (a path mismatch).
        Sh.Result mapped = run(Path.of("/"), Map.of("JVS_JAVA_OPTS", "-Xshare:on"), jvsctl, "--version");
        assertThat(mapped.exit()).as(mapped.output()).isZero();
        assertThat(mapped.output()).contains("jvsctl");

        Path moved = Files.move(home, dir.resolve("moved"));
        String movedJvsctl = moved.resolve("bin/jvsctl").toString();
        Sh.Result stale = run(Path.of("/"), Map.of("JVS_JAVA_OPTS", "-Xshare:on"), movedJvsctl, "--version");
        assertThat(stale.exit()).as("the archive is rewritten for the new path: " + stale.output()).isZero();
        assertThat(Files.readString(moved.resolve("lib/jvsctl.jsa.jar")).trim())
                .isEqualTo(moved.toRealPath().resolve("lib/jvswitchd.jar").toString());

        Sh.Result off = run(Path.of("/"), Map.of("JVSCTL_CDS", "off"), movedJvsctl, "--version");
        assertThat(off.exit()).as(off.output()).isZero();
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
