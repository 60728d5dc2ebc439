package dev.jvswitch.openflow.channel;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.projectfloodlight.openflow.protocol.OFBundleCtrlType;
import org.projectfloodlight.openflow.protocol.OFBundleFlags;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.BundleId;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import dev.jvswitch.config.OpenFlowSettings;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.mod.FlowStatsRequest;
import dev.jvswitch.ofproto.mod.ModResult;
import dev.jvswitch.ofproto.mod.OfMod;
import dev.jvswitch.ofproto.tnl.TlvMaps;
import dev.jvswitch.openflow.backend.BridgeBackend;
import dev.jvswitch.openflow.backend.PortInfo;
import dev.jvswitch.openflow.codec.TlvTableWire;

/**
 * One controller connection's first minutes, as ovn-controller 23.03 opens them, taken through a
 * connection's own handlers (the probe-less pipeline {@link OfBridge#pipeline} builds: frame
 * decoder, encoder, {@link OfConnection}) in an {@link EmbeddedChannel}: HELLO, features, the
 * packet-in format, the TLV map request and an echo, then bundles (open, adds, commit, barrier):
 * a whole table, and the small changes of a port coming and going. The bytes arrive in
 * socket-sized reads of the allocator's I/O buffers, frames split across reads, so the
 * decoder's cumulation, the hand-off to the requests
 * ({@link ChangeQueue}, {@link OfRequests}, {@link Bundles}), the commit into the tables and the
 * replies' encoding all run as they will for a real controller.
 *
 * <p>The bridge is a scratch one: its backend runs each request task at once on the calling
 * thread over an ofproto of the caller's, its connection's life is logged at debug, and nothing is
 * shared with the switch.
 *
 * <p><b>Thread-safety:</b> one thread at a time; an instance shares no state with another.
 */
final class ConnectionWarmup {
    /** Bytes a socket read gives the decoder at a time, once Netty's read buffer has grown. */
    private static final int READ_BYTES = 8_192;
    private static final int OFP15 = 6;
    private static final int TYPE_EXPERIMENTER = 4;
    private static final int NICIRA_HEADER = 16;
    private static final long NX_VENDOR = 0x00002320L;
    private static final int NXT_SET_PACKET_IN_FORMAT = 16;
    private static final int NXPIF_NXT_PACKET_IN2 = 2;
    private static final int NXT_CT_FLUSH_ZONE = 29;
    /** OVN's one Geneve option (class 0x0102, type 0x80, 4 bytes) as tun_metadata0, as ovn-controller maps it. */
    static final dev.jvswitch.ofproto.tnl.TlvMap.Mapping OVN_OPTION = new dev.jvswitch.ofproto.tnl.TlvMap.Mapping(
            0x0102, 0x80, 4, 0);
    private static final int BUNDLE_ID = 1;
    /** {@code OFPBF_ATOMIC | OFPBF_ORDERED}, as ovn-controller opens its bundles. */
    static final int BUNDLE_FLAGS = 3;
    private static final OpenFlowSettings SETTINGS = new OpenFlowSettings(List.of(), List.of(),
            OpenFlowSettings.DEFAULT_PROTOCOLS, OpenFlowSettings.FailMode.SECURE, OpenFlowSettings.DERIVED_DATAPATH_ID,
            0, 0, 0);

    private final EmbeddedChannel ch;
    private final ScratchBackend backend;
    private final OFFactory factory = OFFactories.getFactory(OFVersion.OF_15);
    private long xid = 1;
    private int replies;

    /**
     * Connects to a new scratch bridge {@code bridge} of {@code ofproto} as ovn-controller does:
     * HELLO, features, the packet-in format, the TLV map ({@link #OVN_OPTION}) and its request,
     * and an echo.
     */
    ConnectionWarmup(Ofproto ofproto, String bridge) {
        backend = new ScratchBackend(ofproto, bridge);
        ch = new EmbeddedChannel();
        OfBridge of = new OfBridge(bridge, backend, SETTINGS, ch.eventLoop()).quiet();
        of.pipeline(ch.pipeline(), new OfConnection(of, "warm-up", false));
        ch.pipeline().fireChannelActive();
        ByteBuf b = ch.alloc().buffer(128);
        ByteBuf hello = OfWire.hello(ch.alloc(), List.of(OFP15), xid++);
        b.writeBytes(hello);
        hello.release();
        factory.buildFeaturesRequest().setXid(xid++).build().writeTo(b);
        nicira(b, xid++, NXT_SET_PACKET_IN_FORMAT, 4).writeInt(NXPIF_NXT_PACKET_IN2);
        nicira(b, xid++, TlvTableWire.NXT_TLV_TABLE_MOD, 16).writeShort(TlvTableWire.ADD).writeZero(6)
                .writeShort(OVN_OPTION.optionClass()).writeByte(OVN_OPTION.type()).writeByte(OVN_OPTION.length())
                .writeShort(OVN_OPTION.index()).writeShort(0);
        nicira(b, xid++, TlvTableWire.NXT_TLV_TABLE_REQUEST, 0);
        factory.buildEchoRequest().setXid(xid++).setData(new byte[0]).build().writeTo(b);
        read(b);
    }

    /**
     * Sends one bundle of {@code bundleAdds} (OpenFlow 1.5 bundle adds to bundle
     * {@value #BUNDLE_ID}): open, the adds, commit and a barrier, as ovn-controller sends a change;
     * after {@code ctFlushes} conntrack zone flushes ({@code NXT_CT_FLUSH_ZONE}, zones 1 up), as
     * ovn-controller sends them in the same write when a port comes (a scratch bridge has no
     * connection tracker: they only take the request path).
     */
    void bundle(ByteBuf bundleAdds, int ctFlushes) {
        EnumSet<OFBundleFlags> flags = EnumSet.of(OFBundleFlags.ATOMIC, OFBundleFlags.ORDERED);
        ByteBuf b = ch.alloc().buffer(bundleAdds.readableBytes() + 64 + 24 * ctFlushes);
        for (int zone = 1; zone <= ctFlushes; zone++) {
            nicira(b, xid++, NXT_CT_FLUSH_ZONE, 8).writeZero(6).writeShort(zone);
        }
        factory.buildBundleCtrlMsg().setXid(xid++).setBundleId(BundleId.of(BUNDLE_ID))
                .setBundleCtrlType(OFBundleCtrlType.OPEN_REQUEST).setFlags(flags).setProperties(List.of()).build()
                .writeTo(b);
        b.writeBytes(bundleAdds, bundleAdds.readerIndex(), bundleAdds.readableBytes());
        factory.buildBundleCtrlMsg().setXid(xid++).setBundleId(BundleId.of(BUNDLE_ID))
                .setBundleCtrlType(OFBundleCtrlType.COMMIT_REQUEST).setFlags(flags).setProperties(List.of()).build()
                .writeTo(b);
        factory.buildBarrierRequest().setXid(xid++).build().writeTo(b);
        read(b);
    }

    /** Mods the bundles' commits put in the table so far. */
    int committed() {
        return backend.committed;
    }

    /** Messages the connection sent so far. */
    int replies() {
        return replies;
    }

    /** Gives the connection {@code b} in socket-sized reads; releases {@code b}. */
    private void read(ByteBuf b) {
        try {
            replies += feed(ch, b);
        } finally {
            b.release();
        }
    }

    /**
     * Takes {@code frames} (left as they are) through a channel holding only the frame decoder,
     * in socket-sized reads, as a connection's reads reach it, with {@code tlvMap} as the bridge's
     * TLV map; how many messages it decoded. Far
     * cheaper than a connection's pass, it is repeated until the decoder runs compiled.
     */
    static int decodeOnly(ByteBuf frames, dev.jvswitch.ofproto.tnl.TlvMap tlvMap) {
        EmbeddedChannel dc = new EmbeddedChannel(new OfFrameDecoder(() -> tlvMap));
        int n = 0;
        feed(dc, frames);
        for (Object o = dc.readInbound(); o != null; o = dc.readInbound()) {
            ReferenceCountUtil.release(o);
            n++;
        }
        return n;
    }

    /**
     * Gives {@code c} the readable bytes of {@code b} in reads of {@value #READ_BYTES} bytes, each
     * in an I/O buffer of its own (a socket read's kind), frames split across reads; releases what
     * {@code c} writes and returns how many messages that was.
     */
    private static int feed(EmbeddedChannel c, ByteBuf b) {
        int written = 0;
        for (int at = b.readerIndex(); at < b.writerIndex(); at += READ_BYTES) {
            int n = Math.min(READ_BYTES, b.writerIndex() - at);
            ByteBuf read = c.alloc().ioBuffer(n);
            read.writeBytes(b, at, n);
            c.writeInbound(read);
            c.runPendingTasks();
            for (Object o = c.readOutbound(); o != null; o = c.readOutbound()) {
                ReferenceCountUtil.release(o);
                written++;
            }
        }
        return written;
    }

    /** A Nicira message's 16-byte header, for a body of {@code bodyBytes} the caller writes next; the buffer. */
    private static ByteBuf nicira(ByteBuf b, long xid, int subtype, int bodyBytes) {
        b.writeByte(OFP15).writeByte(TYPE_EXPERIMENTER).writeShort(NICIRA_HEADER + bodyBytes).writeInt((int) xid);
        return b.writeInt((int) NX_VENDOR).writeInt(subtype);
    }

    /**
     * The scratch bridge's backend: every request task runs at once on the caller's thread, over
     * an ofproto no datapath reads; packets out go nowhere.
     */
    private static final class ScratchBackend implements BridgeBackend {
        private final Ofproto ofproto;
        private final String bridge;
        int committed;

        ScratchBackend(Ofproto ofproto, String bridge) {
            this.ofproto = ofproto;
            this.bridge = bridge;
        }

        @Override
        public String bridge() {
            return bridge;
        }

        @Override
        public boolean submit(Runnable task) {
            task.run();
            return true;
        }

        @Override
        public ModResult apply(List<? extends OfMod> mods) {
            ModResult r = ofproto.apply(bridge, mods);
            committed += mods.size();
            return r;
        }

        @Override
        public List<FlowStats> flowStats(FlowStatsRequest request) {
            return ofproto.flowStats(bridge, request);
        }

        @Override
        public List<Group> groups() {
            return ofproto.groups(bridge);
        }

        @Override
        public List<PortInfo> ports() {
            List<PortInfo> out = new ArrayList<>();
            for (OfPort p : ofproto.bridgeConfig(bridge).ports()) {
                out.add(new PortInfo(p.ofPort(), p.name(), 0x020000000000L | p.ofPort(), true,
                        ofproto.portConfig(bridge, p.ofPort()), 0, 0, 0, 0, 0, 0, 0, 0));
            }
            return out;
        }

        @Override
        public CompletableFuture<Void> packetOut(int inPort, List<OfAction> actions, byte[] packet) {
            // A scratch bridge has no datapath: nothing to send, done at once.
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public TlvMaps tlvMaps() {
            return ofproto.tunnels().tlvMaps();
        }

        @Override
        public void flushConntrackZone(int zone) {
            // No connection tracker behind a scratch bridge.
        }

        @Override
        public long derivedDatapathId() {
            return 0x020000000001L;
        }
    }
}
