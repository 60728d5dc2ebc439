package dev.jvswitch.vswitchd.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.jvswitch.testkit.sh.Sh;

/**
 * {@code bin/jvswitchd} as an operator runs it, in the background (optionally inside a network
 * namespace), with the test class path in place of the jar ({@code JVS_CLASSPATH}): for the
 * tests of what the script and the pid file promise, and for restarts after {@code kill -9}.
 */
final class Launcher {
    /** The repository root: tests run in the module's directory. */
    static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

    private Launcher() {
    }

    /** Runs {@code bin/jvswitchd ARGS} (in {@code netns} if not null) to its end; returns its exit and output. */
    static Sh.Result run(String netns, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (netns != null) {
            cmd.addAll(List.of("ip", "netns", "exec", netns));
        }
        cmd.add(ROOT.resolve("bin/jvswitchd").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("JVS_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("JVS_JAVA_OPTS", "-Xmx256m");
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(Sh.TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Sh.Result(-1, "bin/jvswitchd did not return");
        }
        return new Sh.Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** The process the pid file names, if it is alive. */
    static Optional<ProcessHandle> daemon(Path pidfile) throws IOException {
        if (!Files.exists(pidfile)) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(Files.readString(pidfile).trim())).filter(ProcessHandle::isAlive);
    }

    /** Sends {@code signal} to {@code daemon} and waits (bounded) for it to end. */
    static void stop(ProcessHandle daemon, String signal, Duration timeout) throws Exception {
        Sh.run("kill", "-" + signal, Long.toString(daemon.pid()));
        daemon.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
