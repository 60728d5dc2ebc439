package dev.jvswitch.testkit.sh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a command with a time bound, for tests that set up namespaces, veths and daemons: stdin
 * closed, stderr merged into stdout. {@link #run} fails the test with the command's output when
 * it fails; {@link #tryRun} returns the exit status for cleanup and probing.
 */
public final class Sh {
    /** How long any one command may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Sh() {
    }

    /** A finished command: its exit status (-1 timed out, -2 could not start, -3 interrupted) and output. */
    public record Result(int exit, String output) {
    }

    /** Runs {@code cmd}; returns stdout+stderr; fails on a non-zero exit or a timeout. */
    public static String run(String... cmd) {
        Result r = tryRun(cmd);
        if (r.exit() != 0) {
            throw new AssertionError("command failed (exit " + r.exit() + "): " + String.join(" ", cmd) + "\n" + r.output());
        }
        return r.output();
    }

    /** Runs {@code cmd} in network namespace {@code ns}, as {@link #run} does. */
    public static String inNs(String ns, String... cmd) {
        return run(nsCommand(ns, cmd));
    }

    /** Runs {@code cmd} in network namespace {@code ns}, as {@link #tryRun} does. */
    public static Result tryInNs(String ns, String... cmd) {
        return tryRun(nsCommand(ns, cmd));
    }

    /** {@code ip netns exec ns cmd...}. */
    public static String[] nsCommand(String ns, String... cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(List.of(cmd));
        return all.toArray(new String[0]);
    }

    /** Runs {@code cmd}; never throws. */
    public static Result tryRun(String... cmd) {
        return tryRun(Map.of(), cmd);
    }

    /** Runs {@code cmd} with {@code env} added to this process's environment; never throws. */
    public static Result tryRun(Map<String, String> env, String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            // Read while it runs: a command whose output outgrows the pipe would otherwise block.
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    return e.toString().getBytes(StandardCharsets.UTF_8);
                }
            });
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + TIMEOUT.toSeconds() + " s");
            }
            try {
                // A daemon that detached may hold the pipe a little longer; never wait on it unbounded.
                return new Result(p.exitValue(), new String(out.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                        StandardCharsets.UTF_8));
            } catch (ExecutionException | TimeoutException e) {
                return new Result(p.exitValue(), "(output not readable: " + e + ")");
            }
        } catch (IOException e) {
            return new Result(-2, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-3, "interrupted");
        }
    }

    /** True if {@code program} is on the PATH. */
    public static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** True when the JVM runs as root, which the namespace tests need. */
    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
