/**
 * Forwarding tools over AF_PACKET ports: {@link dev.jvswitch.bench.l2fwd.L2Fwd}
 * ({@code jvs-bench l2fwd}) and the two engines it and the forwarding benchmark step,
 * {@link dev.jvswitch.bench.l2fwd.IoForwarder} (no classification) and
 * {@link dev.jvswitch.bench.l2fwd.SwitchForwarder} (the full PMD pipeline), on the loop they
 * share in {@link dev.jvswitch.bench.l2fwd.Forwarder}.
 */
package dev.jvswitch.bench.l2fwd;
