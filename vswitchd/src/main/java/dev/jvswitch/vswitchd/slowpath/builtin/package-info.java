/**
 * The stand-in slow path until ofproto-xlate lands: one table per bridge in a small part of
 * ovs-ofctl's syntax, an L2 learning switch as NORMAL, and revalidation on the control thread.
 */
package dev.jvswitch.vswitchd.slowpath.builtin;
