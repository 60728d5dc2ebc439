package dev.jvswitch.openflow.backend;

/**
 * One bridge port as OpenFlow describes it (port desc and port stats).
 *
 * @param ofport    OpenFlow port number
 * @param name      port name
 * @param mac       hardware address (48 bits)
 * @param linkUp    carrier
 * @param adminDown administratively down ({@code OFPPC_PORT_DOWN})
 */
public record PortInfo(int ofport, String name, long mac, boolean linkUp, boolean adminDown, long rxPackets,
        long txPackets, long rxBytes, long txBytes, long rxDropped, long txDropped, long rxErrors, long txErrors) {
}
