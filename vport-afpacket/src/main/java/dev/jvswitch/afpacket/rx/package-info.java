/**
 * The AF_PACKET rx stage: the receive ring readers under {@link dev.jvswitch.afpacket.rx.ReceiveRing}
 * (per-frame TPACKET_V2 slots, {@link dev.jvswitch.afpacket.rx.Tpacket2RxRing}, the default; or
 * TPACKET_V3 blocks, {@link dev.jvswitch.afpacket.rx.Tpacket3RxRing}), which differ only in how they
 * find frames and give them back; what all do per frame ({@code RxFrameCopier}); flyweights over the
 * V3 headers (the V2 slot's is {@link dev.jvswitch.afpacket.sys.Tpacket2Flyweight}); and software
 * checksum completion.
 */
package dev.jvswitch.afpacket.rx;
