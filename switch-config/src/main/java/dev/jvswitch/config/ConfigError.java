package dev.jvswitch.config;

/**
 * One problem in a config file, printed as {@code FILE:LINE: KEY: message} — the file as the user
 * named it, the 1-based line of the offending key or value, the key's dotted path (e.g.
 * {@code bridges.br0.ports.p1.ofport}) and a message a user can act on. Warnings
 * ({@link SwitchConfig#warnings}) have the same shape.
 *
 * @param file    the file as named on the command line (or an {@code @file} reference resolved
 *                against the config's directory)
 * @param line    1-based line
 * @param key     dotted path of the key
 * @param message what is wrong
 */
public record ConfigError(String file, int line, String key, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + key + ": " + message;
    }
}
