package dev.jvswitch.openflow.codec;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.netty.buffer.ByteBuf;

import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.Instruction;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * An OpenFlow 1.3-1.5 {@code OFPT_FLOW_MOD} read by hand, for flow mods openflowj cannot read or
 * ofproto's openflowj codec cannot take: Nicira match fields ({@link NxMatchWire}) and actions
 * ({@link NxActionWire}), as Open vSwitch's controllers (ovn-controller) send them.
 * {@link #needsNx} says which flow mods come here; every other one keeps the openflowj path, so
 * its answers are unchanged.
 *
 * <pre>
 *  header (8) | cookie (64) | cookie_mask (64) | table (8) | command (8) | idle (16) | hard (16)
 *  priority (16) | buffer_id (32) | out_port (32) | out_group (32) | flags (16) | importance (16)
 *  match (at 48, padded to 8) | instructions: type (16) | len (16) | body
 * </pre>
 *
 * <p>Stateless.
 */
public final class NxFlowModWire {
    /** Offset of the match in a flow mod. */
    public static final int MATCH = 48;
    private static final int GOTO_TABLE = 1;
    private static final int WRITE_METADATA = 2;
    private static final int WRITE_ACTIONS = 3;
    private static final int APPLY_ACTIONS = 4;
    private static final int METER = 6;
    private static final int CLEAR_ACTIONS = 5;
    private static final int NO_BUFFER = 0xffffffff;
    private static final int NXAST_FIN_TIMEOUT = 19;

    private NxFlowModWire() {
    }

    /**
     * True if the flow mod at {@code at} in {@code b} (whatever was read of it) has a match field
     * the openflowj path does not take, or an action it cannot read (an experimenter action other
     * than {@code fin_timeout}, which has its stand-in, a copy_field, a set_field of a non-OXM
     * field).
     */
    public static boolean needsNx(ByteBuf b, int at) {
        int end = b.writerIndex();
        if (at + MATCH + 4 > end || b.getUnsignedShort(at + MATCH) != 1) {
            return false;
        }
        if (OxmScan.firstUnsupported(b, at + MATCH) != null) {
            return true;
        }
        int p = at + MATCH + ((b.getUnsignedShort(at + MATCH + 2) + 7) & ~7);
        while (p + 4 <= end) {
            int type = b.getUnsignedShort(p);
            int len = b.getUnsignedShort(p + 2);
            if (len < 8 || p + len > end) {
                return false;
            }
            if ((type == APPLY_ACTIONS || type == WRITE_ACTIONS) && actionsNeedNx(b, p + 8, p + len)) {
                return true;
            }
            p += len;
        }
        return false;
    }

    /** True if the action list from {@code from} to {@code to} has an action only the Nicira path reads. */
    static boolean actionsNeedNx(ByteBuf b, int from, int to) {
        for (int p = from; p + 4 <= to; ) {
            int type = b.getUnsignedShort(p);
            int len = b.getUnsignedShort(p + 2);
            if (len < 8 || p + len > to) {
                return false;
            }
            // fin_timeout and writes into a 4-byte tun_metadataN have their own stand-ins on the openflowj
            // path; a longer option's set-field does not fit a 64-bit reg_load and is read here whole.
            if (type == 0xffff) {
                boolean fin = len >= 10 && b.getUnsignedInt(p + 4) == NxmTable.NX_VENDOR
                        && b.getUnsignedShort(p + 8) == NXAST_FIN_TIMEOUT;
                boolean tunLoad = NxTunSetField.isRegLoad2(b, p, len);
                if (!fin && (!tunLoad || NxTunSetField.isLongOption(b.getUnsignedInt(p + 10)))) {
                    return true;
                }
            } else if (type == 28) {
                return true;
            } else if (type == 25 && b.getUnsignedShort(p + 4) != NxmTable.OXM_BASIC
                    && !(len >= 8 && NxTunSetField.isTunMetadata(b.getUnsignedInt(p + 4))
                            && !NxTunSetField.isLongOption(b.getUnsignedInt(p + 4)))) {
                return true;
            }
            p += len;
        }
        return false;
    }

    /** Decodes the whole flow mod in {@code b} (from index 0), or throws the error to answer. */
    public static FlowMod decode(ByteBuf b, int version) {
        int end = b.writerIndex();
        if (end < MATCH + 8) {
            throw new OfCodecException(OfError.BAD_REQUEST_BAD_LEN, "flow mod of " + end + " bytes");
        }
        long cookie = b.getLong(8);
        long cookieMask = b.getLong(16);
        int table = b.getUnsignedByte(24);
        int cmd = b.getUnsignedByte(25);
        int idle = b.getUnsignedShort(26);
        int hard = b.getUnsignedShort(28);
        int priority = b.getUnsignedShort(30);
        int bufferId = b.getInt(32);
        int outPortRaw = b.getInt(36);
        long outGroupRaw = b.getUnsignedInt(40);
        int rawFlags = b.getUnsignedShort(44);
        FlowMod.Command command = switch (cmd) {
            case 0 -> FlowMod.Command.ADD;
            case 1 -> FlowMod.Command.MODIFY;
            case 2 -> FlowMod.Command.MODIFY_STRICT;
            case 3 -> FlowMod.Command.DELETE;
            case 4 -> FlowMod.Command.DELETE_STRICT;
            default -> throw new OfCodecException(OfError.FLOW_MOD_FAILED_BAD_COMMAND, "flow mod command " + cmd);
        };
        if (bufferId != NO_BUFFER && !command.isDelete()) {
            throw new OfCodecException(OfError.BAD_REQUEST_BUFFER_UNKNOWN, "buffer " + bufferId
                    + ": this switch buffers no packets");
        }
        if (command == FlowMod.Command.ADD && table == FlowMod.ALL_TABLES) {
            throw new OfCodecException(OfError.FLOW_MOD_FAILED_BAD_TABLE_ID, "an add needs one table");
        }
        Set<FlowMod.Flag> flags = flags(rawFlags);
        int outPort = OfPorts.ANY;
        long outGroup = FlowMod.ANY_GROUP;
        if (command.isDelete() || (command.isModify() && version >= 6)) {
            outPort = OfPortNumbers.from(org.projectfloodlight.openflow.types.OFPort.ofInt(outPortRaw));
            if (outPort < 0) {
                throw new OfCodecException(OfError.FLOW_MOD_FAILED_UNKNOWN, "out_port "
                        + Integer.toUnsignedString(outPortRaw));
            }
            outGroup = outGroupRaw;
        }
        NxMatchWire.Decoded m = NxMatchWire.decode(b, MATCH);
        Match match = m.match();
        List<Instruction> instructions = command.isDelete() ? List.of()
                : instructions(b, MATCH + m.paddedLength(), end);
        try {
            return FlowMod.builder(command).tableId(table).priority(priority).match(match).cookie(cookie)
                    .cookieMask(cookieMask).outPort(outPort).outGroup(outGroup).idleTimeoutSec(idle)
                    .hardTimeoutSec(hard).flags(flags).instructions(instructions).build();
        } catch (IllegalArgumentException e) {
            throw new OfCodecException(OfError.FLOW_MOD_FAILED_UNKNOWN, e.getMessage());
        }
    }

    private static Set<FlowMod.Flag> flags(int raw) {
        Set<FlowMod.Flag> flags = EnumSet.noneOf(FlowMod.Flag.class);
        if ((raw & ~0x1f) != 0) {
            throw new OfCodecException(OfError.FLOW_MOD_FAILED_BAD_FLAGS, "flags 0x" + Integer.toHexString(raw));
        }
        if ((raw & 1) != 0) {
            flags.add(FlowMod.Flag.SEND_FLOW_REM);
        }
        if ((raw & 2) != 0) {
            flags.add(FlowMod.Flag.CHECK_OVERLAP);
        }
        if ((raw & 4) != 0) {
            flags.add(FlowMod.Flag.RESET_COUNTS);
        }
        if ((raw & 8) != 0) {
            flags.add(FlowMod.Flag.NO_PACKET_COUNTS);
        }
        if ((raw & 16) != 0) {
            flags.add(FlowMod.Flag.NO_BYTE_COUNTS);
        }
        return flags;
    }

    /** The instructions from {@code from} to {@code to}, in ofproto's execution order. */
    static List<Instruction> instructions(ByteBuf b, int from, int to) {
        List<Instruction> out = new ArrayList<>();
        int p = from;
        while (p < to) {
            if (p + 4 > to) {
                throw new OfCodecException(OfError.BAD_REQUEST_BAD_LEN, "instruction header truncated");
            }
            int type = b.getUnsignedShort(p);
            int len = b.getUnsignedShort(p + 2);
            if (len < 8 || p + len > to) {
                throw new OfCodecException(OfError.BAD_REQUEST_BAD_LEN, "instruction " + type + " of length " + len);
            }
            out.add(switch (type) {
                case GOTO_TABLE -> {
                    int t = b.getUnsignedByte(p + 4);
                    if (t > FlowMod.MAX_TABLE_ID) {
                        throw new OfCodecException(OfError.BAD_INSTRUCTION_BAD_TABLE_ID, "goto_table " + t);
                    }
                    yield new Instruction.GotoTable(t);
                }
                case WRITE_METADATA -> new Instruction.WriteMetadata(b.getLong(p + 8), b.getLong(p + 16));
                case WRITE_ACTIONS -> new Instruction.WriteActions(NxActionWire.decode(b, p + 8, p + len));
                case APPLY_ACTIONS -> new Instruction.ApplyActions(NxActionWire.decode(b, p + 8, p + len));
                case CLEAR_ACTIONS -> new Instruction.ClearActions();
                // OpenFlow 1.3/1.4's meter instruction: OVS's meter action first in the list.
                case METER -> new Instruction.ApplyActions(List.of(NxActionWire.meter(b.getUnsignedInt(p + 4))));
                default -> throw new OfCodecException(OfError.BAD_INSTRUCTION_UNSUP_INST, "instruction " + type
                        + " is not supported");
            });
            p += len;
        }
        out.sort(java.util.Comparator.comparingInt(Instruction::order));
        // A meter instruction and the apply-actions list are one list: the meter action first.
        for (int k = 0; k + 1 < out.size(); k++) {
            if (out.get(k) instanceof Instruction.ApplyActions first
                    && out.get(k + 1) instanceof Instruction.ApplyActions second) {
                out.set(k, merged(first, second));
                out.remove(k + 1);
                k--;
            }
        }
        return out;
    }

    /** One apply-actions list: {@code a}'s actions then {@code b}'s. */
    static Instruction.ApplyActions merged(Instruction.ApplyActions a, Instruction.ApplyActions b) {
        List<dev.jvswitch.ofproto.action.OfAction> all = new java.util.ArrayList<>(a.actions());
        all.addAll(b.actions());
        return new Instruction.ApplyActions(all);
    }

    /**
     * The meter instruction {@code meter} with the apply-actions list already in {@code out}
     * (removed from it) appended, or alone.
     */
    static Instruction.ApplyActions withMeter(List<Instruction> out, Instruction.ApplyActions meter) {
        for (int k = 0; k < out.size(); k++) {
            if (out.get(k) instanceof Instruction.ApplyActions a) {
                out.remove(k);
                return merged(meter, a);
            }
        }
        return meter;
    }
}
