/**
 * Packet capture: port mirrors ({@code jvsctl mirror/start PORT FILE|iface=IFNAME}, the config's
 * {@code mirrors} section, and {@code bin/jvs-tcpdump}, which points one at a FIFO that tcpdump
 * reads). The PMDs copy into pmd-core's {@code PacketTap}s; a {@link MirrorSession} thread per
 * mirror drains them into its {@link MirrorOutput} (a pcap file, or a TAP or other interface:
 * {@link DeviceOutput}), bounded in bytes; {@link MirrorManager} starts, stops and shows them, and
 * keeps the config's equal to the config.
 */
package dev.jvswitch.vswitchd.capture;
