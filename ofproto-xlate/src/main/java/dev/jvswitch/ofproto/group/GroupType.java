package dev.jvswitch.ofproto.group;

/** OpenFlow group types, with the names ovs-ofctl prints ({@code type=ff} for fast failover). */
public enum GroupType {
    /** Every bucket runs on a copy of the packet (multicast, flooding). */
    ALL("all"),
    /** One bucket, chosen by a hash of the flow, weighted (load balancing). */
    SELECT("select"),
    /** Exactly one bucket (a shared next hop). */
    INDIRECT("indirect"),
    /** The first bucket whose watch port is live. */
    FAST_FAILOVER("ff");

    private final String ovsName;

    GroupType(String ovsName) {
        this.ovsName = ovsName;
    }

    /** The name in {@code type=}: all, select, indirect, ff. */
    public String ovsName() {
        return ovsName;
    }

    /** The type called {@code name} ({@code fast_failover} is accepted for {@code ff}), or null. */
    public static GroupType find(String name) {
        for (GroupType t : values()) {
            if (t.ovsName.equals(name)) {
                return t;
            }
        }
        return "fast_failover".equals(name) ? FAST_FAILOVER : null;
    }
}
