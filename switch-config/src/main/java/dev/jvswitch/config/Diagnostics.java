package dev.jvswitch.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects what one load finds, so that a user sees every problem at once: errors, which stop the
 * load, and warnings (deprecated keys), which do not. Both come out in file order: the config
 * file first, then each {@code @file} in the order it was referenced, each by line. A producer
 * (the YAML loader, later the OVSDB client) reports here and throws {@link #throwIfAny} once it
 * has read everything.
 *
 * <p>Not thread-safe: one load, one thread.
 */
public final class Diagnostics {
    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();
    private final List<ConfigError> warnings = new ArrayList<>();
    private final Map<String, Integer> fileOrder = new LinkedHashMap<>();

    /** @param file the config file's name as the user gave it */
    public Diagnostics(String file) {
        this.file = file;
        fileOrder.put(file, 0);
    }

    /** The config file's name as the user gave it. */
    public String file() {
        return file;
    }

    /** An error in {@code inFile} (the config file or an {@code @file}). */
    public void add(String inFile, int line, String key, String message) {
        fileOrder.putIfAbsent(inFile, fileOrder.size());
        errors.add(new ConfigError(inFile, line, key, message));
    }

    /** A warning: reported, but the config is still used. */
    public void warn(String inFile, int line, String key, String message) {
        fileOrder.putIfAbsent(inFile, fileOrder.size());
        warnings.add(new ConfigError(inFile, line, key, message));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Errors so far (a reader compares counts to learn whether one item had any). */
    public int count() {
        return errors.size();
    }

    /** The errors, config file first, by line; stable for errors on the same line. */
    public List<ConfigError> sorted() {
        return inFileOrder(errors);
    }

    /** The warnings, in the same order as {@link #sorted}. */
    public List<ConfigError> warnings() {
        return inFileOrder(warnings);
    }

    /** Throws the collected errors, if any. */
    public void throwIfAny() throws ConfigException {
        if (!errors.isEmpty()) {
            throw new ConfigException(sorted());
        }
    }

    private List<ConfigError> inFileOrder(List<ConfigError> list) {
        List<ConfigError> out = new ArrayList<>(list);
        out.sort(Comparator.<ConfigError>comparingInt(e -> fileOrder.get(e.file())).thenComparingInt(ConfigError::line));
        return out;
    }
}
