package dev.jvswitch.openflow;

import dev.jvswitch.openflow.backend.BridgeBackend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import dev.jvswitch.config.OpenFlowSettings;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowRemoved;
import dev.jvswitch.ofproto.xlate.ControllerOutput;
import dev.jvswitch.ofproto.xlate.PacketInSink;
import dev.jvswitch.openflow.channel.OfBridge;

/**
 * The switch's OpenFlow channels: one {@link OfBridge} per bridge that has controllers or
 * listeners, all on one Netty event loop thread ({@code openflow}), as DESIGN.md's thread table
 * says. The daemon calls {@link #configure} at start and for each bridge whose channel a reload
 * changed, and {@link #close} at shutdown.
 *
 * <p>It is also the slow path's {@link PacketInSink} (packets flows send to the controller) and
 * ofproto's flow-removed listener (rules that expired), routing each to its bridge's channel.
 *
 * <p><b>Thread-safety:</b> {@link #configure}, {@link #remove} and {@link #close} from one thread
 * (the daemon's change thread); {@link #show} and {@link #bridge} from any thread (the map is
 * guarded by this object's monitor). {@link #offer} (PMD threads) and {@link #onFlowRemoved}
 * (revalidators) read {@code view}, an immutable copy republished with a volatile store on every
 * change, so they never take the monitor.
 */
public final class OpenFlowChannels implements AutoCloseable, PacketInSink, Ofproto.FlowRemovedListener {
    private static final Logger LOG = LoggerFactory.getLogger("openflow");

    private final Map<String, OfBridge> bridges = new LinkedHashMap<>();
    /** An immutable copy of {@code bridges} for the PMDs and revalidators (a volatile store and load). */
    private volatile Map<String, OfBridge> view = Map.of();
    private EventLoopGroup group;

    private synchronized EventLoopGroup group() {
        if (group == null) {
            group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("openflow", true),
                    NioIoHandler.newFactory());
        }
        return group;
    }

    /**
     * Makes bridge {@code name}'s channel follow {@code settings}: closes the old one (its
     * connections too) and opens the new one, or none if the settings have no targets.
     *
     * @throws IllegalStateException if a listener cannot be bound (the bridge then has no channel)
     */
    public void configure(String name, OpenFlowSettings settings, BridgeBackend backend) {
        remove(name);
        if (!settings.enabled()) {
            return;
        }
        OfBridge b = new OfBridge(name, backend, settings, group());
        b.start();
        synchronized (this) {
            bridges.put(name, b);
            view = Map.copyOf(bridges);
        }
        LOG.info("bridge {}: OpenFlow channel: controllers {}, listen {}", name, settings.controllers(),
                b.listening());
    }

    /** Closes bridge {@code name}'s channel, if it has one. */
    public void remove(String name) {
        OfBridge old;
        synchronized (this) {
            old = bridges.remove(name);
            view = Map.copyOf(bridges);
        }
        if (old != null) {
            old.close();
        }
    }

    /** PMD thread (an upcall): hands the packet to its bridge's channel; false if it has none or no room. */
    @Override
    public boolean offer(Mbuf packet, ControllerOutput out) {
        OfBridge b = view.get(out.bridge());
        return b != null && b.offerPacketIn(packet, out);
    }

    /** Revalidator thread: a rule expired; its bridge's controllers are told if it asked for it. */
    @Override
    public void onFlowRemoved(String bridge, FlowRemoved removed) {
        OfBridge b = view.get(bridge);
        if (b != null && removed.flow().flags().contains(FlowMod.Flag.SEND_FLOW_REM)) {
            b.flowRemoved(removed);
        }
    }

    /** Any thread: port {@code p} of {@code bridge} was added, deleted or changed (link up or down). */
    public void portStatus(String bridge, dev.jvswitch.openflow.backend.PortInfo p, OfBridge.PortChange change) {
        OfBridge b = view.get(bridge);
        if (b != null) {
            b.portStatus(p, change);
        }
    }

    /** The channel of {@code name}, or null. */
    public synchronized OfBridge bridge(String name) {
        return bridges.get(name);
    }

    /** Bridges with a channel. */
    public synchronized List<String> bridges() {
        return new ArrayList<>(bridges.keySet());
    }

    /** {@code ofconn/show}: lines for {@code name}, or for every bridge if null. */
    public List<String> show(String name) {
        List<String> out = new ArrayList<>();
        for (String b : bridges()) {
            if (name == null || name.equals(b)) {
                OfBridge ob = bridge(b);
                if (ob != null) {
                    out.addAll(ob.show());
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        for (String b : bridges()) {
            remove(b);
        }
        EventLoopGroup g;
        synchronized (this) {
            g = group;
            group = null;
        }
        if (g != null) {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
