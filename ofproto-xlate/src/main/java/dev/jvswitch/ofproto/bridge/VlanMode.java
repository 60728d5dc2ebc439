package dev.jvswitch.ofproto.bridge;

/** How NORMAL treats VLANs on a port (OVS's {@code vlan_mode}, but {@code dot1q-tunnel}). */
public enum VlanMode {
    /**
     * {@code tag=N}: the port belongs to VLAN N. Frames arrive untagged (tagged ones are dropped)
     * and leave untagged; inside the bridge they are in VLAN N.
     */
    ACCESS,
    /**
     * No tag: frames carry their VLAN (untagged = VLAN 0). With a {@code trunks} list only those
     * VLANs are admitted and sent; with none, every VLAN is.
     */
    TRUNK,
    /**
     * A trunk whose untagged frames are in the native VLAN ({@code tag}, 0 without one); frames of
     * the native VLAN leave tagged. The native VLAN is always carried, and VLAN 0 then is not.
     */
    NATIVE_TAGGED,
    /** As {@link #NATIVE_TAGGED}, but frames of the native VLAN leave untagged. */
    NATIVE_UNTAGGED;

    /** True for the two modes with a native VLAN. */
    public boolean isNative() {
        return this == NATIVE_TAGGED || this == NATIVE_UNTAGGED;
    }
}
