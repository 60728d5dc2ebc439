/**
 * The AF_PACKET rx stage: the TPACKET_V3 ring reader ({@link dev.jvswitch.afpacket.rx.RxRing}),
 * flyweights over the kernel's block and frame headers, and software checksum completion.
 */
package dev.jvswitch.afpacket.rx;
