package dev.jvswitch.config;

import java.util.function.Consumer;

/**
 * An integer config key: its name (the same in the YAML file and in OVS's {@code other_config})
 * and the range every producer accepts, with the messages a user sees when a value is not an
 * integer or out of range. Defaults are not here: see {@link ConfigKeys}.
 *
 * @param name key name, e.g. {@code flow-limit}
 * @param min  smallest value accepted
 * @param max  largest value accepted
 */
public record IntKey(String name, long min, long max) {
    /**
     * The value {@code text} gives (digits, with {@code _} separators allowed), or null after
     * passing {@code problem} the one-line reason.
     */
    public Long parse(String text, Consumer<String> problem) {
        long n;
        try {
            n = Long.parseLong(text.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            problem.accept("expected an integer, got '" + text + "'");
            return null;
        }
        if (n < min || n > max) {
            problem.accept("must be within " + min + ".." + max + ", got " + n);
            return null;
        }
        return n;
    }
}
