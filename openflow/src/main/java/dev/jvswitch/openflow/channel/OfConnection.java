package dev.jvswitch.openflow.channel;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.projectfloodlight.openflow.protocol.OFAsyncGetRequest;
import org.projectfloodlight.openflow.protocol.OFAsyncSet;
import org.projectfloodlight.openflow.protocol.OFCapabilities;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFRoleRequest;
import org.projectfloodlight.openflow.protocol.OFSetConfig;
import org.projectfloodlight.openflow.protocol.OFTableMod;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFAuxId;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

import dev.jvswitch.openflow.codec.OfError;

/**
 * One OpenFlow connection to a controller or client (OVS's {@code ofconn}): version
 * negotiation, echo and the inactivity probe, features, switch config, role and async config on
 * the event loop; everything that reads or changes the tables queued in order for the change
 * thread ({@link ChangeQueue}, handled by {@link OfRequests}).
 *
 * <p><b>Life:</b> both sides send HELLO; the version is the highest both speak
 * ({@link OfWire#negotiate}), or HELLO_FAILED and a close. Any other message before the HELLO
 * closes the connection. A message of another version than the agreed one is answered
 * BAD_VERSION. After {@code inactivity-probe} ms of silence an ECHO_REQUEST goes out; another such
 * period of silence closes the connection.
 *
 * <p><b>Thread-safety:</b> the handler methods run on the channel's event loop, which owns the
 * mutable fields but those marked volatile (written there, read by the change thread and by
 * {@code ofconn/show}). {@link #send} may be called from any thread (Netty queues writes made
 * outside the loop in call order). Counters are atomics. The async masks are written on the loop
 * and read by {@link #wants} from the change and revalidator threads too (flow-removed) without
 * ordering: such a reader may use the masks from before a SET_ASYNC it races with, never a torn
 * one (each element is one long).
 */
public final class OfConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger("openflow");
    /** OFPCML_NO_BUFFER's default miss_send_len is 128 bytes (OpenFlow 1.3 {@code OFP_DEFAULT_MISS_SEND_LEN}). */
    static final int DEFAULT_MISS_SEND_LEN = 128;

    private static final int NXT_SET_PACKET_IN_FORMAT = 16;
    private static final int NXT_CT_FLUSH_ZONE = 29;
    private static final int NXT_SET_CONTROLLER_ID = 20;
    /** {@code NXPIF_STANDARD}: OFPT_PACKET_IN of the negotiated version. */
    private static final int NXPIF_STANDARD = 0;
    /** {@code NXPIF_NXT_PACKET_IN2}: Nicira's packet-in with user data and continuations. */
    private static final int NXPIF_NXT_PACKET_IN2 = 2;

    /** Connection state as {@code ofconn/show} prints it. */
    public enum State { HELLO, ACTIVE, CLOSED }

    private final OfBridge bridge;
    private final String target;
    private final boolean controller;
    private Channel channel;
    private ChangeQueue queue;
    private OfRequests requests;
    private boolean probeSent;
    private volatile State state = State.HELLO;
    private volatile OFFactory factory;
    private volatile int version = -1;
    private volatile int missSendLen = DEFAULT_MISS_SEND_LEN;
    /** The packet-in format the peer asked for (NXT_SET_PACKET_IN_FORMAT); written on the loop. */
    private volatile int packetInFormat = NXPIF_STANDARD;
    private volatile OFControllerRole role = OFControllerRole.ROLE_EQUAL;
    /** 1.3 async masks: packet-in, port-status, flow-removed for master/equal [0] and slave [1]. */
    private final long[] packetInMask = {0x7, 0};
    private final long[] portStatusMask = {0x7, 0x7};
    private final long[] flowRemovedMask = {0xf, 0};
    private final AtomicLong rx = new AtomicLong();
    private final AtomicLong tx = new AtomicLong();
    final AtomicLong packetIns = new AtomicLong();
    final AtomicLong packetInDrops = new AtomicLong();
    final AtomicLong errorsSent = new AtomicLong();
    private volatile String lastError;
    /** NXT_SET_CONTROLLER_ID: packet-ins of {@code controller(id=N)} go to the connections with id N. */
    private volatile int controllerId;
    private static final int MAX_REFUSALS_LOGGED = 64;
    /** The refusal reasons already logged at WARN on this connection. */
    private final java.util.Set<String> refusalsLogged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private RateLimiter limiter;

    /**
     * @param target     what {@code ofconn/show} calls it: the controller target, or the listener and peer
     * @param controller true for a connection the switch made to a controller
     */
    OfConnection(OfBridge bridge, String target, boolean controller) {
        this.bridge = bridge;
        this.target = target;
        this.controller = controller;
    }

    // ------------------------------------------------------------------ event loop

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        requests = new OfRequests(this, bridge);
        limiter = new RateLimiter(bridge.settings().rateLimit(), bridge.settings().effectiveBurst(), System.nanoTime());
        queue = new ChangeQueue(channel, bridge.backend(), requests::handleAll, requests::flush);
        ctx.writeAndFlush(OfWire.hello(ctx.alloc(), bridge.settings().protocols(), 0));
        tx.incrementAndGet();
        bridge.onOpened(this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        bridge.onClosed(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        lastError = String.valueOf(cause.getMessage());
        LOG.debug("{}: {}: closing: {}", bridge.name(), target, cause.toString());
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (probeSent || state != State.ACTIVE) {
                lastError = "no response to inactivity probe";
                LOG.info("{}: {}: no response to inactivity probe after {} ms, disconnecting", bridge.name(), target,
                        2L * bridge.settings().inactivityProbeMs());
                ctx.close();
            } else {
                probeSent = true;
                send(factory.buildEchoRequest().setXid(0).setData(new byte[0]).build());
                ctx.flush();
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        rx.incrementAndGet();
        probeSent = false;
        if (msg instanceof OfFrameDecoder.Hello h) {
            onHello(ctx, h);
        } else if (msg instanceof OfFrameDecoder.Malformed m) {
            refuse(m.version() >= 1 && m.version() <= 6 && version < 0 ? m.version() : Math.max(version, 1),
                    m.xid(), m.error(), m.head(), m.reason());
            ctx.flush();
            if (m.fatal() || state == State.HELLO) {
                ctx.close();
            }
        } else if (msg instanceof OfFrameDecoder.BundleAdd15 g) {
            offerChange(ctx, g, g.xid(), g.head());
        } else if (msg instanceof OfFrameDecoder.OnfBundleCtrl b) {
            offerChange(ctx, b, b.xid(), b.head());
        } else if (msg instanceof OfFrameDecoder.GroupMod15 g) {
            offerChange(ctx, g, g.xid(), g.head());
        } else if (msg instanceof OfFrameDecoder.PacketOut15 p) {
            offerChange15(ctx, p, p.xid(), p.head());
        } else if (msg instanceof OfFrameDecoder.NxTlv t) {
            onTlv(ctx, t);
        } else if (msg instanceof OfFrameDecoder.Nicira n) {
            onNicira(ctx, n);
        } else if (msg instanceof OfFrameDecoder.FlowModNx f) {
            offerChange(ctx, f, f.xid(), f.head());
        } else if (msg instanceof OFMessage m) {
            if (state != State.ACTIVE) {
                lastError = "message before HELLO";
                ctx.close();
                return;
            }
            if (m.getVersion().getWireVersion() != version) {
                sendError(version, m.getXid(), OfError.BAD_REQUEST_BAD_VERSION, OfRequests.head(m));
                ctx.flush();
                return;
            }
            onMessage(ctx, m);
        }
    }

    /** The end of a read: the requests it queued go to the change thread together. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (queue != null) {
            queue.readComplete();
        }
        ctx.fireChannelReadComplete();
    }

    private void onHello(ChannelHandlerContext ctx, OfFrameDecoder.Hello h) {
        if (state != State.HELLO) {
            return;
        }
        List<Integer> ours = bridge.settings().protocols();
        int v = OfWire.negotiate(ours, h.version(), h.bitmap());
        if (v < 0) {
            String why = "version negotiation failed: we support " + ours + ", peer sent version " + h.version()
                    + (h.bitmap() != 0 ? " and bitmap 0x" + Long.toHexString(h.bitmap()) : "");
            lastError = why;
            LOG.info("{}: {}: {}", bridge.name(), target, why);
            ctx.writeAndFlush(OfWire.error(ctx.alloc(), Math.min(h.version(), ours.get(ours.size() - 1)), h.xid(),
                    OfError.HELLO_INCOMPATIBLE, why.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                    .addListener(f -> ctx.close());
            return;
        }
        version = v;
        factory = OFFactories.getFactory(OFVersion.values()[v - 1]);
        state = State.ACTIVE;
        LOG.atLevel(bridge.lifeLevel()).log("{}: {}: connected (OpenFlow {})", bridge.name(), target, versionName(v));
        bridge.onActive(this);
    }

    private void onMessage(ChannelHandlerContext ctx, OFMessage m) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {}: received {} xid {}", bridge.name(), target, m.getType(), m.getXid());
        }
        switch (m.getType()) {
            case ECHO_REQUEST -> send(factory.buildEchoReply().setXid(m.getXid())
                    .setData(((OFEchoRequest) m).getData()).build());
            case ECHO_REPLY -> {
                // any message resets the probe (above)
            }
            case FEATURES_REQUEST -> send(factory.buildFeaturesReply().setXid(m.getXid())
                    .setDatapathId(DatapathId.of(bridge.datapathId())).setNBuffers(0).setNTables((short) 254)
                    .setAuxiliaryId(OFAuxId.MAIN).setCapabilities(EnumSet.of(OFCapabilities.FLOW_STATS,
                            OFCapabilities.TABLE_STATS, OFCapabilities.PORT_STATS, OFCapabilities.GROUP_STATS))
                    .build());
            case GET_CONFIG_REQUEST -> send(factory.buildGetConfigReply().setXid(m.getXid())
                    .setFlags(EnumSet.noneOf(org.projectfloodlight.openflow.protocol.OFConfigFlags.class))
                    .setMissSendLen(missSendLen).build());
            case SET_CONFIG -> missSendLen = ((OFSetConfig) m).getMissSendLen();
            case ROLE_REQUEST -> onRole((OFRoleRequest) m);
            case GET_ASYNC_REQUEST -> onGetAsync((OFAsyncGetRequest) m);
            case SET_ASYNC -> onSetAsync((OFAsyncSet) m);
            case ERROR -> LOG.info("{}: {}: peer sent an error: {}", bridge.name(), target, m);
            case TABLE_MOD -> {
                if (isSlave()) {
                    refuseSlave(m);
                } else if (((OFTableMod) m).getConfig() != 0 && ((OFTableMod) m).getConfig() != 3) {
                    sendError(version, m.getXid(), OfError.TABLE_MOD_FAILED_BAD_CONFIG, OfRequests.head(m));
                }
            }
            case METER_MOD -> onMeterMod((org.projectfloodlight.openflow.protocol.OFMeterMod) m);
            case FLOW_MOD, GROUP_MOD, PORT_MOD, PACKET_OUT -> {
                if (isSlave()) {
                    refuseSlave(m);
                } else {
                    queue.offer(m);
                }
            }
            case BUNDLE_ADD_MESSAGE, BUNDLE_CONTROL -> {
                // As OVS: a secondary controller may not touch bundles.
                if (isSlave()) {
                    refuseSlave(m);
                } else {
                    queue.offer(m);
                }
            }
            case STATS_REQUEST, BARRIER_REQUEST, QUEUE_GET_CONFIG_REQUEST -> queue.offer(m);
            case EXPERIMENTER -> sendError(version, m.getXid(), OfError.BAD_REQUEST_BAD_EXPERIMENTER,
                    OfRequests.head(m));
            default -> sendError(version, m.getXid(), OfError.BAD_REQUEST_BAD_TYPE, OfRequests.head(m));
        }
        ctx.flush();
    }

    /**
     * Nicira messages: the packet-in format (standard or NXT_PACKET_IN2; the old NXT_PACKET_IN is
     * refused with OFPBRC_EPERM as OVS refuses a format it lacks), the controller id, a conntrack
     * zone flush and NXT_RESUME (both on the change thread, in order with the flow mods around them). Any
     * other subtype, TLV table messages included, is OFPBRC_BAD_SUBTYPE.
     */
    private void onNicira(ChannelHandlerContext ctx, OfFrameDecoder.Nicira n) {
        if (state != State.ACTIVE) {
            lastError = "message before HELLO";
            ctx.close();
            return;
        }
        if (n.version() != version) {
            sendError(version, n.xid(), OfError.BAD_REQUEST_BAD_VERSION, n.head());
        } else if (n.subtype() == NXT_SET_PACKET_IN_FORMAT && n.body().length >= 4) {
            int format = java.nio.ByteBuffer.wrap(n.body()).getInt();
            if (format != NXPIF_STANDARD && format != NXPIF_NXT_PACKET_IN2) {
                sendError(version, n.xid(), OfError.BAD_REQUEST_EPERM, n.head());
            } else {
                packetInFormat = format;
            }
        } else if (n.subtype() == NXT_SET_CONTROLLER_ID && n.body().length >= 8) {
            // nx_controller_id: 6 bytes of pad, the id (16); any role may set it, as in OVS.
            controllerId = ((n.body()[6] & 0xff) << 8) | (n.body()[7] & 0xff);
        } else if (n.subtype() == NXT_CT_FLUSH_ZONE && n.body().length >= 8
                || n.subtype() == dev.jvswitch.openflow.codec.NxPacketIn2.NXT_RESUME) {
            if (isSlave()) {
                sendError(version, n.xid(), OfError.BAD_REQUEST_IS_SLAVE, n.head());
            } else {
                queue.offer(n);
            }
        } else {
            refuse(version, n.xid(), OfError.BAD_REQUEST_BAD_EXP_TYPE, n.head(), "Nicira message subtype "
                    + n.subtype() + " is not supported");
        }
        ctx.flush();
    }

    /** A meter mod goes to the change thread in order with the flow mods around it (a slave is refused). */
    private void onMeterMod(org.projectfloodlight.openflow.protocol.OFMeterMod m) {
        if (isSlave()) {
            refuseSlave(m);
        } else {
            queue.offer(m);
        }
    }

    private void onRole(OFRoleRequest r) {
        OFControllerRole want = r.getRole();
        if (want == OFControllerRole.ROLE_MASTER || want == OFControllerRole.ROLE_SLAVE) {
            if (!bridge.acceptGeneration(r.getGenerationId().getValue())) {
                sendError(version, r.getXid(), OfError.ROLE_REQUEST_FAILED_STALE, OfRequests.head(r));
                return;
            }
        }
        if (want != OFControllerRole.ROLE_NOCHANGE) {
            if (want == OFControllerRole.ROLE_MASTER) {
                bridge.demoteMastersBut(this);
            }
            role = want;
        }
        send(factory.buildRoleReply().setXid(r.getXid()).setRole(role)
                .setGenerationId(U64.of(bridge.generationId())).build());
    }

    private void onGetAsync(OFAsyncGetRequest r) {
        if (version == 4) {
            send(factory.buildAsyncGetReply().setXid(r.getXid()).setPacketInMaskEqualMaster(packetInMask[0])
                    .setPacketInMaskSlave(packetInMask[1]).setPortStatusMaskEqualMaster(portStatusMask[0])
                    .setPortStatusMaskSlave(portStatusMask[1]).setFlowRemovedMaskEqualMaster(flowRemovedMask[0])
                    .setFlowRemovedMaskSlave(flowRemovedMask[1]).build());
        } else {
            send(factory.buildAsyncGetReply().setXid(r.getXid()).setProperties(List.of()).build());
        }
    }

    private void onSetAsync(OFAsyncSet s) {
        if (version == 4) {
            packetInMask[0] = s.getPacketInMaskEqualMaster();
            packetInMask[1] = s.getPacketInMaskSlave();
            portStatusMask[0] = s.getPortStatusMaskEqualMaster();
            portStatusMask[1] = s.getPortStatusMaskSlave();
            flowRemovedMask[0] = s.getFlowRemovedMaskEqualMaster();
            flowRemovedMask[1] = s.getFlowRemovedMaskSlave();
        }
    }

    private void refuseSlave(OFMessage m) {
        sendError(version, m.getXid(), OfError.BAD_REQUEST_IS_SLAVE, OfRequests.head(m));
    }

    // ------------------------------------------------------------------ any thread

    /** Writes {@code m} (flushed by the caller's next flush). */
    void send(OFMessage m) {
        tx.incrementAndGet();
        channel.write(m, channel.voidPromise());
    }

    /** Writes and flushes {@code m}. */
    void sendNow(OFMessage m) {
        tx.incrementAndGet();
        channel.writeAndFlush(m, channel.voidPromise());
    }

    /** Writes a message made by hand ({@code codec.MultipartWire}); takes {@code b}. */
    void sendRaw(ByteBuf b) {
        tx.incrementAndGet();
        channel.write(b, channel.voidPromise());
    }

    void flush() {
        channel.flush();
    }

    /** Messages written so far, from any thread (grows with every write). */
    long sent() {
        return tx.get();
    }

    /**
     * A change message only OpenFlow 1.5 has, decoded by our own codec: queued for the bridge
     * when the connection is active, on 1.5 and not a slave; else refused as OVS refuses it.
     */
    private void offerChange15(ChannelHandlerContext ctx, Object change, long xid, byte[] head) {
        if (state != State.ACTIVE) {
            lastError = "message before HELLO";
            ctx.close();
        } else if (version != 6) {
            sendError(version, xid, OfError.BAD_REQUEST_BAD_VERSION, head);
        } else if (isSlave()) {
            sendError(version, xid, OfError.BAD_REQUEST_IS_SLAVE, head);
        } else {
            queue.offer(change);
        }
        ctx.flush();
    }

    /**
     * A TLV table message: a request is queued (it reads the map after the changes before it); a
     * mod too, once it decoded and unless this connection is a slave, as OVS refuses one.
     */
    private void onTlv(ChannelHandlerContext ctx, OfFrameDecoder.NxTlv t) {
        if (state != State.ACTIVE) {
            lastError = "message before HELLO";
            ctx.close();
            return;
        }
        if (t.version() != version) {
            sendError(version, t.xid(), OfError.BAD_REQUEST_BAD_VERSION, t.head());
        } else if (t.subtype() == dev.jvswitch.openflow.codec.TlvTableWire.NXT_TLV_TABLE_MOD && isSlave()) {
            sendError(version, t.xid(), OfError.BAD_REQUEST_IS_SLAVE, t.head());
        } else if (t.error() != null) {
            lastError = t.error().getMessage();
            sendError(version, t.xid(), t.error().error(), t.head());
        } else {
            queue.offer(t);
        }
        ctx.flush();
    }

    /** A change message decoded by our own codec, any version: queued as {@link #offerChange15} does. */
    private void offerChange(ChannelHandlerContext ctx, Object change, long xid, byte[] head) {
        if (state != State.ACTIVE) {
            lastError = "message before HELLO";
            ctx.close();
        } else if (head.length > 0 && (head[0] & 0xff) != version) {
            sendError(version, xid, OfError.BAD_REQUEST_BAD_VERSION, head);
        } else if (isSlave()) {
            sendError(version, xid, OfError.BAD_REQUEST_IS_SLAVE, head);
        } else {
            queue.offer(change);
        }
        ctx.flush();
    }

    /**
     * Sends {@code e} for a request this switch refused and says why in the log: at WARN the first
     * time a reason is seen on this connection (a controller that resyncs repeats its refused
     * mods; at most {@link #MAX_REFUSALS_LOGGED} reasons), at DEBUG after that. ovn-controller
     * reconnects on any error, so the one refused flow among hundreds must be findable.
     */
    void refuse(int v, long xid, OfError e, byte[] data, String reason) {
        String why = String.valueOf(reason);
        lastError = why;
        if (refusalsLogged.size() < MAX_REFUSALS_LOGGED && refusalsLogged.add(e + ": " + why)) {
            LOG.warn("{}: {}: refused message type {} xid {} with {}: {} (first bytes {})", bridge.name(), target,
                    data.length > 1 ? data[1] & 0xff : -1, xid, e, why, io.netty.buffer.ByteBufUtil.hexDump(data));
        } else {
            LOG.debug("{}: {}: refused xid {} with {}: {}", bridge.name(), target, xid, e, why);
        }
        sendError(v, xid, e, data);
    }

    void sendError(int v, long xid, OfError e, byte[] data) {
        int type = data.length > 1 ? data[1] & 0xff : -1;
        LOG.info("{}: {}: error {} for message type {} xid {}", bridge.name(), target, e, type, xid);
        errorsSent.incrementAndGet();
        tx.incrementAndGet();
        ByteBuf b = OfWire.error(channel.alloc(), v, xid, e, data);
        channel.write(b, channel.voidPromise());
    }

    /**
     * Event loop: sends a packet-in under the rate limit; a packet over the limit, or one the
     * peer has no room for (it does not read), is dropped and counted, so memory stays bounded.
     */
    void packetIn(PacketIns.PacketIn p) {
        if (!limiter.tryAcquire(System.nanoTime()) || !channel.isWritable()) {
            packetInDrops.incrementAndGet();
            return;
        }
        packetIns.incrementAndGet();
        if (packetInFormat == NXPIF_NXT_PACKET_IN2) {
            tx.incrementAndGet();
            // Its metadata carries a longer option's tun_metadataN whole, through the bridge's map.
            io.netty.buffer.ByteBuf frame = dev.jvswitch.ofproto.tnl.TlvMapScope.with(
                    bridge.backend().tlvMaps().get(bridge.backend().bridge()),
                    () -> dev.jvswitch.openflow.codec.NxPacketIn2.encode(channel.alloc(), version, 0, p.out(),
                            p.data(), p.totalLen()));
            channel.writeAndFlush(frame, channel.voidPromise());
            return;
        }
        sendNow(dev.jvswitch.openflow.codec.PacketInCodec.encode(p.out(), p.data(), p.totalLen(), factory));
    }

    /** True if this connection must not change the switch (role slave). */
    boolean isSlave() {
        return role == OFControllerRole.ROLE_SLAVE;
    }

    /** Called by the bridge when another connection became master. */
    void demote() {
        if (role == OFControllerRole.ROLE_MASTER) {
            role = OFControllerRole.ROLE_SLAVE;
        }
    }

    /** True if asynchronous messages of {@code kind} with reason bit {@code reason} go to this connection. */
    boolean wants(String kind, int reason) {
        int who = isSlave() ? 1 : 0;
        long mask = switch (kind) {
            case "packet-in" -> packetInMask[who];
            case "port-status" -> portStatusMask[who];
            default -> flowRemovedMask[who];
        };
        return state == State.ACTIVE && (mask & (1L << reason)) != 0;
    }

    boolean writable() {
        return channel.isWritable();
    }

    Channel channel() {
        return channel;
    }

    OFFactory factory() {
        return factory;
    }

    /** The id NXT_SET_CONTROLLER_ID gave this connection (0 until then). */
    int controllerId() {
        return controllerId;
    }

    int version() {
        return version;
    }

    int missSendLen() {
        return missSendLen;
    }

    void close() {
        if (channel != null) {
            channel.close();
        }
    }

    /** One line of {@code ofconn/show} for this connection. */
    public String describe() {
        return target + (controller ? " (controller)" : "") + ": " + state.name().toLowerCase(java.util.Locale.ROOT)
                + ", role " + role.name().substring(5).toLowerCase(java.util.Locale.ROOT)
                + ", version " + (version < 0 ? "-" : versionName(version))
                + ", messages in " + rx.get() + " out " + tx.get()
                + ", packet-ins sent " + packetIns.get() + " dropped " + packetInDrops.get()
                + ", errors sent " + errorsSent.get()
                + (queue != null && queue.pending() > 0 ? ", requests pending " + queue.pending() : "")
                + (lastError != null ? ", last error: " + lastError : "");
    }

    /** True for a connection the switch made to a controller (not one a listener accepted). */
    boolean isController() {
        return controller;
    }

    public State state() {
        return state;
    }

    String target() {
        return target;
    }

    static String versionName(int v) {
        return "1." + (v - 1);
    }
}
