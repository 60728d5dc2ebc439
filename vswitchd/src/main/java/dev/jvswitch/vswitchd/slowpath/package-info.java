/**
 * The daemon's view of the OpenFlow side: {@link dev.jvswitch.vswitchd.slowpath.SlowPath}, what
 * ofproto-xlate implements to plug in, and {@link dev.jvswitch.vswitchd.slowpath.SlowPaths}, the
 * one place that picks the implementation.
 */
package dev.jvswitch.vswitchd.slowpath;
