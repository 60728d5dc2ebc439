package dev.jvswitch.ovsdb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.jvswitch.ovsdb.data.Datum;
import dev.jvswitch.ovsdb.mapping.Columns;
import dev.jvswitch.ovsdb.status.StatusWriter;

/**
 * What the switch says about itself in the database at every connect, as ovs-vswitchd does:
 * {@code Open_vSwitch.ovs_version}, {@code iface_types}, {@code datapath_types}, and the
 * {@code Datapath} row of {@code netdev} with its {@code capabilities} (inserted and linked from
 * {@code Open_vSwitch.datapaths} if the database has none).
 *
 * <p>Capabilities use OVS's keys; a key is true only for what jvswitch's datapath really does
 * (its action program: output, VLAN push/pop, masked set, hash, recirc, clone, tunnel push/pop,
 * {@code ct} with zones, marks, labels, NAT (all-zero SNAT too: {@code nat(src)} without an
 * address keeps the tuple and moves only a colliding source port, as OVS's conntrack), the
 * original tuple and timeout policies, and {@code ct_clear}; no MPLS, truncate or check_pkt_len,
 * whose {@code check_pkt_larger} runs in translation).
 */
final class Identity {
    static final String VERSION = "jvswitch 0.1.0";
    static final List<String> DATAPATH_TYPES = List.of("netdev");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Identity() {
    }

    static Map<String, String> capabilities() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("add_mpls", "false");
        c.put("check_pkt_len", "false");
        c.put("clone", "true");
        c.put("ct_clear", "true");
        c.put("ct_eventmask", "false");
        c.put("ct_orig_tuple", "true");
        c.put("ct_orig_tuple6", "true");
        c.put("ct_state", "true");
        c.put("ct_state_nat", "true");
        c.put("ct_timeout", "true");
        c.put("ct_zero_snat", "true");
        c.put("ct_zone", "true");
        c.put("ct_mark", "true");
        c.put("ct_label", "true");
        c.put("explicit_drop_action", "false");
        c.put("lb_output_action", "false");
        c.put("masked_set_action", "true");
        c.put("max_hash_alg", "1");
        c.put("max_mpls_depth", "0");
        c.put("max_vlan_headers", "2");
        c.put("recirc", "true");
        c.put("sample_nesting", "0");
        c.put("tnl_push_pop", "true");
        c.put("trunc", "false");
        c.put("ufid", "true");
        return c;
    }

    /**
     * The operations that write the identity into root row {@code rootUuid}, whose
     * {@code datapaths} column maps types to {@code datapaths}.
     */
    static ArrayNode operations(String rootUuid, Map<String, String> datapaths, List<String> ifaceTypes) {
        ArrayNode ops = F.arrayNode();
        ObjectNode row = F.objectNode();
        row.put("ovs_version", VERSION);
        row.set("iface_types", Datum.stringSet(ifaceTypes));
        row.set("datapath_types", Datum.stringSet(DATAPATH_TYPES));
        ops.add(update(Columns.ROOT, rootUuid, row));
        ObjectNode dp = F.objectNode();
        dp.set("capabilities", Datum.map(capabilities()));
        dp.put("datapath_version", VERSION);
        String netdev = datapaths.get("netdev");
        if (netdev != null) {
            ops.add(update("Datapath", netdev, dp));
        } else {
            ObjectNode insert = F.objectNode();
            insert.put("op", "insert");
            insert.put("table", "Datapath");
            insert.put("uuid-name", "dpnetdev");
            insert.set("row", dp);
            ops.add(insert);
            ObjectNode mutate = F.objectNode();
            mutate.put("op", "mutate");
            mutate.put("table", Columns.ROOT);
            mutate.set("where", StatusWriter.where(rootUuid));
            ArrayNode pair = F.arrayNode().add("netdev").add(Datum.namedUuid("dpnetdev"));
            ArrayNode map = F.arrayNode().add("map").add(F.arrayNode().add(pair));
            mutate.set("mutations", F.arrayNode().add(F.arrayNode().add("datapaths").add("insert").add(map)));
            ops.add(mutate);
        }
        return ops;
    }

    private static ObjectNode update(String table, String uuid, ObjectNode row) {
        ObjectNode op = F.objectNode();
        op.put("op", "update");
        op.put("table", table);
        op.set("where", StatusWriter.where(uuid));
        op.set("row", row);
        return op;
    }
}
