/**
 * {@code jvs-bench compare}: jvswitch beside OVS-DPDK, OVS's userspace netdev, a Linux bridge and
 * testpmd on the same machine and CPUs, in memory and through veths, as CSV, JSON, a table of
 * ratios and PNG plots.
 */
package dev.jvswitch.bench.compare;
