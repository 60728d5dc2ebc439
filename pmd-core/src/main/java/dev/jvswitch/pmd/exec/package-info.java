/**
 * The execute stage of the PMD: {@link dev.jvswitch.pmd.exec.ActionExecutor} runs a megaflow's
 * {@link dev.jvswitch.flowcache.actions.DpActions} over the packets that matched it and hands
 * them to the PMD through an {@link dev.jvswitch.pmd.exec.ExecContext} (tx buffers,
 * recirculation, tunnel ports, drop counters).
 */
package dev.jvswitch.pmd.exec;
