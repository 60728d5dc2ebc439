/**
 * The daemon: {@link dev.jvswitch.vswitchd.Jvswitchd} loads and validates the config (module
 * switch-config), builds the switch ({@code run}), and runs the control thread as an Agrona agent
 * ({@link dev.jvswitch.vswitchd.ControlAgent}, with its {@link dev.jvswitch.vswitchd.ControlProxy}
 * for signal handlers and its selector-blocking idle strategy) that serves the control socket
 * ({@code control}), reloads and ticks, until a shutdown request; then it shuts down cleanly.
 * {@code ctl} is the jvsctl client; {@code ofproto} is the daemon's handle on the OpenFlow side
 * (bridges, flow/group/port mods, dumps, trace, fdb, revalidators); {@code config} maps the config
 * model onto ofproto's types.
 */
package dev.jvswitch.vswitchd;
