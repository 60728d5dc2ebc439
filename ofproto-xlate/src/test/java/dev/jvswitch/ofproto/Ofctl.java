package dev.jvswitch.ofproto;

import java.util.ArrayList;
import java.util.List;

import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.GroupMod;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.syntax.GroupSyntax;

/**
 * ovs-ofctl's commands on an {@link Ofproto} for tests: the text goes through the syntax (the
 * producer) into the model, which the ofproto applies, as the daemon's commands do.
 */
public final class Ofctl {
    private Ofctl() {
    }

    /** {@code add-flow}. */
    public static void addFlow(Ofproto of, String bridge, String flow) {
        of.apply(bridge, FlowSyntax.parseAdd(flow, tlvMap(of, bridge)));
    }

    /** The bridge's TLV map, which the flow text reads {@code tun_metadataN} through (as ovs-ofctl). */
    public static dev.jvswitch.ofproto.tnl.TlvMap tlvMap(Ofproto of, String bridge) {
        return of.tunnels() == null ? dev.jvswitch.ofproto.tnl.TlvMap.EMPTY : of.tunnels().tlvMaps().get(bridge);
    }

    /** {@code add-flows}: every flow in one transaction. */
    public static void addFlows(Ofproto of, String bridge, List<String> flows) {
        List<FlowMod> mods = new ArrayList<>();
        for (String f : flows) {
            mods.add(FlowSyntax.parseAdd(f, tlvMap(of, bridge)));
        }
        of.apply(bridge, mods);
    }

    /** {@code mod-flows [--strict]}; returns how many rules changed. */
    public static int modFlows(Ofproto of, String bridge, String flow, boolean strict) {
        return of.apply(bridge, FlowSyntax.parseModify(flow, strict)).flowsModified();
    }

    /** {@code del-flows [--strict]} ({@code ""} selects all); returns how many rules went. */
    public static int delFlows(Ofproto of, String bridge, String flow, boolean strict) {
        return of.apply(bridge, FlowSyntax.parseDelete(flow, strict)).flowsDeleted();
    }

    /** {@code add-group}. */
    public static void addGroup(Ofproto of, String bridge, String group) {
        of.apply(bridge, GroupSyntax.parseAdd(group));
    }

    /** {@code mod-group}. */
    public static void modGroup(Ofproto of, String bridge, String group) {
        of.apply(bridge, GroupSyntax.parseModify(group));
    }

    /** {@code del-groups group_id=N}; returns whether the group existed. */
    public static boolean delGroup(Ofproto of, String bridge, long groupId) {
        return of.apply(bridge, GroupMod.delete(groupId)).groupsDeleted() == 1;
    }
}
