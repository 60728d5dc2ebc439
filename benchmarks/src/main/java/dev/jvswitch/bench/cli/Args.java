package dev.jvswitch.bench.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small command-line parser for the {@code jvs-bench} subcommands: {@code --name value} options,
 * {@code --flag} switches, repeatable options. Every mistake is a {@link UsageException} with one
 * line naming the option, which the entry point prints before exiting with status 2.
 */
public final class Args {
    private final String command;
    private final Map<String, List<String>> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private Args(String command) {
        this.command = command;
    }

    /**
     * Parses {@code argv} against the known options (which take a value) and flags (which don't).
     */
    public static Args parse(String command, String[] argv, Set<String> options, Set<String> knownFlags) {
        Args a = new Args(command);
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (!arg.startsWith("--")) {
                throw new UsageException(command + ": unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (knownFlags.contains(name)) {
                if (inline != null) {
                    throw new UsageException(command + ": --" + name + " takes no value");
                }
                a.flags.add(name);
            } else if (options.contains(name)) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= argv.length) {
                        throw new UsageException(command + ": --" + name + " needs a value");
                    }
                    v = argv[++i];
                }
                a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
            } else {
                throw new UsageException(command + ": unknown option --" + name);
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
}
