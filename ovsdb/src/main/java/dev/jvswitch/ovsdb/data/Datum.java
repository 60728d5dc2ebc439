package dev.jvswitch.ovsdb.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * OVSDB's value notation (RFC 7047 section 5.1) read and written: an atom is a string, number,
 * boolean or {@code ["uuid", "..."]}; a set is one atom or {@code ["set", [atoms]]}; a map is
 * {@code ["map", [[key, value], ...]]}. Optional columns (a set of at most one) read as null
 * when empty.
 *
 * <p>Readers are lenient about shape (a wrong one reads as empty, as a column the schema does not
 * have): the server checks values against the schema before we ever see them.
 *
 * <p>Stateless.
 */
public final class Datum {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Datum() {
    }

    /** The atoms of a set (or of one atom); empty for null, missing or an empty set. */
    public static List<JsonNode> set(JsonNode datum) {
        if (datum == null || datum.isNull() || datum.isMissingNode()) {
            return List.of();
        }
        if (datum.isArray() && datum.size() == 2 && "set".equals(datum.get(0).asText()) && datum.get(1).isArray()) {
            List<JsonNode> out = new ArrayList<>(datum.get(1).size());
            datum.get(1).forEach(out::add);
            return out;
        }
        return List.of(datum);
    }

    /** A map column's pairs, keys and values as text, in key order; empty when absent. */
    public static Map<String, String> stringMap(JsonNode datum) {
        if (datum == null || !datum.isArray() || datum.size() != 2 || !"map".equals(datum.get(0).asText())
                || !datum.get(1).isArray()) {
            return Map.of();
        }
        Map<String, String> out = new TreeMap<>();
        for (JsonNode pair : datum.get(1)) {
            if (pair.isArray() && pair.size() == 2) {
                out.put(text(pair.get(0)), text(pair.get(1)));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** A map column whose values are uuids: key to uuid, in key order. */
    public static Map<String, String> uuidMap(JsonNode datum) {
        if (datum == null || !datum.isArray() || datum.size() != 2 || !"map".equals(datum.get(0).asText())) {
            return Map.of();
        }
        Map<String, String> out = new TreeMap<>();
        for (JsonNode pair : datum.get(1)) {
            if (pair.isArray() && pair.size() == 2 && uuid(pair.get(1)) != null) {
                out.put(text(pair.get(0)), uuid(pair.get(1)));
            }
        }
        return out;
    }

    /** The uuid of atom {@code ["uuid", "..."]}, else null. */
    public static String uuid(JsonNode atom) {
        if (atom != null && atom.isArray() && atom.size() == 2 && "uuid".equals(atom.get(0).asText())) {
            return atom.get(1).asText();
        }
        return null;
    }

    /** The uuids of a set of references, in the set's order. */
    public static List<String> uuids(JsonNode datum) {
        List<String> out = new ArrayList<>();
        for (JsonNode a : set(datum)) {
            String u = uuid(a);
            if (u != null) {
                out.add(u);
            }
        }
        return out;
    }

    /** An optional string column: its value, or null when empty. */
    public static String optString(JsonNode datum) {
        List<JsonNode> s = set(datum);
        return s.isEmpty() ? null : text(s.get(0));
    }

    /** A string column: its value, or "" when absent. */
    public static String string(JsonNode datum) {
        String s = optString(datum);
        return s == null ? "" : s;
    }

    /** An optional integer column: its value, or null when empty. */
    public static Long optInteger(JsonNode datum) {
        List<JsonNode> s = set(datum);
        return s.isEmpty() || !s.get(0).canConvertToLong() ? null : s.get(0).asLong();
    }

    /** An integer set column, in the set's order. */
    public static List<Long> integers(JsonNode datum) {
        List<Long> out = new ArrayList<>();
        for (JsonNode a : set(datum)) {
            if (a.canConvertToLong()) {
                out.add(a.asLong());
            }
        }
        return out;
    }

    /** A string set column, in the set's order. */
    public static List<String> strings(JsonNode datum) {
        List<String> out = new ArrayList<>();
        for (JsonNode a : set(datum)) {
            out.add(text(a));
        }
        return out;
    }

    // ------------------------------------------------------------------ writing

    /** {@code ["uuid", u]}. */
    public static ArrayNode uuidAtom(String u) {
        return F.arrayNode().add("uuid").add(u);
    }

    /** {@code ["named-uuid", name]}: a row inserted by the same transaction. */
    public static ArrayNode namedUuid(String name) {
        return F.arrayNode().add("named-uuid").add(name);
    }

    /** {@code ["set", []]}: an empty optional column. */
    public static ArrayNode emptySet() {
        return F.arrayNode().add("set").add(F.arrayNode());
    }

    /** A set of strings. */
    public static ArrayNode stringSet(List<String> values) {
        ArrayNode items = F.arrayNode();
        values.forEach(items::add);
        return F.arrayNode().add("set").add(items);
    }

    /** An optional integer: one value, or the empty set for null. */
    public static JsonNode optInteger(Long v) {
        return v == null ? emptySet() : F.numberNode(v);
    }

    /** An optional string: one value, or the empty set for null. */
    public static JsonNode optString(String v) {
        return v == null ? emptySet() : F.textNode(v);
    }

    /** A map of strings to strings (or numbers, written as JSON numbers). */
    public static ArrayNode map(Map<String, ?> m) {
        ArrayNode pairs = F.arrayNode();
        for (Map.Entry<String, ?> e : new LinkedHashMap<>(m).entrySet()) {
            ArrayNode pair = F.arrayNode().add(e.getKey());
            Object v = e.getValue();
            if (v instanceof Long l) {
                pair.add(l);
            } else if (v instanceof Integer i) {
                pair.add(i.longValue());
            } else if (v instanceof Boolean b) {
                pair.add(b);
            } else if (v instanceof JsonNode n) {
                pair.add(n);
            } else {
                pair.add(String.valueOf(v));
            }
            pairs.add(pair);
        }
        return F.arrayNode().add("map").add(pairs);
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.textValue() : n.toString();
    }
}
