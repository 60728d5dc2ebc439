/**
 * VXLAN tunnel ports (type {@code vxlan}): the datapath half only, as in OVS's userspace
 * datapath. Nothing lives here yet; this is where it goes:
 *
 * <ul>
 *   <li>header template build: outer Ethernet, IPv4 or IPv6, UDP (destination port 4789 or the
 *       port's {@code dst_port}) and VXLAN headers for a tunnel's remote, written with
 *       {@link dev.jvswitch.flowcache.tunnel}'s flyweights into the byte template a
 *       {@code tnl_push} action carries;</li>
 *   <li>push: a {@link dev.jvswitch.pmd.netdev.TunnelOps} that prepends the template to a packet
 *       and fixes the lengths, the IPv4 checksum and the UDP source port (from the packet's RSS
 *       hash) in place;</li>
 *   <li>pop: checks a received VXLAN packet, strips its outer headers and moves the outer
 *       addresses, ports, TOS/TTL and VNI into the mbuf's tunnel metadata;</li>
 *   <li>a {@link dev.jvswitch.pmd.netdev.NetdevProvider} for type {@code vxlan} (an
 *       {@link dev.jvswitch.pmd.netdev.AbstractNetdev} whose queues carry no packets of their
 *       own), registered through {@code META-INF/services} once it does something, and a
 *       subclass of pmd-core's {@code NetdevContractTest}.</li>
 * </ul>
 *
 * <p>Routes, neighbour resolution and the tunnel port table stay with translation
 * ({@code ofproto/tnl}), which builds the {@code tnl_push} actions; this module never imports
 * ofproto or vswitchd.
 */
package dev.jvswitch.vxlan;
