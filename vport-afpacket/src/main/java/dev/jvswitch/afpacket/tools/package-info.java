/**
 * Forwarding tools over AF_PACKET ports: {@link dev.jvswitch.afpacket.tools.L2Fwd}
 * ({@code jvs-bench l2fwd}) and the two engines it and the forwarding benchmark step,
 * {@link dev.jvswitch.afpacket.tools.IoForwarder} (no classification) and
 * {@link dev.jvswitch.afpacket.tools.SwitchForwarder} (the full PMD pipeline), on the loop they
 * share in {@link dev.jvswitch.afpacket.tools.Forwarder}.
 */
package dev.jvswitch.afpacket.tools;
