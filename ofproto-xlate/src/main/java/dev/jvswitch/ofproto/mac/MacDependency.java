package dev.jvswitch.ofproto.mac;

/**
 * A MAC table lookup a translation's result depended on: NORMAL looked up {@code mac} in
 * {@code vlan} of {@code bridge} and found it on {@code ofPort} ({@link #UNKNOWN} when it was
 * not learned and NORMAL flooded). A revalidator that sees the bridge's {@link MacTable#seq()}
 * move looks the entry up again; if the answer differs, the megaflow is stale.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record MacDependency(String bridge, int vlan, long mac, int ofPort) {
    /** The MAC was not in the table. */
    public static final int UNKNOWN = -1;
}
