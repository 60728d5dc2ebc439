/**
 * {@code jvs-bench ndr}: the RFC 2544 throughput search (NDR and PDR) through a switch under
 * test in namespaces of its own, and latency at fractions of the result.
 */
package dev.jvswitch.bench.ndr;
