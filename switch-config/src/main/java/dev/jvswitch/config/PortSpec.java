package dev.jvswitch.config;

import java.util.List;
import java.util.Map;

/**
 * One port of a bridge ({@code bridges.BRIDGE.ports.NAME}).
 *
 * @param bridge      the bridge it belongs to
 * @param name        port name, unique in the whole switch
 * @param type        port type, a {@code NetdevProvider} type ({@code afpacket}, {@code null}, ...), or
 *                    {@value #PATCH}: a port with no device that joins its bridge to another
 *                    ({@code options: peer}, the patch port at the other end)
 * @param ofport      OpenFlow port number in its bridge, 1..65279, or {@value #LOCAL} for the
 *                    bridge's own port (a device named like the bridge)
 * @param options     type options, as strings
 * @param tag         access VLAN (native VLAN with a {@code vlanMode}), or {@link #NO_TAG}
 * @param trunks      VLANs of a trunk port (empty: all), ascending
 * @param rxqAffinity {@code pmd-rxq-affinity}: rx queue id to CPU, in the file's order
 * @param line        line of the port's name
 * @param bond        the bond it is a member of, or null
 * @param vlanMode    null (an access port with a tag, else a trunk), or {@value #NATIVE_TAGGED} or
 *                    {@value #NATIVE_UNTAGGED}: a trunk whose untagged frames are in the native
 *                    VLAN {@code tag} (0 if none), which leaves tagged or untagged
 */
public record PortSpec(String bridge, String name, String type, int ofport, Map<String, String> options, int tag,
        List<Integer> trunks, Map<Integer, Integer> rxqAffinity, int line, BondSpec bond, String vlanMode) {
    public static final int NO_TAG = -1;
    /** The type of a patch port: no device, translation goes on in the peer's bridge. */
    public static final String PATCH = "patch";
    /** OpenFlow's LOCAL port number: the bridge's own port. */
    public static final int LOCAL = 65_534;
    /** OVS's {@code vlan_mode=native-tagged}. */
    public static final String NATIVE_TAGGED = "native-tagged";
    /** OVS's {@code vlan_mode=native-untagged}. */
    public static final String NATIVE_UNTAGGED = "native-untagged";

    public PortSpec {
        if (vlanMode != null && !vlanMode.equals(NATIVE_TAGGED) && !vlanMode.equals(NATIVE_UNTAGGED)) {
            throw new IllegalArgumentException("port " + name + ": vlan mode " + vlanMode);
        }
        if (vlanMode != null && tag < 0) {
            throw new IllegalArgumentException("port " + name + ": " + vlanMode + " needs a native VLAN");
        }
        options = Map.copyOf(options);
        trunks = List.copyOf(trunks);
        rxqAffinity = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rxqAffinity));
    }

    /** A port in no bond. */
    public PortSpec(String bridge, String name, String type, int ofport, Map<String, String> options, int tag,
            List<Integer> trunks, Map<Integer, Integer> rxqAffinity, int line) {
        this(bridge, name, type, ofport, options, tag, trunks, rxqAffinity, line, null);
    }

    /** A port with {@code tag} as its access VLAN (none: a trunk). */
    public PortSpec(String bridge, String name, String type, int ofport, Map<String, String> options, int tag,
            List<Integer> trunks, Map<Integer, Integer> rxqAffinity, int line, BondSpec bond) {
        this(bridge, name, type, ofport, options, tag, trunks, rxqAffinity, line, bond, null);
    }

    /** Whether {@code other} opens the same netdev the same way (so a reload can keep it). */
    public boolean sameNetdev(PortSpec other) {
        return type.equals(other.type) && options.equals(other.options) && rxqAffinity.equals(other.rxqAffinity);
    }

    /** Whether {@code other} looks the same to the slow path (bridge, OpenFlow number, VLANs, patch peer, bond). */
    public boolean sameOpenFlow(PortSpec other) {
        return bridge.equals(other.bridge) && ofport == other.ofport && tag == other.tag && trunks.equals(other.trunks)
                && isPatch() == other.isPatch() && (!isPatch() || options.equals(other.options))
                && java.util.Objects.equals(bond, other.bond) && java.util.Objects.equals(vlanMode, other.vlanMode);
    }

    /** A patch port: no datapath port, only a peer ({@link #patchPeer()}). */
    public boolean isPatch() {
        return PATCH.equals(type);
    }

    /** A patch port's peer (option {@code peer}), or null. */
    public String patchPeer() {
        return isPatch() ? options.get("peer") : null;
    }
}
