package dev.jvswitch.ovsdb.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One JSON-RPC 1.0 message as RFC 7047 section 4 uses them: a request ({@code method},
 * {@code params}, an {@code id}), a notification (the same with a null id) or a response
 * ({@code result} or {@code error}, and the id it answers). OVS's unixctl socket speaks the same
 * messages.
 *
 * <p>Immutable; the JSON trees it holds are not copied, so whoever builds one must not change
 * them afterwards.
 *
 * @param kind   which of the three
 * @param method the method of a request or notification, else null
 * @param params the params (a JSON array) of a request or notification, else null
 * @param id     the id of a request or response (any JSON value), {@link NullNode} for a notification
 * @param result a response's result (null node on error)
 * @param error  a response's error (null node on success)
 */
public record JsonRpcMessage(Kind kind, String method, JsonNode params, JsonNode id, JsonNode result,
        JsonNode error) {
    /** The three shapes of a message. */
    public enum Kind { REQUEST, NOTIFICATION, RESPONSE }

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    public static JsonRpcMessage request(String method, JsonNode params, JsonNode id) {
        return new JsonRpcMessage(Kind.REQUEST, method, params, id, null, null);
    }

    public static JsonRpcMessage notification(String method, JsonNode params) {
        return new JsonRpcMessage(Kind.NOTIFICATION, method, params, NullNode.instance, null, null);
    }

    public static JsonRpcMessage response(JsonNode id, JsonNode result) {
        return new JsonRpcMessage(Kind.RESPONSE, null, null, id, result, NullNode.instance);
    }

    public static JsonRpcMessage errorResponse(JsonNode id, JsonNode error) {
        return new JsonRpcMessage(Kind.RESPONSE, null, null, id, NullNode.instance, error);
    }

    /** Whether this response carries an error. */
    public boolean failed() {
        return kind == Kind.RESPONSE && error != null && !error.isNull();
    }

    /** The message as the JSON object that goes on the wire. */
    public ObjectNode toJson() {
        ObjectNode o = F.objectNode();
        if (kind == Kind.RESPONSE) {
            o.set("result", result == null ? NullNode.instance : result);
            o.set("error", error == null ? NullNode.instance : error);
        } else {
            o.put("method", method);
            o.set("params", params == null ? F.arrayNode() : params);
        }
        o.set("id", id == null ? NullNode.instance : id);
        return o;
    }

    /**
     * Reads one message from the JSON object {@code o}.
     *
     * @throws JsonRpcException if it is not a JSON-RPC 1.0 message
     */
    public static JsonRpcMessage fromJson(JsonNode o) throws JsonRpcException {
        if (o == null || !o.isObject()) {
            throw new JsonRpcException("a JSON-RPC message is a JSON object, got " + abbreviate(o));
        }
        JsonNode method = o.get("method");
        JsonNode id = o.has("id") ? o.get("id") : NullNode.instance;
        if (method != null) {
            if (!method.isTextual()) {
                throw new JsonRpcException("\"method\" must be a string in " + abbreviate(o));
            }
            JsonNode params = o.get("params");
            if (params == null || !params.isArray()) {
                throw new JsonRpcException("\"params\" must be an array in " + abbreviate(o));
            }
            return id.isNull() ? notification(method.asText(), params) : request(method.asText(), params, id);
        }
        if (!o.has("result") && !o.has("error")) {
            throw new JsonRpcException("neither a request nor a response: " + abbreviate(o));
        }
        JsonNode result = o.has("result") ? o.get("result") : NullNode.instance;
        JsonNode error = o.has("error") ? o.get("error") : NullNode.instance;
        return new JsonRpcMessage(Kind.RESPONSE, null, null, id, result, error);
    }

    /** At most 200 characters of {@code n}, for messages about it. */
    static String abbreviate(JsonNode n) {
        String s = String.valueOf(n);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
