package dev.jvswitch.openflow.codec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionDecNwTtl;
import org.projectfloodlight.openflow.protocol.action.OFActionExperimenter;
import org.projectfloodlight.openflow.protocol.action.OFActionGroup;
import org.projectfloodlight.openflow.protocol.action.OFActionNiciraSetQueue;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionPopVlan;
import org.projectfloodlight.openflow.protocol.action.OFActionPushVlan;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.action.OFActionSetNwTtl;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionClearActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionExperimenter;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionGotoTable;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionWriteActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionWriteMetadata;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFValueType;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.Instruction;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * OpenFlow 1.3+ actions and instructions to ofproto's {@link OfAction}s and {@link Instruction}s
 * and back. {@code set_field} goes through {@link OxmTable}, so a field the match codec knows can
 * be set too. Reserved output ports become ofproto's own records ({@code output:NORMAL} is
 * {@link OfAction.Normal}); {@code output:TABLE} exists only in a packet-out
 * ({@code packetOut}: ofproto's {@code resubmit(,0)} with the packet's in_port).
 *
 * <p>What has no OpenFlow 1.3 encoding (Nicira's {@code resubmit}, {@code load}, {@code move},
 * {@code note}) is left out of an encoded list; those come with the Nicira extensions. Nicira's
 * {@code fin_timeout}, which openflowj cannot read or write, passes through it as a stand-in
 * ({@link NxFinTimeoutWire}) that flow-mod instructions read back as {@code fin_timeout}.
 *
 * <p>Stateless.
 */
public final class ActionCodec {
    private ActionCodec() {
    }

    // ------------------------------------------------------------------ decode

    /** The instructions of a flow mod, in ofproto's execution order. */
    public static List<Instruction> decodeInstructions(List<OFInstruction> list) {
        List<Instruction> out = new ArrayList<>();
        // OpenFlow 1.3/1.4's meter instruction: OVS's meter action first in the apply-actions list.
        Instruction.ApplyActions meter = null;
        for (OFInstruction i : list) {
            Instruction x;
            if (i instanceof OFInstructionApplyActions a) {
                x = new Instruction.ApplyActions(decode(a.getActions(), false, true));
            } else if (i instanceof OFInstructionWriteActions w) {
                x = new Instruction.WriteActions(decode(w.getActions(), false, true));
            } else if (i instanceof OFInstructionClearActions) {
                x = new Instruction.ClearActions();
            } else if (i instanceof OFInstructionWriteMetadata m) {
                x = new Instruction.WriteMetadata(m.getMetadata().getValue(), m.getMetadataMask().getValue());
            } else if (i instanceof OFInstructionGotoTable g) {
                int t = g.getTableId().getValue();
                if (t > FlowMod.MAX_TABLE_ID) {
                    throw new OfCodecException(OfError.BAD_INSTRUCTION_BAD_TABLE_ID, "goto_table " + t);
                }
                x = new Instruction.GotoTable(t);
            } else if (i instanceof org.projectfloodlight.openflow.protocol.instruction.OFInstructionMeter m) {
                if (meter != null) {
                    throw new OfCodecException(OfError.BAD_INSTRUCTION_UNKNOWN_INST, "instruction meter given twice");
                }
                meter = new Instruction.ApplyActions(List.of(NxActionWire.meter(m.getMeterId())));
                continue;
            } else if (i instanceof OFInstructionExperimenter) {
                throw new OfCodecException(OfError.BAD_INSTRUCTION_UNKNOWN_INST, "experimenter instruction");
            } else {
                throw new OfCodecException(OfError.BAD_INSTRUCTION_UNSUP_INST, "instruction " + i.getType()
                        + " is not supported");
            }
            for (Instruction have : out) {
                if (have.order() == x.order()) {
                    throw new OfCodecException(OfError.BAD_INSTRUCTION_UNKNOWN_INST, "instruction " + x.ovsName()
                            + " given twice");
                }
            }
            out.add(x);
        }
        if (meter != null) {
            out.add(NxFlowModWire.withMeter(out, meter));
        }
        out.sort(Comparator.comparingInt(Instruction::order));
        return out;
    }

    /** An action list; {@code packetOut} allows {@code output:TABLE}. */
    public static List<OfAction> decode(List<OFAction> actions, boolean packetOut) {
        return decode(actions, packetOut, false);
    }

    /** {@code finStandIns}: a flow mod's list, where {@link NxFinTimeoutWire} put its stand-ins. */
    private static List<OfAction> decode(List<OFAction> actions, boolean packetOut, boolean finStandIns) {
        List<OfAction> out = new ArrayList<>(actions.size());
        for (OFAction a : actions) {
            out.add(decode(a, packetOut, finStandIns));
        }
        return out;
    }

    private static OfAction decode(OFAction a, boolean packetOut, boolean finStandIns) {
        try {
            if (finStandIns && a instanceof OFActionNiciraSetQueue q) {
                return new OfAction.FinTimeout((int) (q.getQueueId() >>> 16), (int) (q.getQueueId() & 0xffff));
            }
            if (a instanceof OFActionOutput o) {
                return output(OfPortNumbers.from(o.getPort()), o.getMaxLen(), packetOut);
            } else if (a instanceof OFActionGroup g) {
                return new OfAction.GroupAction(g.getGroup().getGroupNumber() & 0xffffffffL);
            } else if (a instanceof org.projectfloodlight.openflow.protocol.action.OFActionMeter m) {
                return NxActionWire.meter(m.getMeterId());
            } else if (a instanceof OFActionSetField s) {
                return setField(s.getField());
            } else if (a instanceof OFActionPushVlan p) {
                return new OfAction.PushVlan(p.getEthertype().getValue());
            } else if (a instanceof OFActionPopVlan) {
                return new OfAction.StripVlan();
            } else if (a instanceof OFActionDecNwTtl) {
                return new OfAction.DecTtl();
            } else if (a instanceof OFActionSetNwTtl t) {
                return new OfAction.ModNwTtl(t.getNwTtl());
            } else if (a instanceof org.projectfloodlight.openflow.protocol.action.OFActionNiciraLoad l
                    && NxTunSetField.isTunMetadata(l.getDst())) {
                return tunMetadataLoad(l);
            } else if (a instanceof OFActionExperimenter) {
                throw new OfCodecException(OfError.BAD_ACTION_BAD_TYPE, "experimenter action");
            }
        } catch (IllegalArgumentException e) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_ARGUMENT, e.getMessage());
        }
        throw new OfCodecException(OfError.BAD_ACTION_BAD_TYPE, "action " + a.getType() + " is not supported");
    }

    private static OfAction output(int port, int maxLen, boolean packetOut) {
        if (OfPorts.isOutputPort(port)) {
            return new OfAction.Output(port);
        }
        return switch (port) {
            case OfPorts.IN_PORT -> new OfAction.InPort();
            case OfPorts.NORMAL -> new OfAction.Normal();
            case OfPorts.FLOOD -> new OfAction.Flood();
            case OfPorts.ALL -> new OfAction.All();
            case OfPorts.LOCAL -> new OfAction.Local();
            case OfPorts.CONTROLLER -> new OfAction.Controller(maxLen);
            case OfPorts.TABLE -> {
                if (!packetOut) {
                    throw new OfCodecException(OfError.BAD_ACTION_BAD_OUT_PORT, "output:TABLE outside a packet-out");
                }
                yield new OfAction.Resubmit(OfPorts.IN_PORT, 0);
            }
            default -> throw new OfCodecException(OfError.BAD_ACTION_BAD_OUT_PORT, "output to port "
                    + Integer.toUnsignedString(port));
        };
    }

    private static <T extends OFValueType<T>> OfAction setField(OFOxm<T> oxm) {
        @SuppressWarnings("unchecked")
        OxmTable.Entry<T> e = (OxmTable.Entry<T>) OxmTable.of(oxm.getMatchField());
        if (e == null) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_SET_TYPE, "set_field on " + oxm.getMatchField().getName()
                    + " is not supported");
        }
        if (e.field() == FlowField.IN_PORT) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_SET_TYPE, "set_field on in_port");
        }
        if (e.is128()) {
            T v = oxm.getValue();
            if (oxm.isMasked()) {
                T m = oxm.getMask();
                return new OfAction.SetField(e.field(), e.conv().high(v), e.conv().low(v), e.conv().high(m),
                        e.conv().low(m));
            }
            return OfAction.SetField.exact128(e.field(), e.conv().high(v), e.conv().low(v));
        }
        long mask = oxm.isMasked() ? e.toField(oxm.getMask()) : e.fieldMask();
        mask |= e.impliedMask();
        return OfAction.SetField.masked(e.field(), (e.toField(oxm.getValue()) | e.impliedMask()) & mask, mask);
    }

    /** A {@code reg_load} into {@code tun_metadataN} ({@link NxTunSetField}'s stand-in for its set-field). */
    private static OfAction tunMetadataLoad(org.projectfloodlight.openflow.protocol.action.OFActionNiciraLoad l) {
        int ofs = l.getOfsNbits() >>> 6;
        int nBits = (l.getOfsNbits() & 0x3f) + 1;
        if (ofs + nBits > 32) {
            throw new OfCodecException(OfError.BAD_ACTION_BAD_SET_ARGUMENT, "load of bits " + ofs + ".."
                    + (ofs + nBits - 1) + " into 32-bit tun_metadata" + NxTunSetField.index(l.getDst()));
        }
        long mask = ((1L << nBits) - 1) << ofs;
        return OfAction.SetField.masked(FlowField.tunMetadata(NxTunSetField.index(l.getDst())),
                (l.getValue().getValue() << ofs) & mask, mask);
    }

    /** A set-field into {@code tun_metadataN} as the {@code reg_load} {@link NxTunSetField} turns back into one. */
    private static OFAction tunMetadataLoad(OfAction.SetField s, OFFactory f) {
        long mask = s.mask() & 0xffff_ffffL;
        int ofs = Long.numberOfTrailingZeros(mask);
        int nBits = 64 - Long.numberOfLeadingZeros(mask) - ofs;
        int index = s.field().ordinal() - FlowField.TUN_METADATA0.ordinal();
        return f.actions().buildNiciraLoad().setOfsNbits(ofs << 6 | (nBits - 1))
                .setDst(NxTunSetField.header(index)).setValue(org.projectfloodlight.openflow.types.U64.of(
                        (s.value() & mask) >>> ofs)).build();
    }

    // ------------------------------------------------------------------ encode

    /** Instructions as {@code factory}'s version writes them; {@code match} picks among shared-bit fields. */
    public static List<OFInstruction> encodeInstructions(List<Instruction> list, Match match, OFFactory f) {
        List<OFInstruction> out = new ArrayList<>(list.size());
        for (Instruction i : list) {
            if (i instanceof Instruction.ApplyActions a) {
                out.add(f.instructions().applyActions(encode(a.actions(), match, f)));
            } else if (i instanceof Instruction.WriteActions w) {
                out.add(f.instructions().writeActions(encode(w.actions(), match, f)));
            } else if (i instanceof Instruction.ClearActions) {
                out.add(f.instructions().clearActions());
            } else if (i instanceof Instruction.WriteMetadata m) {
                out.add(f.instructions().writeMetadata(U64.of(m.metadata()), U64.of(m.mask())));
            } else if (i instanceof Instruction.GotoTable g) {
                out.add(f.instructions().gotoTable(TableId.of(g.tableId())));
            }
        }
        return out;
    }

    /** An action list as {@code factory}'s version writes it (see the class comment for what is left out). */
    public static List<OFAction> encode(List<OfAction> actions, Match match, OFFactory f) {
        List<OFAction> out = new ArrayList<>(actions.size());
        for (OfAction a : actions) {
            OFAction x = encode(a, match, f);
            if (x != null) {
                out.add(x);
            }
        }
        return out;
    }

    private static OFAction encode(OfAction a, Match match, OFFactory f) {
        if (a instanceof OfAction.Output o) {
            return f.actions().output(OfPortNumbers.to(o.port()), 0);
        } else if (a instanceof OfAction.Normal) {
            return f.actions().output(OfPortNumbers.to(OfPorts.NORMAL), 0);
        } else if (a instanceof OfAction.Flood) {
            return f.actions().output(OfPortNumbers.to(OfPorts.FLOOD), 0);
        } else if (a instanceof OfAction.All) {
            return f.actions().output(OfPortNumbers.to(OfPorts.ALL), 0);
        } else if (a instanceof OfAction.InPort) {
            return f.actions().output(OfPortNumbers.to(OfPorts.IN_PORT), 0);
        } else if (a instanceof OfAction.Local) {
            return f.actions().output(OfPortNumbers.to(OfPorts.LOCAL), 0);
        } else if (a instanceof OfAction.Controller c) {
            return f.actions().output(OfPortNumbers.to(OfPorts.CONTROLLER), c.maxLen());
        } else if (a instanceof OfAction.GroupAction g) {
            return f.actions().group(OFGroup.of((int) g.groupId()));
        } else if (a instanceof OfAction.PushVlan p) {
            return f.actions().pushVlan(EthType.of(p.ethType()));
        } else if (a instanceof OfAction.StripVlan) {
            return f.actions().popVlan();
        } else if (a instanceof OfAction.DecTtl) {
            return f.actions().decNwTtl();
        } else if (a instanceof OfAction.ModNwTtl t) {
            return f.actions().setNwTtl((short) t.ttl());
        } else if (a instanceof OfAction.ModVlanVid v) {
            return set(FlowField.VLAN_TCI, 0x1000 | v.vid(), 0x1fff, match, f);
        } else if (a instanceof OfAction.ModVlanPcp p) {
            return set(FlowField.VLAN_TCI, p.pcp() << 13, 0xe000, match, f);
        } else if (a instanceof OfAction.ModDlSrc m) {
            return set(FlowField.ETH_SRC, m.mac(), -1L, match, f);
        } else if (a instanceof OfAction.ModDlDst m) {
            return set(FlowField.ETH_DST, m.mac(), -1L, match, f);
        } else if (a instanceof OfAction.ModNwSrc m) {
            return set(FlowField.NW_SRC, m.ipv4() & 0xffffffffL, -1L, match, f);
        } else if (a instanceof OfAction.ModNwDst m) {
            return set(FlowField.NW_DST, m.ipv4() & 0xffffffffL, -1L, match, f);
        } else if (a instanceof OfAction.ModNwTos m) {
            return set(FlowField.NW_TOS, m.tos(), 0xfc, match, f);
        } else if (a instanceof OfAction.ModTpSrc m) {
            return set(FlowField.TP_SRC, m.port(), -1L, match, f);
        } else if (a instanceof OfAction.ModTpDst m) {
            return set(FlowField.TP_DST, m.port(), -1L, match, f);
        } else if (a instanceof OfAction.SetTunnel t) {
            return set(FlowField.TUN_ID, t.tunId(), -1L, match, f);
        } else if (a instanceof OfAction.FinTimeout t) {
            return f.actions().niciraSetQueue(NxFinTimeoutWire.queueId(t.idleTimeout(), t.hardTimeout()));
        } else if (a instanceof OfAction.SetField s && s.field().isTunnelMetadata()) {
            return tunMetadataLoad(s, f);
        } else if (a instanceof OfAction.SetField s) {
            if (s.field().is128()) {
                return set128(s, f);
            }
            return set(s.field(), s.value(), s.mask(), match, f);
        }
        return null;
    }

    /** A set_field of the entry whose bits are {@code mask} within {@code field} (exact when it covers them). */
    private static OFAction set(FlowField field, long value, long mask, Match match, OFFactory f) {
        OxmTable.Entry<?> best = null;
        for (OxmTable.Entry<?> e : OxmTable.entries()) {
            if (e.field().canonical() != field.canonical() || (mask & field.valueMask() & e.fieldMask()) == 0) {
                continue;
            }
            if (best == null || MatchCodec.contextHolds(match, e)) {
                best = e;
                if (MatchCodec.contextHolds(match, e) && (mask & field.valueMask() & ~e.fieldMask()) == 0) {
                    break;
                }
            }
        }
        return best == null ? null : setOf(best, value, mask & field.valueMask(), f);
    }

    private static <T extends OFValueType<T>> OFAction setOf(OxmTable.Entry<T> e, long value, long mask, OFFactory f) {
        long own = mask & e.fieldMask();
        T v = e.fromField(value);
        OFOxm<T> oxm = own == e.fieldMask() ? f.oxms().fromValue(v, e.oxm())
                : f.oxms().fromValueAndMask(v, e.fromField(own), e.oxm());
        return f.actions().setField(oxm);
    }

    private static <T extends OFValueType<T>> OFAction set128(OfAction.SetField s, OFFactory f) {
        for (OxmTable.Entry<?> e : OxmTable.entries()) {
            if (e.field() == s.field()) {
                @SuppressWarnings("unchecked")
                OxmTable.Entry<T> t = (OxmTable.Entry<T>) e;
                T v = t.conv().of(s.valueHigh(), s.value());
                OFOxm<T> oxm = s.isMasked() ? f.oxms().fromValueAndMask(v, t.conv().of(s.maskHigh(), s.mask()), t.oxm())
                        : f.oxms().fromValue(v, t.oxm());
                return f.actions().setField(oxm);
            }
        }
        return null;
    }
}
