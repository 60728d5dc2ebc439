package dev.jvswitch.ofproto.bridge;

/** How NORMAL treats VLANs on a port (OVS's {@code vlan_mode}, the two modes jvswitch has). */
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
    TRUNK
}
