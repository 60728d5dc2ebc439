package dev.jvswitch.vswitchd.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Per-thread scheduler figures of a daemon from {@code /proc/PID/task/TID/schedstat} (ns on a CPU,
 * ns waiting on a run queue, time slices) and {@code comm}: taken before and after a stretch, they
 * say which threads ran in it and which waited for a CPU. A diagnosis aid for the e2e tests.
 */
final class ThreadSched {
    private ThreadSched() {
    }

    /** {@code "TID NAME" -> {runNs, waitNs, slices}} for every thread of {@code pid} now. */
    static Map<String, long[]> read(long pid) throws IOException {
        Map<String, long[]> out = new HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> s = Files.list(tasks)) {
            for (Path t : s.toList()) {
                try {
                    String[] f = Files.readString(t.resolve("schedstat")).trim().split(" ");
                    String name = Files.readString(t.resolve("comm")).trim();
                    out.put(t.getFileName() + " " + name,
                            new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])});
                } catch (IOException | RuntimeException e) {
                    // The thread ended meanwhile.
                }
            }
        }
        return out;
    }

    /** Writes each thread's run and run-queue wait since {@code before} (ms), busiest first, to {@code file}. */
    static void report(long pid, Map<String, long[]> before, Path file) throws IOException {
        Map<String, long[]> after = read(pid);
        List<String[]> rows = new ArrayList<>();
        long run = 0;
        long wait = 0;
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[3]);
            long[] a = e.getValue();
            long dr = a[0] - b[0];
            long dw = a[1] - b[1];
            if (dr == 0 && dw == 0) {
                continue;
            }
            run += dr;
            wait += dw;
            rows.add(new String[] {String.format("%012d", dr), String.format("%-28s run %8.3f ms  runq wait %8.3f ms"
                    + "  slices %d", e.getKey(), dr / 1e6, dw / 1e6, a[2] - b[2])});
        }
        rows.sort((x, y) -> y[0].compareTo(x[0]));
        StringBuilder out = new StringBuilder(String.format("all threads: run %.3f ms, runq wait %.3f ms%n", run / 1e6,
                wait / 1e6));
        for (String[] r : rows) {
            out.append(r[1]).append('\n');
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, out);
    }
}
