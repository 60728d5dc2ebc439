package dev.jvswitch.vswitchd.run;

import java.util.List;

import dev.jvswitch.config.ConfigError;

/**
 * The switch could not start: ports that could not be opened (no such interface, no permission,
 * a bad option) or tables the slow path refused, each as {@code FILE:LINE: KEY: message}.
 */
public final class StartException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    public StartException(List<ConfigError> errors) {
        super(String.join("\n", errors.stream().map(ConfigError::toString).toList()));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
