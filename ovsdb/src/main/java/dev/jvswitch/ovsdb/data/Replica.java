package dev.jvswitch.ovsdb.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The client's copy of the monitored columns of the tables it follows: table name to row uuid to
 * row (a JSON object of column values in OVSDB notation). Filled by the initial reply of
 * {@code monitor} and kept current by its {@code update} notifications (RFC 7047 4.1.6: a row
 * with {@code new} is inserted or replaced whole, one without is deleted), or by those of
 * {@code monitor_cond} ({@code update2}, {@link #apply2}: {@code initial}/{@code insert} rows,
 * {@code delete}, and {@code modify} with only the changed columns, a set or map column as the
 * difference to apply, as ovsdb-server(7) defines it).
 *
 * <p>Rows are kept in uuid order, so that anything derived from a replica (the order of
 * bridges, ports) does not depend on the order updates came in.
 *
 * <p><b>Thread-safety:</b> not thread-safe; the client's thread owns it and hands others
 * {@link #copy copies}.
 */
public final class Replica {
    private final Map<String, Map<String, ObjectNode>> tables = new LinkedHashMap<>();

    /** Applies a {@code <table-updates>} object; returns the rows changed. */
    public int apply(JsonNode tableUpdates) {
        int changed = 0;
        if (tableUpdates == null || !tableUpdates.isObject()) {
            return 0;
        }
        for (Map.Entry<String, JsonNode> t : tableUpdates.properties()) {
            Map<String, ObjectNode> rows = tables.computeIfAbsent(t.getKey(), k -> new TreeMap<>());
            for (Map.Entry<String, JsonNode> r : t.getValue().properties()) {
                JsonNode nw = r.getValue().get("new");
                if (nw != null && nw.isObject()) {
                    rows.put(r.getKey(), (ObjectNode) nw);
                } else {
                    rows.remove(r.getKey());
                }
                changed++;
            }
        }
        return changed;
    }

    /** A column's kind, which decides how an {@code update2} difference applies to it. */
    public enum Kind { SCALAR, SET, MAP }

    /**
     * Applies a {@code <table-updates2>} object; {@code kinds} gives each column's kind by table
     * (a column it does not name is a scalar: replaced). Returns the rows changed.
     */
    public int apply2(JsonNode tableUpdates2, Map<String, Map<String, Kind>> kinds) {
        int changed = 0;
        if (tableUpdates2 == null || !tableUpdates2.isObject()) {
            return 0;
        }
        for (Map.Entry<String, JsonNode> t : tableUpdates2.properties()) {
            Map<String, ObjectNode> rows = tables.computeIfAbsent(t.getKey(), k -> new TreeMap<>());
            Map<String, Kind> columns = kinds.getOrDefault(t.getKey(), Map.of());
            for (Map.Entry<String, JsonNode> r : t.getValue().properties()) {
                JsonNode u = r.getValue();
                JsonNode whole = u.has("initial") ? u.get("initial") : u.get("insert");
                if (whole != null && whole.isObject()) {
                    rows.put(r.getKey(), (ObjectNode) whole);
                } else if (u.has("delete")) {
                    rows.remove(r.getKey());
                } else if (u.get("modify") instanceof ObjectNode diff) {
                    ObjectNode old = rows.get(r.getKey());
                    // Rows are shared with copies: a modified row is a new object.
                    ObjectNode row = old == null ? diff.objectNode() : old.deepCopy();
                    for (Map.Entry<String, JsonNode> c : diff.properties()) {
                        Kind k = columns.getOrDefault(c.getKey(), Kind.SCALAR);
                        row.set(c.getKey(), switch (k) {
                            case SCALAR -> c.getValue();
                            case SET -> Diffs.set(row.get(c.getKey()), c.getValue());
                            case MAP -> Diffs.map(row.get(c.getKey()), c.getValue());
                        });
                    }
                    rows.put(r.getKey(), row);
                } else {
                    continue;
                }
                changed++;
            }
        }
        return changed;
    }

    /** Rows of {@code table} by uuid (empty if none), in uuid order. */
    public Map<String, ObjectNode> rows(String table) {
        Map<String, ObjectNode> rows = tables.get(table);
        return rows == null ? Map.of() : Collections.unmodifiableMap(rows);
    }

    /** Row {@code uuid} of {@code table}, or null. */
    public ObjectNode row(String table, String uuid) {
        Map<String, ObjectNode> rows = tables.get(table);
        return rows == null ? null : rows.get(uuid);
    }

    /** Forgets every row (before a full resync). */
    public void clear() {
        tables.clear();
    }

    /** A copy sharing the (never modified) row objects. */
    public Replica copy() {
        Replica r = new Replica();
        for (Map.Entry<String, Map<String, ObjectNode>> t : tables.entrySet()) {
            r.tables.put(t.getKey(), new TreeMap<>(t.getValue()));
        }
        return r;
    }
}
