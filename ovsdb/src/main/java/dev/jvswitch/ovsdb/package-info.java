/**
 * The OVSDB client (RFC 7047, JSON through Jackson): follows the {@code Open_vSwitch} database,
 * turns what it reads into a switch-config snapshot, as the YAML loader does, and writes status
 * back. Nothing lives here yet; a class arrives with the code that makes it work.
 *
 * <p>Floor 5: it will depend on switch-config alone (that module does not exist yet, so this one
 * depends on nothing of ours for now). OVSDB row types never leave it: the rest of the switch
 * sees only switch-config snapshots. Nothing on a lower floor imports it, and it never imports
 * {@code dev.jvswitch.openflow..} (the same floor) or {@code dev.jvswitch.vswitchd..} (above). The
 * module-floor test enforces this.
 */
package dev.jvswitch.ovsdb;
