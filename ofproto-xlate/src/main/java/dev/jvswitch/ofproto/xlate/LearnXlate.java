package dev.jvswitch.ofproto.xlate;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.FieldRef;
import dev.jvswitch.ofproto.action.LearnSpec;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.match.PrerequisiteException;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * {@code learn} (OVS's {@code xlate_learn_action}): puts the source bits of every spec into the
 * megaflow mask ({@code learn_mask}: the learned flow is a function of exactly those bits, so
 * every packet of the megaflow learns the same flow), builds the flow the packet teaches
 * ({@code learn_execute}) and records it in the context ({@link Learned}). Translation itself
 * changes no table: the upcall applies what was learned, and the revalidators apply it again
 * while the megaflow sees packets. A trace learns nothing and says so, as OVS's does.
 */
final class LearnXlate {
    private LearnXlate() {
    }

    static void run(XlateContext c, OfAction.Learn l) {
        List<LearnSpec> specs = l.specs();
        Match.Builder match = c.learnMatch.clear();
        List<OfAction> actions = new ArrayList<>(2);
        if (l.finIdleTimeout() != 0 || l.finHardTimeout() != 0) {
            // OVS's learn_execute puts it first, before what the specs add.
            actions.add(new OfAction.FinTimeout(l.finIdleTimeout(), l.finHardTimeout()));
        }
        for (int i = 0, n = specs.size(); i < n; i++) {
            LearnSpec s = specs.get(i);
            long high = s.valueHigh();
            long low = s.value();
            if (!s.isImmediate()) {
                FieldRef src = s.src();
                low = FieldWrite.read(c, src, 0, Math.min(64, src.nBits()));
                high = src.nBits() > 64 ? FieldWrite.read(c, src, 64, src.nBits() - 64) : 0;
            }
            switch (s.kind()) {
                case MATCH:
                    match.setBits(s.dst().field(), s.dst().start(), s.dst().nBits(), high, low);
                    break;
                case LOAD:
                    actions.add(load(s.dst(), high, low));
                    break;
                default:
                    OfAction out = output(s.nBits() <= 16 || high == 0 && (low >>> 16) == 0 ? (int) (low & 0xffff)
                            : -1);
                    if (out != null) {
                        actions.add(out);
                    }
            }
        }
        Match m;
        try {
            m = match.build();
        } catch (PrerequisiteException e) {
            c.report(TraceNode.Kind.WARN, "learn: the learned flow is invalid: " + e.getMessage());
            return;
        }
        FlowMod.Builder fm = FlowMod.builder(FlowMod.Command.ADD).tableId(l.table()).priority(l.priority())
                .match(m).cookie(l.cookie()).idleTimeoutSec(l.idleTimeout()).hardTimeoutSec(l.hardTimeout())
                .actions(actions);
        if (l.sendFlowRem()) {
            fm.flags(EnumSet.of(FlowMod.Flag.SEND_FLOW_REM));
        }
        FlowMod mod = fm.build();
        if (c.tracing() && !c.mayLearn) {
            // As OVS's trace, which runs without side effects and without a cache to learn into.
            c.report(TraceNode.Kind.WARN, "suppressing side effects, so learn action ignored");
        }
        if (c.bridge != null) {
            c.learned(new Learned(c.bridge.name(), mod, l.limit()));
        }
        if (l.resultDst() != null && FieldWrite.prereqsOk(c, l.resultDst().field())) {
            FieldWrite.writeBits(c, l.resultDst(), 0, 1, 1);
        }
    }

    /** The learned {@code load}: a 128-bit destination's bits above 64 go as a masked set_field. */
    private static OfAction load(FieldRef dst, long high, long low) {
        if (dst.nBits() <= 64 && !(dst.field().is128() && dst.start() < 64 && dst.end() >= 64)) {
            return new OfAction.Load(low, dst);
        }
        FlowField f = dst.field();
        Match.Builder bits = Match.builder().setBits(f, dst.start(), dst.nBits(), high, low);
        Match mb = bits.buildUnchecked();
        return new OfAction.SetField(f, mb.valueHigh(f), mb.valueLow(f), mb.maskHigh(f), mb.maskLow(f));
    }

    /** OVS's learned output: a port below OFPP_MAX or IN_PORT, FLOOD, ALL, LOCAL; else none. */
    private static OfAction output(int port) {
        if (port < 0) {
            return null;
        }
        if (OfPorts.isOutputPort(port)) {
            return new OfAction.Output(port);
        }
        switch (port) {
            case OfPorts.IN_PORT:
                return new OfAction.InPort();
            case OfPorts.FLOOD:
                return new OfAction.Flood();
            case OfPorts.ALL:
                return new OfAction.All();
            case OfPorts.LOCAL:
                return new OfAction.Local();
            default:
                // Port 0 and the numbers OVS would keep as an output to nothing.
                return null;
        }
    }
}
