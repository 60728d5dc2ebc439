/**
 * The daemon: {@link dev.jvswitch.vswitchd.Jvswitchd} loads and validates the config (module
 * switch-config), builds the switch ({@code run}), and runs the control thread as an Agrona agent
 * ({@link dev.jvswitch.vswitchd.ControlAgent}, with its {@link dev.jvswitch.vswitchd.ControlProxy}
 * for signal handlers and its selector-blocking idle strategy) that serves the control socket
 * ({@code control}), reloads and ticks, until a shutdown request; then it shuts down cleanly.
 * {@code ctl} is the jvsctl client; {@code slowpath} is the seam where the OpenFlow slow path
 * plugs in; {@code config} maps the config model onto ofproto's types.
 */
package dev.jvswitch.vswitchd;
