package dev.jvswitch.testkit.ovs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A client of an OVS daemon's unixctl socket (what {@code ovs-appctl} does, without a process per
 * call): one JSON-RPC request {@code {"method":M,"params":[...],"id":N}} per call, the reply's
 * {@code result} text returned or its {@code error} thrown. A connection per call keeps it
 * simple; the cost is a connect, far below starting {@code ovs-appctl}.
 *
 * <p><b>Thread-safety:</b> stateless but for the request id; one thread.
 */
final class Unixctl {
    private final Path socket;
    private int id;

    Unixctl(Path socket) {
        this.socket = socket;
    }

    /**
     * Runs {@code method} with {@code params}; returns the reply text.
     *
     * @throws IllegalStateException with the daemon's error text
     */
    String call(String method, List<String> params) {
        StringBuilder req = new StringBuilder(64 + params.size() * 16);
        req.append("{\"method\":");
        quote(req, method);
        req.append(",\"params\":[");
        for (int i = 0; i < params.size(); i++) {
            if (i > 0) {
                req.append(',');
            }
            quote(req, params.get(i));
        }
        req.append("],\"id\":").append(id++).append('}');
        String reply;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap(req.toString().getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            reply = readObject(ch);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " on " + socket + ": " + e.getMessage(), e);
        }
        String error = field(reply, "error");
        if (error != null) {
            throw new IllegalStateException(method + " failed: " + error);
        }
        String result = field(reply, "result");
        return result == null ? "" : result;
    }

    /** Reads bytes until one whole JSON object (braces balanced outside strings) has arrived. */
    private static String readObject(SocketChannel ch) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(65536);
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        boolean started = false;
        while (true) {
            buf.clear();
            int n = ch.read(buf);
            if (n < 0) {
                throw new IOException("connection closed before the reply ended");
            }
            byte[] b = buf.array();
            for (int i = 0; i < n; i++) {
                char c = (char) b[i];
                if (inString) {
                    if (escaped) {
                        escaped = false;
                    } else if (c == '\\') {
                        escaped = true;
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{') {
                    depth++;
                    started = true;
                } else if (c == '}') {
                    depth--;
                    if (started && depth == 0) {
                        all.write(b, 0, i + 1);
                        return all.toString(StandardCharsets.UTF_8);
                    }
                }
            }
            all.write(b, 0, n);
        }
    }

    /** The string value of top-level {@code "name":"..."} in {@code json}, or null (absent or null). */
    static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":");
        if (at < 0) {
            return null;
        }
        int i = at + name.length() + 3;
        while (i < json.length() && json.charAt(i) == ' ') {
            i++;
        }
        if (i >= json.length() || json.charAt(i) != '"') {
            return null; // null, or not a string
        }
        StringBuilder s = new StringBuilder();
        for (i++; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') {
                return s.toString();
            }
            if (c == '\\' && i + 1 < json.length()) {
                char e = json.charAt(++i);
                switch (e) {
                    case 'n' -> s.append('\n');
                    case 't' -> s.append('\t');
                    case 'r' -> s.append('\r');
                    case 'b' -> s.append('\b');
                    case 'f' -> s.append('\f');
                    case 'u' -> {
                        s.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> s.append(e);
                }
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    private static void quote(StringBuilder s, String v) {
        s.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
    }
}
