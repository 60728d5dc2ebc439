/**
 * AF_PACKET ports (type {@code afpacket}, issue 6): how jvswitch reaches real Linux interfaces.
 *
 * <p>A port ({@link dev.jvswitch.afpacket.AfPacketNetdev}) opens, through JNR-FFI
 * ({@link dev.jvswitch.afpacket.sys}), one TPACKET_V3 receive socket per rx queue (a
 * {@code PACKET_FANOUT_HASH} group when there are several) and one TPACKET_V2 send-only socket
 * per tx queue, each with an mmapped ring. The rx stage ({@link dev.jvswitch.afpacket.rx})
 * reads frames in place through flyweights over the ring, restores VLAN tags the kernel
 * stripped, completes checksums left to offload, and copies frames into mbufs; the tx stage
 * ({@link dev.jvswitch.afpacket.tx}) copies a batch into ring slots and kicks the kernel once.
 * Link state, MTU and the interface's existence are polled by
 * {@link dev.jvswitch.afpacket.AfPacketNetdev#refresh()}, which reopens the sockets when the
 * interface comes back. {@link dev.jvswitch.bench.l2fwd.L2Fwd} forwards between two ports,
 * with no classification ({@code jvs-bench l2fwd --mode io}) or through the full PMD pipeline
 * ({@code --mode switch}).
 */
package dev.jvswitch.afpacket;
