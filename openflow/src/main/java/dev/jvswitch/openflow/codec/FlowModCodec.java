package dev.jvswitch.openflow.codec;

import java.util.EnumSet;
import java.util.Set;

import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFFlowRemoved;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFAggregateStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowRemoved;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.mod.FlowStatsRequest;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * {@code OFPT_FLOW_MOD} to ofproto's {@link FlowMod}, flow stats requests to
 * {@link FlowStatsRequest}, and {@link FlowStats}/{@link FlowRemoved} back to the wire: the
 * OpenFlow front end of the model that the ovs-ofctl text is the other front end of.
 *
 * <p>Stateless.
 */
public final class FlowModCodec {
    private static final long NS = 1_000_000_000L;

    private FlowModCodec() {
    }

    /** The flow mod {@code m} asks for. */
    /** OVS keeps table 254 for itself: OpenFlow cannot add or modify rules there (OFPBRC_EPERM). */
    static final int READ_ONLY_TABLE = 254;

    public static FlowMod decode(OFFlowMod m) {
        FlowMod.Command command = switch (m.getCommand()) {
            case ADD -> FlowMod.Command.ADD;
            case MODIFY -> FlowMod.Command.MODIFY;
            case MODIFY_STRICT -> FlowMod.Command.MODIFY_STRICT;
            case DELETE -> FlowMod.Command.DELETE;
            case DELETE_STRICT -> FlowMod.Command.DELETE_STRICT;
        };
        if (!m.getBufferId().equals(OFBufferId.NO_BUFFER) && !command.isDelete()) {
            throw new OfCodecException(OfError.BAD_REQUEST_BUFFER_UNKNOWN, "buffer " + m.getBufferId().getInt()
                    + ": this switch buffers no packets");
        }
        int table = m.getTableId().getValue();
        if (command == FlowMod.Command.ADD && table == FlowMod.ALL_TABLES) {
            throw new OfCodecException(OfError.FLOW_MOD_FAILED_BAD_TABLE_ID, "an add needs one table");
        }
        if ((command == FlowMod.Command.ADD || command.isModify()) && table == READ_ONLY_TABLE) {
            throw new OfCodecException(OfError.BAD_REQUEST_EPERM, "table " + READ_ONLY_TABLE + " is read-only");
        }
        Set<FlowMod.Flag> flags = EnumSet.noneOf(FlowMod.Flag.class);
        for (OFFlowModFlags f : m.getFlags()) {
            switch (f) {
                case SEND_FLOW_REM -> flags.add(FlowMod.Flag.SEND_FLOW_REM);
                case CHECK_OVERLAP -> flags.add(FlowMod.Flag.CHECK_OVERLAP);
                case RESET_COUNTS -> flags.add(FlowMod.Flag.RESET_COUNTS);
                case NO_PKT_COUNTS -> flags.add(FlowMod.Flag.NO_PACKET_COUNTS);
                case NO_BYT_COUNTS -> flags.add(FlowMod.Flag.NO_BYTE_COUNTS);
                default -> throw new OfCodecException(OfError.FLOW_MOD_FAILED_BAD_FLAGS, "flag " + f);
            }
        }
        int outPort = OfPorts.ANY;
        long outGroup = FlowMod.ANY_GROUP;
        // OpenFlow 1.3 and 1.4 filter only deletes by out_port/out_group; 1.5 modifies too.
        if (command.isDelete() || (command.isModify() && m.getVersion().compareTo(OFVersion.OF_15) >= 0)) {
            outPort = OfPortNumbers.from(m.getOutPort());
            if (outPort < 0) {
                throw new OfCodecException(OfError.FLOW_MOD_FAILED_UNKNOWN, "out_port " + m.getOutPort());
            }
            outGroup = m.getOutGroup().getGroupNumber() & 0xffffffffL;
        }
        Match match = MatchCodec.decode(m.getMatch());
        java.util.List<dev.jvswitch.ofproto.mod.Instruction> instructions = command.isDelete() ? java.util.List.of()
                : ActionCodec.decodeInstructions(m.getInstructions());
        for (dev.jvswitch.ofproto.mod.Instruction i : instructions) {
            if (i instanceof dev.jvswitch.ofproto.mod.Instruction.GotoTable g && table != FlowMod.ALL_TABLES
                    && g.tableId() <= table) {
                // As OVS: a pipeline only goes forward (resubmit goes back).
                throw new OfCodecException(OfError.BAD_INSTRUCTION_BAD_TABLE_ID, "goto_table:" + g.tableId()
                        + " in table " + table + ": the table must come after this one");
            }
        }
        try {
            return FlowMod.builder(command).tableId(table).priority(m.getPriority()).match(match)
                    .cookie(m.getCookie().getValue()).cookieMask(m.getCookieMask().getValue()).outPort(outPort)
                    .outGroup(outGroup).idleTimeoutSec(m.getIdleTimeout()).hardTimeoutSec(m.getHardTimeout())
                    .flags(flags).instructions(instructions)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new OfCodecException(OfError.FLOW_MOD_FAILED_UNKNOWN, e.getMessage());
        }
    }

    /** The rules a flow stats request selects. */
    public static FlowStatsRequest decode(OFFlowStatsRequest r) {
        return request(r.getTableId(), r.getMatch(), r.getCookie(), r.getCookieMask(), r.getOutPort(),
                r.getOutGroup().getGroupNumber());
    }

    /** The rules an aggregate stats request selects. */
    public static FlowStatsRequest decode(OFAggregateStatsRequest r) {
        return request(r.getTableId(), r.getMatch(), r.getCookie(), r.getCookieMask(), r.getOutPort(),
                r.getOutGroup().getGroupNumber());
    }

    private static FlowStatsRequest request(TableId table, org.projectfloodlight.openflow.protocol.match.Match match,
            U64 cookie, U64 mask, org.projectfloodlight.openflow.types.OFPort out, int group) {
        int outPort = OfPortNumbers.from(out);
        if (outPort < 0) {
            throw new OfCodecException(OfError.BAD_REQUEST_BAD_PORT, "out_port " + out);
        }
        return new FlowStatsRequest(table.getValue(), MatchCodec.decode(match), cookie.getValue(), mask.getValue(),
                outPort, group & 0xffffffffL);
    }

    /** One flow stats entry. */
    public static OFFlowStatsEntry encode(FlowStats s, OFFactory f) {
        OFFlowStatsEntry.Builder b = f.buildFlowStatsEntry().setTableId(TableId.of(s.tableId()))
                .setPriority(s.priority()).setIdleTimeout(s.idleTimeoutSec()).setHardTimeout(s.hardTimeoutSec())
                .setCookie(U64.of(s.cookie())).setMatch(MatchCodec.encode(s.match(), f))
                .setInstructions(ActionCodec.encodeInstructions(s.instructions(), s.match(), f));
        if (f.getVersion().compareTo(OFVersion.OF_15) < 0) {
            b.setDurationSec(s.durationNs() / NS).setDurationNsec(s.durationNs() % NS).setFlags(flags(s.flags()))
                    .setPacketCount(U64.of(s.packets())).setByteCount(U64.of(s.bytes()));
        } else {
            b.setFlags(flags(s.flags())).setStats(stats(f, s, true));
        }
        return b.build();
    }

    /** A flow-removed message for {@code r}. */
    public static OFFlowRemoved encode(FlowRemoved r, OFFactory f) {
        FlowStats s = r.flow();
        OFFlowRemovedReason reason = switch (r.reason()) {
            case IDLE_TIMEOUT -> OFFlowRemovedReason.IDLE_TIMEOUT;
            case HARD_TIMEOUT -> OFFlowRemovedReason.HARD_TIMEOUT;
            case DELETE -> OFFlowRemovedReason.DELETE;
            case GROUP_DELETE -> OFFlowRemovedReason.GROUP_DELETE;
            case METER_DELETE -> OFFlowRemovedReason.METER_DELETE;
        };
        OFFlowRemoved.Builder b = f.buildFlowRemoved().setCookie(U64.of(s.cookie())).setPriority(s.priority())
                .setReason(reason).setTableId(TableId.of(s.tableId())).setIdleTimeout(s.idleTimeoutSec())
                .setMatch(MatchCodec.encode(s.match(), f));
        if (f.getVersion().compareTo(OFVersion.OF_15) < 0) {
            b.setDurationSec(s.durationNs() / NS).setDurationNsec(s.durationNs() % NS)
                    .setHardTimeout(s.hardTimeoutSec()).setPacketCount(U64.of(s.packets()))
                    .setByteCount(U64.of(s.bytes()));
        } else {
            b.setHardTimeout(s.hardTimeoutSec()).setStats(stats(f, s, false));
        }
        return b.build();
    }

    /** OpenFlow 1.5's statistics (OXS): duration (seconds in the high 32 bits), idle time, counts. */
    private static org.projectfloodlight.openflow.protocol.stat.Stat stats(OFFactory f, FlowStats s, boolean idle) {
        org.projectfloodlight.openflow.protocol.stat.Stat.Builder b = f.buildStat()
                .set(org.projectfloodlight.openflow.protocol.stat.StatField.DURATION, U64.of(oxsTime(s.durationNs())))
                .set(org.projectfloodlight.openflow.protocol.stat.StatField.PACKET_COUNT, U64.of(s.packets()))
                .set(org.projectfloodlight.openflow.protocol.stat.StatField.BYTE_COUNT, U64.of(s.bytes()));
        if (idle) {
            b.set(org.projectfloodlight.openflow.protocol.stat.StatField.IDLE_TIME, U64.of(oxsTime(s.idleAgeNs())));
        }
        return b.build();
    }

    /** OXS time: seconds in the high 32 bits, nanoseconds in the low. */
    private static long oxsTime(long ns) {
        return (ns / NS) << 32 | (ns % NS);
    }

    private static Set<OFFlowModFlags> flags(Set<FlowMod.Flag> flags) {
        Set<OFFlowModFlags> out = EnumSet.noneOf(OFFlowModFlags.class);
        for (FlowMod.Flag f : flags) {
            switch (f) {
                case SEND_FLOW_REM -> out.add(OFFlowModFlags.SEND_FLOW_REM);
                case CHECK_OVERLAP -> out.add(OFFlowModFlags.CHECK_OVERLAP);
                case RESET_COUNTS -> out.add(OFFlowModFlags.RESET_COUNTS);
                case NO_PACKET_COUNTS -> out.add(OFFlowModFlags.NO_PKT_COUNTS);
                case NO_BYTE_COUNTS -> out.add(OFFlowModFlags.NO_BYT_COUNTS);
                default -> { }
            }
        }
        return out;
    }
}
