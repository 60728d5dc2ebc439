/**
 * Tunnels on the OpenFlow side, shared by every tunnel type (VXLAN, Geneve): the output hook
 * translation calls for a tunnel port ({@link dev.jvswitch.ofproto.tnl.TunnelOutput}, with the part
 * of the translation it may use, {@link dev.jvswitch.ofproto.tnl.TunnelContext}).
 *
 * <p>This is where OVS keeps {@code ovs-router} (the route table that picks the underlay source
 * and next hop for a tunnel destination), {@code tnl-neigh-cache} (ARP and ND answers for those
 * next hops; a change bumps {@code revalSeq} as a MAC move does) and {@code tnl-ports} (which
 * received packet belongs to which tunnel port, for the pop on the way in). They are built here
 * when tunnels are; the datapath half of a tunnel (header template, push, pop) stays in its vport
 * module, which never imports ofproto.
 *
 * <p>Floor: imports only {@code bridge} and flowcache; translation imports it.
 */
package dev.jvswitch.ofproto.tnl;
