package dev.jvswitch.ovsdb.status;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.jvswitch.ovsdb.data.Datum;
import dev.jvswitch.ovsdb.data.Replica;
import dev.jvswitch.ovsdb.mapping.Columns;

/**
 * Turns {@link StatusReport}s into {@code transact} operations (Interface status, Bridge
 * {@code datapath_id}, Port {@code bond_active_slave}, {@code cur_cfg}): one {@code update} per row whose
 * written columns differ from what this writer last wrote there, so that a statistics refresh of
 * an idle switch writes nothing. After a reconnect, {@link #forget} makes the next report write
 * everything again (the database may have been replaced meanwhile).
 *
 * <p><b>Thread-safety:</b> the client's thread owns it.
 */
public final class StatusWriter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Row uuid to the row object last written there. */
    private final Map<String, ObjectNode> written = new HashMap<>();

    /** Forgets what was written (a new connection). */
    public void forget() {
        written.clear();
    }

    /**
     * The operations that bring the rows of {@code db} up to {@code report}; empty if nothing
     * changed. Interfaces and bridges the replica does not hold (deleted meanwhile) are skipped.
     */
    public ArrayNode operations(Replica db, StatusReport report) {
        ArrayNode ops = F.arrayNode();
        Map<String, String> ifaceUuids = uuidsByName(db, Columns.INTERFACE);
        for (Map.Entry<String, InterfaceStatus> e : report.interfaces().entrySet()) {
            String uuid = ifaceUuids.get(e.getKey());
            if (uuid != null) {
                update(ops, Columns.INTERFACE, uuid, row(e.getValue()));
            }
        }
        Map<String, String> bridgeUuids = uuidsByName(db, Columns.BRIDGE);
        for (Map.Entry<String, String> e : report.datapathIds().entrySet()) {
            String uuid = bridgeUuids.get(e.getKey());
            if (uuid != null) {
                ObjectNode row = F.objectNode();
                row.set("datapath_id", Datum.optString(e.getValue()));
                update(ops, Columns.BRIDGE, uuid, row);
            }
        }
        Map<String, String> portUuids = report.bondActive().isEmpty() ? Map.of() : uuidsByName(db, Columns.PORT);
        for (Map.Entry<String, String> e : report.bondActive().entrySet()) {
            String uuid = portUuids.get(e.getKey());
            if (uuid != null) {
                ObjectNode row = F.objectNode();
                row.set("bond_active_slave", Datum.optString(e.getValue()));
                update(ops, Columns.PORT, uuid, row);
            }
        }
        if (report.curCfg() >= 0) {
            for (String root : db.rows(Columns.ROOT).keySet()) {
                ObjectNode row = F.objectNode();
                row.put("cur_cfg", report.curCfg());
                update(ops, Columns.ROOT, root, row);
            }
        }
        return ops;
    }

    /** An update of {@code uuid} with the columns of {@code row} unless they are what was last written. */
    private void update(ArrayNode ops, String table, String uuid, ObjectNode row) {
        ObjectNode last = written.get(uuid);
        ObjectNode changed = F.objectNode();
        for (Map.Entry<String, JsonNode> c : row.properties()) {
            if (last == null || !Objects.equals(last.get(c.getKey()), c.getValue())) {
                changed.set(c.getKey(), c.getValue());
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        ObjectNode merged = last == null ? F.objectNode() : last.deepCopy();
        merged.setAll(changed);
        written.put(uuid, merged);
        ObjectNode op = F.objectNode();
        op.put("op", "update");
        op.put("table", table);
        op.set("where", where(uuid));
        op.set("row", changed);
        ops.add(op);
    }

    /** {@code [["_uuid", "==", ["uuid", U]]]}. */
    public static ArrayNode where(String uuid) {
        return F.arrayNode().add(F.arrayNode().add("_uuid").add("==").add(Datum.uuidAtom(uuid)));
    }

    static ObjectNode row(InterfaceStatus s) {
        ObjectNode r = F.objectNode();
        r.set("ofport", Datum.optInteger(s.ofport()));
        r.set("ifindex", Datum.optInteger(s.ifindex()));
        r.set("mtu", Datum.optInteger(s.mtu()));
        r.set("link_state", Datum.optString(s.linkState()));
        r.set("admin_state", Datum.optString(s.adminState()));
        r.set("mac_in_use", Datum.optString(s.macInUse()));
        r.set("error", Datum.optString(s.error()));
        r.set("statistics", Datum.map(new TreeMap<>(s.statistics())));
        r.set("status", Datum.map(new TreeMap<>(s.status())));
        return r;
    }

    private static Map<String, String> uuidsByName(Replica db, String table) {
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, ObjectNode> r : db.rows(table).entrySet()) {
            out.put(Datum.string(r.getValue().get("name")), r.getKey());
        }
        return out;
    }
}
