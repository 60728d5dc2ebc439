package dev.jvswitch.pmd.stats;

import java.util.Locale;

/**
 * Every per-PMD counter except the drop counters (one per {@link DropReason}), with a stable id
 * and the label {@code dpif-netdev/pmd-stats-show} prints (OVS's own wording where OVS has the
 * counter).
 *
 * <p>The hit categories are disjoint and add up: {@code EMC_HITS + SMC_HITS + MEGAFLOW_HITS +
 * UPCALL_OK + UPCALL_FAILED == RX_PACKETS + RECIRCULATIONS}.
 *
 * <p>Show order: the show commands list these counters in declaration order, with the drop
 * counters right after {@link #DROPS_FOLLOW} (see {@link PmdStats#forEach}).
 */
public enum PmdCounter {
    RX_PACKETS("packets received"),
    RECIRCULATIONS("packet recirculations"),
    EMC_HITS("emc hits"),
    SMC_HITS("smc hits"),
    MEGAFLOW_HITS("megaflow hits"),
    SUBTABLE_LOOKUPS("subtable lookups for megaflow hits"),
    UPCALL_OK("miss with success upcall"),
    UPCALL_FAILED("miss with failed upcall"),
    LOST("lost packets"),
    FLOW_LIMIT_SKIPS("upcalls not installed (flow limit)"),
    TX_PACKETS("packets sent"),
    TX_BATCHES("output batches"),
    TX_DROPPED("packets dropped by tx"),
    IDLE_NS("idle ns"),
    BUSY_NS("processing ns"),
    ITERATIONS("iterations"),
    /** Times an idle PMD blocked in poll(2) ({@code pmd-idle: sleep}); that time counts as idle. */
    IDLE_SLEEPS("idle sleeps");

    /** The counter the drop counters are listed after. */
    public static final PmdCounter DROPS_FOLLOW = TX_DROPPED;

    private static final PmdCounter[] VALUES = values();

    private final String label;
    private final String counterName;

    PmdCounter(String label) {
        this.label = label;
        this.counterName = name().toLowerCase(Locale.ROOT);
    }

    /** Stable id: the ordinal, which is also the counter's slot in a PMD's block. */
    public int id() {
        return ordinal();
    }

    public String label() {
        return label;
    }

    /** The counter's key in JSON and {@code coverage/show}, e.g. {@code rx_packets}. */
    public String counterName() {
        return counterName;
    }

    public static PmdCounter of(int id) {
        return VALUES[id];
    }

    public static int count() {
        return VALUES.length;
    }
}
