package dev.jvswitch.ofproto.mod;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.IntFunction;

/**
 * What one transaction of {@link OfMod}s changed in a bridge. A replaced rule (an add into an
 * occupied slot) counts as added and is not reported removed, as OVS sends no flow-removed for it.
 *
 * @param flowsAdded     rules added or replaced
 * @param flowsModified  rules whose instructions a modify changed
 * @param flowsDeleted   rules removed (by deletes and by deleted groups)
 * @param groupsAdded    groups added
 * @param groupsModified groups replaced
 * @param groupsDeleted  groups removed
 * @param portsModified  ports whose config changed
 * @param removed        every rule removed, with its last statistics (immutable); a change that
 *                       removes many rules gives a {@linkplain #removedView view} that makes
 *                       each {@link FlowRemoved} when it is read
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record ModResult(int flowsAdded, int flowsModified, int flowsDeleted, int groupsAdded, int groupsModified,
        int groupsDeleted, int portsModified, List<FlowRemoved> removed) {
    public static final ModResult NONE = new ModResult(0, 0, 0, 0, 0, 0, 0, List.of());

    public ModResult {
        removed = removed instanceof RemovedView ? removed : List.copyOf(removed);
    }

    /**
     * An immutable list of {@code size} flow-removed reports, {@code at(i)} made when element
     * {@code i} is read (so its statistics are read then): deleting a million rules costs a
     * million references, not a million reports nobody may read. {@code at} must be safe to call
     * from any thread that reads the list.
     */
    public static List<FlowRemoved> removedView(int size, IntFunction<FlowRemoved> at) {
        return new RemovedView(size, at);
    }

    private static final class RemovedView extends AbstractList<FlowRemoved> implements RandomAccess {
        private final int size;
        private final IntFunction<FlowRemoved> at;

        RemovedView(int size, IntFunction<FlowRemoved> at) {
            this.size = size;
            this.at = at;
        }

        @Override
        public FlowRemoved get(int index) {
            Objects.checkIndex(index, size);
            return at.apply(index);
        }

        @Override
        public int size() {
            return size;
        }
    }

    /** True if nothing changed. */
    public boolean isEmpty() {
        return flowsAdded + flowsModified + flowsDeleted + groupsAdded + groupsModified + groupsDeleted
                + portsModified == 0;
    }
}
