package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.vswitchd.TestSwitch;

/**
 * Once its start-up warm-up is done, the daemon runs the JVM's JIT compiler threads at nice 10
 * and every other thread where it was (the OpenFlow, PMD and control threads answer first).
 */
class CompilerNiceDaemonTest {
    @TempDir
    Path dir;
    private DaemonProcess daemon;

    @AfterEach
    void tearDown() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void afterTheWarmUpTheCompilerThreadsRunAtNiceTenAndTheOthersDoNot() throws Exception {
        Path file = TestSwitch.writeConfig(dir, VlogDaemonTest.CONFIG);
        Path log = dir.resolve("logs/jvswitchd.log");
        daemon = new DaemonProcess(file, dir.resolve("ctl/jvswitchd.sock"), dir).start(null, Duration.ofSeconds(30));
        Await.until(Duration.ofSeconds(60), Duration.ofMillis(50),
                () -> VlogDaemonTest.read(log).contains("JIT compiler thread(s) at nice 10"),
                () -> "the warm-up's end; the log:\n" + VlogDaemonTest.read(log));

        Map<String, Integer> nice = niceByThread(daemon.pid());
        assertThat(nice.keySet()).as("the daemon's threads").anyMatch(n -> n.startsWith("C2 CompilerThre"));
        nice.forEach((name, value) -> {
            if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                assertThat(value).as(name).isEqualTo(10);
            } else {
                assertThat(value).as(name).isZero();
            }
        });
        assertThat(nice).containsKeys("pmd-0", "jvswitchd-chang");
    }

    /** Each thread's nice value by its name (one entry per name: threads that share a name agree here). */
    private static Map<String, Integer> niceByThread(long pid) throws IOException {
        Map<String, Integer> out = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    int value = Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
                    out.merge(name, value, Math::max);
                } catch (IOException e) {
                    // The thread ended meanwhile.
                }
            }
        }
        return out;
    }
}
