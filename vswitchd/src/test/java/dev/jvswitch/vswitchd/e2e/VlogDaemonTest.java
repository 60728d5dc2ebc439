package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.vswitchd.TestSwitch;

/**
 * Log levels change while the daemon runs, and its log file is reopened after a rotation:
 * {@code vlog/set} turns the control module's debug lines on and off again without a restart,
 * {@code vlog/list} shows it, {@code vlog/reopen} writes to a new file once the old one was moved,
 * and a reload logs what it changed.
 */
class VlogDaemonTest {
    @TempDir
    Path dir;
    private DaemonProcess daemon;

    @AfterEach
    void tearDown() {
        if (daemon != null) {
            daemon.close();
        }
    }

    /** One null port, a log file and a control socket: a daemon that other daemon tests start too. */
    static final String CONFIG = """
            datapath:
              pmd-idle: backoff
            mempool:
              mbufs: 1024
            bridges:
              br0:
                ports:
                  a: {type: null, ofport: 1}
            control:
              socket: ctl/jvswitchd.sock
              log-file: logs/jvswitchd.log
            """;

    /** The file's text, empty while it does not exist. */
    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void vlogSetChangesWhatIsLoggedAndReopenFollowsARotation() throws Exception {
        Path file = TestSwitch.writeConfig(dir, CONFIG);
        Path log = dir.resolve("logs/jvswitchd.log");
        daemon = new DaemonProcess(file, dir.resolve("ctl/jvswitchd.sock"), dir).start(null, Duration.ofSeconds(30));
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(20),
                () -> read(log).contains("jvswitchd running"), () -> "the log file");

        assertThat(daemon.ok("vlog/list")).containsPattern("vswitchd +OFF +OFF +INFO");
        daemon.ok("upcall/show");
        assertThat(Files.readString(log)).doesNotContain("command upcall/show");

        daemon.ok("vlog/set", "vswitchd:file:dbg");
        assertThat(daemon.ok("vlog/list")).containsPattern("vswitchd +OFF +OFF +DBG");
        daemon.ok("coverage/show");
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(20),
                () -> read(log).contains("DEBUG jvswitchd - command coverage/show"), () -> "a debug line");

        daemon.ok("vlog/set", "vswitchd:info");
        daemon.ok("dpif-netdev/pmd-stats-show");
        daemon.ok("vlog/list");
        assertThat(Files.readString(log)).doesNotContain("command dpif-netdev/pmd-stats-show");

        assertThat(daemon.ctl("vlog/set", "nosuchmodule:dbg").exit()).isEqualTo(2);

        // logrotate's move, then reopen: new lines go to a new file at the configured path.
        Path rotated = dir.resolve("logs/jvswitchd.log.1");
        Files.move(log, rotated);
        daemon.ok("vlog/reopen");
        TestSwitch.writeConfig(dir, CONFIG.replace("      a: {type: null, ofport: 1}\n",
                "      a: {type: null, ofport: 1}\n      b: {type: null, ofport: 2}\n"));
        daemon.ok("reload");
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(20),
                () -> read(log).contains("reloaded"), () -> "the reopened log");
        String after = Files.readString(log);
        assertThat(after).contains("reload: added port b to bridge br0");
        assertThat(Files.readString(rotated)).doesNotContain("reloaded");
    }
}
