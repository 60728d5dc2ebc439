package dev.jvswitch.openflow.channel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.projectfloodlight.openflow.protocol.OFFlowMod;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.ModFailedException;
import dev.jvswitch.ofproto.mod.OfMod;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.openflow.codec.FlowModCodec;
import dev.jvswitch.openflow.codec.NxFlowWriter;

/**
 * Runs the paths a controller's first whole table takes through the switch, once the daemon is
 * up, so that ovn-controller's first bundle does not meet them interpreted: the OpenFlow 1.5
 * frame decoder on bundle adds of a whole OVN flow table (a logical router between two logical
 * switches, as ovn-controller 23.03 installs it: {@code warmup-flows.txt}), one transaction of
 * all of them into an ofproto of its own, and a few translations through that table. On a cold
 * JVM the first bundle of ~120 messages took 0.3-0.8 s to arrive and commit, against ~20 ms warm.
 *
 * <p>Nothing is shared with the running switch: the ofproto, its bridge and the decoder are made
 * here and dropped after; nothing is logged. It is meant for a daemon thread of its own, which a
 * stop may abandon at any point.
 *
 * <p><b>Thread-safety:</b> {@link #run} may be called from any thread; it shares no state.
 */
public final class ChannelWarmup {
    private static final String FLOWS = "warmup-flows.txt";
    private static final String BRIDGE = "warmup";
    private static final int OFP15 = 6;
    private static final int TYPE_BUNDLE_ADD = 34;
    private static final int BUNDLE_ADD_FIXED = 16;
    /** Passes that also commit the table and trace through it (the decoder needs more to compile). */
    private static final int COMMIT_PASSES = 2;
    /** A decode pass this fast a message is compiled code: no more passes. */
    private static final long FAST_NS_PER_MESSAGE = 20_000;
    /** A refused mod is dropped and the rest tried again, at most this often per pass. */
    private static final int MAX_REFUSED = 64;
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
     * What a warm-up did: the flows of the table, how many the decoder gave back and the scratch
     * bridge took, the decode passes run, the last pass's decode time per message and the time
     * taken.
     */
    public record Result(int flows, int decoded, int committed, int passes, long lastNsPerMessage, long elapsedMs) {
    }

    /**
     * Encodes the warm-up table once and decodes it up to {@code passes} times: the first
     * {@value #COMMIT_PASSES} passes also commit it into a scratch bridge and trace a few packets
     * through it. It stops early once a pass decodes at under {@value #FAST_NS_PER_MESSAGE} ns a
     * message (compiled) or once {@code budgetMs} has passed.
     *
     * @throws IOException if the table cannot be read from the class path
     */
    public static Result run(int passes, long budgetMs) throws IOException {
        long start = System.nanoTime();
        List<FlowMod> table = table();
        ByteBuf wire = Unpooled.buffer(table.size() * 256);
        long xid = 0;
        for (FlowMod mod : table) {
            bundleAdd(wire, mod, ++xid);
        }
        List<OfPort> ports = List.of(OfPort.trunk(1, 1, "w1"), OfPort.trunk(2, 2, "w2"), OfPort.trunk(3, 3, "w3"));
        int done = 0;
        int decoded = 0;
        int committed = 0;
        long nsPerMessage = 0;
        try {
            for (int p = 0; p < passes && (System.nanoTime() - start) / 1_000_000L < budgetMs; p++) {
                long t0 = System.nanoTime();
                // Each pass reads a buffer of the channel's own kind (the default allocator's I/O
                // buffer, as a socket read gives the decoder): compiled for a heap buffer, the
                // decoder met the first real bundle with another receiver type and went back to
                // the interpreter for it.
                ByteBuf frames = ByteBufAllocator.DEFAULT.ioBuffer(wire.readableBytes());
                List<OfMod> mods;
                try {
                    frames.writeBytes(wire, wire.readerIndex(), wire.readableBytes());
                    mods = decode(frames, table.size());
                } finally {
                    frames.release();
                }
                decoded = mods.size();
                nsPerMessage = (System.nanoTime() - t0) / Math.max(1, decoded);
                done++;
                if (p < COMMIT_PASSES) {
                    committed = commitAndTrace(mods, ports);
                } else if (nsPerMessage < FAST_NS_PER_MESSAGE) {
                    break;
                }
            }
        } finally {
            wire.release();
        }
        return new Result(table.size(), decoded, committed, done, nsPerMessage,
                (System.nanoTime() - start) / 1_000_000L);
    }

    /** Commits {@code mods} into a new scratch bridge and traces {@link #TRACES} through it; how many went in. */
    private static int commitAndTrace(List<OfMod> mods, List<OfPort> ports) {
        Ofproto ofproto = new Ofproto();
        ofproto.addBridge(new BridgeConfig(BRIDGE, ports));
        int committed = commit(ofproto, mods);
        for (String flow : TRACES) {
            try {
                ofproto.tracer().trace(BRIDGE, flow);
            } catch (RuntimeException e) {
                // A trace this table cannot take is still a warm-up of the parts it did take.
            }
        }
        return committed;
    }

    /** The warm-up table, one flow mod a line. */
    private static List<FlowMod> table() throws IOException {
        try (InputStream in = ChannelWarmup.class.getResourceAsStream(FLOWS)) {
            if (in == null) {
                throw new IOException("no " + FLOWS + " on the class path");
            }
            List<FlowMod> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(FlowSyntax.parseAdd(line.trim()));
                }
            }
            return out;
        }
    }

    /** The table as ovn-controller sends it (OpenFlow 1.5 bundle adds of flow mods) through the channel's decoder. */
    private static List<OfMod> decode(ByteBuf wire, int messages) {
        List<Object> frames = new ArrayList<>(messages);
        OfFrameDecoder decoder = new OfFrameDecoder();
        while (wire.isReadable()) {
            int before = wire.readableBytes();
            decoder.decode(null, wire, frames);
            if (wire.readableBytes() == before) {
                break;
            }
        }
        List<OfMod> mods = new ArrayList<>(frames.size());
        for (Object o : frames) {
            if (o instanceof OfFrameDecoder.BundleAdd15 b) {
                if (b.flow() != null) {
                    mods.add(b.flow());
                } else if (b.inner() instanceof OFFlowMod fm) {
                    mods.add(FlowModCodec.decode(fm));
                }
            }
        }
        return mods;
    }

    /** {@code ofp_bundle_add_msg} (bundle 1, ordered) carrying an OpenFlow 1.5 OFPT_FLOW_MOD (add) of {@code mod}. */
    private static void bundleAdd(ByteBuf b, FlowMod mod, long xid) {
        int outer = b.writerIndex();
        b.writeByte(OFP15).writeByte(TYPE_BUNDLE_ADD).writeShort(0).writeInt((int) xid);
        b.writeInt(1).writeShort(0).writeShort(2);
        NxFlowWriter.flowMod15(b, mod, xid);
        b.setShort(outer + 2, b.writerIndex() - outer);
    }

    /** Applies {@code mods} as one transaction, leaving out any the scratch bridge refuses; how many went in. */
    private static int commit(Ofproto ofproto, List<OfMod> mods) {
        List<OfMod> left = new ArrayList<>(mods);
        for (int i = 0; i <= MAX_REFUSED && !left.isEmpty(); i++) {
            try {
                ofproto.apply(BRIDGE, left);
                return left.size();
            } catch (ModFailedException e) {
                left.remove(Math.max(0, Math.min(e.index(), left.size() - 1)));
            } catch (IllegalArgumentException e) {
                return 0;
            }
        }
        return 0;
    }
}
