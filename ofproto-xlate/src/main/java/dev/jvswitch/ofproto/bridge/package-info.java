/** Bridges and their OpenFlow ports, mapped to datapath ports. */
package dev.jvswitch.ofproto.bridge;
