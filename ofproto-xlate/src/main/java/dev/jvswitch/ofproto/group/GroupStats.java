package dev.jvswitch.ofproto.group;

import java.util.concurrent.atomic.LongAdder;

/**
 * The packet and byte counts of one group and of each of its buckets (OpenFlow's group stats), as
 * OVS keeps them: the megaflows a translation sent through the group credit it (and the bucket
 * they took) when the revalidators push their statistics, and a packet no megaflow counts (a
 * slow-pathed one) is credited at its upcall. A group that a mod replaces starts from zero.
 *
 * <p><b>Thread-safety:</b> written by revalidator and PMD threads at once ({@link LongAdder}s),
 * read by anyone; a reader may see the packets of a push and not yet its bytes.
 */
public final class GroupStats {
    private final long createdNs;
    private final LongAdder packets = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder[] bucketPackets;
    private final LongAdder[] bucketBytes;

    GroupStats(int buckets, long createdNs) {
        this.createdNs = createdNs;
        bucketPackets = new LongAdder[buckets];
        bucketBytes = new LongAdder[buckets];
        for (int i = 0; i < buckets; i++) {
            bucketPackets[i] = new LongAdder();
            bucketBytes[i] = new LongAdder();
        }
    }

    /** Credits the group itself ({@code bucket} -1) or its bucket at position {@code bucket}. */
    public void add(int bucket, long packetCount, long byteCount) {
        if (bucket < 0) {
            packets.add(packetCount);
            bytes.add(byteCount);
        } else if (bucket < bucketPackets.length) {
            bucketPackets[bucket].add(packetCount);
            bucketBytes[bucket].add(byteCount);
        }
    }

    public long packets() {
        return packets.sum();
    }

    public long bytes() {
        return bytes.sum();
    }

    /** Packets through the bucket at position {@code i} of the group's buckets. */
    public long bucketPackets(int i) {
        return bucketPackets[i].sum();
    }

    public long bucketBytes(int i) {
        return bucketBytes[i].sum();
    }

    /** When the group was made ({@code System.nanoTime()}), for its duration. */
    public long createdNs() {
        return createdNs;
    }
}
