package dev.jvswitch.ovsdb.mapping;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.jvswitch.config.SwitchConfig;

/**
 * What the database asks for, as the daemon takes it: the switch-config snapshot (the same model
 * the YAML loader produces) and, beside it, what the snapshot cannot say.
 *
 * @param config          the snapshot: every bridge and every interface that could be mapped
 * @param nextCfg         {@code Open_vSwitch.next_cfg} it was made from (to write back as
 *                        {@code cur_cfg} once applied)
 * @param interfaceErrors interfaces left out of {@code config}, by name, with the one line for
 *                        their {@code error} column
 * @param bridgePorts     interfaces that are their bridge's own internal port (OpenFlow LOCAL),
 *                        by name, with the bridge: present in the database, no port of the snapshot
 *                        (only in a build without TAP ports)
 * @param statsIntervalMs how often statistics go back ({@code other_config:stats-update-interval},
 *                        at least {@value #MIN_STATS_INTERVAL_MS} as OVS clamps it)
 * @param mtuRequests     {@code Interface.mtu_request} by interface name, for the interfaces that
 *                        have one: the daemon sets the device's MTU (not part of the snapshot, so
 *                        a changed request reopens no port)
 */
public record DbConfig(SwitchConfig config, long nextCfg, Map<String, String> interfaceErrors,
        Map<String, String> bridgePorts, long statsIntervalMs, Map<String, Integer> mtuRequests) {
    /** OVS's default and least {@code stats-update-interval}. */
    public static final long MIN_STATS_INTERVAL_MS = 5_000;

    public DbConfig {
        interfaceErrors = Collections.unmodifiableMap(new LinkedHashMap<>(interfaceErrors));
        bridgePorts = Collections.unmodifiableMap(new LinkedHashMap<>(bridgePorts));
        mtuRequests = Collections.unmodifiableMap(new LinkedHashMap<>(mtuRequests));
    }

    /** Every interface name the database holds (mapped, refused, or a bridge's own). */
    public Set<String> interfaceNames() {
        Set<String> all = new java.util.LinkedHashSet<>();
        config.ports().forEach(p -> all.add(p.name()));
        all.addAll(interfaceErrors.keySet());
        all.addAll(bridgePorts.keySet());
        return all;
    }

    /** This config with the tunnel routes {@code routes} (the host's, which the rows do not hold). */
    public DbConfig withRoutes(List<dev.jvswitch.config.RouteSpec> routes) {
        SwitchConfig c = config;
        SwitchConfig next = new SwitchConfig(c.file(), c.datapath(), c.revalidators(), c.bridgeDefaults(), c.mempool(),
                c.bridges(), c.control(), c.lines(), c.warnings(), routes, c.conntrack(), c.mirrors());
        return new DbConfig(next, nextCfg, interfaceErrors, bridgePorts, statsIntervalMs, mtuRequests);
    }

    /**
     * This config without the interfaces in {@code failed} (name to why), which join
     * {@link #interfaceErrors}: what the daemon retries with when ports could not be opened.
     */
    public DbConfig without(Map<String, String> failed) {
        Map<String, dev.jvswitch.config.BridgeSpec> bridges = new LinkedHashMap<>();
        for (dev.jvswitch.config.BridgeSpec b : config.bridges().values()) {
            Map<String, dev.jvswitch.config.PortSpec> ports = new LinkedHashMap<>(b.ports());
            ports.keySet().removeAll(failed.keySet());
            bridges.put(b.name(), new dev.jvswitch.config.BridgeSpec(b.name(), ports, b.flows(), b.groups(),
                    b.settings(), b.line(), b.endpoint(), b.openflow(), b.mirrors()));
        }
        SwitchConfig c = config;
        SwitchConfig next = new SwitchConfig(c.file(), c.datapath(), c.revalidators(), c.bridgeDefaults(), c.mempool(),
                bridges, c.control(), c.lines(), c.warnings(), c.routes(), c.conntrack(), c.mirrors());
        Map<String, String> errors = new LinkedHashMap<>(interfaceErrors);
        errors.putAll(failed);
        return new DbConfig(next, nextCfg, errors, bridgePorts, statsIntervalMs, mtuRequests);
    }
}
