package dev.jvswitch.ofproto.xlate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.jvswitch.flowcache.actions.DpCt;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.xlate.XlateResult.RecircPoint;

/**
 * The {@code ct} and {@code ct_clear} actions (OVS's {@code compose_conntrack_action}):
 * <ol>
 *   <li>pending field changes are committed, so conntrack sees the packet as it is now;</li>
 *   <li>the {@code exec} actions run on the flow with the {@code ct_mark}/{@code ct_label} masks
 *       cleared first: the bits they write become the datapath action's {@code mark=V/M} and
 *       {@code label=V/M}, and the old masks are put back (these are writes, not matches);</li>
 *   <li>the zone is the immediate value or 16 bits of a field (a register, which the frozen state
 *       carries, so nothing is added to the megaflow);</li>
 *   <li>{@code ct(commit,force,zone=Z,mark=..,label=..,helper=..,timeout=..,nat(..))} is
 *       emitted (the {@code nat} argument as the OpenFlow action has it, {@code alg=ftp|tftp} as
 *       the helper's name, and on commit the zone's timeout policy id when the zone has a policy,
 *       as OVS's {@code put_ct_timeout} for the userspace datapath), then, with {@code table=N},
 *       a {@code recirc(id)} whose frozen state resumes with a lookup in table N (a fork: the
 *       actions after {@code ct} go on in this pass);</li>
 *   <li>the flow's ct fields are cleared: after {@code ct} this pass sees an untracked packet.</li>
 * </ol>
 */
final class CtXlate {
    private static final int CT_FIRST_WORD = FlowField.CT_STATE.word();
    private static final int CT_LAST_WORD = FlowField.CT_IPV6_DST.word() + 1;
    /** What a trace's conntrack pass starts with unless told otherwise (OVS's default ct_state). */
    static final int TRACE_DEFAULT_STATE = 0x21;

    private CtXlate() {
    }

    static void ct(XlateContext c, OfAction.Ct ct) {
        c.commit();
        long[] wc = c.wc.words();
        int markWord = FlowField.CT_MARK.word();
        int labelWord = FlowField.CT_LABEL.word();
        long oldMarkWord = wc[markWord];
        long oldLabelHi = wc[labelWord];
        long oldLabelLo = wc[labelWord + 1];
        wc[markWord] &= ~FlowField.CT_MARK.wordMask();
        wc[labelWord] = 0;
        wc[labelWord + 1] = 0;
        if (ct.nat() == null) {
            c.doActions(ct.exec());
        } else {
            // nat is the first nested action, as OVS holds it; it acts in the datapath only.
            if (c.trace != null) {
                StringBuilder sb = new StringBuilder();
                DpCt.formatOpenFlowNat(sb, ct.nat());
                c.report(TraceNode.Kind.ACTION, sb.toString());
            }
            if (!ct.exec().isEmpty()) {
                c.doActions(ct.exec());
            }
        }
        long markMask = c.wc.get(FlowField.CT_MARK);
        long labelMaskHi = wc[labelWord];
        long labelMaskLo = wc[labelWord + 1];
        int zone = ct.zoneSrc() == null ? ct.zoneImm() : (int) readFrozen(c.flow, ct.zoneSrc());
        int flags = (ct.commit() ? DpCt.COMMIT : 0) | (ct.force() ? DpCt.FORCE : 0);
        int helper = ct.alg() == OfAction.Ct.ALG_FTP ? DpCt.HELPER_FTP
                : ct.alg() == OfAction.Ct.ALG_TFTP ? DpCt.HELPER_TFTP : DpCt.HELPER_NONE;
        c.out.ct(zone, flags, (int) c.flow.get(FlowField.CT_MARK), (int) markMask,
                c.flow.getHigh(FlowField.CT_LABEL), c.flow.getLow(FlowField.CT_LABEL), labelMaskHi, labelMaskLo,
                ct.nat(), helper, ct.commit() ? c.snapshot.ctTimeoutPolicy(zone) : -1);
        wc[markWord] = (wc[markWord] & ~FlowField.CT_MARK.wordMask()) | (oldMarkWord & FlowField.CT_MARK.wordMask());
        wc[labelWord] = oldLabelHi;
        wc[labelWord + 1] = oldLabelLo;
        if (ct.table() != OfAction.Ct.NO_RECIRC) {
            fork(c, ct.table(), zone);
        }
        clearFlow(c.flow);
        c.report(TraceNode.Kind.DETAIL, "Sets the packet to an untracked state, and clears all the conntrack fields.");
    }

    /** {@code ct_clear}: a datapath {@code ct_clear} when the packet is tracked, and an untracked flow. */
    static void clear(XlateContext c) {
        if (c.flow.get(FlowField.CT_STATE) != 0) {
            c.out.ctClear();
        }
        clearFlow(c.flow);
    }

    /** A register or metadata subfield, read without touching the mask (the frozen state carries it). */
    private static long readFrozen(FlowKey flow, dev.jvswitch.ofproto.action.FieldRef r) {
        long v = 0;
        for (int i = 0; i < r.nBits(); i++) {
            int bit = r.start() + i;
            FlowField f = r.field();
            int word = f.is128() ? f.word() + (bit >= 64 ? 0 : 1) : f.word();
            int shift = f.is128() ? bit & 63 : f.shift() + bit;
            v |= ((flow.words()[word] >>> shift) & 1L) << i;
        }
        return v;
    }

    private static void clearFlow(FlowKey flow) {
        Arrays.fill(flow.words(), CT_FIRST_WORD, CT_LAST_WORD, 0L);
    }

    /** Recirculates a copy to {@code table} (OVS's {@code compose_recirculate_and_fork}). */
    private static void fork(XlateContext c, int table, int zone) {
        FrozenState state = new FrozenState(c.bridge.name(), c.inPort(),
                List.of(new FrozenState.Frame(table, List.of())), FrozenState.pipelineOf(c.flow, c.wc));
        int id = c.recirc.recircId(state);
        c.out.recirc(id);
        if (c.recircCount == c.recircIds.length) {
            c.recircIds = Arrays.copyOf(c.recircIds, Math.max(2, c.recircCount * 2));
        }
        c.recircIds[c.recircCount++] = id;
        c.report(TraceNode.Kind.DETAIL, "A clone of the packet is forked to recirculate. The forked pipeline will be"
                + " resumed at table " + table + ".");
        if (c.keepRecircPoints) {
            FlowKey at = c.base.copy();
            at.set(FlowField.RECIRC_ID, id & 0xffff_ffffL);
            if (c.recircPoints.isEmpty()) {
                c.recircPoints = new ArrayList<>(2);
            }
            c.recircPoints.add(new RecircPoint(id, 0, at, zone));
        }
    }
}
