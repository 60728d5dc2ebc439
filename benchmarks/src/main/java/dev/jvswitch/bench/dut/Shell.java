package dev.jvswitch.bench.dut;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The few ways the benchmark drivers run other programs: a command that must succeed (its
 * output returned, its failure an {@link IOException} naming the command and what it printed),
 * the same inside a network namespace, and a best-effort variant for cleanup.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class Shell {
    private static final long DEFAULT_TIMEOUT_S = 60;

    private Shell() {
    }

    /** Runs {@code cmd}; returns its output; fails on a non-zero exit or after 60 s. */
    public static String run(String... cmd) throws IOException, InterruptedException {
        return run(DEFAULT_TIMEOUT_S, List.of(cmd));
    }

    /** As {@link #run(String...)} inside namespace {@code ns} ({@code null}: the root namespace). */
    public static String inNs(String ns, String... cmd) throws IOException, InterruptedException {
        return run(DEFAULT_TIMEOUT_S, inNsCommand(ns, List.of(cmd)));
    }

    /** Runs {@code cmd} with a time limit; stdout and stderr together are its output. */
    public static String run(long timeoutS, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        // Read while it runs: a chatty command would block on a full pipe otherwise.
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        }, "shell-reader");
        reader.start();
        if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            reader.join(1000);
            throw new IOException("timed out after " + timeoutS + " s: " + String.join(" ", cmd));
        }
        reader.join();
        String text = new String(out[0], StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("'" + String.join(" ", cmd) + "' failed (exit " + p.exitValue() + "): " + text.trim());
        }
        return text;
    }

    /** Runs {@code cmd}, reporting a failure on stderr instead of throwing: for cleanup. */
    public static void tryRun(String... cmd) {
        try {
            run(cmd);
        } catch (IOException e) {
            System.err.println("cleanup: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code ip netns exec NS cmd...}, or {@code cmd} itself for the root namespace. */
    public static List<String> inNsCommand(String ns, List<String> cmd) {
        if (ns == null) {
            return cmd;
        }
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(cmd);
        return all;
    }

    /** Whether {@code program} is an executable file on the PATH (or an absolute path to one). */
    public static boolean onPath(String program) {
        if (program.startsWith("/")) {
            return Files.isExecutable(Path.of(program));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Whether this process runs as root (namespaces, veths and AF_PACKET need it). */
    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
