package dev.jvswitch.vswitchd.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Commands with a time bound, and bounded waiting, for the end-to-end tests. */
final class Sh {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Sh() {
    }

    record Result(int exit, String output) {
    }

    /** Runs {@code cmd}; fails with its output on a non-zero exit or a timeout. */
    static String run(String... cmd) {
        Result r = tryRun(cmd);
        if (r.exit != 0) {
            throw new AssertionError("command failed (exit " + r.exit + "): " + String.join(" ", cmd) + "\n" + r.output);
        }
        return r.output;
    }

    static String inNs(String ns, String... cmd) {
        return run(nsCommand(ns, cmd));
    }

    static Result tryInNs(String ns, String... cmd) {
        return tryRun(nsCommand(ns, cmd));
    }

    static String[] nsCommand(String ns, String... cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(List.of(cmd));
        return all.toArray(new String[0]);
    }

    static Result tryRun(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + TIMEOUT.toSeconds() + " s");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-2, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-3, "interrupted");
        }
    }

    static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    /** Waits (bounded, polling every 20 ms) until {@code condition} holds. */
    static void await(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what.get());
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }
}
