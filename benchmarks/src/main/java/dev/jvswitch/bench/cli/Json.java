package dev.jvswitch.bench.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the one-line JSON objects the tools print with {@code --json}; {@link #putRaw} nests
 * another object or an array ({@link #array}) built the same way.
 */
public final class Json {
    private final Map<String, String> fields = new LinkedHashMap<>();

    public Json put(String key, long value) {
        fields.put(key, Long.toString(value));
        return this;
    }

    public Json put(String key, double value) {
        fields.put(key, number(value));
        return this;
    }

    /** A JSON number of 6 significant digits, or {@code null} for NaN and infinities. */
    public static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : "null";
    }

    public Json put(String key, boolean value) {
        fields.put(key, Boolean.toString(value));
        return this;
    }

    public Json put(String key, String value) {
        fields.put(key, value == null ? "null" : quote(value));
        return this;
    }

    /** {@code json} as it is: another {@code Json}'s text, or an {@link #array}. */
    public Json putRaw(String key, String json) {
        fields.put(key, json == null ? "null" : json);
        return this;
    }

    /** Adds every field of {@code other}, in its order (a field of the same name is replaced). */
    public Json merge(Json other) {
        fields.putAll(other.fields);
        return this;
    }

    /** A JSON array of elements that are JSON already. */
    public static String array(java.util.List<String> elements) {
        return "[" + String.join(",", elements) + "]";
    }

    /** An object of string values, in the map's order. */
    public static String object(Map<String, String> values) {
        Json j = new Json();
        values.forEach(j::put);
        return j.toString();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(quote(e.getKey())).append(':').append(e.getValue());
        }
        return sb.append('}').toString();
    }

    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
