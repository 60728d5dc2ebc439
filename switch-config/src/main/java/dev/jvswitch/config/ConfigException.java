package dev.jvswitch.config;

import java.util.List;

/**
 * A config file that cannot be used: every problem found, in file order. The message is the
 * errors joined by newlines, one {@code FILE:LINE: KEY: message} each.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(join(errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
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
