/**
 * {@code jvs-bench pktgen}: the traffic generator and receiver on the command line (the kernel
 * here has no pktgen module, so the generator is ours).
 */
package dev.jvswitch.bench.pktgen;
