/**
 * Packet capture: port mirrors written as pcap ({@code jvsctl mirror/start PORT FILE}, and
 * {@code bin/jvs-tcpdump}, which points one at a FIFO that tcpdump reads). The PMDs copy into
 * pmd-core's {@code PacketTap}s; a {@link MirrorSession} thread per mirror drains them into the
 * file, bounded in bytes; {@link MirrorManager} starts, stops and shows them.
 */
package dev.jvswitch.vswitchd.capture;
