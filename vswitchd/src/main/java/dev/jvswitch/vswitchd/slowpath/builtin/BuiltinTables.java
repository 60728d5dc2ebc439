package dev.jvswitch.vswitchd.slowpath.builtin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.jvswitch.vswitchd.slowpath.BridgeView.PortView;

/**
 * Every bridge of the built-in slow path at one version, found by name or by datapath in_port.
 *
 * <p><b>Thread-safety:</b> immutable; published through a volatile field that PMDs read once per
 * upcall.
 */
final class BuiltinTables {
    static final BuiltinTables EMPTY = new BuiltinTables(Map.of());

    final Map<String, BridgeState> byName;
    private final BridgeState[] byDpPort;

    BuiltinTables(Map<String, BridgeState> bridges) {
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(bridges));
        int max = 0;
        for (BridgeState b : bridges.values()) {
            for (PortView p : b.ports) {
                max = Math.max(max, p.dpPort());
            }
        }
        this.byDpPort = new BridgeState[max + 1];
        for (BridgeState b : bridges.values()) {
            for (PortView p : b.ports) {
                byDpPort[p.dpPort()] = b;
            }
        }
    }

    /** The bridge datapath port {@code dpPort} belongs to, or null. */
    BridgeState bridgeOfDpPort(int dpPort) {
        return dpPort >= 0 && dpPort < byDpPort.length ? byDpPort[dpPort] : null;
    }

    BuiltinTables with(BridgeState b) {
        Map<String, BridgeState> m = new LinkedHashMap<>(byName);
        m.put(b.name, b);
        return new BuiltinTables(m);
    }
}
