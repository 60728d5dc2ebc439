package dev.jvswitch.vswitchd.slowpath.builtin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.jvswitch.vswitchd.slowpath.BridgeView.PortView;

/**
 * One bridge of the built-in slow path as of one table version: ports, rules sorted by priority
 * (highest first, earlier-added first among equals), and its MAC table (which lives across
 * versions).
 *
 * <p><b>Thread-safety:</b> immutable apart from the MAC table, which documents its own; a change
 * is a new instance published in a new {@link BuiltinTables}.
 */
final class BridgeState {
    final String name;
    final List<PortView> ports;
    final List<BuiltinRule> rules;
    final MacTable macs;
    private final Map<Integer, PortView> byOfport = new HashMap<>();
    private final Map<Integer, PortView> byDpPort = new HashMap<>();

    BridgeState(String name, List<PortView> ports, List<BuiltinRule> rules, MacTable macs) {
        this.name = name;
        this.ports = List.copyOf(ports);
        List<BuiltinRule> sorted = new ArrayList<>(rules);
        sorted.sort((a, b) -> Integer.compare(b.priority, a.priority));
        this.rules = Collections.unmodifiableList(sorted);
        this.macs = macs;
        for (PortView p : this.ports) {
            byOfport.put(p.ofport(), p);
            byDpPort.put(p.dpPort(), p);
        }
    }

    BridgeState withRules(List<BuiltinRule> newRules) {
        return new BridgeState(name, ports, newRules, macs);
    }

    BridgeState withPorts(List<PortView> newPorts) {
        return new BridgeState(name, newPorts, rules, macs);
    }

    PortView byOfport(int ofport) {
        return byOfport.get(ofport);
    }

    PortView byDpPort(int dpPort) {
        return byDpPort.get(dpPort);
    }
}
