/**
 * XDP sockets over the mbuf pool: the pool as a UMEM ({@link dev.jvswitch.afxdp.xsk.Umem}), the
 * four rings as flyweights over their mappings ({@link dev.jvswitch.afxdp.xsk.ProducerRing},
 * {@link dev.jvswitch.afxdp.xsk.ConsumerRing}), and a socket's receive and transmit halves
 * ({@link dev.jvswitch.afxdp.xsk.XskRx}, {@link dev.jvswitch.afxdp.xsk.XskTx}), which check every
 * descriptor the kernel writes before they touch a byte of the frame it names.
 */
package dev.jvswitch.afxdp.xsk;
