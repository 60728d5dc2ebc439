/**
 * jvswitchd under {@code ovsdb-server} ({@code --db}): the daemon's side of the OVSDB client —
 * snapshots from the database applied through the same reload plan as a YAML reload, with ports
 * that cannot be opened left out and reported in their {@code Interface.error}; the switch's
 * status gathered for write-back; the check that no other vswitchd serves the database.
 */
package dev.jvswitch.vswitchd.db;
