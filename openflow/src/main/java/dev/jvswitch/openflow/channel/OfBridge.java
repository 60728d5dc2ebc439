package dev.jvswitch.openflow.channel;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.projectfloodlight.openflow.protocol.OFMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;

import dev.jvswitch.config.OfTarget;
import dev.jvswitch.config.OpenFlowSettings;
import dev.jvswitch.config.listen.ConnectionGuard;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowRemoved;
import dev.jvswitch.openflow.backend.BridgeBackend;
import dev.jvswitch.openflow.codec.FlowModCodec;

/**
 * The OpenFlow channel of one bridge (OVS's {@code connmgr}): its listening sockets, its
 * connections to controllers (reconnecting with OVS's backoff: 1 s, doubling up to 8 s), the
 * connections either made, role arbitration (generation ids, one master) and the asynchronous
 * messages sent to them (flow-removed, later packet-in and port-status).
 *
 * <p><b>Thread-safety:</b> {@link #start} and {@link #close} from the daemon's change thread;
 * sockets and connections live on the channel's event loop. {@code connections} is a
 * copy-on-write list read by any thread. The generation id is guarded by this object's monitor.
 */
public final class OfBridge {
    private static final Logger LOG = LoggerFactory.getLogger("openflow");
    static final long MIN_BACKOFF_MS = 1_000;
    static final long MAX_BACKOFF_MS = 8_000;
    /** Clients one listener serves at once (more evict the longest idle one). */
    static final int MAX_CLIENTS_PER_LISTENER = 64;
    private static final int BACKLOG = 64;

    private final String name;
    private final BridgeBackend backend;
    private final OpenFlowSettings settings;
    private final EventLoopGroup group;
    private final long datapathId;
    private final List<OfConnection> connections = new CopyOnWriteArrayList<>();
    private final List<Channel> listeners = new ArrayList<>();
    private final List<GuardHandler> guards = new ArrayList<>();
    private final List<Connector> connectors = new ArrayList<>();
    private final List<String> listening = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private final PacketIns packetIns;
    private boolean generationKnown;
    private long generationId;
    /** A scratch bridge of the start-up warm-up: its connection's life is logged at debug, not info. */
    private boolean quiet;

    public OfBridge(String name, BridgeBackend backend, OpenFlowSettings settings, EventLoopGroup group) {
        this.name = name;
        this.backend = backend;
        this.settings = settings;
        this.group = group;
        this.datapathId = settings.datapathId() != OpenFlowSettings.DERIVED_DATAPATH_ID ? settings.datapathId()
                : backend.derivedDatapathId();
        this.packetIns = new PacketIns(group.next(), this::onPacketIn);
    }

    /** Makes this (scratch) bridge log its connections' life at debug; before any connection. */
    OfBridge quiet() {
        quiet = true;
        return this;
    }

    /** The level for a connection's life (connected, whole-table commit, disconnected). */
    org.slf4j.event.Level lifeLevel() {
        return quiet ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.INFO;
    }

    // ------------------------------------------------------------------ packet-in

    /** PMD thread: a packet a flow sends to the controller; false (counted) if the queue is full. */
    public boolean offerPacketIn(dev.jvswitch.mempool.Mbuf m, dev.jvswitch.ofproto.xlate.ControllerOutput out) {
        return !closed && packetIns.offer(m, out);
    }

    /** Event loop: to every connection that wants it (role and async config), each under its rate limit. */
    private void onPacketIn(PacketIns.PacketIn p) {
        int reason = p.out().reason();
        int id = p.out().controllerId();
        for (OfConnection c : connections) {
            // controller(id=N) reaches only the connections NXT_SET_CONTROLLER_ID gave id N (OVS's connmgr).
            if (c.controllerId() == id && c.wants("packet-in", reason)) {
                c.packetIn(p);
            }
        }
    }

    /** Packet-ins dropped because the hand-off queue was full. */
    public long packetInQueueDrops() {
        return packetIns.queueDrops();
    }

    // ------------------------------------------------------------------ life cycle

    /**
     * Opens the listeners (failing if one cannot be bound: nothing stays open then) and starts
     * connecting to the controllers.
     *
     * @throws IllegalStateException naming the target that could not be bound
     */
    public void start() {
        try {
            for (OfTarget t : settings.listeners()) {
                listen(t);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        for (OfTarget t : settings.controllers()) {
            Connector c = new Connector(t);
            connectors.add(c);
            c.connect();
        }
        if (standalone()) {
            group.next().execute(this::failOpenCheck);
        }
    }

    // ------------------------------------------------------------------ fail mode

    /** The cookie of the fail-open flow, so that it is the one removed and users can see it. */
    public static final long FAIL_OPEN_COOKIE = 0xfa11_0be0L;
    private boolean failOpen;

    private boolean standalone() {
        return settings.failMode() == OpenFlowSettings.FailMode.STANDALONE && !settings.controllers().isEmpty();
    }

    /**
     * Event loop: with fail-mode standalone, a bridge none of whose controllers is connected
     * switches as a learning switch (OVS's fail-open): a catch-all NORMAL flow at priority 0 in
     * table 0 is added while no controller is connected and removed when one connects (which then
     * installs its own table-miss flow). With secure, the flows stay as they are.
     */
    private void failOpenCheck() {
        if (!standalone() || closed) {
            return;
        }
        boolean want = !controllerConnected();
        if (want == failOpen) {
            return;
        }
        failOpen = want;
        FlowMod fm = want
                ? FlowMod.builder(FlowMod.Command.ADD).tableId(0).priority(0).cookie(FAIL_OPEN_COOKIE)
                        .actions(new OfAction.Normal()).build()
                : FlowMod.builder(FlowMod.Command.DELETE_STRICT).tableId(0).priority(0).cookie(FAIL_OPEN_COOKIE)
                        .cookieMask(-1L).build();
        LOG.info("bridge {}: {} fail-open (fail-mode standalone)", name, want ? "entering" : "leaving");
        submitFailOpen(fm);
    }

    private void submitFailOpen(FlowMod fm) {
        boolean queued = backend.submit(() -> {
            try {
                backend.apply(List.of(fm));
            } catch (IllegalArgumentException e) {
                LOG.warn("bridge {}: fail-open flow: {}", name, e.getMessage());
            }
        });
        if (!queued) {
            group.next().schedule(() -> submitFailOpen(fm), 10, TimeUnit.MILLISECONDS);
        }
    }

    private void listen(OfTarget t) {
        ConnectionGuard<Channel> guard = new ConnectionGuard<>("openflow " + name + " " + t,
                new ConnectionGuard.Limits(MAX_CLIENTS_PER_LISTENER, guardIdleNs(), BACKLOG), LOG::warn);
        GuardHandler gh = new GuardHandler(guard);
        ServerBootstrap b = new ServerBootstrap().group(group).option(ChannelOption.SO_BACKLOG, BACKLOG).handler(gh)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 << 10, 1 << 20))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("guard", gh);
                        pipeline(ch.pipeline(), new OfConnection(OfBridge.this, t + " from " + peer(ch), false));
                    }
                });
        ChannelFuture f;
        if (t.kind() == OfTarget.Kind.PTCP) {
            b.channel(NioServerSocketChannel.class).childOption(ChannelOption.TCP_NODELAY, true);
            f = b.bind(new InetSocketAddress(t.host(), t.port()));
        } else {
            Path p = Path.of(t.path());
            try {
                Files.deleteIfExists(p);
                if (p.getParent() != null) {
                    Files.createDirectories(p.getParent());
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(t + ": " + e.getMessage(), e);
            }
            b.channel(NioServerDomainSocketChannel.class);
            f = b.bind(UnixDomainSocketAddress.of(p));
        }
        f.awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IllegalStateException("bridge " + name + ": cannot listen on " + t + ": "
                    + f.cause().getMessage());
        }
        Channel ch = f.channel();
        listeners.add(ch);
        guards.add(gh);
        gh.start(ch);
        String where = t.kind() == OfTarget.Kind.PTCP
                ? "ptcp:" + ((InetSocketAddress) ch.localAddress()).getPort() + ":" + t.host() : t.toString();
        listening.add(where);
        LOG.info("bridge {}: OpenFlow listening on {}", name, where);
    }

    /** An idle OpenFlow client is one that answers no probe: the guard only backs the probe up. */
    private long guardIdleNs() {
        long probe = settings.inactivityProbeMs();
        return TimeUnit.MILLISECONDS.toNanos(probe == 0 ? 86_400_000L : Math.max(60_000L, 3 * probe));
    }

    void pipeline(ChannelPipeline p, OfConnection c) {
        if (settings.inactivityProbeMs() > 0) {
            p.addLast("probe", new IdleStateHandler(settings.inactivityProbeMs(), 0, 0, TimeUnit.MILLISECONDS));
        }
        p.addLast("decoder", new OfFrameDecoder(() -> backend().tlvMaps().get(backend().bridge())));
        p.addLast("encoder", OfEncoder.INSTANCE);
        p.addLast("ofconn", c);
    }

    private static String peer(Channel ch) {
        Object a = ch.remoteAddress();
        if (a instanceof InetSocketAddress s) {
            return s.getAddress().getHostAddress() + ":" + s.getPort();
        }
        return "unix";
    }

    /** Closes listeners (removing their socket files), stops reconnecting, closes every connection. */
    public void close() {
        closed = true;
        for (GuardHandler g : guards) {
            g.stop();
        }
        for (Channel l : listeners) {
            l.close().awaitUninterruptibly();
            if (l.localAddress() instanceof UnixDomainSocketAddress u) {
                try {
                    Files.deleteIfExists(u.getPath());
                } catch (java.io.IOException e) {
                    LOG.debug("cannot remove {}: {}", u.getPath(), e.toString());
                }
            }
        }
        for (OfTarget t : settings.listeners()) {
            if (t.kind() == OfTarget.Kind.PUNIX) {
                try {
                    Files.deleteIfExists(Path.of(t.path()));
                } catch (java.io.IOException e) {
                    LOG.debug("cannot remove {}: {}", t.path(), e.toString());
                }
            }
        }
        for (OfConnection c : connections) {
            c.close();
        }
    }

    // ------------------------------------------------------------------ active connections

    /** One controller target: connect, and after a failure or a close connect again with backoff. */
    private final class Connector {
        private final OfTarget target;
        private long backoffMs = MIN_BACKOFF_MS;

        Connector(OfTarget target) {
            this.target = target;
        }

        void connect() {
            if (closed) {
                return;
            }
            OfConnection conn = new OfConnection(OfBridge.this, target.toString(), true);
            Bootstrap b = new Bootstrap().group(group)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 << 10, 1 << 20))
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) MAX_BACKOFF_MS)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            pipeline(ch.pipeline(), conn);
                        }
                    });
            ChannelFuture f;
            if (target.kind() == OfTarget.Kind.TCP) {
                b.channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true);
                f = b.connect(new InetSocketAddress(target.host(), target.port()));
            } else {
                b.channel(NioDomainSocketChannel.class);
                f = b.connect(UnixDomainSocketAddress.of(target.path()));
            }
            f.addListener((ChannelFuture done) -> {
                if (!done.isSuccess()) {
                    LOG.debug("bridge {}: {}: connection failed ({}); retrying in {} ms", name, target,
                            done.cause() == null ? "?" : done.cause().getMessage(), backoffMs);
                    retry();
                } else {
                    done.channel().closeFuture().addListener(x -> retry());
                }
            });
        }

        private void retry() {
            if (closed) {
                return;
            }
            long wait = backoffMs;
            backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
            group.next().schedule(this::connect, wait, TimeUnit.MILLISECONDS);
        }

        void connected() {
            backoffMs = MIN_BACKOFF_MS;
        }
    }

    // ------------------------------------------------------------------ connections

    void onOpened(OfConnection c) {
        connections.add(c);
    }

    void onActive(OfConnection c) {
        for (Connector k : connectors) {
            if (k.target.toString().equals(c.target())) {
                k.connected();
            }
        }
        failOpenCheck();
    }

    void onClosed(OfConnection c) {
        connections.remove(c);
        LOG.atLevel(lifeLevel()).log("bridge {}: {}: disconnected", name, c.target());
        failOpenCheck();
    }

    /** Master/slave requests: false if {@code gen} is older than the newest one seen (stale). */
    synchronized boolean acceptGeneration(long gen) {
        if (generationKnown && gen - generationId < 0) {
            return false;
        }
        generationKnown = true;
        generationId = gen;
        return true;
    }

    synchronized long generationId() {
        return generationId;
    }

    /** Every master but {@code c} becomes a slave (OpenFlow allows one master). */
    void demoteMastersBut(OfConnection c) {
        for (OfConnection o : connections) {
            if (o != c) {
                o.demote();
            }
        }
    }

    /** What happened to a port ({@code OFPPR_*}, in wire order). */
    public enum PortChange { ADD, DELETE, MODIFY }

    /** Any thread: tells the connections that want it that port {@code p} was added, deleted or changed. */
    public void portStatus(dev.jvswitch.openflow.backend.PortInfo p, PortChange change) {
        portStatus(p, change, null);
    }

    /** As {@link #portStatus(dev.jvswitch.openflow.backend.PortInfo, PortChange)}, leaving out {@code except}. */
    void portStatus(dev.jvswitch.openflow.backend.PortInfo p, PortChange change, OfConnection except) {
        for (OfConnection c : connections) {
            if (c != except && c.wants("port-status", change.ordinal())) {
                c.sendNow(c.factory().buildPortStatus().setReason(switch (change) {
                    case ADD -> org.projectfloodlight.openflow.protocol.OFPortReason.ADD;
                    case DELETE -> org.projectfloodlight.openflow.protocol.OFPortReason.DELETE;
                    case MODIFY -> org.projectfloodlight.openflow.protocol.OFPortReason.MODIFY;
                }).setDesc(dev.jvswitch.openflow.codec.PortCodec.desc(p, c.factory())).build());
            }
        }
    }

    /** Any thread: tells the connections that want it that {@code r} is gone (Netty queues the writes). */
    public void flowRemoved(FlowRemoved r) {
        int reason = r.reason().ordinal();
        for (OfConnection c : connections) {
            if (c.wants("flow-removed", reason)) {
                OFMessage m = FlowModCodec.encode(r, c.factory());
                c.sendNow(m);
            }
        }
    }

    // ------------------------------------------------------------------ accessors

    public String name() {
        return name;
    }

    public BridgeBackend backend() {
        return backend;
    }

    public OpenFlowSettings settings() {
        return settings;
    }

    public long datapathId() {
        return datapathId;
    }

    /** Connections whose HELLO exchange completed. */
    public int activeConnections() {
        int n = 0;
        for (OfConnection c : connections) {
            if (c.state() == OfConnection.State.ACTIVE) {
                n++;
            }
        }
        return n;
    }

    /** True if a controller (an active target) is connected. */
    public boolean controllerConnected() {
        for (OfConnection c : connections) {
            if (c.state() == OfConnection.State.ACTIVE && isController(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isController(OfConnection c) {
        return c.isController();
    }

    /** What {@code ofconn/show BRIDGE} prints. */
    public List<String> show() {
        List<String> out = new ArrayList<>();
        out.add("bridge " + name + ": datapath id " + String.format("%016x", datapathId) + ", fail-mode "
                + settings.failMode().name().toLowerCase(java.util.Locale.ROOT) + ", protocols "
                + protocolNames() + (settings.rateLimit() > 0 ? ", packet-in rate limit " + settings.rateLimit()
                + "/s burst " + settings.effectiveBurst() : "") + ", packet-in queue drops "
                + packetIns.queueDrops());
        for (OfTarget t : settings.controllers()) {
            boolean up = false;
            for (OfConnection c : connections) {
                up |= c.target().equals(t.toString()) && c.state() == OfConnection.State.ACTIVE;
            }
            if (!up) {
                out.add("  " + t + " (controller): connecting");
            }
        }
        for (String l : listening) {
            out.add("  " + l + ": listening");
        }
        for (OfConnection c : connections) {
            out.add("  " + c.describe());
        }
        return out;
    }

    private String protocolNames() {
        List<String> n = new ArrayList<>();
        for (int v : settings.protocols()) {
            n.add(OpenFlowSettings.protocolName(v));
        }
        return String.join(",", n);
    }

    /** The local addresses of the listeners, as bound (a {@code ptcp:0} shows its port). */
    public List<String> listening() {
        return List.copyOf(listening);
    }
}
