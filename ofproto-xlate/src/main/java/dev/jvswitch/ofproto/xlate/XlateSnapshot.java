package dev.jvswitch.ofproto.xlate;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.jvswitch.ofproto.bridge.OfPort;

/**
 * Everything a translation reads, as of one moment: every bridge with its table snapshot, and
 * the maps from datapath ports and port names to bridge ports. The control thread builds a new
 * one for every change and publishes it with a release store; PMDs read the current one with an
 * acquire load at the start of each upcall and use it for the whole translation.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class XlateSnapshot {
    /** A port and the bridge it belongs to. */
    public record PortRef(XlateBridge bridge, OfPort port) {
    }

    /** No zone has a timeout policy of its own. */
    public static final java.util.function.IntToLongFunction NO_CT_TIMEOUT_POLICIES = zone -> -1;

    private final long version;
    private final java.util.function.IntToLongFunction ctTimeoutPolicies;
    private final Map<String, XlateBridge> bridges;
    private final Map<Integer, PortRef> byDpPort = new HashMap<>();
    private final Map<String, PortRef> byName = new HashMap<>();

    /**
     * @param version increases with every published snapshot
     * @throws IllegalArgumentException naming the port if two bridges use one datapath port or
     *                                  one port name
     */
    public XlateSnapshot(long version, List<XlateBridge> bridgeList) {
        this(version, bridgeList, NO_CT_TIMEOUT_POLICIES);
    }

    /**
     * As {@link #XlateSnapshot(long, List)}, with the datapath's zone timeout policies:
     * {@code ctTimeoutPolicies} gives a zone's policy id, or -1 for none (read on the slow path).
     */
    public XlateSnapshot(long version, List<XlateBridge> bridgeList,
            java.util.function.IntToLongFunction ctTimeoutPolicies) {
        this.version = version;
        this.ctTimeoutPolicies = ctTimeoutPolicies;
        Map<String, XlateBridge> m = new LinkedHashMap<>();
        for (XlateBridge b : bridgeList) {
            if (m.put(b.name(), b) != null) {
                throw new IllegalArgumentException("two bridges are called " + b.name());
            }
            for (OfPort p : b.config().ports()) {
                PortRef ref = new PortRef(b, p);
                if (byName.put(p.name(), ref) != null) {
                    throw new IllegalArgumentException("port " + p.name() + " is in two bridges");
                }
                if (p.hasDpPort() && byDpPort.put(p.dpPort(), ref) != null) {
                    throw new IllegalArgumentException("port " + p.name() + ": datapath port " + p.dpPort()
                            + " is used by another bridge");
                }
            }
        }
        this.bridges = Collections.unmodifiableMap(m);
    }

    public long version() {
        return version;
    }

    /** The timeout policy id of conntrack zone {@code zone} ({@code ct(commit,timeout=N)}), or -1. */
    public long ctTimeoutPolicy(int zone) {
        return ctTimeoutPolicies.applyAsLong(zone);
    }

    /** Bridges by name, in the order given. */
    public Map<String, XlateBridge> bridges() {
        return bridges;
    }

    public XlateBridge bridge(String name) {
        return bridges.get(name);
    }

    /** The bridge port on datapath port {@code dpPort}, or null. */
    public PortRef byDpPort(int dpPort) {
        return byDpPort.get(dpPort);
    }

    /** The port called {@code name} in any bridge, or null. */
    public PortRef byName(String name) {
        return byName.get(name);
    }

    /** The other end of patch port {@code port}, or null if it has none or the peer is missing. */
    public PortRef patchPeer(OfPort port) {
        if (!port.isPatch()) {
            return null;
        }
        PortRef peer = byName.get(port.patchPeer());
        return peer == null || !peer.port().isPatch() ? null : peer;
    }
}
