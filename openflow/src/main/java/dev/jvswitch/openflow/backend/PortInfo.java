package dev.jvswitch.openflow.backend;

/**
 * One bridge port as OpenFlow describes it (port desc and port stats).
 *
 * @param ofport    OpenFlow port number
 * @param name      port name
 * @param mac       hardware address (48 bits)
 * @param linkUp    carrier
 * @param config    the port config bits port mods set ({@code OFPPC_*}, OpenFlow 1.0 values)
 */
public record PortInfo(int ofport, String name, long mac, boolean linkUp, int config, long rxPackets,
        long txPackets, long rxBytes, long txBytes, long rxDropped, long txDropped, long rxErrors, long txErrors) {
    /** {@code OFPPC_PORT_DOWN}. */
    public static final int PORT_DOWN = 1;

    /** Administratively down ({@code OFPPC_PORT_DOWN}): it neither receives nor sends. */
    public boolean adminDown() {
        return (config & PORT_DOWN) != 0;
    }

    /** Live as OpenFlow reports it: carrier, and not administratively down (as OVS, whose netdev goes down). */
    public boolean live() {
        return linkUp && !adminDown();
    }
}
