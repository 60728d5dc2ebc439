package dev.jvswitch.ofproto;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowRemoved;
import dev.jvswitch.ofproto.mod.GroupMod;
import dev.jvswitch.ofproto.mod.MeterMod;
import dev.jvswitch.ofproto.mod.ModResult;
import dev.jvswitch.ofproto.mod.OfMod;
import dev.jvswitch.ofproto.mod.PortMod;
import dev.jvswitch.ofproto.port.OfPorts;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.table.FlowFilter;
import dev.jvswitch.ofproto.table.OfTables;
import dev.jvswitch.ofproto.table.Rule;

/**
 * Applies flow, group and port mods to one bridge inside one {@link OfTables.Transaction}, with
 * OVS's semantics (its {@code add_flow_start}, {@code modify_flows_start},
 * {@code delete_flows_start} and group and port mod handlers), and counts what changed. The
 * caller ({@link Ofproto}) commits the transaction, so a list of mods becomes one version or,
 * when one fails, nothing.
 *
 * <p><b>Thread-safety:</b> confined to the thread holding the {@link Ofproto}'s monitor.
 */
final class ModTransaction {
    private final OfTables.Transaction tx;
    private final BridgeConfig bridge;
    private final long nowNs;
    /** The meters this transaction adds, changes and deletes, for the datapath at commit. */
    private final MeterChanges meters;
    /** The bridge's port config bits as this transaction has them now. */
    private dev.jvswitch.ofproto.bridge.PortConfigs ports;
    /** Rules removed, and why (a report is made only if someone reads it: {@link ModResult#removedView}). */
    private final ArrayList<Rule> removed = new ArrayList<>();
    private final ArrayList<FlowRemoved.Reason> reasons = new ArrayList<>();
    /** Action lists of the rules this transaction made, so that equal ones are one list. */
    private final Map<List<OfAction>, List<OfAction>> sharedActions = new HashMap<>();
    private int flowsAdded;
    private int flowsModified;
    private int flowsDeleted;
    private int groupsAdded;
    private int groupsModified;
    private int groupsDeleted;

    ModTransaction(OfTables.Transaction tx, BridgeConfig bridge, dev.jvswitch.ofproto.bridge.PortConfigs ports,
            long nowNs, MeterChanges meters) {
        this.tx = tx;
        this.meters = meters;
        this.bridge = bridge;
        this.ports = ports;
        this.nowNs = nowNs;
    }

    /**
     * @throws IllegalArgumentException with a one-line message: a group or port that does not
     *                                  exist, an overlap under check_overlap, or something
     *                                  translation cannot do yet
     */
    void apply(OfMod mod) {
        if (mod instanceof FlowMod fm) {
            flow(fm);
        } else if (mod instanceof GroupMod gm) {
            group(gm);
        } else if (mod instanceof MeterMod mm) {
            meters.apply(mm, tx, nowNs, this::removed);
        } else {
            port((PortMod) mod);
        }
    }

    private void flow(FlowMod fm) {
        switch (fm.command()) {
            case ADD: {
                Rule r = Rule.of(fm, nowNs, sharedActions);
                if (fm.has(FlowMod.Flag.CHECK_OVERLAP)) {
                    Rule other = tx.overlapping(r);
                    if (other != null) {
                        throw new IllegalArgumentException("check_overlap: table " + r.tableId()
                                + " has a rule of the same priority that overlaps: "
                                + FlowSyntax.formatMatch(other.match(), other.priority()));
                    }
                }
                tx.add(r);
                flowsAdded++;
                break;
            }
            case MODIFY:
            case MODIFY_STRICT: {
                List<OfAction> actions = Rule.actionsOf(fm.instructions());
                flowsModified += tx.modify(FlowFilter.of(fm), actions, fm.command().isStrict(),
                        fm.has(FlowMod.Flag.RESET_COUNTS)).size();
                break;
            }
            default:
                for (Rule r : tx.delete(FlowFilter.of(fm), fm.command().isStrict())) {
                    removed(r, FlowRemoved.Reason.DELETE);
                }
        }
    }

    private void group(GroupMod gm) {
        switch (gm.command()) {
            case ADD:
                tx.addGroup(gm.group());
                groupsAdded++;
                break;
            case MODIFY:
                tx.modifyGroup(gm.group());
                groupsModified++;
                break;
            default: {
                List<Rule> gone = new ArrayList<>();
                if (gm.isDeleteAll()) {
                    groupsDeleted += tx.deleteAllGroups(gone);
                } else if (tx.deleteGroup(gm.groupId(), gone) != null) {
                    groupsDeleted++;
                }
                for (Rule r : gone) {
                    removed(r, FlowRemoved.Reason.GROUP_DELETE);
                }
            }
        }
    }

    /**
     * Sets the mod's bits of the port's config. Every bit is kept and reported back; translation
     * honours down, no-receive, no-forward and no-flood ({@link dev.jvswitch.ofproto.bridge.PortConfigs}).
     */
    private void port(PortMod pm) {
        if (bridge.byOfPort(pm.portNo()) == null) {
            throw new IllegalArgumentException("port mod: bridge " + bridge.name() + " has no port "
                    + OfPorts.format(pm.portNo()));
        }
        int bits = ports.bits(pm.portNo());
        for (PortMod.Config c : pm.mask()) {
            bits = pm.config().contains(c) ? bits | c.bit() : bits & ~c.bit();
        }
        ports = ports.with(pm.portNo(), bits);
    }

    /** The port config bits after this transaction. */
    dev.jvswitch.ofproto.bridge.PortConfigs ports() {
        return ports;
    }

    void removed(Rule r, FlowRemoved.Reason reason) {
        removed.add(r);
        reasons.add(reason);
        flowsDeleted++;
    }

    /** Counts what {@link OfTables.Transaction#replace} did. */
    void replaced(OfTables.Transaction.Replacement r) {
        flowsAdded += r.added();
        // A replace may remove a million rules: grown once, not copied over and over.
        removed.ensureCapacity(removed.size() + r.removed().size());
        reasons.ensureCapacity(reasons.size() + r.removed().size());
        for (Rule gone : r.removed()) {
            removed(gone, FlowRemoved.Reason.DELETE);
        }
    }

    /** The rules removed so far (a copy). */
    List<Rule> removedRules() {
        return new ArrayList<>(removed);
    }

    long nowNs() {
        return nowNs;
    }

    MeterChanges meterChanges() {
        return meters;
    }

    OfTables.Transaction tables() {
        return tx;
    }

    ModResult result() {
        List<Rule> rules = removed;
        List<FlowRemoved.Reason> why = reasons;
        long at = nowNs;
        return new ModResult(flowsAdded, flowsModified, flowsDeleted, groupsAdded, groupsModified, groupsDeleted, 0,
                ModResult.removedView(rules.size(), i -> new FlowRemoved(rules.get(i).flowStats(at), why.get(i))));
    }
}
