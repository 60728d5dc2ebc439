/**
 * OpenFlow port numbers ({@link dev.jvswitch.ofproto.port.OfPorts}): the bottom of ofproto, imported by every
 * package that names a port (actions, buckets, bridges, the flow-mod model, translation) and importing none.
 */
package dev.jvswitch.ofproto.port;
