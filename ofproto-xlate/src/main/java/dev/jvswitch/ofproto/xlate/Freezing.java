package dev.jvswitch.ofproto.xlate;

import java.util.ArrayList;
import java.util.Arrays;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;

/**
 * Freezing a translation (OVS's {@code ctx_trigger_freeze} and {@code finish_freezing}): the
 * actions still to run are unrolled into a {@link FrozenState} level by level as the translation
 * returns; the state then becomes a recirculation (a {@code dp_hash} group) or, after a
 * {@code controller(pause)}, that packet-in's continuation.
 *
 * <p>Stateless: the state is the context's.
 */
final class Freezing {
    private Freezing() {
    }

    /** Stops translation here; the rest runs after a {@code hash(l4(basis))} and recirculation. */
    static void start(XlateContext c, int hashBasis) {
        c.freezing = true;
        c.freezeHeadPending = true;
        c.freezeBasis = hashBasis;
        c.freezeInPort = c.inPort();
        c.frames = new ArrayList<>(2);
    }

    /**
     * Stops translation after a {@code controller(pause)} (its packet-in is the last controller
     * output): the rest becomes that packet-in's continuation instead of a recirculation.
     */
    static void pause(XlateContext c) {
        start(c, 0);
        c.freezeHeadPending = false;
        c.pausing = true;
    }

    /**
     * Ends a freeze at a scope boundary (or the end of the pass): allocates the recirc id for the
     * unrolled actions, commits pending changes and emits {@code hash} and {@code recirc}. A pause
     * gives its packet-in the state instead (none if nothing follows), and the datapath does
     * nothing more.
     */
    static void finish(XlateContext c) {
        FrozenState state = c.frames.isEmpty() ? null : new FrozenState(c.bridge.name(), c.freezeInPort, c.frames,
                FrozenState.pipelineOf(c.flow, c.wc), c.frozenStack());
        c.freezing = false;
        c.freezeHeadPending = false;
        c.frames = null;
        if (c.pausing) {
            c.pausing = false;
            int last = c.controllerOutputs.size() - 1;
            if (state != null) {
                c.controllerOutputs.set(last, c.controllerOutputs.get(last).withContinuation(state));
            }
            return;
        }
        int id = c.recirc.recircId(state);
        c.commit();
        c.out.hash(c.freezeBasis);
        c.out.recirc(id);
        if (c.recircCount == c.recircIds.length) {
            c.recircIds = Arrays.copyOf(c.recircIds, Math.max(2, c.recircCount * 2));
        }
        c.recircIds[c.recircCount++] = id;
        if (c.keepRecircPoints) {
            FlowKey at = c.base.copy();
            at.set(FlowField.RECIRC_ID, id & 0xffff_ffffL);
            if (c.recircPoints.isEmpty()) {
                c.recircPoints = new ArrayList<>(2);
            }
            c.recircPoints.add(new XlateResult.RecircPoint(id, c.freezeBasis, at));
        }
    }
}
