package dev.jvswitch.ofproto.bridge;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import dev.jvswitch.ofproto.port.OfPorts;

/**
 * A port of a bridge as OpenFlow sees it: its OpenFlow number, the datapath port it maps to, and
 * how NORMAL treats VLANs on it.
 *
 * <p>One datapath serves every bridge, so datapath port numbers are unique across bridges while
 * OpenFlow numbers are per bridge. A patch port has no datapath port ({@link #NO_DP_PORT}): it
 * names its {@link #patchPeer()}, a port of another bridge, and translation continues there.
 * The bridge's own port ({@link OfPorts#LOCAL}, {@link #local}) has neither: it stands for the
 * switch's own addresses on the bridge, a tunnel endpoint's (see {@code ofproto.tnl}), and what
 * is output to it is for the switch itself.
 *
 * @param ofPort     1..{@link OfPorts#MAX}, or {@link OfPorts#LOCAL} for the bridge's own port
 * @param dpPort     datapath port number, or {@link #NO_DP_PORT} for a patch port
 * @param name       unique in the whole switch
 * @param tag        access VLAN or native VLAN (0..4095), or {@link #NO_TAG} for a trunk port
 * @param trunks     VLANs a trunk or native port carries; empty means all (immutable, sorted)
 * @param patchPeer  name of the peer port for a patch port, else null
 * @param vlanMode   how NORMAL treats VLANs on it: {@link VlanMode#ACCESS} with a tag,
 *                   {@link VlanMode#TRUNK} without one, or a native mode with a tag
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record OfPort(int ofPort, int dpPort, String name, int tag, Set<Integer> trunks, String patchPeer,
        VlanMode vlanMode) {
    public static final int NO_DP_PORT = -1;
    public static final int NO_TAG = -1;

    public OfPort {
        if (!OfPorts.isPhysical(ofPort) && ofPort != OfPorts.LOCAL) {
            throw new IllegalArgumentException("port " + name + ": OpenFlow port " + ofPort + " out of range 1.."
                    + OfPorts.MAX);
        }
        Objects.requireNonNull(name, "name");
        boolean local = ofPort == OfPorts.LOCAL && patchPeer == null && dpPort == NO_DP_PORT;
        if (!local && (patchPeer == null) == (dpPort == NO_DP_PORT)) {
            throw new IllegalArgumentException("port " + name
                    + ": a port has either a datapath port or a patch peer, not both or neither");
        }
        if (dpPort != NO_DP_PORT && (dpPort < 0 || dpPort > 65535)) {
            throw new IllegalArgumentException("port " + name + ": datapath port " + dpPort + " out of range");
        }
        if (tag != NO_TAG && (tag < 0 || tag > 4095)) {
            throw new IllegalArgumentException("port " + name + ": tag " + tag + " out of range 0..4095");
        }
        for (int v : trunks) {
            if (v < 0 || v > 4095) {
                throw new IllegalArgumentException("port " + name + ": trunk VLAN " + v + " out of range 0..4095");
            }
        }
        java.util.Objects.requireNonNull(vlanMode, "vlanMode");
        if (vlanMode.isNative() ? tag == NO_TAG : (vlanMode == VlanMode.ACCESS) != (tag != NO_TAG)) {
            throw new IllegalArgumentException("port " + name + ": vlan mode " + vlanMode + " with tag " + tag);
        }
        if (vlanMode == VlanMode.ACCESS && !trunks.isEmpty()) {
            throw new IllegalArgumentException("port " + name + ": tag and trunks exclude each other");
        }
        trunks = Collections.unmodifiableSortedSet(new TreeSet<>(trunks));
    }

    /** An access port with {@code tag}, else a trunk port. */
    public OfPort(int ofPort, int dpPort, String name, int tag, Set<Integer> trunks, String patchPeer) {
        this(ofPort, dpPort, name, tag, trunks, patchPeer, tag == NO_TAG ? VlanMode.TRUNK : VlanMode.ACCESS);
    }

    /** A trunk port for every VLAN. */
    public static OfPort trunk(int ofPort, int dpPort, String name) {
        return new OfPort(ofPort, dpPort, name, NO_TAG, Set.of(), null);
    }

    /** An access port in VLAN {@code tag}. */
    public static OfPort access(int ofPort, int dpPort, String name, int tag) {
        return new OfPort(ofPort, dpPort, name, tag, Set.of(), null);
    }

    /** A patch port joined to {@code peer} (a port of another bridge). */
    public static OfPort patch(int ofPort, String name, String peer) {
        return new OfPort(ofPort, NO_DP_PORT, name, NO_TAG, Set.of(), peer);
    }

    /** The bridge's own port, for the switch's addresses on it (a tunnel endpoint). */
    public static OfPort local(String name) {
        return new OfPort(OfPorts.LOCAL, NO_DP_PORT, name, NO_TAG, Set.of(), null);
    }

    /** True for the bridge's own port ({@link #local}): no datapath port, no peer. */
    public boolean isLocal() {
        return ofPort == OfPorts.LOCAL && dpPort == NO_DP_PORT && patchPeer == null;
    }

    /** True for a port with a datapath port (neither patch nor the bridge's own). */
    public boolean hasDpPort() {
        return dpPort != NO_DP_PORT;
    }

    public boolean isPatch() {
        return patchPeer != null;
    }

    /**
     * True if NORMAL may carry VLAN {@code vlan} on this port (as the packet's VLAN inside the
     * bridge). A native port with a native VLAN other than 0 always carries it and never VLAN 0
     * (an untagged frame is in the native VLAN), as OVS forces its trunks.
     */
    public boolean carriesVlan(int vlan) {
        if (vlanMode == VlanMode.ACCESS) {
            return vlan == tag;
        }
        if (vlanMode.isNative() && tag != 0) {
            if (vlan == tag) {
                return true;
            }
            if (vlan == 0) {
                return false;
            }
        }
        return trunks.isEmpty() || trunks.contains(vlan);
    }

    /** Whether a frame of VLAN {@code vlan} leaves this port untagged (OVS's {@code xvlan_output_translate}). */
    public boolean sendsUntagged(int vlan) {
        return vlan == 0 || vlanMode == VlanMode.ACCESS || vlanMode == VlanMode.NATIVE_UNTAGGED && vlan == tag;
    }
}
