package dev.jvswitch.config;

/**
 * Defaults of the keys the OpenFlow side (ofproto-xlate) consumes. switch-config cannot import
 * ofproto, so it does not define them: the daemon passes ofproto's own constants in through
 * {@link ConfigEnvironment}, and every producer applies them. That keeps each of these defaults
 * defined once, in the module that acts on it.
 *
 * @param maxIdleMs {@code max-idle} ({@code RevalidatorConfig.DEFAULT_MAX_IDLE_MS})
 * @param bridge    {@code mac-table-size} and {@code mac-aging-time}
 *                  ({@code BridgeConfig.DEFAULT_MAC_TABLE_SIZE}, {@code DEFAULT_MAC_AGING_SEC})
 */
public record OfprotoDefaults(int maxIdleMs, BridgeSettings bridge) {
}
