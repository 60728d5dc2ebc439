package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.sh.Sh;
import dev.jvswitch.vswitchd.TestSwitch;

/**
 * {@code bin/jvswitchd} in the background: a stale pid file that names a live, unrelated process
 * does not stop it; the log and the pid file are not world-readable (an existing, more open log
 * is tightened); a second start while the first runs is refused ("already running", exit 1) and
 * leaves the first one's log whole; a daemon holding the lock is what "running" means.
 */
class LauncherScriptTest {
    @TempDir
    Path dir;
    private Optional<ProcessHandle> daemon = Optional.empty();

    @AfterEach
    void tearDown() throws Exception {
        if (daemon.isPresent() && daemon.get().isAlive()) {
            Launcher.stop(daemon.get(), "KILL", Duration.ofSeconds(10));
        }
    }

    @Test
    void staleFilesDoNotBlockAStartAndASecondStartIsRefused() throws Exception {
        Path config = TestSwitch.writeConfig(dir, TestSwitch.CONFIG);
        Path pid = dir.resolve("run/jvswitchd.pid");
        Path log = dir.resolve("run/jvswitchd.log");
        Files.createDirectories(pid.getParent());
        // What a daemon killed with SIGKILL long ago leaves: its pid, since reused (pid 1 is alive
        // and no jvswitchd), and a log anyone may read.
        Files.writeString(pid, "1\n");
        Files.writeString(log, "an old line\n");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));

        Sh.Result first = Launcher.run(null, "--config", config.toString(), "--pidfile", pid.toString());
        daemon = Launcher.daemon(pid);
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).startsWith("jvswitchd: running (pid " + daemon.orElseThrow().pid() + "); log " + log);
        assertThat(Files.getPosixFilePermissions(pid)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        Set<PosixFilePermission> logMode = Files.getPosixFilePermissions(log);
        assertThat(logMode).doesNotContain(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.GROUP_WRITE);
        assertThat(Files.readString(log)).startsWith("an old line\n").contains("jvswitchd running");

        Sh.Result second = Launcher.run(null, "--config", config.toString(), "--pidfile", pid.toString());
        assertThat(second.exit()).isEqualTo(1);
        assertThat(second.output()).isEqualTo("jvswitchd: already running (pid " + daemon.get().pid() + ", pid file "
                + pid + ")\n");
        assertThat(Files.readString(log)).startsWith("an old line\n").contains("jvswitchd running");
        assertThat(daemon.get().isAlive()).isTrue();

        Launcher.stop(daemon.get(), "TERM", Duration.ofSeconds(30));
        assertThat(Files.readString(log)).contains("leak check: all 512 mbufs returned");
        assertThat(pid).doesNotExist();
        assertThat(dir.resolve("ctl.sock")).doesNotExist();
    }
}
