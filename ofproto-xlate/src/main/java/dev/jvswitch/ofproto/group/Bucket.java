package dev.jvswitch.ofproto.group;

import java.util.List;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * One bucket of a group: the actions it runs and what decides whether it runs.
 *
 * @param bucketId   the bucket's id within its group (ovs-ofctl's {@code bucket_id:}); the parser
 *                   numbers buckets 0, 1, 2, ... when the text gives none
 * @param weight     share of a select group's flows (0..65535; 0 means never chosen)
 * @param watchPort  fast failover: the bucket is live while this port is up;
 *                   {@link OfPorts#NONE} when it watches no port
 * @param watchGroup fast failover: the bucket is live while this group has a live bucket;
 *                   {@link #WATCH_NONE} when it watches no group
 * @param actions    immutable; empty drops
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record Bucket(int bucketId, int weight, int watchPort, long watchGroup, List<OfAction> actions) {
    /** {@code watch_group} meaning "none" (OFPG_ANY). */
    public static final long WATCH_NONE = 0xffffffffL;
    /** Weight of a bucket written without {@code weight:}. */
    public static final int DEFAULT_WEIGHT = 1;

    public Bucket {
        if (bucketId < 0) {
            throw new IllegalArgumentException("bucket_id " + bucketId + " out of range");
        }
        if (weight < 0 || weight > 65535) {
            throw new IllegalArgumentException("bucket weight " + weight + " out of range 0..65535");
        }
        if (!OfPorts.isPhysical(watchPort) && watchPort != OfPorts.NONE && watchPort != OfPorts.LOCAL) {
            throw new IllegalArgumentException("watch_port " + OfPorts.format(watchPort) + " is not a port");
        }
        if (watchGroup != WATCH_NONE && (watchGroup < 0 || watchGroup > Group.MAX_ID)) {
            throw new IllegalArgumentException("watch_group " + watchGroup + " out of range");
        }
        actions = List.copyOf(actions);
    }

    /** A bucket with default weight that watches nothing. */
    public static Bucket of(int bucketId, List<OfAction> actions) {
        return new Bucket(bucketId, DEFAULT_WEIGHT, OfPorts.NONE, WATCH_NONE, actions);
    }

    public boolean watchesPort() {
        return watchPort != OfPorts.NONE;
    }

    public boolean watchesGroup() {
        return watchGroup != WATCH_NONE;
    }
}
