package dev.jvswitch.vswitchd.ctl;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.jvswitch.config.ControlSettings;
import dev.jvswitch.vswitchd.control.Version;
import dev.jvswitch.vswitchd.control.CommandKind;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * jvsctl's own command line, as a picocli model built in code (no annotations to scan: jvsctl
 * starts a JVM per command, often from scripts). Its options come before the daemon's command;
 * everything from the command on is the daemon's, passed as it is (picocli stops at the first
 * positional). The same model writes the man page and the shell completion at build time.
 *
 * <p>Usage mistakes are the one-line messages jvsctl has always printed (the caller adds
 * {@code jvsctl: } and the usage line, and exits with status 2).
 */
public final class JvsctlCli {
    /** The parsed invocation: jvsctl's options, then the daemon's command and its arguments. */
    record Options(String socket, String config, boolean json, int timeoutS, String command, List<String> args) {
    }

    /** What the command line asks for: run a command, or print help or the version. */
    sealed interface Parsed permits Run, Help, VersionAsked {
    }

    record Run(Options options) implements Parsed {
    }

    /** {@code --help}: the model to print, and a socket to ask for the daemon's commands. */
    record Help(CommandLine commandLine, String socket, String config) implements Parsed {
    }

    record VersionAsked(CommandLine commandLine) implements Parsed {
    }

    private JvsctlCli() {
    }

    /** jvsctl's command-line model. */
    public static CommandSpec spec() {
        // -h and -V as plain options: picocli's standard mixin is an annotated class, read by reflection.
        CommandSpec spec = CommandSpec.create().name("jvsctl").version(Version.line("jvsctl"));
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        spec.usageMessage()
                .description("Send one command to a running jvswitchd over its control socket and print the"
                        + " answer (as ovs-appctl does). The socket is --socket, else the control.socket of"
                        + " --config FILE, else " + ControlSettings.DEFAULT_SOCKET + ".")
                .exitCodeListHeading("%nExit status:%n")
                .exitCodeList(exitCodes())
                .footerHeading("%nCommands:%n")
                .footer("'jvsctl --help' lists the running daemon's commands (its list-commands);"
                        + " 'jvsctl COMMAND --help' shows one.");
        // @FILE is a daemon argument like any other, never a file of arguments to expand.
        spec.parser().stopAtPositional(true).overwrittenOptionsAllowed(true).expandAtFiles(false);
        spec.addOption(OptionSpec.builder("--socket").paramLabel("PATH").type(String.class)
                .description("the daemon's control socket").build());
        spec.addOption(OptionSpec.builder("--config").paramLabel("FILE").type(String.class)
                .description("take the socket from this config file's control.socket").build());
        spec.addOption(OptionSpec.builder("--json").arity("0").type(boolean.class)
                .description("print the answer as one JSON document (the command's data, or {\"output\": TEXT})")
                .build());
        spec.addOption(OptionSpec.builder("--timeout").paramLabel("SECONDS").type(int.class)
                .defaultValue(Integer.toString(Jvsctl.DEFAULT_TIMEOUT_S))
                .description("how long to wait for the answer, at least 1 (default: ${DEFAULT-VALUE})").build());
        spec.addPositional(PositionalParamSpec.builder().index("0").arity("0..1").paramLabel("COMMAND")
                .type(String.class).completionCandidates(CommandKind.names())
                .description("the daemon's command, e.g. dpctl/dump-flows, ofctl/dump-flows, ofproto/trace").build());
        spec.addPositional(PositionalParamSpec.builder().index("1..*").arity("0..*").paramLabel("ARGS")
                .type(String[].class).description("the command's arguments, passed as they are").build());
        return spec;
    }

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "the command succeeded");
        codes.put("1", "the command failed, or the daemon cannot be reached");
        codes.put("2", "a usage mistake (here, or an unknown command or bad arguments as the daemon judges)");
        return codes;
    }

    /**
     * Parses jvsctl's arguments: the plain form scripts use through {@link #plain}, anything else
     * (help, version, a mistake, an unusual spelling) through picocli.
     *
     * @throws IllegalArgumentException with the one-line message of a usage mistake
     */
    static Parsed parse(String[] args) {
        Options o = plain(args);
        return o != null ? new Run(o) : parseWithPicocli(args);
    }

    /**
     * The invocation, when {@code args} are in the plain form
     * {@code [--socket PATH | --config FILE] [--json] [--timeout N] COMMAND [ARGS...]} (separate
     * option values that do not start with {@code -}, N from 1 to 999999999); null for anything
     * else, which picocli then judges.
     *
     * <p><b>Why.</b> picocli's classes are Java 5 class files: the JVM verifies them with the old
     * type-inferring verifier and cannot put them in a CDS archive, which made every jvsctl call
     * cost about twice the CPU time. Scripts call jvsctl in loops, so the common form is
     * recognised without loading picocli; a property test holds that whatever this accepts,
     * picocli parses to the same {@link Options}.
     */
    static Options plain(String[] args) {
        String socket = null;
        String config = null;
        boolean json = false;
        int timeoutS = Jvsctl.DEFAULT_TIMEOUT_S;
        int i = 0;
        for (; i < args.length && args[i].startsWith("-"); i++) {
            String a = args[i];
            if (a.equals("--json")) {
                json = true;
                continue;
            }
            if (i + 1 >= args.length || args[i + 1].startsWith("-") || args[i + 1].isEmpty()) {
                return null;
            }
            String v = args[++i];
            switch (a) {
                case "--socket" -> socket = v;
                case "--config" -> config = v;
                case "--timeout" -> {
                    if (!v.matches("[1-9][0-9]{0,8}")) {
                        return null;
                    }
                    timeoutS = Integer.parseInt(v);
                }
                default -> {
                    return null;
                }
            }
        }
        if (i >= args.length || args[i].isEmpty() || args[i].startsWith("@") || (socket != null && config != null)) {
            return null;
        }
        return new Options(socket, config, json, timeoutS, args[i], List.of(args).subList(i + 1, args.length));
    }

    /** picocli's judgement of {@code args}: help, version, a run or a usage mistake. */
    static Parsed parseWithPicocli(String[] args) {
        CommandLine cl = new CommandLine(spec());
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        ParseResult r;
        try {
            r = cl.parseArgs(args);
        } catch (CommandLine.MissingParameterException e) {
            throw new IllegalArgumentException(optionName(e.getMissing()) + " needs a value");
        } catch (CommandLine.UnmatchedArgumentException e) {
            throw new IllegalArgumentException("unknown option '" + e.getUnmatched().get(0) + "'");
        } catch (CommandLine.ParameterException e) {
            if (e.getArgSpec() instanceof OptionSpec o && o.longestName().equals("--timeout")) {
                throw new NumberFormatException("--timeout");
            }
            throw new IllegalArgumentException(e.getMessage());
        }
        String socket = r.matchedOptionValue("--socket", null);
        String config = r.matchedOptionValue("--config", null);
        if (r.isUsageHelpRequested()) {
            return new Help(cl, socket, config);
        }
        if (r.isVersionHelpRequested()) {
            return new VersionAsked(cl);
        }
        if (socket != null && config != null) {
            throw new IllegalArgumentException("give --socket or --config, not both");
        }
        List<String> positional = r.matchedPositionals().isEmpty() ? List.of() : positionals(r);
        if (positional.isEmpty()) {
            throw new IllegalArgumentException("no command given");
        }
        int timeoutS = r.matchedOptionValue("--timeout", Jvsctl.DEFAULT_TIMEOUT_S);
        if (timeoutS < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second");
        }
        return new Run(new Options(socket, config, r.hasMatchedOption("--json"), timeoutS, positional.get(0),
                positional.subList(1, positional.size())));
    }

    private static List<String> positionals(ParseResult r) {
        List<String> all = new ArrayList<>();
        for (PositionalParamSpec p : r.matchedPositionals()) {
            all.addAll(p.stringValues());
        }
        return all;
    }

    private static String optionName(List<ArgSpec> missing) {
        for (ArgSpec a : missing) {
            if (a instanceof OptionSpec o) {
                return o.longestName();
            }
        }
        return "an option";
    }

    /** The help, then the daemon's commands as {@code commands} lists them. */
    static void printHelp(CommandLine cl, PrintStream out, String commands) {
        cl.usage(out);
        out.println();
        out.print(commands);
        out.flush();
    }
}
