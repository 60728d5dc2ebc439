/**
 * The daemon's handle on ofproto: {@link dev.jvswitch.vswitchd.ofproto.OfprotoService} owns the
 * {@code Ofproto} (bridges, tables, groups, MAC tables, trace) and its revalidators, takes the
 * flow-mod model ({@code FlowMod}, {@code GroupMod}, {@code PortMod}) and returns models
 * ({@code ModResult}, {@code FlowStats}, groups, MAC entries, the revalidators' snapshot), and
 * makes every table change wait until the datapath forwards by it.
 *
 * <p>Text lives at the edges: the control command handlers parse ovs-ofctl text and print the
 * results ({@code dev.jvswitch.vswitchd.control.SwitchCommands}); config lines are checked
 * ({@link dev.jvswitch.vswitchd.ofproto.OfprotoFlowChecker}) and parsed
 * ({@link dev.jvswitch.vswitchd.ofproto.ConfigFlows}) here with their file and line;
 * {@link dev.jvswitch.vswitchd.ofproto.FdbFormat} prints {@code fdb/show}.
 */
package dev.jvswitch.vswitchd.ofproto;
