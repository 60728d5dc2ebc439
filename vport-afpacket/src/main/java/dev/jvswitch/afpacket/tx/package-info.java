/**
 * The AF_PACKET tx stage: the TPACKET_V2 transmit ring ({@link dev.jvswitch.afpacket.tx.TxRing}),
 * over the slot layout it shares with the receive ring ({@link dev.jvswitch.afpacket.sys.Tpacket2Flyweight}).
 */
package dev.jvswitch.afpacket.tx;
