package dev.jvswitch.bench.dut;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A daemon a driver started in the foreground as its own child (never with the daemon's
 * {@code --detach}), so that it knows the pid, can stop exactly that process, and can read the
 * CPU time its threads used. Output goes to a log file in the driver's run directory.
 *
 * <p><b>Thread-safety:</b> {@link #stop()} is synchronized and idempotent (a shutdown hook may
 * race with the main thread); the rest is read-only after start.
 */
public final class DaemonProcess {
    private static final long STOP_WAIT_S = 15;

    private final String name;
    private final Process process;
    private final Path log;
    private boolean stopped;

    private DaemonProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code cmd} in namespace {@code ns} ({@code null}: root) with {@code env} added, output to {@code log}. */
    public static DaemonProcess start(String name, String ns, List<String> cmd, Map<String, String> env, Path log)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Shell.inNsCommand(ns, cmd)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        return new DaemonProcess(name, p, log);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Fails naming the daemon and the end of its log if it has exited. */
    public void checkAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IOException(name + " exited with status " + process.exitValue() + "; last log lines:\n" + tail(20));
        }
    }

    /**
     * User + system CPU time of every thread of the process so far, in ns, from
     * {@code /proc/PID/task/TID/schedstat} (ns resolution); -1 once the process is gone.
     */
    public long cpuTimeNs() {
        long total = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid()), "task"))) {
            for (Path task : tasks) {
                try {
                    String s = Files.readString(task.resolve("schedstat")).trim();
                    total += Long.parseLong(s.substring(0, s.indexOf(' ')));
                } catch (IOException | RuntimeException e) {
                    // A thread that ended between the listing and the read used no more CPU.
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return total;
    }

    /** The last {@code lines} lines of the daemon's log. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, a bounded wait, then SIGKILL. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        process.destroy();
        try {
            if (!process.waitFor(STOP_WAIT_S, TimeUnit.SECONDS)) {
                System.err.println(name + " (pid " + pid() + ") ignored SIGTERM for " + STOP_WAIT_S + " s; killing it");
                process.destroyForcibly();
                process.waitFor(STOP_WAIT_S, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }
}
