package dev.jvswitch.afpacket;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command with a time bound and fails the test with its output when it fails. */
final class Sh {
    static final long TIMEOUT_SECONDS = 30;

    private Sh() {
    }

    /** Runs {@code cmd}; returns stdout+stderr; fails on a non-zero exit or a timeout. */
    static String run(String... cmd) {
        Result r = tryRun(cmd);
        if (r.exit != 0) {
            throw new AssertionError("command failed (exit " + r.exit + "): " + String.join(" ", cmd) + "\n" + r.output);
        }
        return r.output;
    }

    /** Runs {@code cmd} in network namespace {@code ns}. */
    static String inNs(String ns, String... cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(List.of(cmd));
        return run(all.toArray(new String[0]));
    }

    record Result(int exit, String output) {
    }

    static Result tryRun(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), read(p.getInputStream()));
        } catch (IOException e) {
            return new Result(-2, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-3, "interrupted");
        }
    }

    static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** True if {@code program} is on the PATH. */
    static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
