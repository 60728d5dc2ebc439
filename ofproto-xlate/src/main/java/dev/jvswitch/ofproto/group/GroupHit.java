package dev.jvswitch.ofproto.group;

/**
 * A translation's pass through a group (OVS's {@code XC_GROUP} xlate-cache entry): the group, and
 * the position of the bucket it took, or -1 for the group itself. A megaflow keeps its hits and
 * credits them with its statistics.
 *
 * <p><b>Thread-safety:</b> immutable (the stats it credits are thread-safe).
 */
public record GroupHit(Group group, int bucket) {
    public void credit(long packets, long bytes) {
        group.stats().add(bucket, packets, bytes);
    }
}
