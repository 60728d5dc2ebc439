package dev.jvswitch.vswitchd.control;

/**
 * A command that failed. {@link #usage()} tells a mistake in the request (unknown command, wrong
 * arguments; {@code jvsctl} exits 2) from a failure to do it ({@code jvsctl} exits 1). The
 * message is one line.
 */
public final class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean usage;

    private CommandException(String message, boolean usage) {
        super(message);
        this.usage = usage;
    }

    /** The request was wrong: unknown command, bad or missing arguments. */
    public static CommandException usage(String message) {
        return new CommandException(message, true);
    }

    /** The command could not be carried out. */
    public static CommandException failed(String message) {
        return new CommandException(message, false);
    }

    public boolean usage() {
        return usage;
    }
}
