/**
 * Per-PMD counters as data (Aeron's {@code SystemCounterDescriptor} idea):
 * {@link dev.jvswitch.pmd.stats.PmdCounter} and {@link dev.jvswitch.pmd.stats.DropReason} give
 * every counter a stable id, a label and a name; {@link dev.jvswitch.pmd.stats.PmdStats} keeps
 * one PMD's values in Agrona counters that any thread reads without disturbing the PMD. The drop
 * reasons are the one table the action executor, the PMD loop and the show commands share.
 */
package dev.jvswitch.pmd.stats;
