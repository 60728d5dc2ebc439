/** The AF_PACKET tx stage: the TPACKET_V2 transmit ring ({@link dev.jvswitch.afpacket.tx.TxRing}) and its slot flyweight. */
package dev.jvswitch.afpacket.tx;
