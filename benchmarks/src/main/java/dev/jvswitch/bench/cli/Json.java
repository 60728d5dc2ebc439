package dev.jvswitch.bench.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

/**
 * Builds the one-line JSON objects the tools print with {@code --json}, as a Jackson tree;
 * {@link #putRaw} nests another object or an array ({@link #array}) built the same way.
 *
 * <p>Numbers other than integers are written as {@link #number} formats them (6 significant
 * digits, {@code %.6g}): that is the form scripts and the compare report have always read, so a
 * double goes into the tree as that text, not as a {@code double} Jackson would print its own way.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper(new JsonFactoryBuilder()
            .characterEscapes(new LowerHexEscapes()).build());
    private final ObjectNode fields = JsonNodeFactory.instance.objectNode();

    public Json put(String key, long value) {
        fields.put(key, value);
        return this;
    }

    public Json put(String key, double value) {
        fields.putRawValue(key, new RawValue(number(value)));
        return this;
    }

    /**
     * {@code value} with exactly {@code decimals} digits after the point, rounded half up (as
     * {@code %.Nf}), or {@code null} for NaN and infinities: for the reports whose contract is a fixed
     * number of decimals rather than {@link #number}'s significant digits.
     */
    public Json put(String key, double value, int decimals) {
        if (Double.isFinite(value)) {
            fields.put(key, BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP));
        } else {
            fields.putNull(key);
        }
        return this;
    }

    /** A JSON number of 6 significant digits, or {@code null} for NaN and infinities. */
    public static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : "null";
    }

    public Json put(String key, boolean value) {
        fields.put(key, value);
        return this;
    }

    public Json put(String key, String value) {
        if (value == null) {
            fields.putNull(key);
        } else {
            fields.put(key, value);
        }
        return this;
    }

    /** {@code json} as it is: another {@code Json}'s text, or an {@link #array}. */
    public Json putRaw(String key, String json) {
        if (json == null) {
            fields.putNull(key);
        } else {
            fields.putRawValue(key, new RawValue(json));
        }
        return this;
    }

    /** Adds every field of {@code other}, in its order (a field of the same name is replaced). */
    public Json merge(Json other) {
        fields.setAll(other.fields);
        return this;
    }

    /** A JSON array of elements that are JSON already. */
    public static String array(List<String> elements) {
        return "[" + String.join(",", elements) + "]";
    }

    /** {@code value} as a JSON string literal, with the reports' escapes. */
    public static String quote(String value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An object of string values, in the map's order. */
    public static String object(Map<String, String> values) {
        Json j = new Json();
        values.forEach(j::put);
        return j.toString();
    }

    /** A numeric field of a one-line JSON object (a run's report), NaN if absent or not a number. */
    public static double readNumber(String doc, String key) {
        try {
            JsonNode v = MAPPER.readTree(doc).get(key);
            return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON document: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public String toString() {
        try {
            return MAPPER.writeValueAsString(fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Jackson's escapes with lower-case hex for control characters (and {@code \b}, {@code \f} as
     * {@code \}{@code u0008}, {@code \}{@code u000c}), the bytes the reports always had.
     */
    private static final class LowerHexEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] codes = standardAsciiEscapesForJSON();

        LowerHexEscapes() {
            for (int c = 0; c < 0x20; c++) {
                if (c != '\t' && c != '\n' && c != '\r') {
                    codes[c] = ESCAPE_CUSTOM;
                }
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return codes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            // Asked for every non-ASCII character too: those stay as they are.
            return ch < 0x20 ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
