package dev.jvswitch.flowcache.actions;

/**
 * A compiled datapath action program, immutable once built.
 *
 * <p>(Placeholder: the executor work defines the instruction format, builder and printer.)
 */
public final class DpActions {
}
