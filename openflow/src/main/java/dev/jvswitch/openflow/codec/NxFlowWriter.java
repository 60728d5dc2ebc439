package dev.jvswitch.openflow.codec;

import java.util.List;

import io.netty.buffer.ByteBuf;

import dev.jvswitch.flowcache.actions.DpCt;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.FieldRef;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.mod.Instruction;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * Writes a rule's match and instructions in OpenFlow 1.5 with Nicira's extensions, the inverse
 * of {@link NxMatchWire} and {@link NxActionWire}: what a flow stats reply carries for a rule
 * that openflowj cannot write (registers, {@code metadata} with ct fields, resubmit, move,
 * ct, ...), so {@code ovs-ofctl -O OpenFlow15 dump-flows} shows the rules a controller installed.
 * {@link #needed} says which rules; the others keep the openflowj encoding.
 *
 * <p>Stateless.
 */
public final class NxFlowWriter {
    /** Headers a match is written with, in order; a field's bits are written once. */
    private static final List<NxmTable.Field> MATCH_ORDER;

    static {
        java.util.ArrayList<NxmTable.Field> order = new java.util.ArrayList<>();
        for (NxmTable.Field f : NxmTable.all()) {
            boolean vlanOxm = f.cls() == NxmTable.OXM_BASIC && (f.number() == 6 || f.number() == 7);
            // ND's link-layer addresses are aliases of ARP's, the only wide ones with headers of their own.
            boolean wide = f.field().isAlias() && f.field().widthBits() > 32 && f.field() != FlowField.ND_SLL
                    && f.field() != FlowField.ND_TLL;
            if (!vlanOxm && !wide && f.cls() != NxmTable.EXPERIMENTER && f.cls() != NxmTable.OXM_PKT_REGS) {
                order.add(f);
            }
        }
        MATCH_ORDER = List.copyOf(order);
    }

    private NxFlowWriter() {
    }

    /** True if the openflowj encoding would lose part of this rule. */
    public static boolean needed(Match m, List<Instruction> instructions) {
        for (FlowField f : FlowField.values()) {
            if (!f.isAlias() && !m.isWildcard(f) && !oxmTableHas(f) && !isTunMetadata(f)) {
                return true;
            }
        }
        for (Instruction i : instructions) {
            List<OfAction> acts = i instanceof Instruction.ApplyActions a ? a.actions()
                    : i instanceof Instruction.WriteActions w ? w.actions() : List.of();
            for (OfAction a : acts) {
                if (!plain(a)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * True if openflowj's encoding would lose part of a group bucket's {@code actions}: as
     * {@link #needed}, and a set-field into a {@code tun_metadataN}, whose stand-in only a flow's
     * instructions turn back into a set-field.
     */
    public static boolean bucketNeeded(List<OfAction> actions) {
        for (OfAction a : actions) {
            if (!plain(a) || a instanceof OfAction.SetField s && s.field().isTunnelMetadata()) {
                return true;
            }
        }
        return false;
    }

    private static boolean oxmTableHas(FlowField f) {
        for (OxmTable.Entry<?> e : OxmTable.entries()) {
            if (e.field().canonical() == f.canonical() || e.field() == f) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code tun_metadataN}: the openflowj side writes it (as {@code MatchCodec}'s {@code NxMatch}
     * and {@code ActionCodec}'s stand-in loads), so it alone needs no Nicira writer.
     */
    private static boolean isTunMetadata(FlowField f) {
        if (f == FlowField.TUN_METADATA_PRESENT) {
            return true; // follows the tun_metadataN fields: not written on its own
        }
        int i = f.ordinal() - FlowField.TUN_METADATA0.ordinal();
        return i >= 0 && i < NxTunMetadata.FIELDS && FlowField.tunMetadata(i) == f;
    }

    /** Actions openflowj's side writes whole. */
    private static boolean plain(OfAction a) {
        if (a instanceof OfAction.SetField s) {
            return (oxmTableHas(s.field()) || isTunMetadata(s.field()) && !isLongOption(s))
                    && s.field() != FlowField.IN_PORT;
        }
        return a instanceof OfAction.Output || a instanceof OfAction.Normal || a instanceof OfAction.Flood
                || a instanceof OfAction.All || a instanceof OfAction.InPort || a instanceof OfAction.Local
                || a instanceof OfAction.Controller c && c.plain() || a instanceof OfAction.GroupAction
                || a instanceof OfAction.PushVlan || a instanceof OfAction.StripVlan || a instanceof OfAction.DecTtl d && d.controllerIds() == null
                || a instanceof OfAction.ModNwTtl || a instanceof OfAction.FinTimeout;
    }

    /**
     * Writes an OpenFlow 1.5 {@code OFPT_FLOW_MOD} adding {@code mod} (no buffer, any out port
     * and group) with Nicira match fields and actions, as ovn-controller sends one.
     */
    public static void flowMod15(ByteBuf b, dev.jvswitch.ofproto.mod.FlowMod mod, long xid) {
        int start = b.writerIndex();
        b.writeByte(6).writeByte(14).writeShort(0).writeInt((int) xid);
        b.writeLong(mod.cookie()).writeLong(0).writeByte(mod.tableId()).writeByte(0).writeShort(mod.idleTimeoutSec())
                .writeShort(mod.hardTimeoutSec()).writeShort(mod.priority()).writeInt(-1).writeInt(-1).writeInt(-1)
                .writeShort(0).writeShort(0);
        match(b, mod.match());
        instructions(b, mod.instructions(), mod.match());
        b.setShort(start + 2, b.writerIndex() - start);
    }

    // ------------------------------------------------------------------ match

    /** Writes {@code m} as an {@code ofp_match} (padded to 8). */
    public static void match(ByteBuf b, Match m) {
        int start = b.writerIndex();
        b.writeShort(1).writeShort(0);
        long[] written = new long[dev.jvswitch.flowcache.key.FlowKey.ALL_WORDS];
        for (NxmTable.Field f : MATCH_ORDER) {
            FlowField ff = f.field();
            if (!NxMatchWire.contextHolds(m, f)) {
                continue;
            }
            if (ff.isTunnelMetadata()) {
                // Variable-length: a longer option's field whole, through the map in effect.
                NxTunMetadata.Entry e = NxTunMetadata.entryOf(m, ff.tunMetadataIndex());
                if (e != null) {
                    e.writeTo(b);
                }
                continue;
            }
            if (ff.is128()) {
                long mh = m.maskHigh(ff);
                long ml = m.maskLow(ff);
                if ((mh | ml) == 0 || (written[ff.word()] | written[ff.word() + 1]) != 0) {
                    continue;
                }
                boolean masked = mh != -1L || ml != -1L;
                b.writeInt((int) f.header(masked));
                b.writeLong(m.valueHigh(ff)).writeLong(m.valueLow(ff));
                if (masked) {
                    b.writeLong(mh).writeLong(ml);
                }
                written[ff.word()] = -1L;
                written[ff.word() + 1] = -1L;
                continue;
            }
            long bits = m.mask(ff) & f.fieldMask();
            long inWord = bits << ff.shift();
            if (bits == 0 || (written[ff.word()] & inWord) != 0) {
                continue;
            }
            long value = (m.value(ff) & f.fieldMask()) >>> f.shift();
            long mask = bits >>> f.shift();
            long full = f.width() >= 64 ? -1L : (1L << f.width()) - 1;
            if (f.conv() == NxmTable.Conv.PORT32) {
                if (m.mask(ff) != 0xffffffffL) {
                    continue; // a masked in_port goes as NXM_OF_IN_PORT below
                }
                value = OfPortNumbers.to((int) value).getPortNumber() & 0xffffffffL;
                mask = full;
            } else if (f.conv() == NxmTable.Conv.PORT16) {
                mask &= 0xffff;
                full = 0xffff;
            }
            boolean masked = mask != full;
            b.writeInt((int) f.header(masked));
            put(b, value, f.bytes());
            if (masked) {
                put(b, mask, f.bytes());
            }
            written[ff.word()] |= inWord;
        }
        int len = b.writerIndex() - start;
        b.setShort(start + 2, len);
        b.writeZero(((len + 7) & ~7) - len);
    }

    private static void put(ByteBuf b, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            b.writeByte((int) (v >>> (8 * i)));
        }
    }

    // ------------------------------------------------------------------ instructions and actions

    /**
     * Writes the instructions of a rule matching {@code m} in OpenFlow 1.5; throws
     * {@link IllegalArgumentException} for an action it cannot write.
     */
    public static void instructions(ByteBuf b, List<Instruction> list, Match m) {
        instructions(b, list, new Ctx(m, 6));
    }

    /** As {@link #instructions(ByteBuf, List, Match)} for OpenFlow {@code version} (4 to 6, the wire number). */
    public static void instructions(ByteBuf b, List<Instruction> list, Match m, int version) {
        instructions(b, list, new Ctx(m, version));
    }

    /**
     * What the encoding of an action depends on beyond the action: the rule's match ({@code tp_src}
     * is TCP's, UDP's or SCTP's; null in a group bucket) and the OpenFlow version.
     */
    private record Ctx(Match match, int version) {
    }

    private static void instructions(ByteBuf b, List<Instruction> list, Ctx ctx) {
        for (Instruction i : list) {
            int start = b.writerIndex();
            if (i instanceof Instruction.GotoTable g) {
                b.writeShort(1).writeShort(8).writeByte(g.tableId()).writeZero(3);
            } else if (i instanceof Instruction.WriteMetadata w) {
                b.writeShort(2).writeShort(24).writeInt(0).writeLong(w.metadata()).writeLong(w.mask());
            } else if (i instanceof Instruction.ClearActions) {
                b.writeShort(5).writeShort(8).writeInt(0);
            } else if (i instanceof Instruction.ApplyActions a) {
                List<OfAction> acts = a.actions();
                if (ctx.version() < 6 && !acts.isEmpty() && acts.get(0) instanceof OfAction.Meter m) {
                    // OpenFlow 1.3/1.4 have a meter instruction, not an action (OVS writes it so).
                    b.writeShort(6).writeShort(8).writeInt((int) m.meterId());
                    start = b.writerIndex();
                    acts = acts.subList(1, acts.size());
                }
                b.writeShort(4).writeShort(0).writeInt(0);
                actions(b, acts, ctx);
                b.setShort(start + 2, b.writerIndex() - start);
            } else if (i instanceof Instruction.WriteActions w) {
                b.writeShort(3).writeShort(0).writeInt(0);
                actions(b, w.actions(), ctx);
                b.setShort(start + 2, b.writerIndex() - start);
            }
        }
    }

    /** Writes a group bucket's action list in OpenFlow 1.5. */
    public static void actions(ByteBuf b, List<OfAction> list) {
        actions(b, list, new Ctx(null, 6));
    }

    /** Writes a group bucket's action list in OpenFlow {@code version} (4 to 6, the wire number). */
    public static void actions(ByteBuf b, List<OfAction> list, int version) {
        actions(b, list, new Ctx(null, version));
    }

    private static void actions(ByteBuf b, List<OfAction> list, Ctx ctx) {
        for (OfAction a : list) {
            action(b, a, ctx);
        }
    }

    private static void action(ByteBuf b, OfAction a, Ctx ctx) {
        int start = b.writerIndex();
        if (a instanceof OfAction.Output o) {
            output(b, o.port(), 0);
        } else if (a instanceof OfAction.Normal) {
            output(b, OfPorts.NORMAL, 0);
        } else if (a instanceof OfAction.Flood) {
            output(b, OfPorts.FLOOD, 0);
        } else if (a instanceof OfAction.All) {
            output(b, OfPorts.ALL, 0);
        } else if (a instanceof OfAction.InPort) {
            output(b, OfPorts.IN_PORT, 0);
        } else if (a instanceof OfAction.Local) {
            output(b, OfPorts.LOCAL, 0);
        } else if (a instanceof OfAction.Controller c) {
            controller(b, c);
        } else if (a instanceof OfAction.Sample s) {
            sample(b, s);
        } else if (a instanceof OfAction.OutputReg o) {
            NxmTable.Field f = wire(o.src(), ctx);
            int ofsNbits = (o.src().start() - f.shift()) << 6 | (o.src().nBits() - 1);
            // OVS writes OUTPUT_REG2 only for a field NXAST_OUTPUT_REG cannot name (an experimenter OXM).
            if (f.cls() == NxmTable.EXPERIMENTER) {
                nx(b, 32).writeShort(ofsNbits).writeShort(o.maxLen());
                b.writeInt((int) f.header(false) & ~0xff | f.bytes());
                if (f.cls() == NxmTable.EXPERIMENTER) {
                    b.writeInt((int) f.experimenter());
                }
                b.writeZero(24 - (b.writerIndex() - start));
            } else {
                nx(b, 15).writeShort(ofsNbits).writeInt((int) f.header(false) & ~0xff | f.bytes())
                        .writeShort(o.maxLen()).writeZero(6);
            }
        } else if (a instanceof OfAction.CheckPktLarger k) {
            NxmTable.Field f = wire(k.dst(), ctx);
            nx(b, 49).writeShort(k.pktLen()).writeShort(k.dst().start() - f.shift());
            b.writeInt((int) f.header(false) & ~0xff | f.bytes());
            if (f.cls() == NxmTable.EXPERIMENTER) {
                b.writeInt((int) f.experimenter());
            }
            b.writeZero(Math.max(0, 24 - (b.writerIndex() - start)));
            pad(b, start);
        } else if (a instanceof OfAction.Meter m) {
            b.writeShort(29).writeShort(8).writeInt((int) m.meterId());
        } else if (a instanceof OfAction.GroupAction g) {
            b.writeShort(22).writeShort(8).writeInt((int) g.groupId());
        } else if (a instanceof OfAction.PushVlan p) {
            b.writeShort(17).writeShort(8).writeShort(p.ethType()).writeShort(0);
        } else if (a instanceof OfAction.StripVlan) {
            b.writeShort(18).writeShort(8).writeInt(0);
        } else if (a instanceof OfAction.DecTtl d && d.controllerIds() != null) {
            // As OVS's encode_DEC_TTL: the ids after a 16-byte nx_action_cnt_ids, padded to 8.
            nx(b, NxActionWire.NXAST_DEC_TTL_CNT_IDS).writeShort(d.controllerIds().size()).writeInt(0);
            for (int id : d.controllerIds()) {
                b.writeShort(id);
            }
            pad(b, start);
        } else if (a instanceof OfAction.DecTtl) {
            b.writeShort(24).writeShort(8).writeInt(0);
        } else if (a instanceof OfAction.ModNwTtl t) {
            b.writeShort(23).writeShort(8).writeByte(t.ttl()).writeZero(3);
        } else if (a instanceof OfAction.SetField s && isLongOption(s)) {
            optionSetField(b, s, ctx);
        } else if (a instanceof OfAction.SetField s) {
            setField(b, s.field(), s.valueHigh(), s.value(), s.maskHigh(), s.mask(), ctx);
        } else if (a instanceof OfAction.Load l) {
            load(b, l, ctx);
        } else if (a instanceof OfAction.Move m) {
            // OFPAT_COPY_FIELD in 1.5; NXAST_REG_MOVE before, as OVS writes it.
            NxmTable.Field src = wire(m.src(), ctx);
            NxmTable.Field dst = wire(m.dst(), ctx);
            if (ctx.version() >= 6) {
                b.writeShort(28).writeShort(0).writeShort(m.src().nBits());
                b.writeShort(m.src().start() - src.shift()).writeShort(m.dst().start() - dst.shift()).writeShort(0);
            } else {
                nx(b, 6).writeShort(m.src().nBits());
                b.writeShort(m.src().start() - src.shift()).writeShort(m.dst().start() - dst.shift());
            }
            b.writeInt((int) src.header(false) & ~0xff | src.bytes());
            b.writeInt((int) dst.header(false) & ~0xff | dst.bytes());
            pad(b, start);
        } else if (a instanceof OfAction.Resubmit r) {
            nx(b, 14).writeShort(r.port()).writeByte(r.table()).writeZero(3);
        } else if (a instanceof OfAction.SetTunnel t) {
            nx(b, 9).writeZero(6).writeLong(t.tunId());
        } else if (a instanceof OfAction.Note n) {
            nx(b, 8).writeBytes(n.bytes());
            pad(b, start);
        } else if (a instanceof OfAction.FinTimeout t) {
            nx(b, 19).writeShort(t.idleTimeout()).writeShort(t.hardTimeout()).writeShort(0);
        } else if (a instanceof OfAction.StackPush p) {
            stack(b, 27, p.src(), ctx);
        } else if (a instanceof OfAction.StackPop p) {
            stack(b, 28, p.dst(), ctx);
        } else if (a instanceof OfAction.Conjunction c) {
            nx(b, 34).writeByte(c.clause() - 1).writeByte(c.nClauses()).writeInt((int) c.id());
        } else if (a instanceof OfAction.CtClear) {
            nx(b, 43).writeZero(6);
        } else if (a instanceof OfAction.Clone c) {
            nx(b, 42).writeZero(6);
            actions(b, c.actions(), ctx);
        } else if (a instanceof OfAction.Ct ct) {
            ct(b, ct, ctx);
        } else if (a instanceof OfAction.Learn l) {
            NxLearnWire.encode(b, l, ruleProto(ctx), r -> wire(r, ctx));
        } else {
            throw new IllegalArgumentException("no OpenFlow 1.5 encoding for " + a);
        }
        b.setShort(start + 2, b.writerIndex() - start);
    }

    /** As OVS's {@code encode_CONTROLLER}: OpenFlow's output, NXAST_CONTROLLER, or NXAST_CONTROLLER2. */
    private static void controller(ByteBuf b, OfAction.Controller c) {
        int start = b.writerIndex();
        if (c.userdataLength() > 0 || c.pause() || c.meterId() != OfAction.Controller.NO_METER) {
            nx(b, 37).writeZero(6);
            if (c.maxLen() != OfAction.Controller.DEFAULT_MAX_LEN) {
                b.writeShort(NxPinWire.NXAC2PT_MAX_LEN).writeShort(6).writeShort(c.maxLen()).writeZero(2);
            }
            if (c.controllerId() != 0) {
                b.writeShort(NxPinWire.NXAC2PT_CONTROLLER_ID).writeShort(6).writeShort(c.controllerId()).writeZero(2);
            }
            if (c.reason() != OfAction.Controller.REASON_ACTION) {
                b.writeShort(NxPinWire.NXAC2PT_REASON).writeShort(5).writeByte(c.reason()).writeZero(3);
            }
            if (c.userdataLength() > 0) {
                int p = b.writerIndex();
                b.writeShort(NxPinWire.NXAC2PT_USERDATA).writeShort(4 + c.userdataLength()).writeBytes(c.userdata());
                pad(b, p);
            }
            if (c.pause()) {
                b.writeShort(NxPinWire.NXAC2PT_PAUSE).writeShort(4).writeZero(4);
            }
            if (c.meterId() != OfAction.Controller.NO_METER) {
                b.writeShort(NxPinWire.NXAC2PT_METER_ID).writeShort(8).writeInt((int) c.meterId());
            }
            pad(b, start);
        } else if (c.controllerId() == 0 && c.reason() == OfAction.Controller.REASON_ACTION) {
            output(b, OfPorts.CONTROLLER, c.maxLen());
        } else {
            nx(b, 20).writeShort(c.maxLen()).writeShort(c.controllerId()).writeByte(c.reason()).writeZero(1);
        }
    }

    /** As OVS's {@code encode_SAMPLE}: SAMPLE3 with a direction, SAMPLE2 with a port, else SAMPLE. */
    private static void sample(ByteBuf b, OfAction.Sample s) {
        boolean v3 = s.direction() != 0;
        boolean v2 = v3 || s.samplingPort() != OfAction.Sample.NO_PORT;
        nx(b, v3 ? 41 : v2 ? 38 : 29).writeShort(s.probability()).writeInt((int) s.collectorSetId())
                .writeInt((int) s.obsDomainId()).writeInt((int) s.obsPointId());
        if (v2) {
            b.writeShort(s.samplingPort()).writeByte(s.direction()).writeZero(5);
        }
    }

    private static void output(ByteBuf b, int port, int maxLen) {
        b.writeShort(0).writeShort(16).writeInt(OfPortNumbers.to(port).getPortNumber()).writeShort(maxLen)
                .writeZero(6);
    }

    /** The experimenter header of Nicira action {@code subtype}; the caller writes the body, then the length. */
    private static ByteBuf nx(ByteBuf b, int subtype) {
        return b.writeShort(0xffff).writeShort(0).writeInt((int) NxmTable.NX_VENDOR).writeShort(subtype);
    }

    private static void pad(ByteBuf b, int start) {
        int len = b.writerIndex() - start;
        b.writeZero(((len + 7) & ~7) - len);
    }

    private static void stack(ByteBuf b, int subtype, FieldRef r, Ctx ctx) {
        int start = b.writerIndex();
        NxmTable.Field f = wire(r, ctx);
        nx(b, subtype).writeShort(r.start() - f.shift());
        b.writeInt((int) f.header(false) & ~0xff | f.bytes()).writeShort(r.nBits());
        b.writeZero(24 - (b.writerIndex() - start));
    }

    private static void load(ByteBuf b, OfAction.Load l, Ctx ctx) {
        FieldRef d = l.dst();
        FlowField f = d.field();
        if (f.is128()) {
            long maskLo = d.start() >= 64 ? 0 : bits(d.nBits()) << d.start();
            long maskHi = d.start() >= 64 ? bits(d.nBits()) << (d.start() - 64)
                    : d.start() + d.nBits() > 64 ? bits(d.start() + d.nBits() - 64) : 0;
            long lo = d.start() >= 64 ? 0 : l.value() << d.start();
            long hi = d.start() >= 64 ? l.value() << (d.start() - 64)
                    : d.start() == 0 ? 0 : l.value() >>> (64 - d.start());
            setField(b, f, hi & maskHi, lo & maskLo, maskHi, maskLo, ctx);
            return;
        }
        long mask = bits(d.nBits()) << d.start();
        setField(b, f, 0, (l.value() << d.start()) & mask, 0, mask, ctx);
    }

    private static long bits(int n) {
        return n >= 64 ? -1L : (1L << n) - 1;
    }

    /**
     * set_field, masked when not whole. {@code mask} is in the flow field's own bits. A masked
     * one is NXAST_REG_LOAD2 before OpenFlow 1.5, which has no masked set_field (as OVS writes it).
     */
    private static void setField(ByteBuf b, FlowField ff, long vh, long v, long mh, long m, Ctx ctx) {
        int start = b.writerIndex();
        NxmTable.Field f = wholeOf(ff, ctx);
        if (ff.is128()) {
            boolean masked = mh != -1L || m != -1L;
            setFieldHead(b, masked, ctx);
            b.writeInt((int) f.header(masked)).writeLong(vh).writeLong(v);
            if (masked) {
                b.writeLong(mh).writeLong(m);
            }
        } else if (ff == FlowField.IN_PORT) {
            // As OVS and OVN write it: NXM_OF_IN_PORT, 16 bits (OVS refuses OXM_OF_IN_PORT here).
            setFieldHead(b, false, ctx);
            b.writeInt((int) NxmTable.find(NxmTable.NXM_OF, 0, 0).header(false)).writeShort((int) v);
        } else {
            long value = (v & f.fieldMask()) >>> f.shift();
            long mask = (m & f.fieldMask()) >>> f.shift();
            long full = bits(f.width());
            boolean masked = mask != full;
            setFieldHead(b, masked, ctx);
            b.writeInt((int) f.header(masked));
            put(b, value, f.bytes());
            if (masked) {
                put(b, mask, f.bytes());
            }
        }
        pad(b, start);
        b.setShort(start + 2, b.writerIndex() - start);
    }

    /**
     * True for a set-field into a {@code tun_metadataN} wider than 32 bits: a longer option's,
     * written whole here (the openflowj side's stand-in {@code reg_load} holds 64 bits).
     */
    private static boolean isLongOption(OfAction.SetField s) {
        return s.field().isTunnelMetadata() && (s.wide() != null || s.valueHigh() != 0 || s.maskHigh() != 0
                || s.mask() >>> 32 != 0);
    }

    /** A longer option's set-field: its NXM entry as long as the map in effect makes the option, as OVS writes it. */
    private static void optionSetField(ByteBuf b, OfAction.SetField s, Ctx ctx) {
        int start = b.writerIndex();
        int index = s.field().tunMetadataIndex();
        int length = dev.jvswitch.ofproto.tnl.TlvMapScope.current().lengthOf(index);
        byte[][] vm = dev.jvswitch.ofproto.action.OptionBytes.of(s, length > NxTunMetadata.VALUE_BYTES ? length : 0);
        setFieldHead(b, !dev.jvswitch.ofproto.tnl.OptionText.allOnes(vm[1]), ctx);
        new NxTunMetadata.Entry(index, vm[0], vm[1]).writeTo(b);
        pad(b, start);
        b.setShort(start + 2, b.writerIndex() - start);
    }

    private static void setFieldHead(ByteBuf b, boolean masked, Ctx ctx) {
        if (masked && ctx.version() < 6) {
            nx(b, 33);
        } else {
            b.writeShort(25).writeShort(0);
        }
    }

    private static void ct(ByteBuf b, OfAction.Ct ct, Ctx ctx) {
        int start = b.writerIndex();
        nx(b, 35).writeShort((ct.commit() ? 1 : 0) | (ct.force() ? 2 : 0));
        if (ct.zoneSrc() != null) {
            NxmTable.Field f = wire(ct.zoneSrc(), ctx);
            b.writeInt((int) f.header(false) & ~0xff | f.bytes());
            b.writeShort((ct.zoneSrc().start() - f.shift()) << 6 | (ct.zoneSrc().nBits() - 1));
        } else {
            b.writeInt(0).writeShort(ct.zoneImm());
        }
        b.writeByte(ct.table()).writeZero(3).writeShort(ct.alg());
        if (ct.nat() != null) {
            nat(b, ct.nat());
        }
        actions(b, ct.exec(), ctx);
        b.setShort(start + 2, b.writerIndex() - start);
    }

    private static void nat(ByteBuf b, DpCt.Nat n) {
        int start = b.writerIndex();
        nx(b, 36).writeShort(0).writeShort(n.flags());
        int presentAt = b.writerIndex();
        b.writeShort(0);
        int present = 0;
        if (n.hasAddr()) {
            if (n.ipv6()) {
                b.writeLong(n.minHi()).writeLong(n.minLo());
                present |= 4;
                if (n.maxHi() != n.minHi() || n.maxLo() != n.minLo()) {
                    b.writeLong(n.maxHi()).writeLong(n.maxLo());
                    present |= 8;
                }
            } else {
                b.writeInt((int) n.minLo());
                present |= 1;
                if (n.maxLo() != n.minLo()) {
                    b.writeInt((int) n.maxLo());
                    present |= 2;
                }
            }
            if (n.minPort() != 0) {
                b.writeShort(n.minPort());
                present |= 16;
            }
            if (n.maxPort() != 0 && n.maxPort() != n.minPort()) {
                b.writeShort(n.maxPort());
                present |= 32;
            }
        }
        b.setShort(presentAt, present);
        pad(b, start);
        b.setShort(start + 2, b.writerIndex() - start);
    }

    /** The IP protocol the rule being written matches, or 0. */
    private static int ruleProto(Ctx ctx) {
        return ctx.match() == null || ctx.match().isWildcard(FlowField.NW_PROTO) ? 0
                : (int) ctx.match().value(FlowField.NW_PROTO);
    }

    /** The header that names {@code r}'s field (an NXM one where the field has no OXM). */
    private static NxmTable.Field wire(FieldRef r, Ctx ctx) {
        FlowField f = r.field();
        if (f == FlowField.IN_PORT && r.start() + r.nBits() <= 16) {
            return NxmTable.find(NxmTable.NXM_OF, 0, 0);
        }
        return wholeOf(f, ctx);
    }

    /**
     * The header that writes all of {@code ff}: where several do ({@code tp_src} is TCP's, UDP's
     * or SCTP's), the one whose prerequisites the rule's match {@code ctx} holds, as OVS keeps the
     * field the controller named; the first otherwise ({@code ctx} null: a group bucket).
     */
    private static NxmTable.Field wholeOf(FlowField ff, Ctx ctx) {
        NxmTable.Field whole = null;
        NxmTable.Field best = null;
        for (NxmTable.Field f : NxmTable.all()) {
            if (f.field() != ff) {
                continue;
            }
            if (f.shift() == 0 && f.width() == ff.widthBits() && f.cls() != NxmTable.EXPERIMENTER) {
                if (ctx.match() != null && f.ipProto() >= 0 && NxMatchWire.contextHolds(ctx.match(), f)) {
                    return f;
                }
                whole = whole == null ? f : whole;
            }
            if (best == null || f.width() > best.width()) {
                best = f;
            }
        }
        if (whole != null) {
            return whole;
        }
        if (best == null) {
            throw new IllegalArgumentException("no OpenFlow header for " + ff.ovsName());
        }
        return best;
    }
}
