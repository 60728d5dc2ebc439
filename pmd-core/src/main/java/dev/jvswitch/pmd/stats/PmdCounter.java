package dev.jvswitch.pmd.stats;

/**
 * Every per-PMD counter, with a stable id and the label {@code dpif-netdev/pmd-stats-show}
 * prints (OVS's own wording where OVS has the counter).
 *
 * <p>The hit categories are disjoint and add up: {@code EMC_HITS + SMC_HITS + MEGAFLOW_HITS +
 * UPCALL_OK + UPCALL_FAILED == RX_PACKETS + RECIRCULATIONS}.
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
    DROP_ACTION("dropped by action"),
    DROP_END_OF_ACTIONS("freed after their last action"),
    DROP_NO_HEADROOM("dropped: no headroom for a pushed header"),
    DROP_RECIRC_DEPTH("dropped: recirculation too deep"),
    DROP_RECIRC_UNKNOWN("dropped: unknown recirc_id"),
    DROP_NO_MBUF("dropped: no mbuf for a copy"),
    DROP_TUNNEL("dropped: tunnel push/pop failed"),
    DROP_NO_PORT("dropped: output to a missing port"),
    DROP_MALFORMED("dropped: malformed for action"),
    IDLE_NS("idle ns"),
    BUSY_NS("processing ns"),
    ITERATIONS("iterations");

    private final String label;

    PmdCounter(String label) {
        this.label = label;
    }

    /** Stable id: the ordinal, which is also the counter's offset in a PMD's block. */
    public int id() {
        return ordinal();
    }

    public String label() {
        return label;
    }

    private static final PmdCounter[] VALUES = values();

    public static PmdCounter of(int id) {
        return VALUES[id];
    }

    public static int count() {
        return VALUES.length;
    }
}
