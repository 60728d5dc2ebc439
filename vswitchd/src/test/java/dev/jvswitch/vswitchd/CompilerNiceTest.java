package dev.jvswitch.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class CompilerNiceTest {
    @Test
    void theNameMatchesThisJvmsCompilerThreadsAndNoOther() throws IOException {
        List<String> names;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            names = tasks.map(CompilerNiceTest::commOrEmpty).toList();
        }
        assertThat(names).as("this JVM's threads").anyMatch(CompilerNice.COMPILER);
        assertThat(names.stream().filter(CompilerNice.COMPILER)).allMatch(n -> n.matches("C[12] CompilerThre.*"));
        assertThat(CompilerNice.COMPILER).rejects("main", "openflow-1-1", "pmd-0", "revalidator0", "VM Thread");
    }

    @Test
    void theThreadsItNamesRunAtTheNiceValueAndTheOthersDoNot() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> probe = new CompletableFuture<>();
        CompletableFuture<String> other = new CompletableFuture<>();
        Thread a = parked("nice-probe", release, probe);
        Thread b = parked("nice-other", release, other);
        try {
            String probeTask = probe.get(10, TimeUnit.SECONDS);
            String otherTask = other.get(10, TimeUnit.SECONDS);
            int before = nice(otherTask);

            assertThat(CompilerNice.lower("nice-probe"::equals, 7)).isEqualTo(1);

            assertThat(nice(probeTask)).isEqualTo(7);
            assertThat(nice(otherTask)).isEqualTo(before);
        } finally {
            release.countDown();
            a.join();
            b.join();
        }
    }

    /** A thread named {@code name} that reports its /proc task directory and waits for {@code release}. */
    private static Thread parked(String name, CountDownLatch release, CompletableFuture<String> task) {
        Thread t = new Thread(() -> {
            try {
                task.complete("/proc/self/task/" + Path.of("/proc/thread-self").toRealPath().getFileName());
                release.await();
            } catch (IOException | InterruptedException e) {
                task.completeExceptionally(e);
            }
        }, name);
        t.start();
        return t;
    }

    /** Field 19 of the task's stat (after the parenthesised name, whose text may hold spaces). */
    private static int nice(String task) throws IOException {
        String stat = Files.readString(Path.of(task, "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[16]);
    }

    private static String commOrEmpty(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
