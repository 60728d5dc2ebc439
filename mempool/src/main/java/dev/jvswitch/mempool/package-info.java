/**
 * Packet memory: one off-heap arena per {@link dev.jvswitch.mempool.MbufPool}, carved into
 * fixed-size {@link dev.jvswitch.mempool.Mbuf}s, handed out through per-thread
 * {@link dev.jvswitch.mempool.MbufCache}s in front of a lock-free ring, and moved through the
 * datapath in {@link dev.jvswitch.mempool.PacketBatch}es of up to 32.
 */
package dev.jvswitch.mempool;
