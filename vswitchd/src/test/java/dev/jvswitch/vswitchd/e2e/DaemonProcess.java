package dev.jvswitch.vswitchd.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;
import dev.jvswitch.vswitchd.Ctl;

/**
 * jvswitchd as a user runs it: the main class in a JVM of its own (with the JVM flags the
 * launcher script uses, from the filtered {@code jvm.options}), optionally inside a network
 * namespace, logging to a file; and jvsctl against its socket.
 */
final class DaemonProcess implements AutoCloseable {
    final Path config;
    final Path socket;
    final Path pidfile;
    final Path log;
    private Process process;
    private String maxHeap = "256m";
    private final List<String> extraArgs = new ArrayList<>();

    DaemonProcess(Path config, Path socket, Path dir) {
        this.config = config;
        this.socket = socket;
        this.pidfile = dir.resolve("jvswitchd.pid");
        this.log = dir.resolve("jvswitchd.log");
    }

    /** More options for jvswitchd (e.g. {@code --db}), given before {@link #start}. */
    DaemonProcess args(String... args) {
        extraArgs.addAll(List.of(args));
        return this;
    }

    /** The daemon's -Xmx (256m unless set before {@link #start}). */
    DaemonProcess maxHeap(String xmx) {
        this.maxHeap = xmx;
        return this;
    }

    /** The java command line for {@code main} with {@code args}, as bin/ scripts build it. */
    static List<String> javaCommand(String main, String... args) throws IOException {
        return javaCommandWithHeap("256m", main, args);
    }

    /** As {@link #javaCommand(String, String...)} with a heap of at most {@code xmx}. */
    static List<String> javaCommandWithHeap(String xmx, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        // As bin/jvswitchd: SIGHUP (reload) back to its default disposition, in case this test
        // runs under nohup or as a background job, whose ignored SIGHUP the JVM would inherit.
        cmd.addAll(List.of("env", "--default-signal=HUP"));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        try (InputStream in = DaemonProcess.class.getResourceAsStream("/jvm.options")) {
            for (String flag : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+")) {
                cmd.add(flag);
            }
        }
        cmd.add("-Xmx" + xmx);
        // A diagnosis's JVM flags for every daemon a test starts (-Djvs.daemon.javaOpts="-Xlog:...").
        String extra = System.getProperty("jvs.daemon.javaOpts", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts jvswitchd (in namespace {@code netns} if not null) and waits until its pid file says it runs. */
    DaemonProcess start(String netns, Duration timeout) throws IOException {
        return start(netns, timeout, List.of());
    }

    /**
     * As {@link #start(String, Duration)}, with the JVM run by {@code wrapper} (a command that
     * execs the rest, e.g. {@code prlimit --nofile=1024:1024}), so the daemon's pid is the JVM's.
     */
    DaemonProcess start(String netns, Duration timeout, List<String> wrapper) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (netns != null) {
            cmd.addAll(List.of("ip", "netns", "exec", netns));
        }
        cmd.addAll(wrapper);
        cmd.addAll(javaCommandWithHeap(maxHeap, "dev.jvswitch.vswitchd.Jvswitchd", "--config", config.toString(), "--pidfile",
                pidfile.toString()));
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        Await.until(timeout, Duration.ofMillis(20), () -> Files.exists(pidfile) || !process.isAlive(),
                () -> "jvswitchd to start (load " + loadAverage() + "); its log so far:\n" + log());
        if (!process.isAlive()) {
            throw new AssertionError("jvswitchd exited with " + process.exitValue() + ":\n" + log());
        }
        return this;
    }

    /** The 1-minute load average, for failure messages: a slow start on a loaded machine says so. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Sends SIGTERM and waits (bounded) for the exit status. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("jvswitchd did not exit within " + timeout.toMillis() + " ms of SIGTERM:\n" + log());
        }
        return process.exitValue();
    }

    void signal(String name) {
        Sh.run("kill", "-" + name, Long.toString(process.pid()));
    }

    /** Runs jvsctl in this JVM against the daemon's socket. */
    Ctl ctl(String... args) {
        return Ctl.run(socket, args);
    }

    /** jvsctl that must succeed; returns its output. */
    String ok(String... args) {
        Ctl c = ctl(args);
        if (c.exit() != 0) {
            throw new AssertionError("jvsctl " + String.join(" ", args) + " failed (" + c.exit() + "): " + c.err()
                    + "\n--- daemon log ---\n" + log());
        }
        return c.out();
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
