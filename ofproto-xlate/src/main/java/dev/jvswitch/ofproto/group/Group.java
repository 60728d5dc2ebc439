package dev.jvswitch.ofproto.group;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.OfAction;

/**
 * An OpenFlow group: a set of buckets run according to the group's {@link GroupType}. Rules reach
 * it with {@code group:N}.
 *
 * <p>Rules checked here (where a group is made, so translation can trust them): an indirect group
 * has exactly one bucket; only a select group has a selection method; {@link SelectionMethod#HASH}
 * lists at least one field and only it lists fields; bucket ids are distinct.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class Group {
    /** Highest group id a group may have (OFPG_MAX). */
    public static final long MAX_ID = OfAction.GroupAction.MAX_ID;

    private final long groupId;
    private final GroupType type;
    private final SelectionMethod selectionMethod;
    private final List<FlowField> selectionFields;
    private final long selectionBasis;
    private final List<Bucket> buckets;
    /** Counters of this group object (not part of its value: equal groups count apart). */
    private final GroupStats stats;

    /**
     * @param selectionFields for {@link SelectionMethod#HASH}: the fields hashed, in order
     * @param selectionBasis  {@code selection_method_param}: a seed mixed into the hash
     */
    public Group(long groupId, GroupType type, SelectionMethod selectionMethod, List<FlowField> selectionFields,
            long selectionBasis, List<Bucket> buckets) {
        if (groupId < 0 || groupId > MAX_ID) {
            throw new IllegalArgumentException("group_id " + groupId + " out of range 0.." + MAX_ID);
        }
        this.groupId = groupId;
        this.type = Objects.requireNonNull(type, "type");
        this.selectionMethod = Objects.requireNonNull(selectionMethod, "selectionMethod");
        this.selectionFields = List.copyOf(selectionFields);
        this.selectionBasis = selectionBasis;
        this.buckets = List.copyOf(buckets);
        this.stats = new GroupStats(this.buckets.size(), System.nanoTime());
        if (type != GroupType.SELECT && (selectionMethod != SelectionMethod.DEFAULT || selectionBasis != 0)) {
            throw new IllegalArgumentException("group " + groupId + ": selection_method needs type=select");
        }
        if ((selectionMethod == SelectionMethod.HASH) != !this.selectionFields.isEmpty()) {
            throw new IllegalArgumentException("group " + groupId + ": fields() go with selection_method=hash, "
                    + "which needs at least one");
        }
        if (type == GroupType.INDIRECT && this.buckets.size() != 1) {
            throw new IllegalArgumentException("group " + groupId + ": type=indirect needs exactly one bucket, has "
                    + this.buckets.size());
        }
        Set<Integer> ids = new HashSet<>();
        for (Bucket b : this.buckets) {
            if (!ids.add(b.bucketId())) {
                throw new IllegalArgumentException("group " + groupId + ": duplicate bucket_id " + b.bucketId());
            }
        }
    }

    /** A group with the default selection method. */
    public static Group of(long groupId, GroupType type, List<Bucket> buckets) {
        return new Group(groupId, type, SelectionMethod.DEFAULT, List.of(), 0, buckets);
    }

    public long groupId() {
        return groupId;
    }

    public GroupType type() {
        return type;
    }

    public SelectionMethod selectionMethod() {
        return selectionMethod;
    }

    /** Immutable; non-empty exactly for {@link SelectionMethod#HASH}. */
    public List<FlowField> selectionFields() {
        return selectionFields;
    }

    public long selectionBasis() {
        return selectionBasis;
    }

    /** Immutable, in the order given. */
    public List<Bucket> buckets() {
        return buckets;
    }

    /** The packets and bytes that went through this group and its buckets. */
    public GroupStats stats() {
        return stats;
    }

    /** Sum of the bucket weights (a select group with 0 drops). */
    public long totalWeight() {
        long w = 0;
        for (Bucket b : buckets) {
            w += b.weight();
        }
        return w;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Group)) {
            return false;
        }
        Group g = (Group) o;
        return groupId == g.groupId && type == g.type && selectionMethod == g.selectionMethod
                && selectionBasis == g.selectionBasis && selectionFields.equals(g.selectionFields)
                && buckets.equals(g.buckets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(groupId, type, selectionMethod, selectionFields, selectionBasis, buckets);
    }

    @Override
    public String toString() {
        return "Group[id=" + groupId + ",type=" + type.ovsName() + ",method=" + selectionMethod + ",fields="
                + selectionFields + ",buckets=" + buckets + "]";
    }
}
