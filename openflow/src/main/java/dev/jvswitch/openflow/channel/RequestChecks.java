package dev.jvswitch.openflow.channel;

import java.util.List;

import dev.jvswitch.ofproto.action.ActionCheck;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.Instruction;
import dev.jvswitch.ofproto.port.OfPorts;
import dev.jvswitch.openflow.backend.PortInfo;
import dev.jvswitch.openflow.codec.OfCodecException;
import dev.jvswitch.openflow.codec.OfError;

/**
 * What OVS checks of a request against the bridge before it carries it out, with OVS's error
 * (each found by {@code RequestErrorsOvsDifferentialTest} against a private ovs-vswitchd).
 *
 * <p><b>Thread-safety:</b> stateless.
 */
final class RequestChecks {
    private RequestChecks() {
    }

    /** A packet-out's actions name only groups the bridge has (OFPBAC_BAD_OUT_GROUP). */
    static void groupsExist(List<OfAction> actions, List<Group> groups) {
        for (OfAction a : ActionCheck.flattened(actions)) {
            if (a instanceof OfAction.GroupAction g && groups.stream().noneMatch(x -> x.groupId() == g.groupId())) {
                throw new OfCodecException(OfError.BAD_ACTION_BAD_OUT_GROUP, "group " + g.groupId()
                        + " does not exist");
            }
        }
    }

    /**
     * {@code mod}, if its actions are consistent with its match as OVS requires of an OpenFlow
     * 1.1+ flow mod ({@link ActionCheck}); else OFPBAC_MATCH_INCONSISTENT.
     */
    static FlowMod consistent(FlowMod mod) {
        String problem = wireProblem(mod);
        if (problem != null) {
            throw new OfCodecException(OfError.BAD_ACTION_MATCH_INCONSISTENT, problem);
        }
        return mod;
    }

    /** {@link ActionCheck#wireProblem} of each of {@code mod}'s action lists: the first, or null. */
    static String wireProblem(FlowMod mod) {
        for (Instruction i : mod.instructions()) {
            List<OfAction> actions = i instanceof Instruction.ApplyActions a ? a.actions()
                    : i instanceof Instruction.WriteActions w ? w.actions() : null;
            String p = actions == null ? null : ActionCheck.wireProblem(mod.match(), actions);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** A port mod's hw_addr is the port's own (OFPPMFC_BAD_HW_ADDR); a port the bridge lacks is checked later. */
    static void hwAddr(int port, long hwAddr, List<PortInfo> ports) {
        for (PortInfo p : ports) {
            if (p.ofport() == port && p.mac() != hwAddr) {
                throw new OfCodecException(OfError.PORT_MOD_FAILED_BAD_HW_ADDR, String.format(
                        "port %d: hw_addr %012x is not the port's (%012x)", port, hwAddr, p.mac()));
            }
        }
    }

    /** Meter stats or config of one meter: it exists (OFPMMFC_UNKNOWN_METER). */
    static void meterExists(long id, boolean found) {
        if (id != dev.jvswitch.ofproto.meter.Meter.ALL && !found) {
            throw new OfCodecException(OfError.METER_MOD_FAILED_UNKNOWN_METER, "meter " + id + " does not exist");
        }
    }

    /** Queue stats of one port: the bridge has it (OFPQOFC_BAD_PORT). */
    static void queuePort(int port, List<PortInfo> ports) {
        if (port != OfPorts.ANY && ports.stream().noneMatch(p -> p.ofport() == port)) {
            throw new OfCodecException(OfError.QUEUE_OP_FAILED_BAD_PORT, "port " + port + " does not exist");
        }
    }
}
