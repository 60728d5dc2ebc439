package dev.jvswitch.ofproto.group;

/**
 * How a select group picks its bucket (OVS's {@code selection_method}).
 *
 * <p>Whatever the method, the hash comes from the one function the parser uses
 * ({@code dev.jvswitch.flowcache.hash.FlowHash}), so a connection keeps its bucket whichever path
 * (fast or slow) or PMD handles its packets.
 */
public enum SelectionMethod {
    /** No {@code selection_method=} given: the switch's default, which is {@link #DP_HASH}'s behaviour. */
    DEFAULT(""),
    /**
     * {@code selection_method=hash,fields(...)}: translation hashes the listed fields of the flow
     * and the megaflow must match them.
     */
    HASH("hash"),
    /**
     * {@code selection_method=dp_hash}: the datapath computes the 5-tuple hash ({@code hash}
     * action), recirculates, and the second pass matches {@code dp_hash} masked.
     */
    DP_HASH("dp_hash");

    private final String ovsName;

    SelectionMethod(String ovsName) {
        this.ovsName = ovsName;
    }

    /** The name after {@code selection_method=}; empty for {@link #DEFAULT}. */
    public String ovsName() {
        return ovsName;
    }

    /** The method called {@code name} (hash or dp_hash), or null. */
    public static SelectionMethod find(String name) {
        if ("hash".equals(name)) {
            return HASH;
        }
        return "dp_hash".equals(name) ? DP_HASH : null;
    }
}
