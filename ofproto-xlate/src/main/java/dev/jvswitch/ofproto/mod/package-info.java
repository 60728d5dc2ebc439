/**
 * The flow-mod model: what may change in a bridge and what a dump reports, as plain immutable
 * records in OpenFlow's terms (OVS's {@code ofputil_*} structures).
 *
 * <ul>
 *   <li>changes ({@link dev.jvswitch.ofproto.mod.OfMod}): {@link dev.jvswitch.ofproto.mod.FlowMod}
 *       with its {@link dev.jvswitch.ofproto.mod.Instruction}s, {@link dev.jvswitch.ofproto.mod.GroupMod},
 *       {@link dev.jvswitch.ofproto.mod.PortMod};</li>
 *   <li>what a change did: {@link dev.jvswitch.ofproto.mod.ModResult}, with a
 *       {@link dev.jvswitch.ofproto.mod.FlowRemoved} per rule gone;</li>
 *   <li>dumps: {@link dev.jvswitch.ofproto.mod.FlowStatsRequest} in,
 *       {@link dev.jvswitch.ofproto.mod.FlowStats} out (groups dump as
 *       {@link dev.jvswitch.ofproto.group.Group}).</li>
 * </ul>
 *
 * <p><b>Producers and consumers.</b> The ovs-ofctl text syntax ({@code ofproto.syntax}) is one
 * producer of changes and one printer of dumps; the OpenFlow channel is another of each, on the
 * same records. {@code Ofproto} is the consumer: {@code apply(bridge, mods)} commits a list as one
 * new table version and refuses, with a one-line message naming it, what translation cannot do
 * yet. The records check their own ranges, so a model that exists is well-formed; whether it fits
 * a bridge (groups that exist, ports that exist, overlaps) is the consumer's to check.
 *
 * <p>Floor: imports {@code port}, {@code match}, {@code action}, {@code group} and flowcache;
 * {@code table}, {@code syntax} and the façade import it.
 */
package dev.jvswitch.ofproto.mod;
