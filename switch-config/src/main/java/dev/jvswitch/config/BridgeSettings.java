package dev.jvswitch.config;

/**
 * What the OpenFlow side runs one bridge by, beside its ports and tables: OVS's Bridge
 * {@code other_config} keys. This is the bridge's snapshot for ofproto; the daemon maps it onto
 * ofproto's {@code BridgeConfig}. Per-bridge OpenFlow keys (fail mode, datapath id, protocols,
 * controllers) belong here too.
 *
 * <p>Defaults: ofproto's ({@code BridgeConfig.DEFAULT_MAC_TABLE_SIZE} and
 * {@code DEFAULT_MAC_AGING_SEC}), which the daemon passes in as {@link OfprotoDefaults#bridge};
 * {@code datapath.mac-table-size} and {@code datapath.mac-aging-time} (deprecated) replace them
 * for every bridge of a file.
 *
 * <p>Immutable; ranges checked by the producer ({@link ConfigKeys#MAC_TABLE_SIZE},
 * {@link ConfigKeys#MAC_AGING_TIME}).
 *
 * @param macTableSize {@code mac-table-size}: MAC learning entries (NORMAL)
 * @param macAgingSec  {@code mac-aging-time}: seconds an unused MAC learning entry lives
 */
public record BridgeSettings(int macTableSize, int macAgingSec) {
}
