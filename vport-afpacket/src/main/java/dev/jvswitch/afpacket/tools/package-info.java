/** Command-line tools over AF_PACKET ports: the io-mode forwarder {@link dev.jvswitch.afpacket.tools.L2Fwd}. */
package dev.jvswitch.afpacket.tools;
