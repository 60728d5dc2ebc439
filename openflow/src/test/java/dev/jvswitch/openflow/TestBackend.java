package dev.jvswitch.openflow;

import dev.jvswitch.openflow.backend.BridgeBackend;
import dev.jvswitch.openflow.backend.PortInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.mod.FlowStatsRequest;
import dev.jvswitch.ofproto.mod.ModResult;
import dev.jvswitch.ofproto.mod.OfMod;

/**
 * A bridge backend over a real {@link Ofproto} with no datapath: a single "change thread" with a
 * bounded queue, as the daemon's.
 */
final class TestBackend implements BridgeBackend, AutoCloseable {
    final Ofproto ofproto = new Ofproto();
    private final String bridge;
    private final ThreadPoolExecutor changes = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(16), r -> {
                Thread t = new Thread(r, "test-change");
                t.setDaemon(true);
                return t;
            });

    TestBackend(String bridge, int ports) {
        this.bridge = bridge;
        List<OfPort> list = new ArrayList<>();
        for (int i = 1; i <= ports; i++) {
            list.add(OfPort.trunk(i, i, "p" + i));
        }
        ofproto.addBridge(new BridgeConfig(bridge, list));
    }

    @Override
    public String bridge() {
        return bridge;
    }

    @Override
    public boolean submit(Runnable task) {
        try {
            changes.execute(task);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public ModResult apply(List<? extends OfMod> mods) {
        return ofproto.apply(bridge, mods);
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
    public List<dev.jvswitch.ofproto.meter.MeterEntry> meters() {
        return ofproto.meters(bridge);
    }

    @Override
    public List<dev.jvswitch.ofproto.meter.MeterStats> meterStats(long meterId) {
        return ofproto.meterStats(bridge, meterId);
    }

    @Override
    public List<PortInfo> ports() {
        List<PortInfo> out = new ArrayList<>();
        for (OfPort p : ofproto.bridgeConfig(bridge).ports()) {
            out.add(new PortInfo(p.ofPort(), p.name(), 0x020000000000L | p.ofPort(), true,
                    ofproto.portConfig(bridge, p.ofPort()), 1, 2, 60, 120, 0, 0,
                    0, 0));
        }
        return out;
    }

    final java.util.List<Object[]> packetOuts = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public java.util.concurrent.CompletableFuture<Void> packetOut(int inPort,
            java.util.List<dev.jvswitch.ofproto.action.OfAction> actions, byte[] packet) {
        // As the daemon's backend: the actions against the packet's own headers first.
        String inconsistent = dev.jvswitch.ofproto.action.ActionCheck.packetProblem(parse(packet), actions);
        if (inconsistent != null) {
            throw new dev.jvswitch.ofproto.action.InconsistentActionsException("packet-out: " + inconsistent);
        }
        packetOuts.add(new Object[] {inPort, actions, packet});
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /** The flow key of {@code packet}, parsed as the datapath parses it. */
    private static dev.jvswitch.flowcache.key.FlowKey parse(byte[] packet) {
        try (dev.jvswitch.mempool.MbufPool pool = dev.jvswitch.mempool.MbufPool.create(
                dev.jvswitch.mempool.MbufPoolConfig.of("packet-out", 1).withCacheSize(0))) {
            dev.jvswitch.mempool.Mbuf m = pool.get();
            try {
                if (!m.copyFrom(packet, 0, packet.length)) {
                    throw new IllegalArgumentException("packet-out: a packet of " + packet.length + " bytes");
                }
                dev.jvswitch.flowcache.key.FlowKey key = new dev.jvswitch.flowcache.key.FlowKey();
                new dev.jvswitch.flowcache.parse.PacketParser().parse(m, key);
                return key;
            } finally {
                pool.put(m);
            }
        }
    }

    @Override
    public dev.jvswitch.ofproto.tnl.TlvMaps tlvMaps() {
        return ofproto.tunnels().tlvMaps();
    }

    @Override
    public long derivedDatapathId() {
        return 0x020000000001L;
    }

    @Override
    public void close() {
        changes.shutdownNow();
    }

    /** Zones flushed by NXT_CT_FLUSH_ZONE, in order. */
    final List<Integer> flushedZones = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void flushConntrackZone(int zone) {
        flushedZones.add(zone);
    }
}
