package dev.jvswitch.ofproto.action;

import java.util.Locale;

/**
 * The field sets {@code multipath} and {@code bundle} hash (OVS's {@code nx_hash_fields}), with
 * their ovs-ofctl names.
 */
public enum HashFields {
    ETH_SRC("eth_src"),
    SYMMETRIC_L4("symmetric_l4"),
    SYMMETRIC_L3L4("symmetric_l3l4"),
    SYMMETRIC_L3L4_UDP("symmetric_l3l4+udp"),
    NW_SRC("nw_src"),
    NW_DST("nw_dst");

    private final String ovsName;

    HashFields(String ovsName) {
        this.ovsName = ovsName;
    }

    public String ovsName() {
        return ovsName;
    }

    /** The set named {@code name} (case-insensitive), or null. */
    public static HashFields byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (HashFields f : values()) {
            if (f.ovsName.equals(n)) {
                return f;
            }
        }
        return null;
    }
}
