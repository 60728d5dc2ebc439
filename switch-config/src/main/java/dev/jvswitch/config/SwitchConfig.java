package dev.jvswitch.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.jvswitch.pmd.DatapathConfig;

/**
 * A validated configuration: everything the daemon needs to start or reload, as one immutable
 * snapshot per consumer, and the line of every key it was read from (for errors found only when
 * the config is applied). A producer (the YAML loader; later the OVSDB client) validates once,
 * fills every default, and builds this; consumers trust it.
 *
 * <p>Immutable. A running daemon publishes the current one behind a single reference stored with
 * release semantics, so any thread may read it whole.
 *
 * @param file           the config file as the user named it
 * @param datapath       the datapath's snapshot ({@code datapath} section; handed to
 *                       {@code Datapath} as is)
 * @param revalidators   the revalidators' snapshot ({@code datapath} section)
 * @param bridgeDefaults what a bridge that sets none of its own settings gets (ofproto's
 *                       defaults, or the deprecated {@code datapath.mac-*} keys)
 * @param mempool        the pool's snapshot ({@code mempool} section)
 * @param bridges        bridges by name, in file order
 * @param control        the {@code control} section
 * @param lines          line of each dotted key path read
 * @param warnings       what the load reported without refusing the file (deprecated keys), in
 *                       file order; the daemon logs them
 * @param routes         static routes for tunnels ({@code routes}), in file order
 * @param conntrack      the connection tracker's defaults ({@code conntrack} section)
 * @param mirrors        port mirrors ({@code mirrors}), in file order
 */
public record SwitchConfig(String file, DatapathConfig datapath, RevalidatorSettings revalidators,
        BridgeSettings bridgeDefaults, MempoolSettings mempool, Map<String, BridgeSpec> bridges,
        ControlSettings control, Map<String, Integer> lines, List<ConfigError> warnings, List<RouteSpec> routes,
        ConntrackSettings conntrack, List<MirrorSettings> mirrors) {

    public SwitchConfig {
        java.util.Objects.requireNonNull(conntrack, "conntrack");
        bridges = Collections.unmodifiableMap(new LinkedHashMap<>(bridges));
        lines = Map.copyOf(lines);
        warnings = List.copyOf(warnings);
        routes = List.copyOf(routes);
        mirrors = List.copyOf(mirrors);
    }

    /** A config without mirrors, with the connection tracker's defaults. */
    public SwitchConfig(String file, DatapathConfig datapath, RevalidatorSettings revalidators,
            BridgeSettings bridgeDefaults, MempoolSettings mempool, Map<String, BridgeSpec> bridges,
            ControlSettings control, Map<String, Integer> lines, List<ConfigError> warnings, List<RouteSpec> routes) {
        this(file, datapath, revalidators, bridgeDefaults, mempool, bridges, control, lines, warnings, routes,
                ConntrackSettings.DEFAULTS, List.of());
    }

    /** A config without mirrors. */
    public SwitchConfig(String file, DatapathConfig datapath, RevalidatorSettings revalidators,
            BridgeSettings bridgeDefaults, MempoolSettings mempool, Map<String, BridgeSpec> bridges,
            ControlSettings control, Map<String, Integer> lines, List<ConfigError> warnings, List<RouteSpec> routes,
            ConntrackSettings conntrack) {
        this(file, datapath, revalidators, bridgeDefaults, mempool, bridges, control, lines, warnings, routes,
                conntrack, List.of());
    }

    /** A config with the connection tracker's defaults. */
    public SwitchConfig(String file, DatapathConfig datapath, RevalidatorSettings revalidators,
            BridgeSettings bridgeDefaults, MempoolSettings mempool, Map<String, BridgeSpec> bridges,
            ControlSettings control, Map<String, Integer> lines, List<ConfigError> warnings, List<RouteSpec> routes,
            List<MirrorSettings> mirrors) {
        this(file, datapath, revalidators, bridgeDefaults, mempool, bridges, control, lines, warnings, routes,
                ConntrackSettings.DEFAULTS, mirrors);
    }

    /** A config without static routes. */
    public SwitchConfig(String file, DatapathConfig datapath, RevalidatorSettings revalidators,
            BridgeSettings bridgeDefaults, MempoolSettings mempool, Map<String, BridgeSpec> bridges,
            ControlSettings control, Map<String, Integer> lines, List<ConfigError> warnings) {
        this(file, datapath, revalidators, bridgeDefaults, mempool, bridges, control, lines, warnings, List.of());
    }

    /** Line of {@code keyPath} (e.g. {@code datapath.pmd-cpu-mask}), or 1 if it was not in the file. */
    public int line(String keyPath) {
        return lines.getOrDefault(keyPath, 1);
    }

    /** A {@link ConfigError} at {@code keyPath}'s line. */
    public ConfigError error(String keyPath, String message) {
        return new ConfigError(file, line(keyPath), keyPath, message);
    }

    /** CPUs with one PMD each, ascending ({@code pmd-cpu-mask}). */
    public List<Integer> pmdCpus() {
        List<Integer> out = new ArrayList<>();
        for (int cpu : datapath.pmdCpus()) {
            out.add(cpu);
        }
        return out;
    }

    /** Index of the PMD on {@code cpu}, or -1. */
    public int pmdIndexOfCpu(int cpu) {
        return pmdCpus().indexOf(cpu);
    }

    /** Every port of every bridge, bridges in file order. */
    public List<PortSpec> ports() {
        List<PortSpec> all = new ArrayList<>();
        for (BridgeSpec b : bridges.values()) {
            all.addAll(b.ports().values());
        }
        return all;
    }

    /** The port called {@code name} in any bridge, or null. */
    public PortSpec port(String name) {
        for (BridgeSpec b : bridges.values()) {
            PortSpec p = b.ports().get(name);
            if (p != null) {
                return p;
            }
        }
        return null;
    }
}
