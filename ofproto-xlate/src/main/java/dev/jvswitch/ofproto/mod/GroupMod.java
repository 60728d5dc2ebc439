package dev.jvswitch.ofproto.mod;

import java.util.List;
import java.util.Objects;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.group.Bucket;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.group.GroupType;
import dev.jvswitch.ofproto.group.SelectionMethod;

/**
 * One group table change (OVS's {@code ofputil_group_mod}, OpenFlow's {@code OFPT_GROUP_MOD}).
 * The ovs-ofctl text of {@code add-group}, {@code mod-group} and {@code del-groups} is one producer
 * ({@code dev.jvswitch.ofproto.syntax.GroupSyntax}); {@code Ofproto} consumes it.
 *
 * <ul>
 *   <li>{@link Command#ADD}: adds {@link #group()}; an error if its id exists or a bucket names a
 *       group that does not.</li>
 *   <li>{@link Command#MODIFY}: replaces the group with that id; an error if there is none. Rules
 *       that send to it keep doing so.</li>
 *   <li>{@link Command#DELETE}: removes group {@link #groupId()} ({@link #ALL} for every group)
 *       and every rule that sends to it; deleting a group that does not exist is no error.</li>
 * </ul>
 *
 * @param command what to do
 * @param groupId 0..{@link Group#MAX_ID}, or {@link #ALL} for a delete
 * @param group   the group for an add or modify (its id is {@code groupId}); null for a delete
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record GroupMod(Command command, long groupId, Group group) implements OfMod {
    /** {@link #groupId()} of a delete that removes every group (OFPG_ALL). */
    public static final long ALL = 0xfffffffcL;

    /** OpenFlow's group mod commands. */
    public enum Command {
        ADD, MODIFY, DELETE
    }

    public GroupMod {
        Objects.requireNonNull(command, "command");
        if (command == Command.DELETE) {
            if (group != null) {
                throw new IllegalArgumentException("a group delete carries no group");
            }
            if (groupId != ALL && (groupId < 0 || groupId > Group.MAX_ID)) {
                throw new IllegalArgumentException("group_id " + groupId + " out of range 0.." + Group.MAX_ID);
            }
        } else {
            Objects.requireNonNull(group, "group");
            if (group.groupId() != groupId) {
                throw new IllegalArgumentException("group mod for " + groupId + " carries group " + group.groupId());
            }
        }
    }

    /** Adds {@code g}. */
    public static GroupMod add(Group g) {
        return new GroupMod(Command.ADD, g.groupId(), g);
    }

    /** Replaces the group with {@code g}'s id by {@code g}. */
    public static GroupMod modify(Group g) {
        return new GroupMod(Command.MODIFY, g.groupId(), g);
    }

    /** Deletes group {@code groupId} ({@link #ALL}: every group) and the rules that send to it. */
    public static GroupMod delete(long groupId) {
        return new GroupMod(Command.DELETE, groupId, null);
    }

    /**
     * An add or modify of a group built from its parts.
     *
     * @throws IllegalArgumentException with the group's one-line rule it breaks
     */
    public static GroupMod of(Command command, long groupId, GroupType type, SelectionMethod method,
            List<FlowField> selectionFields, long selectionBasis, List<Bucket> buckets) {
        return new GroupMod(command, groupId, new Group(groupId, type, method, selectionFields, selectionBasis,
                buckets));
    }

    /** True for a delete of every group. */
    public boolean isDeleteAll() {
        return command == Command.DELETE && groupId == ALL;
    }
}
