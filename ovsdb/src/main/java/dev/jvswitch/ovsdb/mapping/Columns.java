package dev.jvswitch.ovsdb.mapping;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables and columns of the stock {@code vswitch.ovsschema} the client follows: only what
 * configures the switch. The columns the switch writes (ofport, statistics, cur_cfg, ...) are not
 * among them, so the client's own writes never wake it.
 */
public final class Columns {
    public static final String DB = "Open_vSwitch";
    public static final String ROOT = "Open_vSwitch";
    public static final String BRIDGE = "Bridge";
    public static final String PORT = "Port";
    public static final String INTERFACE = "Interface";
    public static final String CONTROLLER = "Controller";
    public static final String FLOW_TABLE = "Flow_Table";
    public static final String MIRROR = "Mirror";
    public static final String DATAPATH = "Datapath";
    public static final String CT_ZONE = "CT_Zone";
    public static final String CT_TIMEOUT_POLICY = "CT_Timeout_Policy";

    /** Table to the columns monitored, in the order requests list them. */
    public static final Map<String, List<String>> MONITORED = monitored();

    /** Tables an older schema may lack (then nothing in them is configured). */
    public static final java.util.Set<String> OPTIONAL = java.util.Set.of(DATAPATH, CT_ZONE, CT_TIMEOUT_POLICY);

    private Columns() {
    }

    private static Map<String, List<String>> monitored() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put(ROOT, List.of("next_cfg", "other_config", "bridges", "datapaths"));
        m.put(BRIDGE, List.of("name", "datapath_type", "fail_mode", "protocols", "controller", "flow_tables",
                "mirrors", "other_config", "ports"));
        m.put(PORT, List.of("name", "interfaces", "tag", "trunks", "vlan_mode", "bond_mode", "lacp", "other_config"));
        m.put(INTERFACE, List.of("name", "type", "options", "ofport_request", "mtu_request", "other_config"));
        m.put(CONTROLLER, List.of("target", "inactivity_probe", "controller_rate_limit", "controller_burst_limit"));
        m.put(FLOW_TABLE, List.of("prefixes"));
        m.put(MIRROR, List.of("name", "select_all", "select_src_port", "select_dst_port", "select_vlan", "output_port",
                "output_vlan"));
        // The datapath's own columns (capabilities, datapath_version) are written, so not followed.
        m.put(DATAPATH, List.of("ct_zones", "ct_zone_default_limit"));
        m.put(CT_ZONE, List.of("timeout_policy", "limit"));
        m.put(CT_TIMEOUT_POLICY, List.of("timeouts"));
        return m;
    }
}
