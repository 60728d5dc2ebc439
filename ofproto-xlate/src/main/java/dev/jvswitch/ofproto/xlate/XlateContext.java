package dev.jvswitch.ofproto.xlate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.actions.DpActionsBuilder;
import dev.jvswitch.flowcache.actions.DpActionsCache;
import dev.jvswitch.flowcache.actions.DropCause;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.bridge.Bond;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.mac.MacDependency;
import dev.jvswitch.ofproto.mac.MacLearning;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.ofproto.tnl.PacketOut;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.tnl.TunnelContext;
import dev.jvswitch.ofproto.tnl.TunnelOutput;
import dev.jvswitch.ofproto.tnl.TunnelScratch;
import dev.jvswitch.ofproto.xlate.XlateResult.RecircPoint;

/**
 * The state of one translation pass (OVS's {@code xlate_ctx}) and its core loop: table lookups,
 * resubmit depth and count, running action lists, freezing for recirculation, and scopes (group
 * buckets, patch ports) whose changes to the flow do not outlive them. The actions themselves are
 * in {@link ActionXlate}, outputs in {@link OutputXlate}, groups in {@link GroupXlate}, the
 * emission of field changes in {@link Commit}, NORMAL in {@link NormalXlate}.
 *
 * <p><b>Two flows.</b> {@link #flow()} is the packet as the OpenFlow pipeline sees it now: the
 * OpenFlow in_port, every field as the actions so far have set it. {@code base} is the packet as
 * the datapath will have it after the actions emitted so far. Before anything leaves the packet
 * (output, recirculation) {@link #commit()} emits a set for every field where the two differ,
 * as OVS's {@code commit_odp_actions} does, so changes that are undone never reach the wire.
 *
 * <p><b>The megaflow mask.</b> {@link #wc()} collects every key bit the answer depended on:
 * what the classifier looked at, the prerequisites actions checked, the fields actions read, and
 * the bits they wrote (so that "does the packet already have this value" is decided the same way
 * for every packet of the megaflow). Values the translation computes are always functions of the
 * bits in the mask and constants, which is what makes the megaflow sound.
 *
 * <p><b>Garbage.</b> A context is reused for every translation of its thread: the action builder,
 * the rule list, the MAC dependencies and learnings (kept as parallel arrays), the recirc ids and
 * the keys saved by scopes are all reset, not made anew, and equal action programs come from a
 * {@link DpActionsCache}. Records (rule lists, MAC records, a copy of the mask) are made only when
 * someone keeps them: {@link XlateOutput} makes them on demand, e.g. for a ukey that is installed.
 *
 * <p><b>Thread-safety:</b> one context per thread ({@link Xlate} keeps one per thread), reused
 * for every translation on it; nothing in it is shared.
 */
public final class XlateContext implements TunnelContext {
    /** Deepest nesting of resubmits, patch ports and group buckets (OVS's {@code MAX_DEPTH}). */
    public static final int MAX_DEPTH = 64;
    /** Most table lookups in one translation (OVS's {@code MAX_RESUBMITS}). */
    public static final int MAX_RESUBMITS = MAX_DEPTH * MAX_DEPTH;
    /** Lookup argument: keep the flow's in_port. */
    static final int KEEP_IN_PORT = -1;

    final RecircAllocator recirc;
    final PortLiveness liveness;
    final TunnelOutput tunnels;

    XlateSnapshot snapshot;
    XlateBridge bridge;
    final FlowKey flow = new FlowKey();
    final FlowKey base = new FlowKey();
    final FlowMask wc = new FlowMask();
    final FlowMask written = new FlowMask();
    /** The learn action's match, reused: its arrays span every key word, tunnel metadata included. */
    final Match.Builder learnMatch = Match.builder();
    /** The program being built; a native tunnel swaps in its own while it translates the underlay pass. */
    DpActionsBuilder out = DpActions.builder();
    /** The program's top-level builder ({@link #out} outside clones and tunnel scopes). */
    private DpActionsBuilder rootOut = out;
    /** Scratch of {@link #pendingEdits}. */
    private final DpActionsBuilder editOut = DpActions.builder();
    private final FlowKey editBase = new FlowKey();
    /** Programs this thread built recently: equal programs are shared, not built again. */
    final DpActionsCache programs = new DpActionsCache();
    private final TunnelScratch tunnelScratch = new TunnelScratch();
    /** The state {@link #underlay} saves, and whether an underlay translation is using it. */
    private final FlowKey underlayFlow = new FlowKey();
    private final FlowKey underlayBase = new FlowKey();
    private final FlowMask underlayWc = new FlowMask();
    private final FlowMask underlayWritten = new FlowMask();
    private boolean underlayBusy;
    /** Mirrors of the current bridge that copied this packet already (bit = index; {@link MirrorXlate}). */
    int mirrorsDone;
    /** The answer of the last translation, read by the caller until the next one. */
    final XlateOutput output = new XlateOutput(this);
    int dpInPort;
    /** The VLAN word of the packet this pass started from: its tags as the datapath sees them. */
    long packetVlans;
    int depth;
    int resubmits;
    int tableId;
    XlateError error;
    boolean mayLearn;
    /** The packet is really sent (an upcall or a packet-out): neighbour requests may go out. */
    boolean maySend;
    long nowNs;
    /** The packet carries a dp_hash computed for this recirculation: dp_hash groups pick from it. */
    boolean dpHashValid;

    boolean freezing;
    /** The freeze is a {@code controller(pause)}'s: it ends in a continuation, not a recirculation. */
    boolean pausing;
    /** The packet's length in bytes, for {@code check_pkt_larger} (0: no packet, as OVS without one). */
    int packetLength;
    /** The action that started freezing has not been unrolled yet (it goes first in its frame). */
    boolean freezeHeadPending;
    int freezeBasis;
    int freezeInPort;
    List<FrozenState.Frame> frames;

    final ArrayList<Rule> rules = new ArrayList<>(8);
    /** The rule whose actions run now (OVS's {@code ctx->rule}); null in a packet-out or a thawed pass. */
    Rule rule;
    /** The index of {@link #rule} in {@link #rules}. */
    int ruleIndex;
    /** The {@code fin_timeout}s run, for the ukey. */
    final FinTimeoutXlate finTimeouts = new FinTimeoutXlate();
    /** Groups the packet went through and the bucket position taken (-1: the group itself), parallel. */
    final ArrayList<Group> groupHits = new ArrayList<>(4);
    int[] groupHitBuckets = new int[4];
    /** Balance-slb buckets the packet left through. */
    final BondHits bondHits = new BondHits();
    /** MAC lookups NORMAL made: bridge, VLAN, MAC, the port it answered. */
    private final MacRecords macDeps = new MacRecords();
    /** Source MACs NORMAL learned, as the dependencies. */
    private final MacRecords macLearned = new MacRecords();
    int[] recircIds = new int[2];
    int recircCount;
    /** Where each recirculation leaves (kept only for {@link Xlate#translate}, which reports them). */
    List<RecircPoint> recircPoints;
    boolean keepRecircPoints;
    /** Keys saved by the scopes open now (group buckets, patch ports), by nesting level. */
    private FlowKey[] savedFlows = new FlowKey[4];
    private int savedCount;
    boolean slowPath;
    /** The push/pop stack (OVS's {@code ctx->stack}). */
    private final XlateStack stack = new XlateStack();
    /** The controller outputs run, in order (a fresh list per translation that has any). */
    List<ControllerOutput> controllerOutputs = List.of();
    /** The flows learn actions made (cleared, not made anew, per translation). */
    final ArrayList<Learned> learned = new ArrayList<>(2);
    /** Why the packet drops if translation emits no action at all (null: a plain drop). */
    DropCause dropCause;
    /** Packets to send once translation is over; the shared empty list until the first. */
    List<PacketOut> packetOuts;
    /** Where trace nodes go now, or null when not tracing. */
    List<TraceNode> trace;
    /** The trace's top level (an underlay bridge's translation is reported there, as OVS does). */
    List<TraceNode> traceRoot;

    XlateContext(RecircAllocator recirc, PortLiveness liveness, TunnelOutput tunnels) {
        this.recirc = recirc;
        this.liveness = liveness;
        this.tunnels = tunnels;
    }

    void reset(XlateSnapshot snap, boolean learn, long now, List<TraceNode> traceRoot, boolean keepPoints) {
        snapshot = snap;
        bridge = null;
        wc.clear();
        written.clear();
        out.reset();
        rootOut = out;
        depth = 0;
        resubmits = 0;
        tableId = 0;
        error = null;
        mayLearn = learn;
        maySend = learn;
        underlayBusy = false;
        nowNs = now;
        dpHashValid = false;
        freezing = false;
        pausing = false;
        packetLength = 0;
        freezeHeadPending = false;
        frames = null;
        rules.clear();
        rule = null;
        finTimeouts.clear();
        groupHits.clear();
        bondHits.clear();
        macDeps.clear();
        macLearned.clear();
        mirrorsDone = 0;
        recircCount = 0;
        keepRecircPoints = keepPoints;
        recircPoints = List.of();
        while (savedCount > 0) {
            savedFlows[--savedCount].clear();
        }
        slowPath = false;
        stack.clear();
        controllerOutputs = List.of();
        learned.clear();
        dropCause = null;
        packetOuts = List.of();
        trace = traceRoot;
        this.traceRoot = traceRoot;
    }

    // ------------------------------------------------------------------ accessors for the stages

    /** The flow as the pipeline sees it now (OpenFlow in_port). Writes must also go to {@link #wc()}. */
    public FlowKey flow() {
        return flow;
    }

    /** The megaflow mask being built: set every bit the result depends on. */
    public FlowMask wc() {
        return wc;
    }

    /** Where datapath actions go; call {@link #commit()} before anything that hands the packet on. */
    public DpActionsBuilder actions() {
        return out;
    }

    public XlateBridge bridge() {
        return bridge;
    }

    public XlateSnapshot snapshot() {
        return snapshot;
    }

    /** The OpenFlow in_port of the flow now. */
    public int inPort() {
        return (int) flow.get(FlowField.IN_PORT);
    }

    void inPort(int ofPort) {
        flow.set(FlowField.IN_PORT, ofPort & 0xffff_ffffL);
    }

    /** True when translating for a real packet (an upcall), which may change the MAC table. */
    public boolean mayLearn() {
        return mayLearn;
    }

    @Override
    public boolean maySendRequests() {
        return maySend;
    }

    public long nowNs() {
        return nowNs;
    }

    public PortLiveness liveness() {
        return liveness;
    }

    /** Records a MAC table lookup ({@link MacDependency}: port {@link MacDependency#UNKNOWN} if none). */
    public void addMacDependency(String bridgeName, int vlan, long mac, int ofPort) {
        macDeps.add(bridgeName, vlan, mac, ofPort);
    }

    /** Records a source MAC learned, or that would have been ({@link MacLearning}). */
    public void addMacLearning(String bridgeName, int vlan, long mac, int ofPort) {
        macLearned.add(bridgeName, vlan, mac, ofPort);
    }

    List<MacDependency> macDependencies() {
        return macDeps.toList(MacDependency::new);
    }

    List<MacLearning> macLearnings() {
        return macLearned.toList(MacLearning::new);
    }

    /**
     * Records a packet-in by the rule running now; {@code invalidTtl} for dec_ttl's; {@code pin}
     * for a {@code controller(...)} action's (null for a plain one).
     */
    void controllerOutput(int maxLen, boolean invalidTtl, ControllerOutput.Pin pin, int meterDpId) {
        if (controllerOutputs.isEmpty()) {
            controllerOutputs = new ArrayList<>(2);
        }
        // OVS commits pending changes here, before its userspace action; jvswitch's program has
        // no such action to separate two sets of one field, so it records only where it is.
        Rule r = rules.isEmpty() ? null : rules.get(rules.size() - 1);
        controllerOutputs.add(new ControllerOutput(bridge == null ? "" : bridge.name(), inPort(), tableId,
                r == null ? 0 : r.cookie(), r != null && r.priority() == 0 && r.match().isCatchAll(), maxLen,
                invalidTtl, out == rootOut ? out.size() : -1, out == rootOut ? pendingEdits() : null, pin, meterDpId));
    }

    /**
     * The edits a commit now would emit, as a program of their own (null: none), leaving the
     * translation as it was: what the packet a controller gets differs by from the datapath's
     * program so far. (Committing for real would put two sets of one field side by side when the
     * same field changes again after {@code output:CONTROLLER}, which has no datapath action.)
     */
    private DpActions pendingEdits() {
        editBase.copyFrom(base);
        DpActionsBuilder saved = out;
        out = editOut.reset();
        try {
            Commit.commit(this);
            return editOut.size() == 0 ? null : editOut.build();
        } finally {
            out = saved;
            base.copyFrom(editBase);
        }
    }

    /** Records a pass through group {@code g} (bucket -1) or its bucket at position {@code bucket}. */
    void groupHit(Group g, int bucket) {
        int n = groupHits.size();
        if (n == groupHitBuckets.length) {
            groupHitBuckets = Arrays.copyOf(groupHitBuckets, 2 * n);
        }
        groupHits.add(g);
        groupHitBuckets[n] = bucket;
    }

    /** Records an output through bucket {@code bucket} of balance-slb bond {@code b}, to member {@code ofPort}. */
    void bondHit(Bond b, int bucket, int ofPort) {
        bondHits.add(b, bucket, ofPort);
    }

    /** Records a flow a learn action made. */
    void learned(Learned l) {
        learned.add(l);
    }

    /** Marks the flow not installable (its packets must each come to the slow path). */
    public void slowPath() {
        slowPath = true;
    }

    /** Emits the pending field changes (see {@link Commit}). */
    @Override
    public void commit() {
        Commit.commit(this);
    }

    @Override
    public void commitInner() {
        Commit.commit(this, false);
    }

    @Override
    public DpActions build(DpActionsBuilder builder) {
        return builder.build(programs);
    }

    @Override
    public TunnelScratch tunnelScratch() {
        return tunnelScratch;
    }

    @Override
    public DpActionsBuilder swapActions(DpActionsBuilder builder) {
        DpActionsBuilder old = out;
        out = builder;
        return old;
    }

    @Override
    public String bridgeName() {
        return bridge.name();
    }

    @Override
    public void detail(String text) {
        report(TraceNode.Kind.DETAIL, text);
    }

    @Override
    public void warn(String text) {
        report(TraceNode.Kind.WARN, text);
    }

    @Override
    public void noteDrop(DropCause cause) {
        dropCause = cause;
    }

    @Override
    public void packetOut(PacketOut packet) {
        if (!maySend) {
            return;
        }
        if (packetOuts.isEmpty()) {
            packetOuts = new ArrayList<>(2);
        }
        packetOuts.add(packet);
    }

    /**
     * Translates the encapsulated packet {@code outer} through bridge {@code name} from its
     * LOCAL port (OVS's {@code apply_nested_clone_actions} for a native tunnel): the actions go
     * where {@link #actions()} points; the flow, the packet's pending changes and the megaflow
     * mask are what they were afterwards, and nothing is learned.
     */
    @Override
    public void underlay(String name, FlowKey outer) {
        XlateBridge b = snapshot.bridge(name);
        if (b == null) {
            report(TraceNode.Kind.WARN, "underlay bridge " + name + " does not exist");
            return;
        }
        if (!resourceCheck()) {
            return;
        }
        XlateBridge oldBridge = bridge;
        // Saved in this context's slots, one set per nesting level (fresh ones past the first).
        boolean nested = underlayBusy;
        underlayBusy = true;
        FlowKey savedFlow = nested ? flow.copy() : underlayFlow;
        FlowKey savedBase = nested ? base.copy() : underlayBase;
        FlowMask savedWc = nested ? new FlowMask() : underlayWc;
        FlowMask savedWritten = nested ? new FlowMask() : underlayWritten;
        if (!nested) {
            savedFlow.copyFrom(flow);
            savedBase.copyFrom(base);
        }
        savedWc.copyFrom(wc);
        savedWritten.copyFrom(written);
        boolean oldLearn = mayLearn;
        boolean oldDpHash = dpHashValid;
        int oldTable = tableId;
        List<TraceNode> oldTrace = trace;
        flow.copyFrom(outer);
        base.copyFrom(outer);
        written.clear();
        mayLearn = false;
        dpHashValid = false;
        bridge = b;
        trace = traceRoot;
        TraceNode n = trace == null ? null : report(TraceNode.Kind.BRIDGE, "bridge(\"" + name + "\")");
        if (n != null) {
            trace = n.subs();
        }
        depth++;
        lookupTable(0, KEEP_IN_PORT, false, true);
        depth--;
        if (freezing) {
            finishFreezing();
        }
        trace = oldTrace;
        tableId = oldTable;
        dpHashValid = oldDpHash;
        mayLearn = oldLearn;
        bridge = oldBridge;
        flow.copyFrom(savedFlow);
        base.copyFrom(savedBase);
        wc.copyFrom(savedWc);
        written.copyFrom(savedWritten);
        underlayBusy = nested;
        // As for a patch port, a failure in the underlay does not fail the overlay's translation.
        error = null;
    }

    /** Sends the packet out of bridge port {@code port}: patch, tunnel hook or datapath output. */
    public void outputToPort(OfPort port) {
        OutputXlate.outputToPort(this, port);
    }

    /**
     * Puts the packet's VLAN tags into the mask (any VLAN push, pop or rewrite, whose outcome
     * depends on the tags there are): every tag the packet has, whole, and that it has no more
     * (the present bit of the next tag), as OVS's {@code flow_push_vlan_uninit} and
     * {@code commit_vlan_action} do. Tags the packet does not have add nothing more: their bits
     * are zero in every packet without them.
     */
    public void unwildcardVlans() {
        wc.words()[VlanMasks.WORD] |= VlanMasks.headers(packetVlans);
    }

    // ------------------------------------------------------------------ trace

    public boolean tracing() {
        return trace != null;
    }

    /** Adds a trace line at the current level; returns it (null when not tracing). */
    public TraceNode report(TraceNode.Kind kind, String text) {
        if (trace == null) {
            return null;
        }
        TraceNode n = new TraceNode(kind, text);
        trace.add(n);
        return n;
    }

    // ------------------------------------------------------------------ the pipeline

    /** Runs an action list; stops early on error, freezing, or an action that ends the list. */
    void doActions(List<OfAction> actions) {
        int n = actions.size();
        if (n == 0) {
            report(TraceNode.Kind.ACTION, "drop");
            return;
        }
        for (int i = 0; i < n; i++) {
            if (error != null) {
                return;
            }
            OfAction a = actions.get(i);
            if (trace != null) {
                report(TraceNode.Kind.ACTION, OfText.action(a));
            }
            boolean endList = ActionXlate.run(this, a);
            if (freezing) {
                // Unroll: this level's remaining actions run after the recirculation, starting
                // with the action that froze if it froze here.
                int from = freezeHeadPending ? i : i + 1;
                freezeHeadPending = false;
                if (from < n) {
                    frames.add(new FrozenState.Frame(tableId, actions.subList(from, n)));
                }
                return;
            }
            if (endList) {
                return;
            }
        }
    }

    /**
     * Looks the flow up in {@code table} (with in_port replaced by {@code lookupInPort} for the
     * lookup only, as OVS does) and runs the rule's actions (OVS's {@code xlate_table_action}).
     * With {@code honorMiss} (table 0, goto_table, patch ports; not resubmit) a table whose miss
     * mode is "continue" passes a miss on to the next table.
     */
    void lookupTable(int table, int lookupInPort, boolean deepens, boolean honorMiss) {
        if (!resourceCheck()) {
            return;
        }
        int oldTable = tableId;
        int savedInPort = inPort();
        if (lookupInPort != KEEP_IN_PORT) {
            inPort(lookupInPort);
        }
        XlateTables tables = bridge.tables();
        int t = table;
        Rule rule = tables.lookup(t, flow, wc);
        while (rule == null && honorMiss && t < Rule.MAX_TABLE_ID && tables.missContinues(t)) {
            t++;
            rule = tables.lookup(t, flow, wc);
        }
        inPort(savedInPort);
        tableId = t;
        resubmits++;
        List<TraceNode> oldTrace = trace;
        if (rule == null) {
            if (trace != null) {
                trace = report(TraceNode.Kind.TABLE, String.format("%2d. No match.", t)).subs();
                report(TraceNode.Kind.ACTION, "drop");
            }
        } else {
            rules.add(rule);
            if (mayLearn) {
                rule.stats().touch(nowNs);
            }
            if (trace != null) {
                trace = report(TraceNode.Kind.TABLE, OfText.tableLine(t, rule, tunnels.tlvMap(bridge.name()))).subs();
            }
            int d = deepens ? 1 : 0;
            depth += d;
            Rule outer = this.rule;
            int outerIndex = ruleIndex;
            this.rule = rule;
            ruleIndex = rules.size() - 1;
            doActions(rule.actions());
            this.rule = outer;
            ruleIndex = outerIndex;
            depth -= d;
        }
        trace = oldTrace;
        tableId = oldTable;
    }

    /** OVS's {@code xlate_resubmit_resource_check}: false (and an error) past the limits. */
    boolean resourceCheck() {
        if (depth >= MAX_DEPTH) {
            report(TraceNode.Kind.ERROR, "over max translation depth " + MAX_DEPTH);
            error = XlateError.RECURSION_TOO_DEEP;
            return false;
        }
        if (resubmits >= MAX_RESUBMITS) {
            report(TraceNode.Kind.ERROR, "over " + MAX_RESUBMITS + " resubmit actions");
            error = XlateError.TOO_MANY_RESUBMITS;
            return false;
        }
        return true;
    }

    /**
     * Runs {@code actions} in a scope (a group bucket): afterwards the flow is what it was before,
     * as if the bucket had run on a copy of the packet, and a freeze inside ends at the scope.
     */
    void runInScope(List<OfAction> actions) {
        saveFlow();
        depth++;
        doActions(actions);
        depth--;
        if (freezing) {
            finishFreezing();
        }
        restoreFlow();
    }

    /**
     * Saves the flow for the scope opening now; {@link #restoreFlow()} ends it. Scopes nest as
     * deep as translation does, and the saved keys are kept for the next translation.
     */
    void saveFlow() {
        if (savedCount == savedFlows.length) {
            savedFlows = Arrays.copyOf(savedFlows, savedCount * 2);
        }
        FlowKey k = savedFlows[savedCount];
        if (k == null) {
            k = new FlowKey();
            savedFlows[savedCount] = k;
        }
        k.copyFrom(flow);
        savedCount++;
    }

    /** Puts back the flow of the innermost open scope and closes it. */
    void restoreFlow() {
        flow.copyFrom(savedFlows[--savedCount]);
    }

    // ------------------------------------------------------------------ stack

    /** {@code push}: the field's bits onto the push/pop stack ({@link XlateStack#push}). */
    void stackPush(dev.jvswitch.ofproto.action.FieldRef src) {
        stack.push(this, src);
    }

    /** {@code pop}: the top of the push/pop stack into the field's bits ({@link XlateStack#pop}). */
    void stackPop(dev.jvswitch.ofproto.action.FieldRef dst) {
        stack.pop(this, dst);
    }

    /** Starts a thawed pass with the stack its frozen state kept (OVS's thaw of {@code stack}). */
    void restoreStack(long[] frozen) {
        stack.restore(frozen);
    }

    /** The push/pop stack as a frozen state keeps it. */
    long[] frozenStack() {
        return stack.frozen();
    }

    /** Stops translation here; the rest runs after a recirculation ({@link Freezing#start}). */
    void startFreezing(int hashBasis) {
        Freezing.start(this, hashBasis);
    }

    /** Ends a freeze at a scope boundary or the end of the pass ({@link Freezing#finish}). */
    void finishFreezing() {
        Freezing.finish(this);
    }
}
