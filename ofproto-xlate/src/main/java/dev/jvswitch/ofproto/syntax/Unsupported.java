package dev.jvswitch.ofproto.syntax;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OVS actions and match fields that ovs-ofctl accepts and jvswitch does not build, each with
 * the feature it belongs to, so that a flow using one is refused by name
 * ({@code ct(...) is not supported (connection tracking)}) rather than as an unknown word. The
 * README lists the same names.
 */
final class Unsupported {
    private static final Map<String, String> ACTIONS = new LinkedHashMap<>();
    private static final Map<String, String> FIELDS = new LinkedHashMap<>();
    /** Field name prefixes of whole families ({@code tun_metadata0..63}, {@code nsh_*}). */
    private static final Map<String, String> FIELD_PREFIXES = new LinkedHashMap<>();

    static {
        // ct, ct_clear and nat inside ct are built; nat on its own is OVS's error too.
        for (String a : new String[] {"push_mpls", "pop_mpls", "set_mpls_label", "set_mpls_tc", "set_mpls_ttl",
            "dec_mpls_ttl"}) {
            ACTIONS.put(a, "MPLS");
        }
        for (String a : new String[] {"encap", "decap", "set_nsh_ttl", "dec_nsh_ttl"}) {
            ACTIONS.put(a, "NSH and packet type changes");
        }
        ACTIONS.put("enqueue", "QoS queues");
        ACTIONS.put("set_queue", "QoS queues");
        ACTIONS.put("pop_queue", "QoS queues");
        ACTIONS.put("exit", "the exit action");
        ACTIONS.put("output_trunc", "truncated output");
        ACTIONS.put("delete_field", "TLV field deletion");
        for (String f : new String[] {"mpls", "mplsm", "mpls_label", "mpls_tc", "mpls_bos", "mpls_ttl"}) {
            FIELDS.put(f, "MPLS");
        }
        FIELDS.put("skb_priority", "QoS queues");
        FIELDS.put("packet_type", "packet types other than Ethernet");
        FIELDS.put("tun_gbp_id", "VXLAN group policy");
        FIELDS.put("tun_gbp_flags", "VXLAN group policy");
        FIELDS.put("ipv6_exthdr", "IPv6 extension header matches");
        FIELDS.put("dl_vlan1", "matches on the inner VLAN");
        // tun_metadata0..63 are fields; a higher index is not, and says why.
        FIELD_PREFIXES.put("tun_metadata", "Geneve options beyond tun_metadata63");
        FIELD_PREFIXES.put("nsh_", "NSH");
        FIELD_PREFIXES.put("tun_erspan", "ERSPAN");
        FIELD_PREFIXES.put("tun_gtpu", "GTP-U");
    }

    private Unsupported() {
    }

    /** The feature action {@code name} (lower case) belongs to, or null if it is no known OVS action. */
    static String action(String name) {
        return ACTIONS.get(name);
    }

    /** The feature match field {@code name} belongs to, or null if it is no known OVS field. */
    static String field(String name) {
        String f = FIELDS.get(name);
        if (f != null) {
            return f;
        }
        for (Map.Entry<String, String> e : FIELD_PREFIXES.entrySet()) {
            if (name.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    /** What an action item prints as in the message: {@code ct(...)} for one with arguments. */
    static String actionText(String name, boolean parenthesised) {
        return parenthesised ? name + "(...)" : name;
    }
}
