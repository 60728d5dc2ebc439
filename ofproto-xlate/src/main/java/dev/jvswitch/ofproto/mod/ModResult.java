package dev.jvswitch.ofproto.mod;

import java.util.List;

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
 * @param removed        every rule removed, with its last statistics (immutable)
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record ModResult(int flowsAdded, int flowsModified, int flowsDeleted, int groupsAdded, int groupsModified,
        int groupsDeleted, int portsModified, List<FlowRemoved> removed) {
    public static final ModResult NONE = new ModResult(0, 0, 0, 0, 0, 0, 0, List.of());

    public ModResult {
        removed = List.copyOf(removed);
    }

    /** True if nothing changed. */
    public boolean isEmpty() {
        return flowsAdded + flowsModified + flowsDeleted + groupsAdded + groupsModified + groupsDeleted
                + portsModified == 0;
    }
}
