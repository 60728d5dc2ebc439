package dev.jvswitch.ovsdb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.jvswitch.ovsdb.data.Datum;
import dev.jvswitch.ovsdb.data.Replica;
import dev.jvswitch.ovsdb.mapping.Columns;

/**
 * Which rows of each followed table the client asks {@code monitor_cond} for: only those the
 * switch runs by. The {@code Datapath} table holds a row per datapath type, and each has its own
 * conntrack zones and policies; jvswitch follows the {@code netdev} row, its {@code CT_Zone} rows
 * and their {@code CT_Timeout_Policy} rows, and nothing of another type's. The other tables are
 * followed whole: every Bridge is run (as netdev), and the schema's garbage collection keeps in
 * Port, Interface, Mirror, Controller and Flow_Table only rows a Bridge (or Port) refers to.
 *
 * <p>A condition names row uuids, which come from rows followed one step up (the root's
 * {@code datapaths}, the datapath's {@code ct_zones}, a zone's {@code timeout_policy}); when those
 * change, the client sends the new conditions with {@code monitor_cond_change} and repeats until
 * they hold still, before it maps the database.
 *
 * <p>Stateless: {@link #of} derives the conditions from a replica.
 */
final class Conditions {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Conditions() {
    }

    /**
     * The {@code where} of each table with a condition: the rows {@code db} refers to, in uuid
     * order; {@code [false]} when none. Tables not listed are followed whole ({@code [true]}).
     */
    static Map<String, ArrayNode> of(Replica db, Map<String, List<String>> monitored) {
        Map<String, ArrayNode> out = new LinkedHashMap<>();
        if (!monitored.containsKey(Columns.DATAPATH)) {
            return out;
        }
        TreeSet<String> dps = new TreeSet<>();
        for (var root : db.rows(Columns.ROOT).values()) {
            String u = Datum.uuidMap(root.get("datapaths")).get("netdev");
            if (u != null) {
                dps.add(u);
            }
        }
        TreeSet<String> zones = new TreeSet<>();
        for (String dp : dps) {
            var row = db.row(Columns.DATAPATH, dp);
            if (row != null) {
                zones.addAll(Datum.uuidMap(row.get("ct_zones")).values());
            }
        }
        TreeSet<String> policies = new TreeSet<>();
        for (String z : zones) {
            var row = db.row(Columns.CT_ZONE, z);
            if (row != null) {
                policies.addAll(Datum.uuids(row.get("timeout_policy")));
            }
        }
        out.put(Columns.DATAPATH, where(dps));
        if (monitored.containsKey(Columns.CT_ZONE)) {
            out.put(Columns.CT_ZONE, where(zones));
        }
        if (monitored.containsKey(Columns.CT_TIMEOUT_POLICY)) {
            out.put(Columns.CT_TIMEOUT_POLICY, where(policies));
        }
        return out;
    }

    /** {@code [["_uuid","==",["uuid",U]], ...]} (any of them), or {@code [false]}. */
    static ArrayNode where(Iterable<String> uuids) {
        List<ArrayNode> clauses = new ArrayList<>();
        for (String u : uuids) {
            clauses.add(F.arrayNode().add("_uuid").add("==").add(Datum.uuidAtom(u)));
        }
        ArrayNode w = F.arrayNode();
        if (clauses.isEmpty()) {
            w.add(false);
        } else {
            clauses.forEach(w::add);
        }
        return w;
    }
}
