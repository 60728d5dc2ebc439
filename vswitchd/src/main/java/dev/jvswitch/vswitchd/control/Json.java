package dev.jvswitch.vswitchd.control;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonReadFeature;

/**
 * The control protocol's JSON, on Jackson's streaming core: {@link #write} turns maps, lists,
 * strings, numbers, booleans and null into one line (no raw newlines, so one message is one
 * line); {@link #parse} reads such a document back into {@link LinkedHashMap}s, {@link ArrayList}s,
 * strings, {@code Long}s or {@code Double}s, booleans and null.
 *
 * <p>Only the streaming core (no {@code ObjectMapper}): {@code jvsctl} runs once per command in
 * scripts, and a mapper's set-up would cost it more than the whole exchange.
 *
 * <p><b>The text written</b> is what scripts have always read: integers ({@code Integer},
 * {@code Long}, {@code Short}) as they are, every other number as a double
 * ({@link Double#toString}) or {@code null} when not finite, map keys by {@code String.valueOf},
 * any other object by its {@code toString}; control characters other than tab, newline and return
 * as lower-case {@code \}{@code u00xx}.
 *
 * <p><b>Bounds.</b> Nesting is bounded at {@value #MAX_DEPTH} levels and a number at
 * {@value #MAX_NUMBER_CHARS} characters (Jackson's read constraints): a deeper document is refused
 * with an error naming the bracket that crossed the bound, long before the thread's stack could
 * run out. The control protocol nests two levels; the replies jvsctl reads, four. The length of
 * the text is bounded by the caller (the control socket reads at most
 * {@link ControlProtocol#MAX_REQUEST_BYTES} per request).
 *
 * <p>Stateless; the factory is immutable and shared.
 */
public final class Json {
    /** Deepest nesting of arrays and objects {@link #parse} accepts. */
    public static final int MAX_DEPTH = 64;
    /** Longest number {@link #parse} accepts (and so may quote in an error). */
    static final int MAX_NUMBER_CHARS = 64;

    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH).maxNumberLength(MAX_NUMBER_CHARS).build())
            // Raw clients of the socket have always been allowed a tab inside a string.
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .characterEscapes(new LowerHexEscapes())
            .build();

    private Json() {
    }

    /** One-line JSON text of {@code value}. */
    public static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeNull();
            }
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Iterable<?> it) {
            g.writeStartArray();
            for (Object o : it) {
                write(g, o);
            }
            g.writeEndArray();
        } else {
            g.writeString(v.toString());
        }
    }

    /**
     * Parses one JSON document.
     *
     * @throws IllegalArgumentException naming the position (1-based character) of the first problem
     */
    public static Object parse(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            Object v;
            try {
                v = read(p);
            } catch (StreamConstraintsException e) {
                // The bracket (or number) that crossed the bound.
                boolean depth = e.getOriginalMessage().contains("nesting depth");
                long at = depth ? p.currentTokenLocation().getCharOffset() : p.currentLocation().getCharOffset();
                throw error(at, depth ? "nested deeper than " + MAX_DEPTH + " levels"
                        : "a number of more than " + MAX_NUMBER_CHARS + " characters");
            } catch (JsonProcessingException e) {
                throw error(p.currentLocation().getCharOffset(), reason(e));
            }
            int end = (int) p.currentLocation().getCharOffset();
            while (end < text.length() && Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            if (end != text.length()) {
                throw error(end, "unexpected text after the document");
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The document's value, built from the token stream without recursion (the depth bound is
     * Jackson's; a stack of open containers keeps this loop flat).
     */
    private static Object read(JsonParser p) throws IOException {
        Deque<Object> open = new ArrayDeque<>();
        Deque<String> keys = new ArrayDeque<>();
        String key = null;
        JsonToken t = p.nextToken();
        if (t == null) {
            throw error(0, "unexpected end");
        }
        while (true) {
            Object value;
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    open.push(t == JsonToken.START_OBJECT ? new LinkedHashMap<String, Object>() : new ArrayList<>());
                    keys.push(key == null ? "" : key);
                    key = null;
                    t = p.nextToken();
                    continue;
                }
                case FIELD_NAME -> {
                    key = p.currentName();
                    t = p.nextToken();
                    continue;
                }
                case END_OBJECT, END_ARRAY -> {
                    value = open.pop();
                    key = keys.pop();
                }
                case VALUE_STRING -> value = p.getText();
                case VALUE_NUMBER_INT -> value = p.getLongValue();
                case VALUE_NUMBER_FLOAT -> value = p.getDoubleValue();
                case VALUE_TRUE -> value = Boolean.TRUE;
                case VALUE_FALSE -> value = Boolean.FALSE;
                case VALUE_NULL -> value = null;
                default -> throw error(p.currentTokenLocation().getCharOffset(), "unexpected " + t);
            }
            if (open.isEmpty()) {
                return value;
            }
            add(open.peek(), key, value);
            key = null;
            t = p.nextToken();
        }
    }

    @SuppressWarnings("unchecked")
    private static void add(Object container, String key, Object value) {
        if (container instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).put(key, value);
        } else {
            ((List<Object>) container).add(value);
        }
    }

    /** Jackson's reason, in the words this protocol has always used where they differ. */
    private static String reason(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m.contains("expected close marker for Object")) {
            return "expected '}'";
        }
        if (m.contains("expected close marker for Array")) {
            return "expected ']'";
        }
        int cut = m.indexOf('\n');
        return cut < 0 ? m : m.substring(0, cut);
    }

    private static IllegalArgumentException error(long offset, String what) {
        return new IllegalArgumentException("bad JSON at character " + (offset + 1) + ": " + what);
    }

    /**
     * Jackson's escapes with lower-case hex for control characters, and {@code \b}, {@code \f}
     * written as {@code \}{@code u0008}, {@code \}{@code u000c}: the bytes replies always had.
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
