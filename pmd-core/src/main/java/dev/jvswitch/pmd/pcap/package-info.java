/**
 * The classic libpcap capture file format: a streaming {@link dev.jvswitch.pmd.pcap.PcapReader}
 * and {@link dev.jvswitch.pmd.pcap.PcapWriter} for tools and tests, and
 * {@link dev.jvswitch.pmd.pcap.PcapImage}, a whole file held in one off-heap block that the
 * {@code pcap} port replays from. Only Ethernet captures (link type 1) are accepted; pcapng is
 * not supported.
 */
package dev.jvswitch.pmd.pcap;
