package dev.jvswitch.config;

import java.util.List;
import java.util.Map;

/**
 * One port of a bridge ({@code bridges.BRIDGE.ports.NAME}).
 *
 * @param bridge      the bridge it belongs to
 * @param name        port name, unique in the whole switch
 * @param type        port type, a {@code NetdevProvider} type ({@code afpacket}, {@code null}, ...)
 * @param ofport      OpenFlow port number in its bridge, 1..65279
 * @param options     type options, as strings
 * @param tag         access VLAN, or {@link #NO_TAG}
 * @param trunks      VLANs of a trunk port (empty: all), ascending
 * @param rxqAffinity {@code pmd-rxq-affinity}: rx queue id to CPU, in the file's order
 * @param line        line of the port's name
 */
public record PortSpec(String bridge, String name, String type, int ofport, Map<String, String> options, int tag,
        List<Integer> trunks, Map<Integer, Integer> rxqAffinity, int line) {
    public static final int NO_TAG = -1;

    public PortSpec {
        options = Map.copyOf(options);
        trunks = List.copyOf(trunks);
        rxqAffinity = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rxqAffinity));
    }

    /** Whether {@code other} opens the same netdev the same way (so a reload can keep it). */
    public boolean sameNetdev(PortSpec other) {
        return type.equals(other.type) && options.equals(other.options) && rxqAffinity.equals(other.rxqAffinity);
    }

    /** Whether {@code other} looks the same to the slow path (bridge, OpenFlow number, VLANs). */
    public boolean sameOpenFlow(PortSpec other) {
        return bridge.equals(other.bridge) && ofport == other.ofport && tag == other.tag && trunks.equals(other.trunks);
    }
}
