package dev.jvswitch.ofproto.revalidate;

/**
 * The revalidator pool's counters and gauges, each with a stable id and the label it carries in
 * the datapath's counters buffer ({@code "revalidator: <label>"}). The leader is their only
 * writer: it publishes them once per cycle.
 */
public enum RevalidatorCounter {
    DUMPS("dumps", false),
    FLOWS_REVALIDATED("flows revalidated", false),
    FLOWS_MODIFIED("flows modified", false),
    FLOWS_DELETED_IDLE("flows deleted: idle", false),
    FLOWS_DELETED_LIMIT("flows deleted: flow limit", false),
    FLOWS_DELETED_REVALIDATION("flows deleted: revalidation", false),
    FLOWS_DELETED_PURGE("flows deleted: purge", false),
    REVALIDATE_ERRORS("revalidation errors", false),
    OFFERS_REFUSED("pmd commands refused (queue full)", false),
    FLOWS_AVG("flows (average)", true),
    FLOWS_MAX("flows (max)", true),
    FLOW_LIMIT("flow limit (dynamic)", true),
    DUMP_DURATION_MS("dump duration ms", true),
    DUMP_DURATION_MS_MAX("dump duration ms (max)", true),
    REVALIDATED_SEQ("table version revalidated", true);

    private static final RevalidatorCounter[] VALUES = values();

    private final String label;
    private final boolean gauge;

    RevalidatorCounter(String label, boolean gauge) {
        this.label = label;
        this.gauge = gauge;
    }

    /** Stable id: the ordinal, also the counter's type id in the counters buffer. */
    public int id() {
        return ordinal();
    }

    public String label() {
        return label;
    }

    /** A gauge holds a current value; the others only grow. */
    public boolean isGauge() {
        return gauge;
    }

    public static RevalidatorCounter of(int id) {
        return VALUES[id];
    }

    public static int count() {
        return VALUES.length;
    }
}
