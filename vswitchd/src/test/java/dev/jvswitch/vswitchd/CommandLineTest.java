package dev.jvswitch.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.jvswitch.vswitchd.ctl.Jvsctl;

/**
 * The command lines of jvswitchd and jvsctl, table-driven: what each invocation prints and its
 * exit status. The error lines are the ones both tools printed before picocli parsed them;
 * scripts match on them. No daemon is involved (jvsctl's socket does not exist).
 */
class CommandLineTest {
    private static final String NO_SOCKET = "/nonexistent/jvswitchd.sock";

    record Outcome(int status, String out, String err) {
    }

    private static Outcome run(BiFunction<PrintStream, PrintStream, Integer> tool) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = tool.apply(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Outcome jvswitchd(String... args) {
        return run((out, err) -> Jvswitchd.run(args, out, err));
    }

    static Outcome jvsctl(String... args) {
        return run((out, err) -> Jvsctl.run(args, out, err));
    }

    static Stream<Arguments> jvswitchdMistakes() {
        return Stream.of(
                Arguments.of(new String[] {}, "--config FILE is required"),
                Arguments.of(new String[] {"--bogus"}, "unknown option '--bogus'"),
                Arguments.of(new String[] {"--config", "x", "extra"}, "unknown option 'extra'"),
                Arguments.of(new String[] {"--config"}, "--config needs a value"),
                Arguments.of(new String[] {"--config", "x", "--pidfile"}, "--pidfile needs a value"),
                Arguments.of(new String[] {"--config", "x", "--log-level", "loud"},
                        "--log-level must be one of off, error, warn, info, debug, trace; got 'loud'"),
                Arguments.of(new String[] {"--config", "x", "--db", "foo"},
                        "--db: expected unix:PATH or tcp:IP:PORT, got 'foo'"));
    }

    @ParameterizedTest
    @MethodSource("jvswitchdMistakes")
    void jvswitchdUsageMistakesAreOneLineAndExit2(String[] args, String message) {
        Outcome o = jvswitchd(args);
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err().lines().toList()).hasSize(2).first().isEqualTo("jvswitchd: " + message);
        assertThat(o.err().lines().toList().get(1)).startsWith("usage: jvswitchd --config FILE");
        assertThat(o.out()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("helpFlags")
    void jvswitchdHelpListsEveryOption(String flag) {
        Outcome o = jvswitchd(flag);
        assertThat(o.status()).isZero();
        assertThat(o.out()).startsWith("Usage: jvswitchd --config FILE").contains("--config=FILE", "--db=",
                "--rundir=DIR", "--foreground", "--pidfile=FILE", "--log-level=LEVEL", "--check", "--help",
                "--version", "Exit status:");
        assertThat(o.err()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("versionFlags")
    void versionIsOneLine(String flag) {
        for (Outcome o : new Outcome[] {jvswitchd(flag), jvsctl(flag)}) {
            assertThat(o.status()).isZero();
            assertThat(o.out()).matches("(jvswitchd|jvsctl) \\(jvswitch\\) \\S+ \\(java .+\\)\\n");
        }
    }

    static Stream<Arguments> jvsctlMistakes() {
        return Stream.of(
                Arguments.of(new String[] {}, "no command given"),
                Arguments.of(new String[] {"--json"}, "no command given"),
                Arguments.of(new String[] {"--bogus", "x"}, "unknown option '--bogus'"),
                Arguments.of(new String[] {"--socket"}, "--socket needs a value"),
                Arguments.of(new String[] {"--config"}, "--config needs a value"),
                Arguments.of(new String[] {"--timeout", "soon", "x"}, "--timeout needs a number of seconds"),
                Arguments.of(new String[] {"--timeout", "0", "x"}, "--timeout must be at least 1 second"),
                Arguments.of(new String[] {"--socket", "a", "--config", "b", "x"}, "give --socket or --config, not both"));
    }

    @ParameterizedTest
    @MethodSource("jvsctlMistakes")
    void jvsctlUsageMistakesAreOneLineAndExit2(String[] args, String message) {
        Outcome o = jvsctl(args);
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("jvsctl: " + message + "\nusage: jvsctl [--socket PATH | --config FILE] [--json]"
                + " [--timeout SECONDS] COMMAND [ARGS...]   ('jvsctl list-commands' lists the commands)\n");
        assertThat(o.out()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("helpFlags")
    void jvsctlHelpListsItsOptionsAndTheDaemonsCommands(String flag) {
        Outcome o = jvsctl("--socket", NO_SOCKET, flag);
        assertThat(o.status()).isZero();
        assertThat(o.out()).startsWith("Usage: jvsctl").contains("--socket=PATH", "--config=FILE", "--json",
                "--timeout=SECONDS", "COMMAND", "Exit status:", "No daemon answers at " + NO_SOCKET,
                "  dpctl/dump-flows\n", "  ofctl/add-flow\n", "  list-commands\n");
    }

    @ParameterizedTest
    @MethodSource("helpFlags")
    void jvsctlCommandHelpNamesTheCommand(String flag) {
        Outcome o = jvsctl("--socket", NO_SOCKET, "ofctl/dump-flows", flag);
        assertThat(o.status()).isZero();
        assertThat(o.out()).isEqualTo("usage: jvsctl [OPTIONS] ofctl/dump-flows [ARGS...]\n");
        assertThat(jvsctl("--socket", NO_SOCKET, "no/such", flag).out()).contains("no/such is not a command");
    }

    @ParameterizedTest
    @MethodSource("helpFlags")
    void optionsAfterTheCommandAreTheDaemons(String flag) {
        // Past the command nothing is jvsctl's: an argument that looks like an option goes to the daemon.
        Outcome o = jvsctl("--socket", NO_SOCKET, "dpctl/dump-flows", "-m", flag);
        assertThat(o.status()).isEqualTo(1);
        assertThat(o.err()).startsWith("jvsctl: cannot connect to " + NO_SOCKET);
    }

    static Stream<String> helpFlags() {
        return Stream.of("--help", "-h");
    }

    static Stream<String> versionFlags() {
        return Stream.of("--version", "-V");
    }
}
