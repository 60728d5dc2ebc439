/**
 * The OpenFlow side of the switch (OVS's {@code ofproto}): bridges, flow tables, groups, MAC
 * learning, translation of the datapath's misses into datapath actions, revalidation and trace.
 *
 * <p>This package is the top: {@link dev.jvswitch.ofproto.Ofproto}, the façade the daemon holds,
 * which consumes the flow-mod model ({@code mod}) and applies it to the tables
 * ({@code ModTransaction}), and {@link dev.jvswitch.ofproto.OfprotoRevalidation}, what its
 * revalidators call back. Nothing below imports it. The packages below, from the bottom up (each
 * imports only packages listed before it; jdeps finds no cycle):
 * <ol>
 *   <li>{@code port}: OpenFlow port numbers;</li>
 *   <li>{@code match}, {@code action}, {@code group}, {@code bridge}: matches, actions, groups and
 *       buckets, bridges and their ports;</li>
 *   <li>{@code mac}: MAC learning tables; {@code tnl}: the tunnel hook and, later, routes,
 *       neighbours and tunnel ports;</li>
 *   <li>{@code mod}: the flow-mod model (flow, group and port mods, flow stats, results);</li>
 *   <li>{@code table}: rules and the versioned classifier; {@code syntax}: ovs-ofctl text, one
 *       producer of the model (neither imports the other);</li>
 *   <li>{@code xlate} (with NORMAL), {@code upcall}, {@code trace}, {@code revalidate}.</li>
 * </ol>
 */
package dev.jvswitch.ofproto;
