package dev.jvswitch.openflow.channel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowStatsRequest;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.tnl.TlvMap;
import dev.jvswitch.ofproto.tnl.TlvMapScope;
import dev.jvswitch.openflow.codec.NxFlowWriter;

/**
 * Runs the paths a controller's first whole table takes through the switch, once the daemon is
 * up, so that ovn-controller's first bundle does not meet them interpreted: a whole OVN flow table
 * (a logical router between two logical switches, as ovn-controller 23.03 installs it, plus a
 * remote chassis's Geneve flows through the TLV map's {@code tun_metadata0}, a conjunction and a
 * controller action between stack pushes and pops: {@link #FLOWS}) as OpenFlow 1.5 bundle adds through a connection's real handlers
 * (decoder, hand-off to the requests, bundle, commit into the tables, replies:
 * {@link ConnectionWarmup}), and a few translations through that table. On a cold JVM the first
 * bundle of ~120 messages took 0.3-0.8 s to arrive and commit, against ~20 ms warm; warmed on the
 * decoder alone, its messages still reached the change thread over ~50 ms.
 *
 * <p>Nothing is shared with the running switch: the ofproto, its bridge and the connection are
 * made here and dropped after; nothing is logged above debug. It is meant for a daemon thread of
 * its own, which a stop may abandon at any point.
 *
 * <p><b>Thread-safety:</b> {@link #run} may be called from any thread; it shares no state.
 */
public final class ChannelWarmup {
    /**
     * The router table as ovn-controller installed it on an OVS chassis, then flows written in its
     * style for what that dump lacks (a remote chassis's Geneve flows, a conjunction, a controller
     * action between stack pushes and pops).
     */
    private static final List<String> FLOWS = List.of("warmup-flows.txt", "warmup-flows-extra.txt");
    private static final String BRIDGE = "warmup";
    /** The scratch bridge's TLV map once the connection has set it ({@link ConnectionWarmup#OVN_OPTION}). */
    static final TlvMap OVN_MAP = TlvMap.EMPTY.add(List.of(ConnectionWarmup.OVN_OPTION));
    private static final int OFP15 = 6;
    private static final int TYPE_BUNDLE_ADD = 34;
    private static final int BUNDLE_ADD_FIXED = 16;
    /**
     * Passes through a whole connection (the rest only decode: the decoder needs more to compile).
     * Two left the commit path (the tables' edit and subtable build) interpreted and the decoder at
     * C1: ovn-controller's first bundles after a start then ran beside their C2 compiles, which took
     * the CPU the connection's thread waited for on a 2-CPU chassis.
     */
    private static final int CONNECTION_PASSES = 6;
    /**
     * Passes after which a decode pass this fast a message stops the warm-up (C1 code is this fast
     * already: stopping at the first fast pass left the decoder's C2 compile to the first real bundle).
     */
    private static final int MIN_PASSES = 16;
    private static final long FAST_NS_PER_MESSAGE = 20_000;
    /** Small bundles per pass, taking every {@value #CHANGE_STRIDE}th flow out and back (even: the table ends whole). */
    private static final int CHANGES_PER_PASS = 12;
    /** Conntrack zone flushes before each small bundle, as a port's coming brings them. */
    private static final int CT_FLUSHES = 3;
    private static final int CHANGE_STRIDE = 31;
    /** {@code ofp_flow_mod}'s command byte, after the header, cookie, cookie mask and table id. */
    private static final int FLOW_MOD_COMMAND = 25;
    private static final int OFPFC_DELETE_STRICT = 4;
    /** {@code ofp_flow_mod}'s match, after the fixed 48 bytes of OpenFlow 1.3-1.5. */
    private static final int FLOW_MOD_MATCH = 48;
    /** {@code NXM_OF_VLAN_TCI_W} (class 0, field 4, masked, 4 bytes) and {@code OXM_OF_VLAN_VID_W} (class 0x8000, field 6). */
    private static final long NXM_VLAN_TCI_W = 0x0000_0904L;
    private static final long OXM_VLAN_VID_W = 0x8000_0D04L;
    private static final int VLAN_PCP_MASK = 0xe000;
    private static final int VLAN_VID_CFI = 0x1fff;
    /** Flows traced through the table each pass: ARP, ICMP and TCP from each VIF port. */
    private static final String[] TRACES = {
        "in_port=1,arp,arp_op=1,dl_src=0a:00:00:00:01:01,dl_dst=ff:ff:ff:ff:ff:ff,arp_spa=10.0.0.1,arp_tpa=10.0.0.254",
        "in_port=1,icmp,dl_src=0a:00:00:00:01:01,dl_dst=0a:00:00:00:01:fe,nw_src=10.0.0.1,nw_dst=10.0.1.2,nw_ttl=64",
        "in_port=2,tcp,dl_src=0a:00:00:00:02:02,dl_dst=0a:00:00:00:02:fe,nw_src=10.0.1.2,nw_dst=10.0.0.1,tp_dst=80",
        "in_port=2,icmp,dl_src=0a:00:00:00:02:02,dl_dst=0a:00:00:00:01:01,nw_src=10.0.1.2,nw_dst=10.0.1.3,nw_ttl=64",
    };

    private ChannelWarmup() {
    }

    /**
     * What a warm-up did: the flows of the table, how many of them the scratch bridge held at the
     * end of the last connection pass and the replies that connection sent, how many messages the
     * last decode pass gave back, the passes run, the last pass's time per message and the time
     * taken.
     */
    public record Result(int flows, int committed, int replies, int decoded, int passes, long lastNsPerMessage,
            long elapsedMs) {
    }

    /**
     * Encodes the warm-up table once and takes it up to {@code passes} times through the frame
     * decoder in socket-sized reads ({@link ConnectionWarmup#decodeOnly}). The first
     * {@value #CONNECTION_PASSES} passes take it through a whole connection to a new scratch
     * bridge instead ({@link ConnectionWarmup}): one bundle of the whole table, then
     * {@value #CHANGES_PER_PASS} small bundles that take some of its flows out and put them back,
     * as a port leaving and coming does (a commit into a full table), each after
     * {@value #CT_FLUSHES} conntrack zone flushes, and a few traces through it. It stops early once
     * a decode pass after the first {@value #MIN_PASSES} runs at under
     * {@value #FAST_NS_PER_MESSAGE} ns a message (compiled), or once {@code budgetMs} has passed.
     *
     * @throws IOException if the table cannot be read from the class path
     */
    public static Result run(int passes, long budgetMs) throws IOException {
        long start = System.nanoTime();
        List<FlowMod> table = table();
        ByteBuf wire = ByteBufAllocator.DEFAULT.buffer(table.size() * 256);
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer(table.size() / CHANGE_STRIDE * 256 + 256);
        ByteBuf in = ByteBufAllocator.DEFAULT.buffer(table.size() / CHANGE_STRIDE * 256 + 256);
        // Written as ovs-ofctl writes to a bridge with OVN's TLV map: tun_metadata0 is 4 bytes.
        TlvMapScope.run(OVN_MAP, () -> encode(table, wire, out, in));
        List<OfPort> ports = List.of(OfPort.trunk(1, 1, "w1"), OfPort.trunk(2, 2, "w2"), OfPort.trunk(3, 3, "w3"));
        int done = 0;
        int held = 0;
        int replies = 0;
        int decoded = 0;
        long nsPerMessage = 0;
        try {
            for (int p = 0; p < passes && (System.nanoTime() - start) / 1_000_000L < budgetMs; p++) {
                long t0 = System.nanoTime();
                if (p < CONNECTION_PASSES) {
                    Ofproto ofproto = new Ofproto();
                    ofproto.addBridge(new BridgeConfig(BRIDGE, ports));
                    ConnectionWarmup c = new ConnectionWarmup(ofproto, BRIDGE);
                    c.bundle(wire, 0);
                    for (int k = 0; k < CHANGES_PER_PASS; k++) {
                        c.bundle(k % 2 == 0 ? out : in, CT_FLUSHES);
                    }
                    held = ofproto.flowStats(BRIDGE, FlowStatsRequest.all()).size();
                    replies = c.replies();
                    trace(ofproto);
                    nsPerMessage = (System.nanoTime() - t0) / table.size();
                } else {
                    decoded = ConnectionWarmup.decodeOnly(wire, OVN_MAP);
                    nsPerMessage = (System.nanoTime() - t0) / Math.max(1, decoded);
                    if (nsPerMessage < FAST_NS_PER_MESSAGE && p + 1 >= MIN_PASSES) {
                        done++;
                        break;
                    }
                }
                done++;
            }
        } finally {
            wire.release();
            out.release();
            in.release();
        }
        return new Result(table.size(), held, replies, decoded, done, nsPerMessage,
                (System.nanoTime() - start) / 1_000_000L);
    }

    /**
     * The whole table as bundle adds into {@code wire}; every {@value #CHANGE_STRIDE}th flow's
     * delete into {@code out} and its add again into {@code in}.
     */
    private static void encode(List<FlowMod> table, ByteBuf wire, ByteBuf out, ByteBuf in) {
        long xid = 1_000;
        for (FlowMod mod : table) {
            bundleAdd(wire, mod, ++xid);
        }
        for (int i = 0; i < table.size(); i += CHANGE_STRIDE) {
            int at = out.writerIndex();
            bundleAdd(out, table.get(i), ++xid);
            out.setByte(at + BUNDLE_ADD_FIXED + FLOW_MOD_COMMAND, OFPFC_DELETE_STRICT);
            bundleAdd(in, table.get(i), ++xid);
        }
    }

    /** Traces {@link #TRACES} through the scratch bridge's table. */
    private static void trace(Ofproto ofproto) {
        for (String flow : TRACES) {
            try {
                ofproto.tracer().trace(BRIDGE, flow);
            } catch (RuntimeException e) {
                // A trace this table cannot take is still a warm-up of the parts it did take.
            }
        }
    }

    /** The warm-up table, one flow mod a line of each of {@link #FLOWS}. */
    static List<FlowMod> table() throws IOException {
        List<FlowMod> out = new ArrayList<>();
        for (String file : FLOWS) {
            try (InputStream in = ChannelWarmup.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IOException("no " + file + " on the class path");
                }
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        out.add(TlvMapScope.with(OVN_MAP, () -> FlowSyntax.parseAdd(line.trim())));
                    }
                }
            }
        }
        return out;
    }

    /** {@code ofp_bundle_add_msg} (bundle 1, atomic and ordered) carrying an OpenFlow 1.5 OFPT_FLOW_MOD (add) of {@code mod}. */
    static void bundleAdd(ByteBuf b, FlowMod mod, long xid) {
        int outer = b.writerIndex();
        b.writeByte(OFP15).writeByte(TYPE_BUNDLE_ADD).writeShort(0).writeInt((int) xid);
        b.writeInt(1).writeShort(0).writeShort(ConnectionWarmup.BUNDLE_FLAGS);
        NxFlowWriter.flowMod15(b, mod, xid);
        b.setShort(outer + 2, b.writerIndex() - outer);
        vlanAsOvs(b, outer + BUNDLE_ADD_FIXED);
    }

    /**
     * Rewrites the masked {@code NXM_OF_VLAN_TCI} of the flow mod at {@code flowMod} (a mask
     * without PCP bits, OVN's {@code vlan.present}) as OVS writes it in OpenFlow 1.2 and later,
     * {@code OXM_OF_VLAN_VID} with its mask (same length): ovn-controller's bundles carry that
     * form, and a decoder warmed only on the other met its first one in a compiled switch that
     * had never seen the case (deoptimised in the middle of the first real bundle).
     */
    static void vlanAsOvs(ByteBuf b, int flowMod) {
        int at = flowMod + FLOW_MOD_MATCH;
        int end = at + b.getUnsignedShort(at + 2);
        for (int p = at + 4; p + 4 <= end;) {
            long header = b.getUnsignedInt(p);
            int len = (int) (header & 0xff);
            if (header == NXM_VLAN_TCI_W && (b.getUnsignedShort(p + 6) & VLAN_PCP_MASK) == 0) {
                b.setInt(p, (int) OXM_VLAN_VID_W);
                b.setShort(p + 4, b.getUnsignedShort(p + 4) & VLAN_VID_CFI);
            }
            p += 4 + len;
        }
    }
}
