/**
 * Tunnel header flyweights: the outer {@link dev.jvswitch.flowcache.tunnel.EthernetHeaderFlyweight
 * Ethernet}, {@link dev.jvswitch.flowcache.tunnel.Ipv4HeaderFlyweight IPv4},
 * {@link dev.jvswitch.flowcache.tunnel.Ipv6HeaderFlyweight IPv6} and
 * {@link dev.jvswitch.flowcache.tunnel.UdpHeaderFlyweight UDP} headers and the
 * {@link dev.jvswitch.flowcache.tunnel.VxlanHeaderFlyweight VXLAN} and
 * {@link dev.jvswitch.flowcache.tunnel.GeneveHeaderFlyweight Geneve} headers (and Geneve options'
 * text, {@link dev.jvswitch.flowcache.tunnel.GeneveOptionsText}). Each is a final class over an Agrona buffer with a bit diagram, {@code *_OFFSET}
 * constants, explicit big-endian access, {@code wrap(buffer, offset, length)} that checks the
 * length and returns {@code this}, and static accessors for the fields a push or pop touches per
 * packet.
 *
 * <p>They are the one place the tunnel header layout is spelled: the {@code tnl_push} action's
 * header syntax, canonical form and printer read and write templates through them, and tunnel
 * vports build templates and push/pop headers on mbufs with them. Hold one instance per agent
 * in a final field and never keep a wrap past a call.
 */
package dev.jvswitch.flowcache.tunnel;
