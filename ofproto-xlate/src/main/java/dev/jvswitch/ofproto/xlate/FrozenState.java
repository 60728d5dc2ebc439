package dev.jvswitch.ofproto.xlate;

import java.util.Arrays;
import java.util.List;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.pmd.tunnel.UdpTunnel;

/**
 * Where translation stopped when it recirculated (OVS's {@code frozen_state}): the bridge, the
 * OpenFlow in_port at that moment, and the actions still to run, innermost first. A pass with
 * this state's recirc id resumes with them instead of a lookup in table 0.
 *
 * <p>A {@code ct(table=N)} fork freezes with one frame of table N and no actions: the
 * recirculated pass starts with a lookup in table N.
 *
 * <p>A {@code dp_hash} select group freezes too: the first frame then starts with that
 * {@code group:N} action, which the recirculated pass runs again and which, now that the packet
 * carries a {@code dp_hash}, picks its bucket from it. The bucket therefore comes from the group
 * as the current snapshot has it, and the id does not depend on the snapshot version: a rule
 * change elsewhere keeps ids (and the megaflows that carry them) valid.
 *
 * <p>Two states with the same content are equal, so translations that stop at the same point
 * share one recirc id (see {@link RecircAllocator}).
 *
 * @param bridge   name of the bridge the actions belong to
 * @param ofInPort OpenFlow in_port of the flow when it froze
 * @param frames   immutable, innermost first; never empty
 * @param pipeline the tunnel metadata and pipeline words of the flow when it froze
 *                 ({@code tun_metadataN} and their present bits, registers, metadata: OVS's frozen
 *                 metadata), {@code FlowKey.ALL_WORDS - FlowKey.TUN_METADATA_WORD} long; the
 *                 recirculated pass starts with them, since the datapath key does not carry them
 * @param stack    the push/pop stack when it froze (OVS's frozen {@code stack}), bottom first, two
 *                 words per value (low, high); the recirculated pass starts with it
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record FrozenState(String bridge, int ofInPort, List<Frame> frames, long[] pipeline, long[] stack) {
    /** The tunnel metadata words (tun_metadataN as the tables saw them) and the pipeline words. */
    private static final int FIRST_WORD = FlowKey.TUN_METADATA_WORD;
    private static final int PIPELINE_WORDS = FlowKey.ALL_WORDS - FIRST_WORD;

    public FrozenState {
        frames = List.copyOf(frames);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("frozen state without actions");
        }
        if (pipeline.length != PIPELINE_WORDS) {
            throw new IllegalArgumentException("frozen pipeline state has " + PIPELINE_WORDS + " words");
        }
        pipeline = pipeline.clone();
        if (stack.length % 2 != 0) {
            throw new IllegalArgumentException("frozen stack of " + stack.length + " words: values take two");
        }
        stack = stack.clone();
    }

    /** A zero pipeline (registers, metadata and tunnel metadata) of the length a state keeps. */
    public static long[] zeroPipeline() {
        return new long[PIPELINE_WORDS];
    }

    /** A state with every register and metadata zero and an empty stack. */
    public FrozenState(String bridge, int ofInPort, List<Frame> frames) {
        this(bridge, ofInPort, frames, new long[PIPELINE_WORDS], new long[0]);
    }

    /** A state with an empty stack. */
    public FrozenState(String bridge, int ofInPort, List<Frame> frames, long[] pipeline) {
        this(bridge, ofInPort, frames, pipeline, new long[0]);
    }

    /**
     * The pipeline and tunnel metadata words of {@code flow}. The present {@code tun_metadataN}
     * go into {@code wc} whole: the recirc id stands for their values, so the megaflow that
     * recirculates must match the options they came from.
     */
    static long[] pipelineOf(FlowKey flow, FlowMask wc) {
        long present = flow.get(FlowField.TUN_METADATA_PRESENT);
        if (present != 0 && (flow.get(FlowField.TUN_FLAGS) & UdpTunnel.FLAG_UDPIF) != 0) {
            // Popped options: every slot, so that a longer option's bytes outside its own slot count
            // too (the raw form's mask then takes the slots of the mapped options only).
            for (int i = 0; i < FlowKey.TUN_METADATA_WORDS * 2; i++) {
                wc.exact(FlowField.tunMetadata(i));
            }
        }
        for (long p = present; p != 0; p &= p - 1) {
            wc.exact(FlowField.tunMetadata(Long.numberOfTrailingZeros(p)));
        }
        return Arrays.copyOfRange(flow.words(), FIRST_WORD, FlowKey.ALL_WORDS);
    }

    /**
     * Puts the frozen pipeline words back into {@code flow}, and the frozen {@code tun_metadataN}
     * in place of the raw options of its datapath key (OVS's {@code frozen_metadata_to_flow}).
     */
    void restorePipeline(FlowKey flow) {
        System.arraycopy(pipeline, 0, flow.words(), FIRST_WORD, PIPELINE_WORDS);
        flow.tunnelMetadataWritten();
    }

    @Override
    public long[] pipeline() {
        return pipeline.clone();
    }

    @Override
    public long[] stack() {
        return stack.clone();
    }

    /** The frozen stack, read in place (do not modify). */
    long[] stackWords() {
        return stack;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrozenState s && bridge.equals(s.bridge) && ofInPort == s.ofInPort
                && frames.equals(s.frames) && Arrays.equals(pipeline, s.pipeline) && Arrays.equals(stack, s.stack);
    }

    @Override
    public int hashCode() {
        return ((bridge.hashCode() * 31 + ofInPort) * 31 + frames.hashCode() * 31 + Arrays.hashCode(pipeline)) * 31
                + Arrays.hashCode(stack);
    }

    /**
     * Actions left over at one level of the translation.
     *
     * @param tableId the table of the rule these actions came from ({@code resubmit(,255)} uses it)
     * @param actions immutable
     */
    public record Frame(int tableId, List<OfAction> actions) {
        public Frame {
            actions = List.copyOf(actions);
        }
    }
}
