package dev.jvswitch.ofproto.bridge;

/**
 * A translation's output through a balance-slb bond (OVS's {@code XC_BOND} xlate-cache entry):
 * the bond, the bucket the frame's source MAC and VLAN hashed to, and the member the bucket sent
 * it through. A megaflow keeps its hits: its bytes count toward the bucket's load, and once a
 * rebalance gives the bucket another member the megaflow is stale and is translated again.
 *
 * <p><b>Thread-safety:</b> immutable (the buckets it reads and credits are thread-safe).
 */
public record BondHit(Bond bond, int bucket, int member) {
    /** Counts {@code bytes} to the bucket, if the bond rebalances (OVS's {@code bond_account}). */
    public void credit(long bytes) {
        if (bytes > 0 && bond.balanced()) {
            bond.buckets().account(bucket, bytes);
        }
    }

    /** True once the bucket sends through another member than it did for this translation. */
    public boolean stale() {
        return bond.buckets().member(bucket) != member;
    }
}
