package dev.jvswitch.vswitchd.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.nodes.Node;

/**
 * Collects the errors of one load, so that a user sees every problem at once. Errors come out in
 * file order: the config file first, then each {@code @file} in the order it was referenced,
 * each by line.
 *
 * <p>Not thread-safe: one loader, one thread.
 */
final class Diagnostics {
    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();
    private final Map<String, Integer> fileOrder = new LinkedHashMap<>();

    Diagnostics(String file) {
        this.file = file;
        fileOrder.put(file, 0);
    }

    /** The config file's name as the user gave it. */
    String file() {
        return file;
    }

    /** An error at {@code node}'s first line in the config file. */
    void add(Node node, String key, String message) {
        add(file, line(node), key, message);
    }

    void add(String inFile, int line, String key, String message) {
        fileOrder.putIfAbsent(inFile, fileOrder.size());
        errors.add(new ConfigError(inFile, line, key, message));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    int count() {
        return errors.size();
    }

    /** The errors, config file first, by line; stable for errors on the same line. */
    List<ConfigError> sorted() {
        List<ConfigError> out = new ArrayList<>(errors);
        out.sort(Comparator.<ConfigError>comparingInt(e -> fileOrder.get(e.file())).thenComparingInt(ConfigError::line));
        return out;
    }

    /** Throws the collected errors, if any. */
    void throwIfAny() throws ConfigException {
        if (!errors.isEmpty()) {
            throw new ConfigException(sorted());
        }
    }

    /** 1-based line where {@code node} starts (1 when the node is absent). */
    static int line(Node node) {
        return node == null ? 1 : node.getStartMark().getLine() + 1;
    }
}
