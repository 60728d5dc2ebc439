/**
 * The OVSDB client (RFC 7047, JSON through Jackson): follows the {@code Open_vSwitch} database of
 * a running {@code ovsdb-server}, as ovs-vswitchd does, turns what it reads into the same
 * switch-config snapshot the YAML loader produces, and writes the switch's status back.
 *
 * <p>Packages, bottom up: {@code jsonrpc} (the wire: framing, messages, one connection over a
 * unix or tcp socket) → {@code data} (OVSDB's atoms, sets and maps; the replica of the monitored
 * tables) → {@code mapping} (rows to a {@code SwitchConfig}) and {@code status} (what the switch
 * reports, to {@code transact} operations) → the root: {@link dev.jvswitch.ovsdb.OvsdbClient},
 * the thread that connects, monitors, resynchronises and writes.
 *
 * <p>Floor 5: depends on switch-config alone. OVSDB row types and UUIDs never leave this module:
 * the daemon sees a {@code SwitchConfig} (plus, per interface, why it was left out) and reports
 * status by bridge and interface name. Nothing on a lower floor imports it, and it never imports
 * {@code dev.jvswitch.openflow..} (the same floor) or {@code dev.jvswitch.vswitchd..} (above).
 */
package dev.jvswitch.ovsdb;
