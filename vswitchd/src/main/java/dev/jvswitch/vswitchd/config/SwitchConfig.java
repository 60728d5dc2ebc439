package dev.jvswitch.vswitchd.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated config file: everything the daemon needs to start or reload, and the line of every
 * key it read (for errors found only when the config is applied).
 *
 * <p>Immutable.
 *
 * @param file     the config file as the user named it
 * @param datapath the {@code datapath} section
 * @param mempool  the {@code mempool} section
 * @param bridges  bridges by name, in file order
 * @param control  the {@code control} section
 * @param lines    line of each dotted key path read
 */
public record SwitchConfig(String file, DatapathSettings datapath, MempoolSettings mempool,
        Map<String, BridgeSpec> bridges, ControlSettings control, Map<String, Integer> lines) {

    public SwitchConfig {
        bridges = Collections.unmodifiableMap(new LinkedHashMap<>(bridges));
        lines = Map.copyOf(lines);
    }

    /** Line of {@code keyPath} (e.g. {@code datapath.pmd-cpu-mask}), or 1 if it was not in the file. */
    public int line(String keyPath) {
        return lines.getOrDefault(keyPath, 1);
    }

    /** A {@link ConfigError} at {@code keyPath}'s line. */
    public ConfigError error(String keyPath, String message) {
        return new ConfigError(file, line(keyPath), keyPath, message);
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
