package dev.jvswitch.ofproto.trace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.hash.FlowHash;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.parse.PacketParser;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.tnl.TlvMap;
import dev.jvswitch.ofproto.upcall.RecircRegistry;
import dev.jvswitch.ofproto.xlate.FrozenState;
import dev.jvswitch.ofproto.xlate.TraceNode;
import dev.jvswitch.ofproto.xlate.Xlate;
import dev.jvswitch.ofproto.xlate.XlateBridge;
import dev.jvswitch.ofproto.xlate.XlateResult;
import dev.jvswitch.ofproto.xlate.XlateSnapshot;
import dev.jvswitch.ofproto.xlate.XlateSnapshot.PortRef;
import dev.jvswitch.pmd.tunnel.TunnelOps;

/**
 * {@code ofproto/trace}: runs a flow, or a packet, through a bridge's tables and reports each
 * table, rule and action visited, then the lines OVS ends with, in OVS's syntax:
 *
 * <pre>
 * Flow: tcp,in_port=1,vlan_tci=0x0000,dl_src=...,nw_dst=10.0.0.2,...,tp_dst=80,tcp_flags=0
 *
 * bridge("br0")
 * -------------
 *  0. tcp,nw_dst=10.0.0.2, priority 100
 *     output:2
 *
 * Final flow: unchanged
 * Megaflow: recirc_id=0,eth,tcp,in_port=1,nw_dst=10.0.0.2,nw_frag=no
 * Datapath actions: 2
 * </pre>
 *
 * The megaflow is printed as OVS's trace prints it (its {@code match_format}, OpenFlow in_port);
 * datapath actions name datapath ports. When the actions recirculate (a {@code dp_hash} select
 * group), the trace goes on with the recirculated packet, as OVS's does, its {@code dp_hash}
 * computed by the same {@link FlowHash#dpHash} the datapath uses. A packet given in hex that is
 * decapsulated ({@code tnl_pop}) goes on as the inner packet with its tunnel metadata, the
 * second pass the datapath makes after the pop.
 *
 * <p>A trace never changes the switch: NORMAL does not learn.
 *
 * <p><b>Thread-safety:</b> safe from any thread; each call reads one snapshot.
 */
public final class Trace {
    /** Most recirculated passes followed (a loop ends here rather than in the executor). */
    static final int MAX_PASSES = 64;
    private static final String RULE = "=".repeat(79);

    private final Supplier<XlateSnapshot> snapshots;
    private final Xlate xlate;
    private final RecircRegistry recircIds;
    private final LongSupplier nanoClock;
    private final IntFunction<TunnelOps> tunnelOps;

    /** One pass of a trace: the key, the packet's bytes when known, and the line that starts it. */
    private record Pass(FlowKey key, byte[] packet, String title, int ofInPort) {
    }

    /**
     * @param snapshots the current snapshot (each trace reads it once)
     * @param xlate     the translation the upcalls use
     * @param recircIds where a recirculated pass finds its frozen state
     * @param nanoClock the ofproto's clock
     */
    public Trace(Supplier<XlateSnapshot> snapshots, Xlate xlate, RecircRegistry recircIds, LongSupplier nanoClock) {
        this(snapshots, xlate, recircIds, nanoClock, port -> null);
    }

    /**
     * @param tunnelOps the tunnel operations of a datapath port (null for none): a traced packet
     *                  that is popped goes on decapsulated, as the datapath would run it
     */
    public Trace(Supplier<XlateSnapshot> snapshots, Xlate xlate, RecircRegistry recircIds, LongSupplier nanoClock,
            IntFunction<TunnelOps> tunnelOps) {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.xlate = Objects.requireNonNull(xlate, "xlate");
        this.recircIds = Objects.requireNonNull(recircIds, "recircIds");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.tunnelOps = Objects.requireNonNull(tunnelOps, "tunnelOps");
    }

    /**
     * {@code ofproto/trace bridge flow}: {@code flow} in ovs-ofctl match syntax with an
     * {@code in_port}, e.g. {@code in_port=1,tcp,nw_dst=10.0.0.2,tp_dst=80}; fields it leaves out
     * are zero.
     *
     * @throws IllegalArgumentException with a one-line message for an unknown bridge, bad syntax
     *                                  or an in_port the bridge does not have
     */
    public String trace(String bridge, String flow) {
        return trace(bridge, flow, null);
    }

    /**
     * {@code ofproto/trace bridge flow packet}: the packet's headers (hex, white space ignored)
     * parsed as the datapath would; {@code flow} gives the metadata ({@code in_port},
     * {@code pkt_mark}).
     */
    public String trace(String bridge, String flow, String packetHex) {
        FlowKey given = parseFlow(flow, xlate.tlvMap(bridge));
        return trace(bridge, given, packetHex == null ? null : PacketHex.parse(packetHex));
    }

    /**
     * The flow of {@code ofproto/trace} (ovs-ofctl match syntax, fields left out are zero) as a
     * key with the OpenFlow in_port.
     *
     * @throws IllegalArgumentException {@code Bad openflow flow syntax: } and the syntax error
     */
    public static FlowKey parseFlow(String flow) {
        return parseFlow(flow, TlvMap.EMPTY);
    }

    /** {@link #parseFlow(String)} through the bridge's TLV map (a longer option's {@code tun_metadataN} whole). */
    public static FlowKey parseFlow(String flow, TlvMap map) {
        FlowKey key;
        try {
            key = FlowSyntax.parseMatch(flow, map).value();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Bad openflow flow syntax: " + e.getMessage(), e);
        }
        // A tag given by its TCI alone is an 802.1Q tag, as OVS's flow_fix_vlan_tpid makes it.
        fixTpid(key, FlowField.VLAN_TCI, FlowField.VLAN_TPID);
        fixTpid(key, FlowField.VLAN_TCI1, FlowField.VLAN_TPID1);
        return key;
    }

    private static void fixTpid(FlowKey key, FlowField tci, FlowField tpid) {
        if ((key.get(tci) & FlowKey.VLAN_CFI) != 0 && key.get(tpid) == 0) {
            key.set(tpid, FlowKey.ETH_TYPE_VLAN_8021Q);
        }
    }

    /**
     * Traces {@code flow} (OpenFlow in_port, e.g. from {@link #parseFlow}) through {@code bridge};
     * with {@code packet} (null for none), the packet's headers parsed as the datapath would,
     * with the flow's metadata ({@code in_port}, {@code pkt_mark}).
     *
     * @return the report, in OVS's layout, ending with {@code Datapath actions: ...}
     * @throws IllegalArgumentException with a one-line message for an unknown bridge, an in_port
     *                                  the bridge does not have, or a packet too long
     */
    public String trace(String bridge, FlowKey flow, byte[] packet) {
        return trace(bridge, flow, packet, List.of());
    }

    /**
     * As {@link #trace(String, FlowKey, byte[])}, with OVS's {@code --ct-next} values (e.g.
     * {@code trk,est}): the states the packet has after each {@code ct(table=N)} recirculation,
     * in order; {@code trk|new} once they run out.
     *
     * @throws IllegalArgumentException also for an unknown ct_state flag
     */
    public String trace(String bridge, FlowKey flow, byte[] packet, List<String> ctNextStates) {
        Deque<Integer> ctNext = new ArrayDeque<>(TraceCt.parseAll(ctNextStates));
        XlateSnapshot snap = snapshots.get();
        XlateBridge br = snap.bridge(bridge);
        if (br == null) {
            throw new IllegalArgumentException(bridge + ": unknown bridge");
        }
        FlowKey given = flow.copy();
        int ofInPort = (int) given.get(FlowField.IN_PORT);
        OfPort in = br.config().byOfPort(ofInPort);
        if (in == null) {
            throw new IllegalArgumentException("in_port " + ofInPort + " is not a port of bridge " + bridge);
        }
        if (in.isPatch()) {
            throw new IllegalArgumentException("in_port " + ofInPort + " is patch port " + in.name()
                    + "; trace from the peer bridge instead");
        }
        FlowKey key = packet == null ? given : parsePacket(given, packet, in.dpPort());
        key.set(FlowField.IN_PORT, in.dpPort());
        StringBuilder out = new StringBuilder(1024);
        run(snap, new Pass(key, packet, null, ofInPort), out, ctNext);
        return out.toString();
    }

    private void run(XlateSnapshot snap, Pass first, StringBuilder out, Deque<Integer> ctNext) {
        Deque<Pass> passes = new ArrayDeque<>();
        passes.add(first);
        for (int n = 0; !passes.isEmpty(); n++) {
            Pass pass = passes.poll();
            FlowKey key = pass.key();
            int ofInPort = pass.ofInPort();
            if (n > 0) {
                out.append("\n\n").append(RULE).append('\n').append(pass.title()).append('\n').append(RULE)
                        .append("\n\n");
            }
            if (n == MAX_PASSES) {
                out.append("Trace reached the recirculation limit.  Stopping the trace here.\n");
                return;
            }
            FlowKey shown = key.copy();
            shown.set(FlowField.IN_PORT, ofInPort & 0xffff_ffffL);
            PortRef at = snap.byDpPort((int) key.get(FlowField.IN_PORT));
            TlvMap map = at == null ? TlvMap.EMPTY : xlate.tlvMap(at.bridge().name());
            out.append("Flow: ").append(OvsFlowFormat.flow(shown, map)).append('\n');
            List<TraceNode> nodes = new ArrayList<>();
            XlateResult r = xlate.translate(snap, key, false, nanoClock.getAsLong(), nodes);
            TracePrinter.print(out, nodes, 0);
            out.append("\nFinal flow: ");
            if (r.finalFlow().equals(shown)) {
                out.append("unchanged");
            } else {
                out.append(OvsFlowFormat.flow(r.finalFlow(), map));
            }
            out.append("\nMegaflow: ").append(OvsFlowFormat.match(shown, r.mask(), map));
            out.append("\nDatapath actions: ").append(DatapathActionsText.of(r.actions(), r.controllerOutputs()));
            if (r.error() != null) {
                out.append("\nTranslation failed (").append(r.error().text()).append("), packet is dropped.");
            }
            int rss = FlowHash.hash5(key);
            for (XlateResult.RecircPoint p : r.recircPoints()) {
                FlowKey next = p.packet().copy();
                FrozenState st = recircIds.frozenState(p.recircId());
                String title = "recirc(0x" + Integer.toHexString(p.recircId()) + ")";
                if (p.afterCt()) {
                    title += TraceCt.resume(next, p.ctZone(), ctNext);
                } else {
                    next.set(FlowField.DP_HASH, FlowHash.dpHash(rss, p.hashBasis()) & 0xffff_ffffL);
                }
                passes.add(new Pass(next, null, title, st == null ? ofInPort : st.ofInPort()));
            }
            tunnelPops(snap, pass, r, out, passes);
        }
        out.append('\n');
    }

    /**
     * A {@code tnl_pop(N)} among the actions: with the packet's bytes, the next pass is the
     * decapsulated packet on port N with its tunnel metadata, as the datapath recirculates it
     * (OVS's trace stops at the pop).
     */
    private void tunnelPops(XlateSnapshot snap, Pass pass, XlateResult r, StringBuilder out, Deque<Pass> passes) {
        DpActions a = r.actions();
        for (int i = 0; i < a.length(); i++) {
            if (a.op(i) != DpActions.OP_TNL_POP) {
                continue;
            }
            int port = a.a(i);
            if (pass.packet() == null) {
                out.append("\n(give the packet in hex to trace it after tnl_pop(").append(port).append("))");
                continue;
            }
            TunnelOps ops = tunnelOps.apply(port);
            PortRef ref = snap.byDpPort(port);
            if (ops == null || ref == null) {
                continue;
            }
            Pass next = decapsulate(pass, port, ops, ref.port().ofPort());
            if (next == null) {
                out.append("\ntnl_pop(").append(port).append(") refuses this packet: it is dropped and counted");
            } else {
                passes.add(next);
            }
        }
    }

    /** The packet of {@code pass} popped by {@code ops} and parsed on port {@code port}, or null. */
    private static Pass decapsulate(Pass pass, int port, TunnelOps ops, int ofInPort) {
        byte[] bytes = pass.packet();
        MbufPoolConfig cfg = MbufPoolConfig.of("trace", 1).withCacheSize(0);
        try (MbufPool pool = MbufPool.create(cfg)) {
            Mbuf m = pool.get();
            try {
                m.copyFrom(bytes, 0, bytes.length);
                m.inPort((int) pass.key().get(FlowField.IN_PORT));
                PacketParser parser = new PacketParser();
                parser.parse(m, new FlowKey());
                if (ops.popHeader(m) != TunnelOps.POP_OK) {
                    return null;
                }
                m.inPort(port);
                FlowKey key = new FlowKey();
                parser.parse(m, key);
                return new Pass(key, m.toByteArray(), "tnl_pop(" + port + ") - the decapsulated packet", ofInPort);
            } finally {
                pool.put(m);
            }
        }
    }

    /** Parses the packet as the datapath would, with the flow's metadata (tests build upcall keys so). */
    static FlowKey parsePacket(FlowKey meta, byte[] bytes, int dpInPort) {
        MbufPoolConfig cfg = MbufPoolConfig.of("trace", 1).withCacheSize(0);
        if (bytes.length > cfg.dataRoomBytes()) {
            throw new IllegalArgumentException("packet of " + bytes.length + " bytes is longer than "
                    + cfg.dataRoomBytes());
        }
        try (MbufPool pool = MbufPool.create(cfg)) {
            Mbuf m = pool.get();
            try {
                m.copyFrom(bytes, 0, bytes.length);
                m.inPort(dpInPort);
                m.skbMark((int) meta.get(FlowField.SKB_MARK));
                FlowKey key = new FlowKey();
                new PacketParser().parse(m, key);
                return key;
            } finally {
                pool.put(m);
            }
        }
    }
}
