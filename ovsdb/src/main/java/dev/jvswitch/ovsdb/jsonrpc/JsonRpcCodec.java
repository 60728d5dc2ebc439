package dev.jvswitch.ovsdb.jsonrpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The framing of RFC 7047 and OVS's unixctl: a stream of JSON objects, one after the other, with
 * nothing between them (no length, no newline required). Jackson's streaming parser reads one
 * root value at a time off the stream, so a message may arrive in any number of pieces, and
 * several in one read.
 *
 * <p>Bounds: a message nests at most {@value #MAX_DEPTH} deep and holds strings of at most
 * {@value #MAX_STRING_CHARS} characters (a whole database's initial monitor reply is one
 * message, so the overall size is not bounded here).
 *
 * <p><b>Thread-safety:</b> the shared {@link ObjectMapper} is thread-safe; a {@link Reader} is
 * used by one thread (its connection's reader).
 */
public final class JsonRpcCodec {
    public static final int MAX_DEPTH = 64;
    public static final int MAX_STRING_CHARS = 64 << 20;

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING_CHARS).build())
            .build());

    private JsonRpcCodec() {
    }

    /** The mapper messages are read and written with (for building trees). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** {@code m} as wire bytes (UTF-8 JSON, no newline). */
    public static byte[] encode(JsonRpcMessage m) {
        try {
            return MAPPER.writeValueAsBytes(m.toJson());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a JSON tree: " + e.getMessage(), e);
        }
    }

    /** Writes {@code m} to {@code out} and flushes. */
    public static void write(OutputStream out, JsonRpcMessage m) throws IOException {
        out.write(encode(m));
        out.flush();
    }

    /** Reads messages one at a time from a stream. */
    public static final class Reader {
        private final JsonParser parser;

        public Reader(InputStream in) throws IOException {
            this.parser = MAPPER.createParser(in);
        }

        /**
         * The next message, blocking until it is whole; null at the end of the stream.
         *
         * @throws JsonRpcException if the stream is not JSON or the value not a message (the
         *         stream cannot be read further)
         * @throws IOException      if reading fails
         */
        public JsonRpcMessage next() throws IOException, JsonRpcException {
            JsonNode n;
            try {
                JsonToken t = parser.nextToken();
                if (t == null) {
                    return null;
                }
                n = MAPPER.readTree(parser);
            } catch (JsonProcessingException e) {
                throw new JsonRpcException("not JSON: " + e.getOriginalMessage(), e);
            }
            return JsonRpcMessage.fromJson(n);
        }
    }
}
