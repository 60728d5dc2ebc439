package dev.jvswitch.config.yaml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import dev.jvswitch.config.Diagnostics;
import dev.jvswitch.config.IntKey;

/**
 * One YAML mapping of the config file read as typed values: each getter reports a wrong type or
 * an out-of-range value to the {@link Diagnostics} (naming the key's dotted path and the line of
 * its node) and returns {@code null}, so the loader carries on and finds every other error too.
 *
 * <p>Values are read from the scalar's text, not from YAML's guessed type, so {@code 0x6} stays
 * a hex mask and {@code yes} reaches a port option as written.
 *
 * <p>Not thread-safe: used by one loader.
 */
final class Section {
    private final String path;
    private final Node node;
    private final Diagnostics diag;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    private Section(String path, Node node, Diagnostics diag) {
        this.path = path;
        this.node = node;
        this.diag = diag;
    }

    /**
     * The mapping at {@code node}, whose keys must be among {@code known} (null: any key).
     * An absent or empty node is an empty section; anything but a mapping is reported.
     */
    static Section of(Node node, String path, Diagnostics diag, List<String> known) {
        Section s = new Section(path, node, diag);
        if (node == null || isEmpty(node)) {
            return s;
        }
        if (!(node instanceof MappingNode)) {
            report(diag, node, path, "expected a mapping (key: value lines), got " + describe(node));
            return s;
        }
        Set<String> allowed = known == null ? null : Set.copyOf(known);
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode)) {
                report(diag, k, path, "a key must be a plain word, got " + describe(k));
                continue;
            }
            String name = ((ScalarNode) k).getValue();
            NodeTuple first = s.entries.get(name);
            if (first != null) {
                report(diag, k, s.path(name), "duplicate key (first at line " + line(first.getKeyNode()) + ")");
                continue;
            }
            if (allowed != null && !allowed.contains(name)) {
                report(diag, k, s.path(name), "unknown key (known keys: " + String.join(", ", new TreeSet<>(allowed))
                        + ")");
                continue;
            }
            s.entries.put(name, t);
        }
        return s;
    }

    /** Where this section reports problems. */
    Diagnostics diag() {
        return diag;
    }

    /** Dotted path of this section. */
    String path() {
        return path;
    }

    /** Dotted path of {@code key} in this section. */
    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Line of this section's mapping (its first key), or 1. */
    int line() {
        return line(node);
    }

    /** The keys present, in file order. */
    List<String> keys() {
        return Collections.unmodifiableList(new ArrayList<>(entries.keySet()));
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The value node of {@code key}, or null. */
    Node value(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? null : t.getValueNode();
    }

    /** Line of {@code key} itself (where a user looks for it), or the section's line. */
    int keyLine(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? line() : line(t.getKeyNode());
    }

    /** Line of {@code key}'s value (the key's line for a scalar on the same line). */
    int valueLine(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? line() : line(t.getValueNode());
    }

    /** A sub-section whose keys must be among {@code known}. */
    Section section(String key, List<String> known) {
        return of(value(key), path(key), diag, known);
    }

    /** A sub-section with any keys (names of bridges, ports, options). */
    Section section(String key) {
        return of(value(key), path(key), diag, null);
    }

    /** Reports {@code message} against {@code key} (at its value). */
    void error(String key, String message) {
        Node v = value(key);
        report(diag, v != null ? v : node, path(key), message);
    }

    /** Reports {@code message} against {@code key} at its own line (not its value's). */
    void errorAtKey(String key, String message) {
        diag.add(diag.file(), keyLine(key), path(key), message);
    }

    /** A warning against {@code key}, at its own line. */
    void warn(String key, String message) {
        diag.warn(diag.file(), keyLine(key), path(key), message);
    }

    // ------------------------------------------------------------------ scalars

    /** The text of scalar {@code key}; null when absent (no error) or not a scalar (reported). */
    String text(String key, String expected) {
        Node v = value(key);
        if (v == null) {
            return null;
        }
        return scalar(v, path(key), expected, diag);
    }

    /** A string value, or {@code defaultValue} when absent. */
    String string(String key, String defaultValue) {
        String t = text(key, "a string");
        return t == null ? defaultValue : t;
    }

    /** Integer {@code key} within its range, or {@code defaultValue} when absent or wrong. */
    int integer(IntKey key, long defaultValue) {
        Long v = integerOrNull(key);
        return (int) (v == null ? defaultValue : v);
    }

    /** Integer {@code key} within its range, or null when absent or wrong (wrong is reported). */
    Long integerOrNull(IntKey key) {
        String t = text(key.name(), "an integer");
        if (t == null) {
            return null;
        }
        return parseInteger(t, value(key.name()), path(key.name()), key, diag);
    }

    /** {@code true}/{@code false} (also yes/no, on/off), or {@code defaultValue}. */
    boolean bool(String key, boolean defaultValue) {
        String t = text(key, "true or false");
        if (t == null) {
            return defaultValue;
        }
        switch (t.trim().toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on":
                return true;
            case "false": case "no": case "off":
                return false;
            default:
                error(key, "expected true or false, got '" + t + "'");
                return defaultValue;
        }
    }

    /** One of {@code choices} (lower case), or {@code defaultValue}. */
    String choice(String key, String defaultValue, List<String> choices) {
        String t = text(key, "one of " + String.join(", ", choices));
        if (t == null) {
            return defaultValue;
        }
        String v = t.trim().toLowerCase(Locale.ROOT);
        for (String c : choices) {
            if (c.equals(v)) {
                return c;
            }
        }
        error(key, "must be one of " + String.join(", ", choices) + "; got '" + t + "'");
        return defaultValue;
    }

    // ------------------------------------------------------------------ static helpers

    /** The text of a scalar node, or null after reporting what else it was. */
    static String scalar(Node v, String path, String expected, Diagnostics diag) {
        if (!(v instanceof ScalarNode)) {
            report(diag, v, path, "expected " + expected + ", got " + describe(v));
            return null;
        }
        if (isEmpty(v)) {
            report(diag, v, path, "expected " + expected + ", got nothing");
            return null;
        }
        return ((ScalarNode) v).getValue();
    }

    /** {@code t} read as {@code key}, or null after reporting why not (at {@code at}, as {@code path}). */
    static Long parseInteger(String t, Node at, String path, IntKey key, Diagnostics diag) {
        return key.parse(t, problem -> report(diag, at, path, problem));
    }

    /** The items of a list node; a non-list is reported and gives no items. */
    static List<Node> list(Node v, String path, String expected, Diagnostics diag) {
        if (v == null || isEmpty(v)) {
            return List.of();
        }
        if (!(v instanceof SequenceNode)) {
            report(diag, v, path, "expected " + expected + ", got " + describe(v));
            return List.of();
        }
        return ((SequenceNode) v).getValue();
    }

    /**
     * Nothing ({@code key:} with nothing after it, or {@code ~}). The word {@code null} is not
     * nothing here: it is the name of a port type.
     */
    static boolean isEmpty(Node n) {
        if (!(n instanceof ScalarNode) || !Tag.NULL.equals(n.getTag())) {
            return false;
        }
        String v = ((ScalarNode) n).getValue();
        return v.isEmpty() || v.equals("~");
    }

    /** An error at {@code node}'s first line in the config file. */
    static void report(Diagnostics diag, Node node, String key, String message) {
        diag.add(diag.file(), line(node), key, message);
    }

    /** 1-based line where {@code node} starts (1 when the node is absent). */
    static int line(Node node) {
        return node == null ? 1 : node.getStartMark().getLine() + 1;
    }

    /** How a node reads in a message: "a mapping", "a list" or the scalar quoted. */
    static String describe(Node n) {
        if (n instanceof MappingNode) {
            return "a mapping";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        if (isEmpty(n)) {
            return "nothing";
        }
        return "'" + ((ScalarNode) n).getValue() + "'";
    }
}
