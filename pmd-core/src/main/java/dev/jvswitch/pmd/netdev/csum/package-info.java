/**
 * Checksum work that more than one port type needs on receive:
 * {@link dev.jvswitch.pmd.netdev.csum.ChecksumCompleter} finishes the TCP/UDP checksums a local
 * sender left to offload. It sits below the vport modules because they share a floor and may not
 * import each other.
 */
package dev.jvswitch.pmd.netdev.csum;
