package dev.jvswitch.ovsdb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.jvswitch.ovsdb.data.Replica;
import dev.jvswitch.ovsdb.jsonrpc.JsonRpcException;
import dev.jvswitch.ovsdb.mapping.Columns;

/**
 * The server's schema against what the client follows: each table of {@link Columns#MONITORED}
 * must exist (but the {@link Columns#OPTIONAL} ones); a column the schema lacks (an older vswitch.ovsschema) is left out of the monitor
 * request, and reads as empty.
 *
 * <p>Stateless.
 */
final class Schema {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Schema() {
    }

    /**
     * The columns to monitor, by table, from a {@code get_schema} result.
     *
     * @throws JsonRpcException if the schema is not Open_vSwitch's or lacks a table
     */
    static Map<String, List<String>> columns(JsonNode schema) throws JsonRpcException {
        if (!Columns.DB.equals(schema.path("name").asText())) {
            throw new JsonRpcException("database " + schema.path("name").asText() + " is not " + Columns.DB);
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> t : Columns.MONITORED.entrySet()) {
            JsonNode cols = schema.path("tables").path(t.getKey()).path("columns");
            if (!cols.isObject() && Columns.OPTIONAL.contains(t.getKey())) {
                continue;
            }
            if (!cols.isObject()) {
                throw new JsonRpcException("the schema has no table " + t.getKey());
            }
            List<String> present = new ArrayList<>();
            for (String c : t.getValue()) {
                if (cols.has(c)) {
                    present.add(c);
                }
            }
            out.put(t.getKey(), present);
        }
        return out;
    }

    /** Each followed column's kind (scalar, set or map), by table, from a {@code get_schema} result. */
    static Map<String, Map<String, Replica.Kind>> kinds(JsonNode schema) {
        Map<String, Map<String, Replica.Kind>> out = new LinkedHashMap<>();
        for (String table : Columns.MONITORED.keySet()) {
            Map<String, Replica.Kind> kinds = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> c : schema.path("tables").path(table).path("columns").properties()) {
                kinds.put(c.getKey(), kind(c.getValue().path("type")));
            }
            out.put(table, kinds);
        }
        return out;
    }

    /**
     * RFC 7047 3.2 {@code <type>}: an atomic type, or key (+ value) with min and max (default 1).
     * A type of at most one element, optional ones ({@code min 0, max 1}: {@code Port.tag},
     * {@code Interface.mtu_request}) included, is a scalar to update2: ovsdb-server sends its new
     * value, not a difference ({@code ovsdb_datum_diff} replaces every type that is not composite);
     * only sets and maps of more elements travel as differences.
     */
    static Replica.Kind kind(JsonNode type) {
        if (!type.isObject()) {
            return Replica.Kind.SCALAR;
        }
        JsonNode max = type.path("max");
        boolean composite = max.isTextual() ? "unlimited".equals(max.asText()) : max.asInt(1) > 1;
        if (!composite) {
            return Replica.Kind.SCALAR;
        }
        return type.has("value") ? Replica.Kind.MAP : Replica.Kind.SET;
    }

    /**
     * {@code <monitor-requests>} (or {@code <monitor-cond-requests>}): the rows of each table that
     * match its condition in {@code where} (every row of a table without one), initial state and
     * every change.
     */
    static ObjectNode monitorRequests(Map<String, List<String>> columns, Map<String, ArrayNode> where) {
        ObjectNode reqs = F.objectNode();
        for (Map.Entry<String, List<String>> t : columns.entrySet()) {
            ArrayNode cols = F.arrayNode();
            t.getValue().forEach(cols::add);
            ObjectNode r = F.objectNode();
            r.set("columns", cols);
            ArrayNode w = where.get(t.getKey());
            if (w != null) {
                r.set("where", w);
            }
            reqs.set(t.getKey(), r);
        }
        return reqs;
    }
}
