/**
 * The daemon (issue 7): {@link dev.jvswitch.vswitchd.Jvswitchd} validates the config, builds the
 * switch ({@code run}), serves the control socket ({@code control}) from the control thread's
 * loop and shuts down cleanly; {@code ctl} is the jvsctl client; {@code ofproto} is the daemon's
 * handle on the OpenFlow side (bridges, flow/group/port mods, dumps, trace, fdb, revalidators).
 */
package dev.jvswitch.vswitchd;
