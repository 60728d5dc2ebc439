package dev.jvswitch.vswitchd.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The control socket's wire format: one JSON object per line each way, then the daemon closes
 * the connection.
 *
 * <pre>
 * request:  {"command":"dpctl/dump-flows","args":["-m"]}
 * success:  {"ok":true,"output":"recirc_id(0),in_port(1),... actions:2\n","data":[...]}
 * failure:  {"ok":false,"error":"unknown command 'foo'; ...","usage":true}
 * </pre>
 *
 * {@code output} is the text an OVS user expects; {@code data} is the same content as JSON where
 * the command has structure (else null); {@code usage} marks a malformed request (unknown
 * command, wrong arguments) as opposed to a command that failed.
 *
 * <p>Stateless.
 */
public final class ControlProtocol {
    /** Longest request accepted, in bytes (a few long flows fit easily). */
    public static final int MAX_REQUEST_BYTES = 1 << 20;

    private ControlProtocol() {
    }

    /** A decoded request. */
    public record Request(String command, List<String> args) {
    }

    /** A decoded response. */
    public record Response(boolean ok, String output, Object data, String error, boolean usage) {
    }

    public static String request(String command, List<String> args) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", command);
        m.put("args", args);
        return Json.write(m);
    }

    /** @throws IllegalArgumentException if the line is not a request */
    public static Request parseRequest(String line) {
        Object v = Json.parse(line);
        if (!(v instanceof Map<?, ?> m) || !(m.get("command") instanceof String command)) {
            throw new IllegalArgumentException("a request is {\"command\": NAME, \"args\": [...]}");
        }
        List<String> args = new ArrayList<>();
        Object a = m.get("args");
        if (a instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof String s)) {
                    throw new IllegalArgumentException("request args must be strings");
                }
                args.add(s);
            }
        } else if (a != null) {
            throw new IllegalArgumentException("request args must be a list of strings");
        }
        return new Request(command, args);
    }

    public static String success(Reply reply) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        m.put("output", reply.text());
        m.put("data", reply.data());
        return Json.write(m);
    }

    public static String failure(String error, boolean usage) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", false);
        m.put("error", error);
        m.put("usage", usage);
        return Json.write(m);
    }

    /** @throws IllegalArgumentException if the line is not a response */
    public static Response parseResponse(String line) {
        Object v = Json.parse(line);
        if (!(v instanceof Map<?, ?> m) || !(m.get("ok") instanceof Boolean ok)) {
            throw new IllegalArgumentException("not a jvswitchd response");
        }
        return new Response(ok, m.get("output") instanceof String s ? s : "", m.get("data"),
                m.get("error") instanceof String e ? e : null, Boolean.TRUE.equals(m.get("usage")));
    }
}
