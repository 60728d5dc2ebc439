/**
 * The daemon's view of the OpenFlow side: {@link dev.jvswitch.vswitchd.slowpath.SlowPath}, its
 * implementation on ofproto-xlate ({@link dev.jvswitch.vswitchd.slowpath.OfprotoSlowPath}), and
 * {@link dev.jvswitch.vswitchd.slowpath.SlowPaths}, the one place that picks the implementation.
 */
package dev.jvswitch.vswitchd.slowpath;
