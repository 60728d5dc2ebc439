package dev.jvswitch.ofproto.trace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.jvswitch.flowcache.hash.FlowHash;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.parse.PacketParser;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.upcall.RecircRegistry;
import dev.jvswitch.ofproto.xlate.FrozenState;
import dev.jvswitch.ofproto.xlate.TraceNode;
import dev.jvswitch.ofproto.xlate.Xlate;
import dev.jvswitch.ofproto.xlate.XlateBridge;
import dev.jvswitch.ofproto.xlate.XlateResult;
import dev.jvswitch.ofproto.xlate.XlateSnapshot;

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
 * computed by the same {@link FlowHash#dpHash} the datapath uses.
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

    /**
     * @param snapshots the current snapshot (each trace reads it once)
     * @param xlate     the translation the upcalls use
     * @param recircIds where a recirculated pass finds its frozen state
     * @param nanoClock the ofproto's clock
     */
    public Trace(Supplier<XlateSnapshot> snapshots, Xlate xlate, RecircRegistry recircIds, LongSupplier nanoClock) {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.xlate = Objects.requireNonNull(xlate, "xlate");
        this.recircIds = Objects.requireNonNull(recircIds, "recircIds");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
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
        FlowKey given = parseFlow(flow);
        return trace(bridge, given, packetHex == null ? null : PacketHex.parse(packetHex));
    }

    /**
     * The flow of {@code ofproto/trace} (ovs-ofctl match syntax, fields left out are zero) as a
     * key with the OpenFlow in_port.
     *
     * @throws IllegalArgumentException {@code Bad openflow flow syntax: } and the syntax error
     */
    public static FlowKey parseFlow(String flow) {
        FlowKey key;
        try {
            key = FlowSyntax.parseMatch(flow).value();
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
        run(snap, key, ofInPort, out);
        return out.toString();
    }

    private void run(XlateSnapshot snap, FlowKey first, int firstOfInPort, StringBuilder out) {
        Deque<FlowKey> passes = new ArrayDeque<>();
        passes.add(first);
        int ofInPort = firstOfInPort;
        for (int n = 0; !passes.isEmpty(); n++) {
            FlowKey key = passes.poll();
            int recircId = (int) key.get(FlowField.RECIRC_ID);
            if (n > 0) {
                out.append("\n\n").append(RULE).append("\nrecirc(0x").append(Integer.toHexString(recircId))
                        .append(")\n").append(RULE).append("\n\n");
                FrozenState st = recircIds.frozenState(recircId);
                ofInPort = st == null ? ofInPort : st.ofInPort();
            }
            if (n == MAX_PASSES) {
                out.append("Trace reached the recirculation limit.  Stopping the trace here.\n");
                return;
            }
            FlowKey shown = key.copy();
            shown.set(FlowField.IN_PORT, ofInPort & 0xffff_ffffL);
            out.append("Flow: ").append(OvsFlowFormat.flow(shown)).append('\n');
            List<TraceNode> nodes = new ArrayList<>();
            XlateResult r = xlate.translate(snap, key, false, nanoClock.getAsLong(), nodes);
            TracePrinter.print(out, nodes, 0);
            out.append("\nFinal flow: ");
            if (r.finalFlow().equals(shown)) {
                out.append("unchanged");
            } else {
                out.append(OvsFlowFormat.flow(r.finalFlow()));
            }
            out.append("\nMegaflow: ").append(OvsFlowFormat.match(shown, r.mask()));
            out.append("\nDatapath actions: ").append(r.actions());
            if (r.error() != null) {
                out.append("\nTranslation failed (").append(r.error().text()).append("), packet is dropped.");
            }
            int rss = FlowHash.hash5(key);
            for (XlateResult.RecircPoint p : r.recircPoints()) {
                FlowKey next = p.packet().copy();
                next.set(FlowField.DP_HASH, FlowHash.dpHash(rss, p.hashBasis()) & 0xffff_ffffL);
                passes.add(next);
            }
        }
        out.append('\n');
    }

    /** Parses the packet as the datapath would, with the flow's metadata. */
    private static FlowKey parsePacket(FlowKey meta, byte[] bytes, int dpInPort) {
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
