package dev.jvswitch.ofproto.xlate;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.port.OfPorts;
import dev.jvswitch.ofproto.tnl.PacketOut;
import dev.jvswitch.ofproto.tnl.TunnelOutput;
import dev.jvswitch.ofproto.xlate.XlateSnapshot.PortRef;

/**
 * Translation (OVS's {@code xlate_actions}): a packet's flow key in, the datapath action program
 * and megaflow mask out, read against one {@link XlateSnapshot}.
 *
 * <p>A first pass (recirc_id 0) finds the bridge and OpenFlow port of the datapath in_port and
 * starts at table 0. A recirculated pass finds its {@link FrozenState} by recirc_id and resumes
 * with the frozen actions; an unknown id gives {@link XlateError#NO_RECIRCULATION_CONTEXT}.
 *
 * <p>The result does not depend on the thread or on anything but the snapshot, the MAC tables and
 * port liveness, so the same key always gives the same program: the slow path runs the program
 * the fast path installs, on the very packet that missed.
 *
 * <p><b>Thread-safety:</b> safe for any number of threads; each thread gets its own
 * {@link XlateContext}. The recirc allocator, liveness and tunnel hook must be thread-safe.
 */
public final class Xlate {
    private final ThreadLocal<XlateContext> contexts;
    /**
     * The contexts of {@link #translatePacketOut}: an upcall sends its packet-outs while the
     * datapath may still read the upcall's translation in place ({@link XlateOutput}).
     */
    private final ThreadLocal<XlateContext> packetOutContexts;

    /** Where a bridge's TLV map comes from (trace prints {@code tun_metadataN} through it). */
    private final TunnelOutput tunnels;

    public Xlate(RecircAllocator recirc, PortLiveness liveness, TunnelOutput tunnels) {
        Objects.requireNonNull(recirc, "recirc");
        Objects.requireNonNull(liveness, "liveness");
        Objects.requireNonNull(tunnels, "tunnels");
        this.tunnels = tunnels;
        this.contexts = ThreadLocal.withInitial(() -> new XlateContext(recirc, liveness, tunnels));
        this.packetOutContexts = ThreadLocal.withInitial(() -> new XlateContext(recirc, liveness, tunnels));
    }

    /**
     * Translates {@code key} (as the parser filled it: datapath in_port, recirc_id, dp_hash, ...).
     * The result is the caller's to keep; for the upcall path, which must not make garbage, see
     * {@link #translateUpcall}.
     *
     * @param learn  let NORMAL learn source MACs (an upcall for a real packet); false for
     *               revalidation, tests and traces that must not change state
     * @param nowNs  the tables' monotonic clock (MAC aging, rule last-used times)
     * @param trace  where trace nodes go, or null
     */
    public XlateResult translate(XlateSnapshot snapshot, FlowKey key, boolean learn, long nowNs,
            List<TraceNode> trace) {
        XlateContext c = contexts.get();
        XlateOutput o = run(c, snapshot, key, learn, nowNs, trace, true);
        return new XlateResult(o.actions(), new FlowMask().copyFrom(o.mask()), c.error, snapshot.version(),
                o.rules(), o.macDependencies(), o.macLearnings(), o.recircIds(),
                Collections.unmodifiableList(c.recircPoints), c.slowPath, c.flow.copy(),
                List.copyOf(c.controllerOutputs), o.packetOuts(), o.groupHits(), o.learned(),
                o.finTimeouts(), o.bondHits());
    }

    /**
     * Translates a packet-out (OVS's {@code xlate_actions} on a packet-out's ofpacts): runs
     * {@code actions} on {@code key} in bridge {@code bridge} as if a rule of table 0 held them,
     * with the packet's OpenFlow in_port {@code ofInPort} (a port, or {@code CONTROLLER}/
     * {@code LOCAL}). No MAC learning. The result is the caller's to keep.
     *
     * @param key the packet's key (its in_port the datapath port, or 0 for none)
     */
    public XlateResult translateActions(XlateSnapshot snapshot, String bridge, int ofInPort, FlowKey key,
            List<dev.jvswitch.ofproto.action.OfAction> actions, long nowNs) {
        XlateContext c = contexts.get();
        c.reset(snapshot, false, nowNs, null, false);
        // The packet is sent: a tunnel output may ask for its next hop, as OVS does.
        c.maySend = true;
        c.flow.copyFrom(key);
        c.base.copyFrom(key);
        c.dpInPort = (int) key.get(FlowField.IN_PORT);
        initWildcards(c, key);
        c.bridge = snapshot.bridge(bridge);
        if (c.bridge == null) {
            c.error = XlateError.BRIDGE_NOT_FOUND;
        } else {
            c.inPort(ofInPort);
            c.tableId = 0;
            try {
                c.doActions(actions);
                if (c.freezing) {
                    c.finishFreezing();
                }
            } catch (IllegalArgumentException e) {
                c.error = XlateError.TOO_MANY_ACTIONS;
            }
        }
        return result(c, snapshot, key);
    }

    /**
     * Resumes a paused translation (OVS's {@code ofproto_dpif_resume}, NXT_RESUME): runs the
     * actions {@code state} kept on {@code key}, the packet the controller sent back with the
     * metadata it sent (in {@code key}'s pipeline words, tunnel and conntrack fields; the frozen
     * pipeline words are not used). No MAC learning. The result is the caller's to keep.
     *
     * @param key the packet's key, its in_port the datapath port of the frozen in_port (0: none)
     */
    public XlateResult resume(XlateSnapshot snapshot, FlowKey key, FrozenState state, int packetLength,
            long nowNs) {
        XlateContext c = contexts.get();
        c.reset(snapshot, false, nowNs, null, false);
        c.maySend = true;
        c.packetLength = packetLength;
        c.flow.copyFrom(key);
        c.base.copyFrom(key);
        c.dpInPort = (int) key.get(FlowField.IN_PORT);
        initWildcards(c, key);
        FrozenState withMetadata = new FrozenState(state.bridge(), state.ofInPort(), state.frames(),
                FrozenState.pipelineOf(key, c.wc), state.stack());
        try {
            thaw(c, withMetadata);
            if (c.freezing) {
                c.finishFreezing();
            }
        } catch (IllegalArgumentException e) {
            c.error = XlateError.TOO_MANY_ACTIONS;
        }
        return result(c, snapshot, key);
    }

    private static XlateResult result(XlateContext c, XlateSnapshot snapshot, FlowKey key) {
        DpActions program = c.error == null ? finishActions(c) : DpActions.DROP;
        XlateOutput o = c.output;
        finishWildcards(c, key, o.maskToFill());
        o.finish(program);
        return new XlateResult(o.actions(), new FlowMask().copyFrom(o.mask()), c.error, snapshot.version(),
                o.rules(), o.macDependencies(), o.macLearnings(), o.recircIds(),
                Collections.unmodifiableList(c.recircPoints), c.slowPath, c.flow.copy(),
                List.copyOf(c.controllerOutputs), o.packetOuts(), o.groupHits(), o.learned(),
                o.finTimeouts(), o.bondHits());
    }

    /**
     * Translates a missed packet's key for an upcall, learning MACs, into the calling thread's
     * {@link XlateOutput}: valid until this thread's next translation, and made without garbage
     * once the thread's context is warm (an action program not seen recently is the exception).
     */
    public XlateOutput translateUpcall(XlateSnapshot snapshot, FlowKey key, long nowNs) {
        return translateUpcall(snapshot, key, nowNs, 0);
    }

    /** {@link #translateUpcall(XlateSnapshot, FlowKey, long)} of a packet of {@code packetLength} bytes. */
    public XlateOutput translateUpcall(XlateSnapshot snapshot, FlowKey key, long nowNs, int packetLength) {
        XlateContext c = contexts.get();
        c.reset(snapshot, true, nowNs, null, false);
        c.packetLength = packetLength;
        return run(c, key);
    }

    private static XlateOutput run(XlateContext c, XlateSnapshot snapshot, FlowKey key, boolean learn, long nowNs,
            List<TraceNode> trace, boolean keepRecircPoints) {
        c.reset(snapshot, learn, nowNs, trace, keepRecircPoints);
        return run(c, key);
    }

    /** A first or recirculated pass of a context just reset. */
    private static XlateOutput run(XlateContext c, FlowKey key) {
        c.flow.copyFrom(key);
        c.base.copyFrom(key);
        c.dpInPort = (int) key.get(FlowField.IN_PORT);
        c.packetVlans = key.words()[VlanMasks.WORD];
        initWildcards(c, key);
        try {
            pass(c, key);
            if (c.freezing) {
                c.finishFreezing();
            }
        } catch (IllegalArgumentException e) {
            if (c.out.size() < DpActions.MAX_INSTRUCTIONS) {
                throw e;
            }
            // The action builder refuses programs over its instruction limit.
            c.report(TraceNode.Kind.ERROR, "translation yielded over " + DpActions.MAX_INSTRUCTIONS
                    + " datapath actions");
            c.error = XlateError.TOO_MANY_ACTIONS;
        }
        DpActions actions = c.error == null ? finishActions(c) : DpActions.DROP;
        XlateOutput o = c.output;
        finishWildcards(c, key, o.maskToFill());
        o.finish(actions);
        return o;
    }

    /**
     * Translates a packet the switch sends itself from bridge {@code bridgeName}'s LOCAL port
     * (an ARP or ND packet for a tunnel; OVS's {@code compose_table_xlate}): table 0 with in_port
     * LOCAL. NORMAL learns the switch's MAC on LOCAL; nothing is installed.
     *
     * @return the actions to execute on the packet ({@link DpActions#DROP} if the bridge is gone or
     *         translation fails)
     */
    public DpActions translatePacketOut(XlateSnapshot snapshot, String bridgeName, FlowKey key, long nowNs) {
        XlateContext c = packetOutContexts.get();
        c.reset(snapshot, true, nowNs, null, false);
        c.flow.copyFrom(key);
        c.base.copyFrom(key);
        c.dpInPort = -1;
        c.bridge = snapshot.bridge(bridgeName);
        if (c.bridge == null) {
            return DpActions.DROP;
        }
        c.inPort(OfPorts.LOCAL);
        try {
            c.lookupTable(0, XlateContext.KEEP_IN_PORT, false, true);
            if (c.freezing) {
                c.finishFreezing();
            }
        } catch (IllegalArgumentException e) {
            return DpActions.DROP;
        }
        return c.error == null ? finishActions(c) : DpActions.DROP;
    }

    /**
     * Translates a packet held while its tunnel's next hop was resolved ({@code PacketOut.replay}),
     * as the upcall it was: {@code key} with its datapath in_port. Nothing is learned or
     * installed and no neighbour request goes out; the packet-out contexts are used, so the
     * upcall being answered stays intact.
     *
     * @return the actions to execute on the packet ({@link DpActions#DROP} if translation fails)
     */
    public DpActions translateReplay(XlateSnapshot snapshot, FlowKey key, long nowNs) {
        XlateContext c = packetOutContexts.get();
        c.reset(snapshot, false, nowNs, null, false);
        XlateOutput o = run(c, key);
        return c.error == null ? o.actions() : DpActions.DROP;
    }

    /**
     * Translates a packet the switch sends ({@link PacketOut}): a held packet replayed as the
     * upcall it was ({@link #translateReplay}), any other from its bridge's LOCAL port
     * ({@link #translatePacketOut}).
     */
    public DpActions translateSent(XlateSnapshot snapshot, PacketOut p, long nowNs) {
        return p.replay() ? translateReplay(snapshot, p.key(), nowNs)
                : translatePacketOut(snapshot, p.bridge(), p.key(), nowNs);
    }

    /** The tunnel hooks translation calls. */
    public TunnelOutput tunnels() {
        return tunnels;
    }

    /**
     * The program, from the thread's program cache: a final clone unwrapped, and a program with
     * no action dropping for its cause.
     */
    private static DpActions finishActions(XlateContext c) {
        if (c.out.size() == 0 && c.dropCause != null) {
            c.out.drop(c.dropCause);
        }
        return c.out.unwrapTrailingClone().build(c.programs);
    }

    private static void pass(XlateContext c, FlowKey key) {
        int recircId = (int) key.get(FlowField.RECIRC_ID);
        if (recircId != 0) {
            FrozenState state = c.recirc.frozenState(recircId);
            if (state == null) {
                c.report(TraceNode.Kind.ERROR, "Recirculation context not found for ID "
                        + Integer.toHexString(recircId));
                c.error = XlateError.NO_RECIRCULATION_CONTEXT;
                return;
            }
            thaw(c, state);
            return;
        }
        PortRef in = c.snapshot.byDpPort(c.dpInPort);
        if (c.tunnels.isTunnel(c.dpInPort)) {
            // Decapsulated by tnl_pop: which tunnel port it came in on depends on its metadata.
            String name = c.tunnels.onReceive(c, c.dpInPort);
            in = name == null ? null : c.snapshot.byName(name);
            if (in == null) {
                c.report(TraceNode.Kind.WARN, "no tunnel port takes this packet, dropping");
                c.noteDrop(dev.jvswitch.flowcache.actions.DropCause.TUNNEL_NO_PORT);
                return;
            }
        }
        if (in == null) {
            c.report(TraceNode.Kind.ERROR, "received packet on unknown port " + c.dpInPort);
            c.error = XlateError.BRIDGE_NOT_FOUND;
            return;
        }
        c.bridge = in.bridge();
        c.inPort(in.port().ofPort());
        if (c.bridge.ports().dropsInput(in.port().ofPort())) {
            // OVS: a port that is down or no-receive takes nothing in (the megaflow matches in_port).
            c.report(TraceNode.Kind.DETAIL, "port " + in.port().name() + " is down or no-receive: dropping");
            return;
        }
        List<TraceNode> root = c.trace;
        if (c.tracing()) {
            c.trace = c.report(TraceNode.Kind.BRIDGE, "bridge(\"" + c.bridge.name() + "\")").subs();
        }
        if (!c.bridge.config().mirrors().isEmpty()) {
            MirrorXlate.ingress(c);
        }
        c.lookupTable(0, XlateContext.KEEP_IN_PORT, false, true);
        c.trace = root;
    }

    /** Resumes a frozen translation (OVS's thaw in {@code xlate_actions}). */
    private static void thaw(XlateContext c, FrozenState state) {
        c.bridge = c.snapshot.bridge(state.bridge());
        if (c.bridge == null) {
            c.report(TraceNode.Kind.ERROR, "Frozen bridge no longer exists.");
            c.error = XlateError.BRIDGE_NOT_FOUND;
            return;
        }
        c.inPort(state.ofInPort());
        state.restorePipeline(c.flow);
        c.restoreStack(state.stackWords());
        // A computed dp_hash is never 0 (FlowHash.dpHash); a packet back from a ct recirculation
        // has none, and a dp_hash select group there must hash and recirculate first, as OVS's
        // pick_dp_hash_select_group does. The megaflow does not match dp_hash for it (nor does
        // OVS's): every packet that reaches this recirculation id came the same way.
        c.dpHashValid = c.flow.get(FlowField.DP_HASH) != 0;
        List<TraceNode> root = c.trace;
        if (c.tracing()) {
            c.trace = c.report(TraceNode.Kind.BRIDGE, "bridge(\"" + c.bridge.name() + "\")").subs();
            TraceNode thaw = c.report(TraceNode.Kind.THAW, "thaw");
            thaw.subs().add(new TraceNode(TraceNode.Kind.THAW, "Resuming from table " + state.frames().get(0).tableId()));
            if (!state.frames().get(0).actions().isEmpty()) {
                StringBuilder acts = new StringBuilder("Restoring actions: ");
                for (int i = 0; i < state.frames().size(); i++) {
                    acts.append(i == 0 ? "" : ",").append(OfText.actions(state.frames().get(i).actions()));
                }
                thaw.subs().add(new TraceNode(TraceNode.Kind.THAW, acts.toString()));
            }
        }
        List<FrozenState.Frame> frames = state.frames();
        if (frames.size() == 1 && frames.get(0).actions().isEmpty()) {
            // A ct(table=N) fork: the tracked packet is looked up in table N.
            c.lookupTable(frames.get(0).tableId(), XlateContext.KEEP_IN_PORT, false, true);
            c.trace = root;
            return;
        }
        for (int i = 0; i < frames.size() && c.error == null; i++) {
            FrozenState.Frame f = frames.get(i);
            c.tableId = f.tableId();
            c.doActions(f.actions());
            if (c.freezing) {
                // Froze again: the frames not yet run follow the ones just unrolled.
                c.frames.addAll(frames.subList(i + 1, frames.size()));
                break;
            }
        }
        c.trace = root;
    }

    /** Fields every translation examines (OVS's {@code xlate_wc_init}). */
    private static void initWildcards(XlateContext c, FlowKey key) {
        c.tunnelScratch().beginTranslation();
        c.wc.exact(FlowField.IN_PORT);
        c.wc.exact(FlowField.RECIRC_ID);
        c.wc.exact(FlowField.ETH_TYPE);
        if (key.isIpv4() || key.isIpv6()) {
            c.wc.exact(FlowField.NW_FRAG);
        }
    }

    /** The megaflow mask over the datapath key (OVS's {@code xlate_wc_finish}). */
    private static void finishWildcards(XlateContext c, FlowKey key, FlowMask m) {
        m.copyFrom(c.wc);
        // Registers and metadata start every pass as zero or as frozen: no packet bit to match.
        m.clearPipeline();
        // Popped Geneve options: the tables' tun_metadataN mask back in the raw form, option by option.
        c.tunnelScratch().finishMask(m, key);
        m.exact(FlowField.IN_PORT);
        m.exact(FlowField.RECIRC_ID);
        // A matched TCI bit means nothing without the bit that says a tag is there.
        if (m.get(FlowField.VLAN_TCI) != 0) {
            m.bits(FlowField.VLAN_TCI, m.get(FlowField.VLAN_TCI) | FlowKey.VLAN_CFI);
        }
        if (m.get(FlowField.VLAN_TCI1) != 0) {
            m.bits(FlowField.VLAN_TCI1, m.get(FlowField.VLAN_TCI1) | FlowKey.VLAN_CFI);
        }
        long[] w = m.words();
        w[VlanMasks.WORD] = VlanMasks.trimAbsent(w[VlanMasks.WORD], key.words()[VlanMasks.WORD]);
        boolean ip = key.isIpv4() || key.isIpv6();
        int proto = key.nwProto();
        if (ip && (proto == FlowKey.IPPROTO_ICMP || proto == FlowKey.IPPROTO_ICMPV6)) {
            // ICMP type and code are 8 bits; the parser leaves the rest of tp_src/tp_dst zero.
            m.bits(FlowField.TP_SRC, m.get(FlowField.TP_SRC) & 0xff);
            m.bits(FlowField.TP_DST, m.get(FlowField.TP_DST) & 0xff);
        }
        if (ip && (key.nwFrag() & FlowKey.FRAG_LATER) != 0) {
            // Later fragments have no L4 header: their ports are always zero.
            m.wildcard(FlowField.TP_SRC);
            m.wildcard(FlowField.TP_DST);
        }
    }

    /** Bridge {@code bridge}'s TLV map ({@link TunnelOutput#tlvMap}). */
    public dev.jvswitch.ofproto.tnl.TlvMap tlvMap(String bridge) {
        return tunnels.tlvMap(bridge);
    }
}
