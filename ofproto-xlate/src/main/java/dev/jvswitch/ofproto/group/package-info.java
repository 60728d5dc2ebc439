/** OpenFlow groups and their buckets. */
package dev.jvswitch.ofproto.group;
