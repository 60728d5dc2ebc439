/**
 * VXLAN and Geneve tunnel ports (types {@code vxlan} and {@code geneve}): the datapath half only,
 * as in OVS's userspace datapath ("native tunnelling"). Geneve's classes
 * ({@link dev.jvswitch.vxlan.GeneveTunnel}, {@link dev.jvswitch.vxlan.GeneveProvider}) mirror
 * VXLAN's below, with a header of eight bytes and options; both share the port class.
 *
 * <ul>
 *   <li>{@link dev.jvswitch.vxlan.VxlanTunnel}: the VXLAN header on top of pmd-core's
 *       {@link dev.jvswitch.pmd.tunnel.UdpTunnel}, which builds, pushes and pops the outer
 *       Ethernet, IPv4/IPv6 and UDP headers for every UDP tunnel type;</li>
 *   <li>{@link dev.jvswitch.vxlan.TunnelNetdev}: the port in the datapath, whose number
 *       {@code tnl_push}/{@code tnl_pop} name and which carries no frames of its own;</li>
 *   <li>{@link dev.jvswitch.vxlan.VxlanProvider}: type {@code vxlan} for
 *       {@link java.util.ServiceLoader}, options checked by
 *       {@link dev.jvswitch.pmd.tunnel.TunnelConfig}.</li>
 * </ul>
 *
 * <p>Routes, neighbour resolution and the tunnel port table stay with translation
 * ({@code ofproto.tnl}), which builds the {@code tnl_push} actions; this module never imports
 * ofproto or vswitchd.
 */
package dev.jvswitch.vxlan;
