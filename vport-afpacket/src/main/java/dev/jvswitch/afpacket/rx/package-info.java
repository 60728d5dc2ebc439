/**
 * The AF_PACKET rx stage: the receive ring readers behind {@link dev.jvswitch.afpacket.rx.ReceiveRing}
 * (per-frame TPACKET_V2 slots, {@link dev.jvswitch.afpacket.rx.Tpacket2RxRing}, the default; or
 * TPACKET_V3 blocks, {@link dev.jvswitch.afpacket.rx.RxRing}), flyweights over the kernel's
 * headers, what both do per frame ({@code RxFrameCopier}), and software checksum completion.
 */
package dev.jvswitch.afpacket.rx;
