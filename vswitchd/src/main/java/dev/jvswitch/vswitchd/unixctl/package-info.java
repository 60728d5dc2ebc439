/**
 * OVS's unixctl socket ({@code RUNDIR/ovs-vswitchd.ctl}): {@code ovs-appctl -t} talks to
 * jvswitchd as it talks to ovs-vswitchd, with OVS's JSON-RPC unixctl protocol, and gets the
 * answers {@code jvsctl} gets.
 */
package dev.jvswitch.vswitchd.unixctl;
