/**
 * Port mirroring for packet capture: a {@link PacketTap} on a port's rx or tx side, into which a
 * PMD copies the packets it receives or sends, bounded in rate and in ring space, never waiting;
 * another thread drains the copies (the daemon's pcap writer).
 */
package dev.jvswitch.pmd.mirror;
