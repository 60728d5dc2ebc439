/** OpenFlow matches: value and mask over the flow key, with prerequisites checked. */
package dev.jvswitch.ofproto.match;
