package dev.jvswitch.bench.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The options of a {@code jvs-bench} subcommand, parsed by picocli from the command's model
 * ({@link #spec}): {@code --name value} (or {@code --name=value}) options, repeatable, the last
 * one counting where one value is read; {@code --flag} switches; {@code -h}/{@code --help} and
 * {@code -V}/{@code --version}. The typed accessors check ranges. Every mistake is a
 * {@link UsageException} with the one line jvs-bench has always printed for it (naming the
 * option), which the entry point prints before exiting with status 2.
 */
public final class Args {
    /** {@code --name VALUE} in a synopsis: where an option's parameter label comes from. */
    private static final Pattern LABEL = Pattern.compile("--([a-z0-9-]+)[ =]([A-Z][A-Za-z0-9|,._-]*|[a-z0-9.]+(?:[|,][a-z0-9.-]+)+)");

    /** picocli's words for {@code --flag=value}. */
    private static final Pattern FLAG_WITH_VALUE = Pattern.compile("option '(--[a-z0-9-]+)' should be specified without");

    private final String command;
    private final Map<String, List<String>> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private Args(String command) {
        this.command = command;
    }

    /**
     * The picocli model of a subcommand: every option (taking a value) and flag, with the
     * parameter labels its {@code synopsis} shows, the help and version options, and
     * {@code description} as the help text.
     */
    public static CommandSpec spec(String command, Set<String> options, Set<String> knownFlags, String synopsis,
            String... description) {
        CommandSpec spec = CommandSpec.create().name(command);
        spec.parser().expandAtFiles(false).overwrittenOptionsAllowed(true).allowOptionsAsOptionParameters(true);
        Map<String, String> labels = new HashMap<>();
        Matcher m = LABEL.matcher(synopsis);
        while (m.find()) {
            labels.putIfAbsent(m.group(1), m.group(2));
        }
        for (String name : new TreeSet<>(options)) {
            spec.addOption(OptionSpec.builder("--" + name).type(String[].class).arity("1")
                    .paramLabel(labels.getOrDefault(name, "VALUE")).build());
        }
        for (String name : new TreeSet<>(knownFlags)) {
            spec.addOption(OptionSpec.builder("--" + name).arity("0").type(boolean.class).build());
        }
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        spec.usageMessage().customSynopsis(synopsis.isEmpty() ? new String[0] : (synopsis + "%n").split("\n"))
                .description(description).sortOptions(true).width(120).longOptionsMaxWidth(40)
                .optionListHeading("%nOptions:%n");
        return spec;
    }

    /**
     * Parses {@code argv} against the known options (which take a value) and flags (which don't).
     *
     * @throws HelpRequested when {@code -h}, {@code --help}, {@code -V} or {@code --version} is given
     */
    public static Args parse(String command, String[] argv, Set<String> options, Set<String> knownFlags) {
        CommandLine cl = new CommandLine(spec(command, options, knownFlags, ""));
        ParseResult r;
        try {
            r = cl.parseArgs(argv);
        } catch (CommandLine.UnmatchedArgumentException e) {
            String arg = e.getUnmatched().get(0);
            if (!arg.startsWith("--")) {
                throw new UsageException(command + ": unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0 && knownFlags.contains(name.substring(0, eq))) {
                throw new UsageException(command + ": --" + name.substring(0, eq) + " takes no value");
            }
            throw new UsageException(command + ": unknown option --" + (eq >= 0 ? name.substring(0, eq) : name));
        } catch (CommandLine.MissingParameterException e) {
            String name = e.getMissing().isEmpty() || !(e.getMissing().get(0) instanceof OptionSpec o) ? "?"
                    : o.longestName();
            throw new UsageException(command + ": " + name + " needs a value");
        } catch (CommandLine.ParameterException e) {
            Matcher flag = FLAG_WITH_VALUE.matcher(e.getMessage());
            if (flag.lookingAt()) {
                throw new UsageException(command + ": " + flag.group(1) + " takes no value");
            }
            throw new UsageException(command + ": " + e.getMessage());
        }
        if (r.isUsageHelpRequested() || r.isVersionHelpRequested()) {
            throw new HelpRequested(command, r.isVersionHelpRequested());
        }
        Args a = new Args(command);
        for (OptionSpec o : r.matchedOptions()) {
            String name = o.longestName().substring(2);
            if (knownFlags.contains(name)) {
                a.flags.add(name);
            } else {
                a.values.put(name, new ArrayList<>(o.stringValues()));
            }
        }
        return a;
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    public String string(String name, String defaultValue) {
        List<String> v = values.get(name);
        return v == null ? defaultValue : v.get(v.size() - 1);
    }

    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    public String required(String name) {
        String v = string(name, null);
        if (v == null) {
            throw new UsageException(command + ": --" + name + " is required");
        }
        return v;
    }

    public long longValue(String name, long defaultValue, long min, long max) {
        String v = string(name, null);
        if (v == null) {
            return defaultValue;
        }
        long n;
        try {
            n = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " must be an integer, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new UsageException(command + ": --" + name + " must be within " + min + ".." + max + ", got " + n);
        }
        return n;
    }

    public int intValue(String name, int defaultValue, int min, int max) {
        return (int) longValue(name, defaultValue, min, max);
    }

    public double doubleValue(String name, double defaultValue, double min, double max) {
        String v = string(name, null);
        if (v == null) {
            return defaultValue;
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " must be a number, got '" + v + "'");
        }
        if (!(d >= min && d <= max)) {
            throw new UsageException(command + ": --" + name + " must be within " + min + ".." + max + ", got " + v);
        }
        return d;
    }

    /** A mistake on the command line; the message is the one line to print. */
    public static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    /** {@code --help} or {@code --version} was given: the entry point prints it, exit status 0. */
    public static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** picocli's words for {@code --flag=value}. */
    private static final Pattern FLAG_WITH_VALUE = Pattern.compile("option '(--[a-z0-9-]+)' should be specified without");

    private final String command;
        private final boolean version;

        public HelpRequested(String command, boolean version) {
            super(command + (version ? " --version" : " --help"), null, false, false);
            this.command = command;
            this.version = version;
        }

        public String command() {
            return command;
        }

        public boolean version() {
            return version;
        }
    }
}
