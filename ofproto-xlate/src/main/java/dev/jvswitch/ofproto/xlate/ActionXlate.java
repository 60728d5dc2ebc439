package dev.jvswitch.ofproto.xlate;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.action.FieldRef;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.meter.MeterEntry;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * One OpenFlow action (OVS's {@code do_xlate_actions} switch): field changes go into the flow
 * (emitted later by {@link Commit}), outputs to {@link OutputXlate}, groups to
 * {@link GroupXlate}, table jumps back to the context.
 *
 * <p>An action on a header the packet does not have ({@code mod_nw_dst} on ARP, {@code dec_ttl}
 * on non-IP) does nothing, as in OVS; the fields that decided that go into the mask.
 */
final class ActionXlate {
    private static final int TOS_DSCP_MASK = 0xfc;

    private ActionXlate() {
    }

    /** Translations that ran a {@code sample} action (which samples nothing: there is no exporter). */
    static final java.util.concurrent.atomic.LongAdder SAMPLES = new java.util.concurrent.atomic.LongAdder();

    /** Translates {@code a}; returns true if the rest of the current action list must not run. */
    static boolean run(XlateContext c, OfAction a) {
        if (a instanceof OfAction.Output o) {
            OutputXlate.output(c, o.port());
        } else if (a instanceof OfAction.Normal) {
            NormalXlate.run(c);
        } else if (a instanceof OfAction.Flood) {
            OutputXlate.flood(c, false);
        } else if (a instanceof OfAction.All) {
            OutputXlate.flood(c, true);
        } else if (a instanceof OfAction.InPort) {
            OutputXlate.output(c, OfPorts.IN_PORT);
        } else if (a instanceof OfAction.Local) {
            OutputXlate.output(c, OfPorts.LOCAL);
        } else if (a instanceof OfAction.Controller ctl) {
            OutputXlate.controller(c, ctl);
        } else if (a instanceof OfAction.OutputReg o) {
            OutputXlate.outputReg(c, o);
        } else if (a instanceof OfAction.CheckPktLarger k) {
            checkPktLarger(c, k);
        } else if (a instanceof OfAction.Sample) {
            // OVS samples only to a configured IPFIX or sFlow exporter; jvswitch has none.
            SAMPLES.increment();
            c.report(TraceNode.Kind.DETAIL, "sample: no IPFIX exporter, nothing sampled");
        } else if (a instanceof OfAction.Meter m) {
            meter(c, m.meterId());
        } else if (a instanceof OfAction.Resubmit r) {
            int table = r.table() == OfAction.Resubmit.CURRENT_TABLE ? c.tableId : r.table();
            int port = r.port() == OfPorts.IN_PORT ? XlateContext.KEEP_IN_PORT : r.port();
            c.lookupTable(table, port, table <= c.tableId, false);
        } else if (a instanceof OfAction.GotoTable g) {
            c.lookupTable(g.table(), XlateContext.KEEP_IN_PORT, g.table() <= c.tableId, true);
        } else if (a instanceof OfAction.GroupAction g) {
            return GroupXlate.run(c, g.groupId());
        } else if (a instanceof OfAction.DecTtl d) {
            return decTtl(c, d);
        } else if (a instanceof OfAction.Note || a instanceof OfAction.Conjunction) {
            // A conjunctive flow is never the answer of a lookup: its actions never run.
            return false;
        } else if (a instanceof OfAction.Clone cl) {
            c.runInScope(cl.actions());
        } else if (a instanceof OfAction.StackPush sp) {
            c.stackPush(sp.src());
        } else if (a instanceof OfAction.StackPop sp) {
            c.stackPop(sp.dst());
        } else if (a instanceof OfAction.Multipath m) {
            MultipathXlate.multipath(c, m);
        } else if (a instanceof OfAction.Bundle b) {
            MultipathXlate.bundle(c, b);
        } else if (a instanceof OfAction.Ct ct) {
            CtXlate.ct(c, ct);
        } else if (a instanceof OfAction.CtClear) {
            CtXlate.clear(c);
        } else if (a instanceof OfAction.Learn l) {
            LearnXlate.run(c, l);
        } else if (a instanceof OfAction.FinTimeout f) {
            c.finTimeouts.run(c, f);
        } else if (a instanceof OfAction.WriteMetadata w) {
            FieldWrite.write(c, FlowField.METADATA, w.metadata(), w.mask());
        } else {
            setAction(c, a);
        }
        return false;
    }

    /** The actions that only change fields of the flow. */
    private static void setAction(XlateContext c, OfAction a) {
        FlowKey f = c.flow;
        if (a instanceof OfAction.ModVlanVid v) {
            setVlanBits(c, v.vid(), FlowKey.VLAN_VID_MASK);
        } else if (a instanceof OfAction.ModVlanPcp p) {
            setVlanBits(c, p.pcp() << FlowKey.VLAN_PCP_SHIFT, 7 << FlowKey.VLAN_PCP_SHIFT);
        } else if (a instanceof OfAction.StripVlan) {
            c.unwildcardVlans();
            long[] w = f.words();
            w[FlowField.VLAN_TCI.word()] <<= 32; // the inner tag (if any) moves out; nothing is left inside
        } else if (a instanceof OfAction.PushVlan p) {
            c.unwildcardVlans();
            long[] w = f.words();
            int word = FlowField.VLAN_TCI.word();
            w[word] = (w[word] >>> 32) | (long) p.ethType() << FlowField.VLAN_TPID.shift()
                    | (long) FlowKey.VLAN_CFI << FlowField.VLAN_TCI.shift();
        } else if (a instanceof OfAction.ModDlSrc m) {
            FieldWrite.write(c, FlowField.ETH_SRC, m.mac(), -1L);
        } else if (a instanceof OfAction.ModDlDst m) {
            FieldWrite.write(c, FlowField.ETH_DST, m.mac(), -1L);
        } else if (a instanceof OfAction.ModNwSrc m) {
            if (f.isIpv4()) {
                FieldWrite.write(c, FlowField.NW_SRC, m.ipv4() & 0xffff_ffffL, -1L);
            }
        } else if (a instanceof OfAction.ModNwDst m) {
            if (f.isIpv4()) {
                FieldWrite.write(c, FlowField.NW_DST, m.ipv4() & 0xffff_ffffL, -1L);
            }
        } else if (a instanceof OfAction.ModNwTos m) {
            if (f.isIpv4() || f.isIpv6()) {
                FieldWrite.write(c, FlowField.NW_TOS, m.tos(), TOS_DSCP_MASK);
            }
        } else if (a instanceof OfAction.ModNwTtl m) {
            if (f.isIpv4() || f.isIpv6()) {
                FieldWrite.write(c, FlowField.NW_TTL, m.ttl(), -1L);
            }
        } else if (a instanceof OfAction.ModTpSrc m) {
            if (hasPorts(c)) {
                FieldWrite.write(c, FlowField.TP_SRC, m.port(), -1L);
            }
        } else if (a instanceof OfAction.ModTpDst m) {
            if (hasPorts(c)) {
                FieldWrite.write(c, FlowField.TP_DST, m.port(), -1L);
            }
        } else if (a instanceof OfAction.SetField s) {
            setField(c, s);
        } else if (a instanceof OfAction.Load l) {
            if (FieldWrite.prereqsOk(c, l.dst().field())) {
                FieldWrite.writeBits(c, l.dst(), 0, l.dst().nBits(), l.value());
            }
        } else if (a instanceof OfAction.Move m) {
            move(c, m.src(), m.dst());
        } else if (a instanceof OfAction.SetTunnel t) {
            FieldWrite.write(c, FlowField.TUN_ID, t.tunId(), -1L);
        } else {
            throw new IllegalStateException("no translation for action " + a);
        }
    }

    private static void setField(XlateContext c, OfAction.SetField s) {
        FlowField field = s.field();
        if (!FieldWrite.prereqsOk(c, field)) {
            c.report(TraceNode.Kind.WARN, "set_field: " + field.ovsName() + " is not in the packet, skipping");
            return;
        }
        if (field.isTunnelMetadata()) {
            FieldWrite.writeTunMetadata(c, field, s.valueHigh(), s.value(), s.maskHigh(), s.mask(), s.wide());
        } else if (field.is128()) {
            FieldWrite.write128(c, field, s.valueHigh(), s.value(), s.maskHigh(), s.mask());
        } else {
            FieldWrite.write(c, field, s.value(), s.mask());
        }
    }

    private static void move(XlateContext c, FieldRef src, FieldRef dst) {
        if (!FieldWrite.prereqsOk(c, src.field()) || !FieldWrite.prereqsOk(c, dst.field())) {
            return;
        }
        FieldWrite.move(c, src, dst);
        if (c.tracing() && dst.nBits() <= 64) {
            c.report(TraceNode.Kind.DETAIL, dst + " is now 0x"
                    + Long.toHexString(FieldWrite.read(c, dst, 0, dst.nBits())));
        }
    }

    /**
     * {@code mod_vlan_vid}/{@code mod_vlan_pcp}: rewrite bits of the outer TCI, pushing an
     * 802.1Q tag first if the packet has none (OpenFlow 1.0 semantics, as ovs-ofctl gives them).
     */
    private static void setVlanBits(XlateContext c, int value, int mask) {
        c.unwildcardVlans();
        FlowKey f = c.flow;
        long tci = f.get(FlowField.VLAN_TCI);
        if ((tci & FlowKey.VLAN_CFI) == 0) {
            f.set(FlowField.VLAN_TPID, FlowKey.ETH_TYPE_VLAN_8021Q);
            tci = 0;
        }
        f.set(FlowField.VLAN_TCI, (tci & ~mask) | value | FlowKey.VLAN_CFI);
    }

    /** TCP, UDP or SCTP and not a later fragment: the packet has ports to rewrite. */
    private static boolean hasPorts(XlateContext c) {
        FlowKey f = c.flow;
        if (!f.isIpv4() && !f.isIpv6()) {
            return false;
        }
        c.wc.exact(FlowField.NW_PROTO);
        int proto = f.nwProto();
        return (proto == FlowKey.IPPROTO_TCP || proto == FlowKey.IPPROTO_UDP || proto == FlowKey.IPPROTO_SCTP)
                && (f.nwFrag() & FlowKey.FRAG_LATER) == 0;
    }

    /**
     * {@code check_pkt_larger}: as OVS on a datapath without {@code check_pkt_len}, the bit comes
     * from this packet's length and the flow stays in the slow path, so every packet is measured.
     */
    private static void checkPktLarger(XlateContext c, OfAction.CheckPktLarger k) {
        c.slowPath();
        FieldWrite.writeBits(c, k.dst(), 0, 1, c.packetLength > k.pktLen() ? 1 : 0);
    }

    /**
     * {@code meter:N}: the datapath runs the meter where the action stands (OVS's
     * {@code xlate_meter_action}: no commit first). A rule naming a meter that does not exist is
     * refused, so only a meter deleted since lookup is missing here: no rate limit then, as in OVS.
     */
    private static void meter(XlateContext c, long meterId) {
        MeterEntry m = c.bridge.tables().meter(meterId);
        if (m == null) {
            c.report(TraceNode.Kind.DETAIL, "meter " + meterId + " does not exist: no rate limit");
            return;
        }
        c.out.meter(m.dpId());
    }

    /** {@code dec_ttl}: true (end this list) when the TTL would reach zero. */
    private static boolean decTtl(XlateContext c, OfAction.DecTtl d) {
        FlowKey f = c.flow;
        if (!f.isIpv4() && !f.isIpv6()) {
            return false;
        }
        c.wc.exact(FlowField.NW_TTL);
        c.wc.exact(FlowField.NW_PROTO);
        long ttl = f.get(FlowField.NW_TTL);
        if (ttl > 1) {
            FieldWrite.write(c, FlowField.NW_TTL, ttl - 1, -1L);
            return false;
        }
        // As OVS: a packet-in with reason invalid_ttl to controller id 0, then stop this list.
        OutputXlate.invalidTtl(c, d.controllerIds());
        c.report(TraceNode.Kind.WARN, "IPv" + (f.isIpv6() ? 6 : 4) + " decrement TTL exception");
        return true;
    }
}
