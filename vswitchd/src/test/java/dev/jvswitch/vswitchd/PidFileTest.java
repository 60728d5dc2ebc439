package dev.jvswitch.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.sh.Sh;
import dev.jvswitch.testkit.env.Needs;

/**
 * The pid file is a lock, as in Open vSwitch: a file naming a live but unrelated process does not
 * stop a start; a file whose lock another process holds does, naming the pid; the file is written
 * 0640 and removed at the end.
 */
class PidFileTest {
    @TempDir
    Path dir;

    @Test
    void aStaleFileNamingALiveProcessDoesNotStopAStart() throws Exception {
        Path pid = dir.resolve("jvswitchd.pid");
        // Pid 1 is alive and is certainly not a jvswitchd; nobody holds the file's lock.
        Files.writeString(pid, "1\n");
        PidFile.checkNotRunning(pid);
        try (PidFile f = PidFile.create(pid)) {
            assertThat(Files.readString(pid)).isEqualTo(ProcessHandle.current().pid() + "\n");
            assertThat(Files.getPosixFilePermissions(pid)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
            assertThat(dir).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
        }
        assertThat(pid).doesNotExist();
    }

    @Test
    void aHeldLockMeansAlreadyRunning() throws Exception {
        Needs.that(Sh.onPath("python3"), "python3 to hold a lock from another process");
        Path pid = dir.resolve("jvswitchd.pid");
        Files.writeString(pid, "4242\n");
        // Another process takes the POSIX lock (fcntl, as FileChannel.tryLock does) and keeps it.
        Process holder = new ProcessBuilder("python3", "-c", "import fcntl,sys,time\n"
                + "f=open(sys.argv[1],'r+')\nfcntl.lockf(f,fcntl.LOCK_EX)\nprint('locked',flush=True)\ntime.sleep(60)\n",
                pid.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(r.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> PidFile.checkNotRunning(pid)).isInstanceOf(PidFile.AlreadyRunning.class)
                    .hasMessage("already running (pid 4242, pid file " + pid + ")");
        } finally {
            holder.destroyForcibly();
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        // The holder died: its lock went with it.
        PidFile.checkNotRunning(pid);
    }
}
