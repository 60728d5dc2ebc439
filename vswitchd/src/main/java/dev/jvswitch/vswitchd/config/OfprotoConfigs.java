package dev.jvswitch.vswitchd.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.jvswitch.config.BridgeSettings;
import dev.jvswitch.config.ConfigEnvironment;
import dev.jvswitch.config.FlowChecker;
import dev.jvswitch.config.OfprotoDefaults;
import dev.jvswitch.config.RevalidatorSettings;
import dev.jvswitch.ofproto.bridge.Bond;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.Mirror;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.match.PrefixFields;
import dev.jvswitch.ofproto.revalidate.RevalidatorConfig;

/**
 * The daemon's half of the config model for the OpenFlow side, which switch-config cannot see:
 * ofproto's defaults going in ({@link #defaults}), and the OpenFlow side's snapshots coming out as
 * ofproto's own types ({@link #revalidatorConfig}, {@link #bridgeConfig}). The datapath and the
 * pool need no mapping: their snapshots are their own types.
 *
 * <p>Stateless.
 */
public final class OfprotoConfigs {
    private OfprotoConfigs() {
    }

    /** ofproto's defaults for the keys it consumes: defined there, applied by every producer. */
    public static OfprotoDefaults defaults() {
        return new OfprotoDefaults(Math.toIntExact(RevalidatorConfig.DEFAULT_MAX_IDLE_MS),
                new BridgeSettings(BridgeConfig.DEFAULT_MAC_TABLE_SIZE, BridgeConfig.DEFAULT_MAC_AGING_SEC));
    }

    /** This machine and class path, with {@code checker} (the slow path) for flows and ofproto's defaults. */
    public static ConfigEnvironment environment(FlowChecker checker) {
        return ConfigEnvironment.current(checker, defaults());
    }

    /** The revalidator pool's config (cycles at most {@code RevalidatorConfig.DEFAULT_MAX_REVALIDATOR_MS} apart). */
    public static RevalidatorConfig revalidatorConfig(RevalidatorSettings s) {
        return new RevalidatorConfig(s.threads(), s.maxIdleMs(), s.flowLimit(), RevalidatorConfig.DEFAULT_MAX_REVALIDATOR_MS);
    }

    /** Bridge {@code name} with {@code ports}, run by {@code s} (prefix fields checked by the loader). */
    public static BridgeConfig bridgeConfig(String name, List<OfPort> ports, BridgeSettings s) {
        return bridgeConfig(name, ports, s, List.of(), List.of());
    }

    /** As {@link #bridgeConfig(String, List, BridgeSettings)}, with bonds and mirrors. */
    public static BridgeConfig bridgeConfig(String name, List<OfPort> ports, BridgeSettings s, List<Bond> bonds,
            List<Mirror> mirrors) {
        Map<Integer, PrefixFields> prefixes = new TreeMap<>();
        for (Map.Entry<Integer, List<String>> e : s.prefixes().entrySet()) {
            prefixes.put(e.getKey(), PrefixFields.parse(e.getValue()));
        }
        return new BridgeConfig(name, ports, s.macTableSize(), s.macAgingSec(), prefixes, bonds, mirrors);
    }
}
