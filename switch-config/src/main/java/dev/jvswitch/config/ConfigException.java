package dev.jvswitch.config;

import java.util.List;

/**
 * A config file that cannot be used: every problem found, in file order. The message is the
 * errors joined by newlines, one {@code FILE:LINE: KEY: message} each.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;
    private final int total;

    public ConfigException(List<ConfigError> errors) {
        this(errors, errors.size());
    }

    /**
     * @param errors the errors shown (with, when some are not, the line that counts them)
     * @param total  every error found, shown or not
     */
    public ConfigException(List<ConfigError> errors, int total) {
        super(join(errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
        this.total = Math.max(total, 1);
    }

    /** The errors to show: at most {@link Diagnostics#MAX_ERRORS_PER_FILE} per file, and a count of the rest. */
    public List<ConfigError> errors() {
        return errors;
    }

    /** How many errors were found, shown or not. */
    public int total() {
        return total;
    }

    private static String join(List<ConfigError> errors) {
        StringBuilder sb = new StringBuilder();
        for (ConfigError e : errors) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(e);
        }
        return sb.toString();
    }
}
