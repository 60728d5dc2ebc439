package dev.jvswitch.vswitchd;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.jvswitch.vswitchd.ctl.Jvsctl;

/**
 * What one jvsctl call printed, run in this JVM ({@link Jvsctl#run}) against a control socket:
 * how the tests talk to a switch, whether it runs in this JVM ({@link TestSwitch}) or in a
 * process of its own.
 *
 * @param exit jvsctl's exit status
 * @param out  what it printed on stdout
 * @param err  what it printed on stderr
 */
public record Ctl(int exit, String out, String err) {

    /** Runs {@code jvsctl --socket SOCKET ARGS...} on the calling thread. */
    public static Ctl run(Path socket, String... args) {
        List<String> all = new ArrayList<>(List.of("--socket", socket.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Jvsctl.run(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ctl(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
