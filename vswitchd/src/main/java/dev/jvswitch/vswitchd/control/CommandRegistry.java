package dev.jvswitch.vswitchd.control;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The control socket's commands by name ({@code ovs-appctl} style: {@code dpctl/dump-flows},
 * {@code ofctl/add-flow}, ...), each with its argument count and a usage line. Dispatch checks
 * the argument count before calling the handler, so handlers see only well-formed requests.
 *
 * <p><b>Thread-safety:</b> filled before the control socket opens and the change thread starts,
 * then only read (by the control thread and the change thread; a handler says which runs it
 * through {@link CommandKind}).
 */
public final class CommandRegistry {
    /** A command's code: runs on the control thread. */
    @FunctionalInterface
    public interface Handler {
        Reply run(List<String> args) throws CommandException;
    }

    /**
     * A registered command.
     *
     * @param name    e.g. {@code dpctl/dump-flows}
     * @param usage   arguments as shown to users, e.g. {@code [-m]}
     * @param minArgs fewest arguments
     * @param maxArgs most arguments ({@code Integer.MAX_VALUE}: any)
     * @param help    one line on what it does
     * @param handler the code
     */
    public record Command(String name, String usage, int minArgs, int maxArgs, String help, Handler handler) {
    }

    private final Map<String, Command> commands = new TreeMap<>();

    /** Registers a command; a name may be registered once. */
    public void register(String name, String usage, int minArgs, int maxArgs, String help, Handler handler) {
        if (commands.putIfAbsent(name, new Command(name, usage, minArgs, maxArgs, help, handler)) != null) {
            throw new IllegalArgumentException("command " + name + " is already registered");
        }
    }

    /** Every command, sorted by name. */
    public List<Command> commands() {
        return Collections.unmodifiableList(new ArrayList<>(commands.values()));
    }

    /** Whether a command {@code name} is registered. */
    public boolean contains(String name) {
        return commands.containsKey(name);
    }

    /** Runs {@code name} with {@code args}. */
    public Reply dispatch(String name, List<String> args) throws CommandException {
        Command c = commands.get(name);
        if (c == null) {
            throw CommandException.usage("unknown command '" + name + "'; 'list-commands' shows them all");
        }
        if (args.size() < c.minArgs() || args.size() > c.maxArgs()) {
            String what = args.size() < c.minArgs() ? "missing arguments" : "too many arguments";
            throw CommandException.usage(name + ": " + what + " (usage: " + name
                    + (c.usage().isEmpty() ? "" : " " + c.usage()) + ")");
        }
        return c.handler().run(args);
    }
}
