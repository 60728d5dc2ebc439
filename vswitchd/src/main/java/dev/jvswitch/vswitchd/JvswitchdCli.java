package dev.jvswitch.vswitchd;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import dev.jvswitch.ovsdb.jsonrpc.JsonRpcConnection;
import dev.jvswitch.vswitchd.control.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * jvswitchd's command line (picocli): typed options, {@code --help}, {@code --version}, and the
 * one-line messages the daemon has always printed for a usage mistake (the caller adds
 * {@code jvswitchd: } and the usage line, and exits with status 2). The same model writes the
 * man page and the shell completion at build time.
 */
@Command(name = "jvswitchd", mixinStandardHelpOptions = true,
        customSynopsis = {"jvswitchd --config FILE [--db unix:PATH|tcp:IP:PORT] [--rundir DIR] [--foreground]",
                "          [--pidfile FILE] [--log-level LEVEL] [--check] [-h] [-V]"}, versionProvider = JvswitchdCli.VersionLine.class,
        sortOptions = false,
        description = "The jvswitch daemon: validates the config file before anything starts, binds the control"
                + " socket, builds the switch, writes the pid file once it runs, and serves until SIGTERM,"
                + " SIGINT or 'jvsctl exit'; SIGHUP reloads the config. bin/jvswitchd puts it in the"
                + " background unless --foreground is given.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:a clean shutdown, or a valid config with --check",
                "1:the switch could not start (a port, the socket in use, a daemon holding the pid file)",
                "2:a usage mistake or an invalid config file (every error as FILE:LINE: KEY: message)"})
public final class JvswitchdCli {
    /** The levels --log-level takes. */
    static final List<String> LEVELS = List.of("off", "error", "warn", "info", "debug", "trace");

    // Checked after parsing, not by picocli: an unknown option is reported before a missing config.
    @Option(names = "--config", paramLabel = "FILE", description = "the config file (YAML); required")
    Path config;

    @Option(names = "--db", paramLabel = "unix:PATH|tcp:IP:PORT",
            description = "take bridges and ports from this OVSDB server (ovs-vsctl), as ovs-vswitchd does")
    String db;

    @Option(names = "--rundir", paramLabel = "DIR",
            description = "OVS's run directory for the unixctl socket and pid file with --db"
                    + " (default: $OVS_RUNDIR, else " + Jvswitchd.DEFAULT_RUNDIR + ")")
    Path rundir;

    @Option(names = "--foreground", description = "run in this terminal (the Java process always does; the"
            + " launcher script puts it in the background otherwise)")
    boolean foreground;

    @Option(names = "--pidfile", paramLabel = "FILE", description = "write the pid here and hold it locked")
    Path pidfile;

    @Option(names = "--log-level", paramLabel = "LEVEL", completionCandidates = Levels.class,
            description = "off, error, warn, info, debug or trace (default: the config's control.log-level)")
    String logLevel;

    @Option(names = "--check", description = "validate the config file and exit")
    boolean check;

    /** The completion candidates of --log-level. */
    static final class Levels implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return LEVELS.iterator();
        }
    }

    /** {@code --version}'s line. */
    static final class VersionLine implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Version.line("jvswitchd")};
        }
    }

    /** A model of jvswitchd's command line (help and version in plain text). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new JvswitchdCli());
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cl.setOverwrittenOptionsAllowed(true);
        // jvswitchd never read @FILE arguments; a path starting with @ stays a path.
        cl.setExpandAtFiles(false);
        return cl;
    }

    /**
     * Parses {@code args}; prints the help or the version to {@code out} and returns null when
     * either is asked for.
     *
     * @throws IllegalArgumentException with the one-line message of a usage mistake
     */
    static Jvswitchd.Options parse(String[] args, PrintStream out) {
        CommandLine cl = commandLine();
        ParseResult r;
        try {
            r = cl.parseArgs(args);
        } catch (CommandLine.MissingParameterException e) {
            String name = e.getMissing().isEmpty() || !(e.getMissing().get(0) instanceof CommandLine.Model.OptionSpec o)
                    ? "an option" : o.longestName();
            throw new IllegalArgumentException(name + " needs a value");
        } catch (CommandLine.UnmatchedArgumentException e) {
            throw new IllegalArgumentException("unknown option '" + e.getUnmatched().get(0) + "'");
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (r.isUsageHelpRequested()) {
            cl.usage(out);
            return null;
        }
        if (r.isVersionHelpRequested()) {
            cl.printVersionHelp(out);
            return null;
        }
        JvswitchdCli o = cl.getCommand();
        if (o.config == null) {
            throw new IllegalArgumentException("--config FILE is required");
        }
        String level = null;
        if (o.logLevel != null) {
            level = o.logLevel.toLowerCase(Locale.ROOT);
            if (!LEVELS.contains(level)) {
                throw new IllegalArgumentException("--log-level must be one of off, error, warn, info, debug,"
                        + " trace; got '" + o.logLevel + "'");
            }
        }
        if (o.db != null) {
            try {
                JsonRpcConnection.address(o.db);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--db: " + e.getMessage());
            }
        }
        return new Jvswitchd.Options(o.config, o.pidfile, level, o.check, o.db, o.rundir);
    }
}
