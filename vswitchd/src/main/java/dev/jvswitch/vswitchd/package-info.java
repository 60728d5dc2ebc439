/**
 * The daemon (issue 7): {@link dev.jvswitch.vswitchd.Jvswitchd} validates the config, builds the
 * switch ({@code run}), serves the control socket ({@code control}) from the control thread's
 * loop and shuts down cleanly; {@code ctl} is the jvsctl client; {@code slowpath} is the seam
 * where the OpenFlow slow path plugs in.
 */
package dev.jvswitch.vswitchd;
