/**
 * The megaflow: a masked flow installed by the slow path, with its action program, ufid,
 * statistics and dead flag, shared by the EMC, SMC and dpcls stages of its PMD and the
 * revalidators.
 */
package dev.jvswitch.flowcache.megaflow;
