package dev.jvswitch.conntrack;

/**
 * A snapshot of a tracker's counters, summed over every thread's {@link CtContext}, for
 * {@code dpctl/ct-stats-show} and tests.
 *
 * @param packets       packets that went through {@code ct}
 * @param invalid       packets marked {@code inv}
 * @param created       connections committed
 * @param fullDrops     commits refused because the table held {@code ct-maxconns} connections
 * @param zoneLimitDrops commits refused by a zone limit
 * @param expired       connections the sweeper removed
 */
public record CtStats(long packets, long invalid, long created, long fullDrops, long zoneLimitDrops, long expired) {
}
