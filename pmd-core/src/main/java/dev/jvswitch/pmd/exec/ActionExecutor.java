package dev.jvswitch.pmd.exec;

import dev.jvswitch.conntrack.Conntrack;
import dev.jvswitch.conntrack.CtContext;
import dev.jvswitch.conntrack.NatParams;
import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.actions.DpCt;
import dev.jvswitch.flowcache.actions.DpField;
import dev.jvswitch.flowcache.hash.FlowHash;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.meter.DpMeter;
import dev.jvswitch.pmd.meter.DpMeters;
import dev.jvswitch.pmd.stats.DropReason;
import dev.jvswitch.pmd.tunnel.TunnelOps;

/**
 * Runs a megaflow's {@link DpActions} over a batch of packets that all matched it: the execute
 * stage of the PMD (OVS's {@code odp_execute_actions} with {@code dp_execute_cb}).
 *
 * <p><b>Ownership.</b> {@link #execute} takes every mbuf of the batch. Each one ends up output,
 * recirculated, or dropped through the {@link ExecContext}; the batch is empty afterwards.
 *
 * <p><b>Order and copies.</b> Actions run in program order, each over the whole batch. An action
 * that hands packets away (output, recirc, tnl_pop) hands away the originals only when
 * it is the program's last action; anywhere else it hands away copies (taken from the context's
 * cache) and the originals go on to the next action. A {@code clone} runs its sub-program on
 * copies, or on the originals when it is the last action. Packets still held when a program ends
 * are freed and counted as {@link ExecContext#END_OF_ACTIONS}; an explicit {@code drop} counts
 * {@link ExecContext#ACTION_DROP}. When the pool is empty a copy is not made and counted as
 * {@link ExecContext#NO_MBUF_FOR_CLONE}; the original carries on.
 *
 * <p><b>Recirculation.</b> {@code recirc(id)} sets the recirc id, increments the recirc depth and
 * hands the packet to {@link ExecContext#recirculate}; a packet already {@link #MAX_RECIRC_DEPTH}
 * deep is dropped instead ({@link ExecContext#RECIRC_TOO_DEEP}), which ends loops between flows.
 *
 * <p><b>Tunnels.</b> {@code tnl_push} asks the tunnel port's {@link TunnelOps} to prepend the
 * header template in place, as OVS does; the outputs that follow send the packet (translation
 * puts the push in a {@code clone} when the original is still needed). A packet whose outer IP
 * packet would not fit the MTU of the action's out port (the underlay port) is dropped and
 * counted ({@link DropReason#TUNNEL_MTU}): 50 bytes of VXLAN over IPv4 headers, 70 over IPv6,
 * less the inner Ethernet header's 14 that the outer Ethernet header replaces on the wire.
 * Each PMD numbers its outer IPv4 ids itself. {@code tnl_pop} strips the
 * outer headers into the mbuf's tunnel metadata and recirculates, as OVS does: in_port becomes
 * the tunnel port, the recirc id is left unchanged (the packet is told apart from the one that
 * arrived by its in_port and the tunnel metadata, which mark it as a tunnel packet), and the
 * recirc depth grows by one and obeys the same limit. A pop that fails is counted by its reason
 * (malformed outer headers, bad UDP checksum, bad tunnel header).
 *
 * <p><b>Set fields</b> follow the packet's actual headers; see {@link FieldRewriter}. VLAN
 * push/pop move header offsets with the data; see {@link VlanTagger}.
 *
 * <p><b>Connection tracking.</b> {@code ct} hands each packet to the datapath's {@link Conntrack}
 * with this PMD's {@link CtContext}; the packet's ct metadata changes, and with a {@code nat}
 * argument its addresses and ports (OVS emits the {@code recirc} that follows as a separate action). {@code ct_clear} forgets that metadata.
 * IP fragments are held by the tracker's {@code Ipf} until their datagram is whole; it runs
 * through {@code ct} reassembled and the fragments then go on in this ct action's batch.
 *
 * <p><b>Meters.</b> {@code meter(id)} runs the datapath's {@link DpMeters} entry over the batch
 * (refilled from {@link ExecContext#nowMs()}); the packets over a band's rate are dropped
 * ({@link DropReason#METER}) and the rest go on.
 *
 * <p>Nothing here allocates: scratch batches for clone are made once, one per nesting level.
 *
 * <p><b>Thread-safety:</b> one executor per PMD thread, used only by it.
 */
public final class ActionExecutor {
    /** Most recirculations a packet may go through (OVS's {@code MAX_RECIRC_DEPTH}). */
    public static final int MAX_RECIRC_DEPTH = 6;

    private static final int ETH_HEADER = 14;

    private final PacketBatch[] cloneBatches = new PacketBatch[DpActions.MAX_CLONE_DEPTH + 1];
    private final FieldRewriter rewriter = new FieldRewriter();
    /** The outer IPv4 id of the next encapsulated packet (per PMD, so no two threads share it). */
    private int ipId;
    private final Conntrack conntrack;
    private final CtContext ctContext;
    private final DpMeters meters;
    /** The packets a meter took out of the batch, to free (made once). */
    private final Mbuf[] metered = new Mbuf[PacketBatch.MAX_SIZE];
    /** The {@code nat} argument of the ct action being run (filled per action, so a batch allocates nothing). */
    private final NatParams natParams = new NatParams();

    /** An executor with a connection tracker and meters of its own (tests, benchmarks without a datapath). */
    public ActionExecutor() {
        this(new Conntrack(), new DpMeters());
    }

    /** An executor for one PMD of a datapath with these connections and meters. */
    public ActionExecutor(Conntrack conntrack, DpMeters meters) {
        this.conntrack = conntrack;
        this.meters = meters;
        this.ctContext = conntrack.newContext();
        for (int i = 0; i < cloneBatches.length; i++) {
            cloneBatches[i] = new PacketBatch();
        }
    }

    /** Runs {@code actions} over every packet of {@code batch}; takes them all and empties the batch. */
    public void execute(DpActions actions, PacketBatch batch, ExecContext ctx) {
        run(actions, batch, ctx, 0);
    }

    private void run(DpActions p, PacketBatch batch, ExecContext ctx, int depth) {
        int n = p.length();
        for (int i = 0; i < n && !batch.isEmpty(); i++) {
            boolean last = i == n - 1;
            switch (p.op(i)) {
                case DpActions.OP_OUTPUT -> output(p.a(i), batch, ctx, last);
                case DpActions.OP_DROP -> dropAll(batch, ctx, DropReason.ofCause(p.a(i)));
                case DpActions.OP_PUSH_VLAN -> pushVlan(p.a(i), (int) p.b(i), batch, ctx);
                case DpActions.OP_POP_VLAN -> popVlan(batch);
                case DpActions.OP_SET_FIELD -> setField(p, i, batch);
                case DpActions.OP_HASH -> hash(p.a(i), batch);
                case DpActions.OP_RECIRC -> recirc(p.a(i), batch, ctx, last);
                case DpActions.OP_CLONE -> cloneAction(p.sub(i), batch, ctx, depth, last);
                case DpActions.OP_TNL_PUSH -> tnlPush(p, i, batch, ctx);
                case DpActions.OP_TNL_POP -> tnlPop(p.a(i), batch, ctx, last);
                case DpActions.OP_CT -> ct(p, i, batch, ctx);
                case DpActions.OP_CT_CLEAR -> ctClear(batch);
                case DpActions.OP_METER -> meter(p.a(i), batch, ctx);
                default -> dropAll(batch, ctx, DropReason.MALFORMED); // the builder admits no other
            }
        }
        if (!batch.isEmpty()) {
            dropAll(batch, ctx, DropReason.END_OF_ACTIONS);
        }
    }

    /** {@code meter(id)}: the meter drops what is over its rate; a meter that does not exist passes all (OVS). */
    private void meter(int id, PacketBatch batch, ExecContext ctx) {
        DpMeter m = meters.get(id);
        if (m != null) {
            int n = m.run(batch, ctx.nowMs(), metered);
            for (int k = 0; k < n; k++) {
                ctx.drop(metered[k], DropReason.METER);
                metered[k] = null;
            }
        }
    }

    // ---------------------------------------------------------------- hand-offs

    private static void output(int port, PacketBatch batch, ExecContext ctx, boolean last) {
        Mbuf[] pkts = batch.array();
        int n = batch.size();
        for (int k = 0; k < n; k++) {
            Mbuf m = last ? pkts[k] : copy(pkts[k], ctx);
            if (m != null) {
                ctx.output(port, m);
            }
        }
        if (last) {
            batch.clear();
        }
    }

    private static void recirc(int id, PacketBatch batch, ExecContext ctx, boolean last) {
        Mbuf[] pkts = batch.array();
        int n = batch.size();
        int kept = 0;
        for (int k = 0; k < n; k++) {
            Mbuf original = pkts[k];
            if (original.recircDepth() >= MAX_RECIRC_DEPTH) {
                dropOrCount(original, last, ctx, DropReason.RECIRC_DEPTH);
                continue;
            }
            Mbuf m = last ? original : copy(original, ctx);
            if (m != null) {
                m.recircId(id);
                m.recircDepth(m.recircDepth() + 1);
                if (last) {
                    kept = keep(pkts, kept, k, m);
                } else {
                    ctx.recirculate(m);
                }
            }
        }
        if (last) {
            recirculateKept(batch, kept, ctx);
        }
    }

    /**
     * Keeps {@code m}, packet {@code k} of the batch, as its {@code kept}-th survivor; returns the
     * new count. The slot is written only after a drop: a reference store costs a GC barrier.
     */
    private static int keep(Mbuf[] pkts, int kept, int k, Mbuf m) {
        if (kept != k) {
            pkts[kept] = m;
        }
        return kept + 1;
    }

    /** Recirculates the first {@code kept} packets of {@code batch} as a whole (the rest are gone). */
    private static void recirculateKept(PacketBatch batch, int kept, ExecContext ctx) {
        batch.truncate(kept);
        if (kept != 0) {
            ctx.recirculateAll(batch);
        }
    }

    /**
     * Encapsulates every packet in place (the outputs after it send them). A packet whose outer
     * IP packet would exceed the MTU of the underlay port the header was built for is dropped.
     */
    private void tnlPush(DpActions p, int i, PacketBatch batch, ExecContext ctx) {
        TunnelOps ops = ctx.tunnelOps(p.a(i));
        if (ops == null) {
            dropAll(batch, ctx, DropReason.TUNNEL);
            return;
        }
        byte[] header = p.data(i);
        int headerLength = header.length;
        int mtu = ctx.portMtu((int) p.b(i));
        // The outer IP packet: the inner frame plus the header without its Ethernet part.
        int maxInner = mtu > 0 ? mtu - headerLength + ETH_HEADER : Integer.MAX_VALUE;
        Mbuf[] pkts = batch.array();
        int n = batch.size();
        int kept = 0;
        for (int k = 0; k < n; k++) {
            Mbuf m = pkts[k];
            if (m.length() > maxInner) {
                ctx.drop(m, DropReason.TUNNEL_MTU);
            } else if (ops.pushHeader(m, header, headerLength, ipId++)) {
                if (kept != k) {
                    // Only after a drop: a reference store into the batch costs a GC barrier.
                    pkts[kept] = m;
                }
                kept++;
            } else {
                ctx.drop(m, DropReason.TUNNEL);
            }
        }
        batch.truncate(kept);
    }

    private static void tnlPop(int tnlPort, PacketBatch batch, ExecContext ctx, boolean last) {
        TunnelOps ops = ctx.tunnelOps(tnlPort);
        Mbuf[] pkts = batch.array();
        int n = batch.size();
        int kept = 0;
        for (int k = 0; k < n; k++) {
            Mbuf original = pkts[k];
            if (ops == null) {
                dropOrCount(original, last, ctx, DropReason.TUNNEL);
                continue;
            }
            if (original.l3Offset() < 0 || original.l4Offset() < 0) {
                dropOrCount(original, last, ctx, DropReason.MALFORMED);
                continue;
            }
            if (original.recircDepth() >= MAX_RECIRC_DEPTH) {
                dropOrCount(original, last, ctx, DropReason.RECIRC_DEPTH);
                continue;
            }
            Mbuf m = last ? original : copy(original, ctx);
            if (m == null) {
                continue;
            }
            int result = ops.popHeader(m);
            if (result == TunnelOps.POP_OK) {
                m.inPort(tnlPort);
                m.recircDepth(m.recircDepth() + 1);
                if (last) {
                    kept = keep(pkts, kept, k, m);
                } else {
                    ctx.recirculate(m);
                }
            } else {
                ctx.drop(m, popDropReason(result));
            }
        }
        if (last) {
            recirculateKept(batch, kept, ctx);
        }
    }

    private static DropReason popDropReason(int popResult) {
        return switch (popResult) {
            case TunnelOps.POP_BAD_CHECKSUM -> DropReason.TUNNEL_BAD_CSUM;
            case TunnelOps.POP_BAD_HEADER -> DropReason.TUNNEL_BAD_HEADER;
            default -> DropReason.TUNNEL_MALFORMED;
        };
    }

    private void cloneAction(DpActions sub, PacketBatch batch, ExecContext ctx, int depth, boolean last) {
        if (last) {
            // Nothing follows, so the sub-program may have the originals (OVS does the same).
            run(sub, batch, ctx, depth + 1);
            return;
        }
        PacketBatch copies = cloneBatches[depth + 1];
        Mbuf[] pkts = batch.array();
        int n = batch.size();
        for (int k = 0; k < n; k++) {
            Mbuf m = copy(pkts[k], ctx);
            if (m != null) {
                copies.add(m);
            }
        }
        run(sub, copies, ctx, depth + 1);
    }

    /** A copy of {@code src} from the context's cache, or null (counted) if there is none. */
    private static Mbuf copy(Mbuf src, ExecContext ctx) {
        Mbuf m = ctx.cache().get();
        if (m == null) {
            ctx.countDrop(DropReason.NO_MBUF);
            return null;
        }
        if (!m.copyOf(src)) {
            ctx.drop(m, DropReason.NO_MBUF);
            return null;
        }
        return m;
    }

    /**
     * A hand-off that cannot happen: the last action drops the original; an earlier one would
     * have dropped the copy, so it only counts.
     */
    private static void dropOrCount(Mbuf original, boolean last, ExecContext ctx, DropReason reason) {
        if (last) {
            ctx.drop(original, reason);
        } else {
            ctx.countDrop(reason);
        }
    }

    private static void dropAll(PacketBatch batch, ExecContext ctx, DropReason reason) {
        Mbuf[] pkts = batch.array();
        int n = batch.size();
        for (int k = 0; k < n; k++) {
            ctx.drop(pkts[k], reason);
        }
        batch.clear();
    }

    // ---------------------------------------------------------------- in-place edits

    private static void pushVlan(int tpid, int tci, PacketBatch batch, ExecContext ctx) {
        int wireTci = tci & ~DpActions.VLAN_CFI;
        Mbuf[] pkts = batch.array();
        int n = batch.size();
        int kept = 0;
        for (int k = 0; k < n; k++) {
            Mbuf m = pkts[k];
            DropReason refused = VlanTagger.push(m, tpid, wireTci);
            if (refused == null) {
                if (kept != k) {
                    // Only after a drop: a reference store into the batch costs a GC barrier.
                    pkts[kept] = m;
                }
                kept++;
            } else {
                ctx.drop(m, refused);
            }
        }
        batch.truncate(kept);
    }

    private static void popVlan(PacketBatch batch) {
        Mbuf[] pkts = batch.array();
        int n = batch.size();
        for (int k = 0; k < n; k++) {
            VlanTagger.pop(pkts[k]);
        }
    }

    private void setField(DpActions p, int i, PacketBatch batch) {
        DpField field = p.field(i);
        long value = p.b(i);
        long mask = p.c(i);
        Mbuf[] pkts = batch.array();
        int n = batch.size();
        for (int k = 0; k < n; k++) {
            rewriter.set(pkts[k], field, value, mask);
        }
    }

    private void ct(DpActions p, int i, PacketBatch batch, ExecContext ctx) {
        int zone = DpCt.zone(p, i);
        int flags = DpCt.flags(p, i);
        int ctFlags = ((flags & DpCt.COMMIT) != 0 ? Conntrack.COMMIT : 0) | ((flags & DpCt.FORCE) != 0 ? Conntrack.FORCE : 0);
        int mark = DpCt.mark(p, i);
        int markMask = DpCt.markMask(p, i);
        long labelHi = DpCt.labelWord(p, i, 0);
        long labelLo = DpCt.labelWord(p, i, 1);
        long labelMaskHi = DpCt.labelWord(p, i, 2);
        long labelMaskLo = DpCt.labelWord(p, i, 3);
        long nowMs = ctx.nowMs();
        int helper = DpCt.helper(p, i); // DpCt's helper numbers are CtAlg's
        NatParams nat = null;
        if (DpCt.hasNat(p, i)) {
            nat = natParams.set(DpCt.natFlags(p, i), DpCt.natIpv6(p, i), DpCt.natHasAddr(p, i), DpCt.natAddrWord(p, i, 0),
                    DpCt.natAddrWord(p, i, 1), DpCt.natAddrWord(p, i, 2), DpCt.natAddrWord(p, i, 3),
                    DpCt.natMinPort(p, i), DpCt.natMaxPort(p, i));
        }
        // Fragments wait in ipf; a datagram they complete goes through ct reassembled, then they follow.
        boolean frags = conntrack.ipf().preprocess(batch, zone, p, i, nowMs);
        conntrack.executeBatch(ctContext, batch.array(), batch.size(), zone, ctFlags, mark, markMask, labelHi, labelLo,
                labelMaskHi, labelMaskLo, nat, helper, nowMs);
        if (frags) {
            conntrack.ipf().postprocess(batch, p, i);
        }
    }

    private static void ctClear(PacketBatch batch) {
        Mbuf[] pkts = batch.array();
        int n = batch.size();
        for (int k = 0; k < n; k++) {
            pkts[k].clearCt();
        }
    }

    private static void hash(int basis, PacketBatch batch) {
        Mbuf[] pkts = batch.array();
        int n = batch.size();
        for (int k = 0; k < n; k++) {
            Mbuf m = pkts[k];
            m.dpHash(FlowHash.dpHash(m.rssHash(), basis));
        }
    }
}
