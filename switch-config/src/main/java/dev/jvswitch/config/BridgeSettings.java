package dev.jvswitch.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the OpenFlow side runs one bridge by, beside its ports and tables: OVS's Bridge
 * {@code other_config} keys and its Flow_Table settings. This is the bridge's snapshot for
 * ofproto; the daemon maps it onto ofproto's {@code BridgeConfig}. Per-bridge OpenFlow keys (fail
 * mode, datapath id, protocols, controllers) belong here too.
 *
 * <p>Defaults: ofproto's ({@code BridgeConfig.DEFAULT_MAC_TABLE_SIZE} and
 * {@code DEFAULT_MAC_AGING_SEC}), which the daemon passes in as {@link OfprotoDefaults#bridge};
 * {@code datapath.mac-table-size} and {@code datapath.mac-aging-time} (deprecated) replace them
 * for every bridge of a file. A table not in {@code prefixes} tracks ofproto's default prefix
 * fields ({@code nw_dst,nw_src}).
 *
 * <p>Immutable; ranges checked by the producer ({@link ConfigKeys#MAC_TABLE_SIZE},
 * {@link ConfigKeys#MAC_AGING_TIME}, {@link ConfigKeys#TABLE_ID}), prefix field names by the
 * OpenFlow side ({@link FlowChecker#checkPrefixes}).
 *
 * @param macTableSize {@code mac-table-size}: MAC learning entries (NORMAL)
 * @param macAgingSec  {@code mac-aging-time}: seconds an unused MAC learning entry lives
 * @param prefixes     {@code flow-tables.N.prefixes} by table id N: the field names, or the one
 *                     word {@code none}
 * @param tlvMap       {@code tlv-map}: the bridge's Geneve option mappings, each as
 *                     {@code ovs-ofctl add-tlv-map} takes them (checked by the OpenFlow side,
 *                     {@link FlowChecker#checkTlvMap}); empty for none
 */
public record BridgeSettings(int macTableSize, int macAgingSec, Map<Integer, List<String>> prefixes,
        List<String> tlvMap) {
    public BridgeSettings {
        Map<Integer, List<String>> copy = new TreeMap<>();
        for (Map.Entry<Integer, List<String>> e : prefixes.entrySet()) {
            copy.put(e.getKey(), List.copyOf(e.getValue()));
        }
        prefixes = Collections.unmodifiableMap(copy);
        tlvMap = List.copyOf(tlvMap);
    }

    /** Settings without TLV mappings. */
    public BridgeSettings(int macTableSize, int macAgingSec, Map<Integer, List<String>> prefixes) {
        this(macTableSize, macAgingSec, prefixes, List.of());
    }

    /** Settings with every table on the default prefix fields. */
    public BridgeSettings(int macTableSize, int macAgingSec) {
        this(macTableSize, macAgingSec, Map.of());
    }

    /** These settings with table prefix fields {@code tablePrefixes}. */
    public BridgeSettings withPrefixes(Map<Integer, List<String>> tablePrefixes) {
        return new BridgeSettings(macTableSize, macAgingSec, tablePrefixes, tlvMap);
    }

    /** These settings with TLV mappings {@code mappings}. */
    public BridgeSettings withTlvMap(List<String> mappings) {
        return new BridgeSettings(macTableSize, macAgingSec, prefixes, mappings);
    }
}
