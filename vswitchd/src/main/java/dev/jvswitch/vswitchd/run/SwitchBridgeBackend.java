package dev.jvswitch.vswitchd.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.jvswitch.config.BridgeSpec;
import dev.jvswitch.config.PortSpec;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.parse.PacketParser;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.action.ActionCheck;
import dev.jvswitch.ofproto.action.InconsistentActionsException;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.port.OfPorts;
import dev.jvswitch.ofproto.xlate.ControllerOutput;
import dev.jvswitch.ofproto.xlate.XlateResult;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.mod.FlowStatsRequest;
import dev.jvswitch.ofproto.mod.ModResult;
import dev.jvswitch.ofproto.mod.OfMod;
import dev.jvswitch.openflow.backend.BridgeBackend;
import dev.jvswitch.openflow.backend.PortInfo;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.pmd.port.PortOptions;
import dev.jvswitch.vswitchd.ofproto.OfprotoService;

/**
 * One bridge as the OpenFlow channel sees it: requests run on the daemon's change thread (the
 * executor the daemon gives), changes and reads go to the {@link OfprotoService}, ports come from
 * the running config and the datapath's netdevs.
 *
 * <p><b>Thread-safety:</b> {@link #submit}, {@link #runNowIfIdle}, {@link #ports} and {@link #derivedDatapathId} from
 * any thread (they read the config snapshot and the datapath's concurrent port map); the rest
 * from the change thread, as {@link BridgeBackend} says.
 */
final class SwitchBridgeBackend implements BridgeBackend {
    private final String bridge;
    private final Switch sw;
    private final ChangeExecutor executor;

    SwitchBridgeBackend(String bridge, Switch sw, ChangeExecutor executor) {
        this.bridge = bridge;
        this.sw = sw;
        this.executor = executor;
    }

    @Override
    public String bridge() {
        return bridge;
    }

    @Override
    public boolean submit(Runnable task) {
        return executor.execute(task);
    }

    @Override
    public boolean runNowIfIdle(Runnable task) {
        return executor.runNowIfIdle(task);
    }

    @Override
    public ModResult apply(List<? extends OfMod> mods) {
        return sw.ofproto().applyWithoutBarrier(bridge, mods);
    }

    @Override
    public List<FlowStats> flowStats(FlowStatsRequest request) {
        return sw.ofproto().ofprotoForChannel().flowStats(bridge, request);
    }

    @Override
    public void flushConntrackZone(int zone) {
        sw.datapath().conntrack().flush(zone);
    }

    @Override
    public List<Group> groups() {
        return sw.ofproto().ofprotoForChannel().groups(bridge);
    }

    @Override
    public List<dev.jvswitch.ofproto.meter.MeterEntry> meters() {
        return sw.ofproto().ofprotoForChannel().meters(bridge);
    }

    @Override
    public List<dev.jvswitch.ofproto.meter.MeterStats> meterStats(long meterId) {
        return sw.ofproto().ofprotoForChannel().meterStats(bridge, meterId);
    }

    @Override
    public List<PortInfo> ports() {
        return ports(true);
    }

    /**
     * The bridge's ports by OpenFlow number; with {@code patch}, its patch ports too, as OVS lists
     * them: a MAC made from the name, up while the peer is there, no counters (a patch port is
     * not a device: what crosses it is counted at the ports it came from and goes to).
     */
    private List<PortInfo> ports(boolean patch) {
        BridgeSpec b = sw.config().bridges().get(bridge);
        List<PortInfo> out = new ArrayList<>();
        if (b == null) {
            return out;
        }
        NetdevStats st = new NetdevStats();
        for (PortSpec p : b.ports().values()) {
            if (p.isPatch()) {
                if (patch) {
                    out.add(new PortInfo(p.ofport(), p.name(), PortOptions.generatedMac(p.name()),
                            sw.config().port(p.patchPeer()) != null, sw.portConfig(bridge, p.ofport()), 0, 0, 0, 0, 0,
                            0, 0, 0));
                }
                continue;
            }
            int dp = sw.dpPort(p.name());
            Netdev n = dp < 0 ? null : sw.datapath().ports().get(dp);
            if (n == null) {
                continue;
            }
            st.clear();
            n.readStats(st);
            out.add(new PortInfo(p.ofport(), p.name(), n.macAddress(), n.linkUp(), sw.portConfig(bridge, p.ofport()),
                    st.rxPackets, st.txPackets, st.rxBytes, st.txBytes, st.rxDropped, st.txDropped, st.rxErrors,
                    st.txErrors));
        }
        out.sort((x, y) -> Integer.compare(x.ofport(), y.ofport()));
        return out;
    }

    @Override
    public dev.jvswitch.ofproto.tnl.TlvMaps tlvMaps() {
        return sw.ofproto().ofprotoForChannel().tunnels().tlvMaps();
    }

    /**
     * Translates the packet-out's actions against the current tables (output:TABLE resubmits to
     * table 0), hands its own controller outputs to the channel, sends the neighbour requests a
     * tunnel output asked for, and gives the packet and the datapath actions to a PMD (never
     * blocking it or this thread).
     */
    @Override
    public CompletableFuture<Void> packetOut(int inPort, List<OfAction> actions, byte[] packet) {
        return packetOut(inPort, actions, packet, dev.jvswitch.ofproto.match.Match.ANY);
    }

    @Override
    public CompletableFuture<Void> packetOut(int inPort, List<OfAction> actions, byte[] packet,
            dev.jvswitch.ofproto.match.Match metadata) {
        Ofproto o = sw.ofproto().ofprotoForChannel();
        Loaded in = load(o, inPort, packet, metadata, "packet-out");
        String inconsistent = ActionCheck.packetProblem(in.key(), actions);
        if (inconsistent != null) {
            sw.pool().put(in.m());
            throw new InconsistentActionsException("packet-out: " + inconsistent);
        }
        XlateResult r = o.xlate().translateActions(o.snapshot(), bridge, inPort, in.key(), actions, o.nowNs());
        return execute(o, in.m(), r, "packet-out");
    }

    /**
     * NXT_RESUME, as OVS's {@code ofproto_dpif_resume}: the packet parsed afresh, with the
     * metadata the controller sent back, resumes the frozen actions; it goes out like a packet-out.
     */
    @Override
    public CompletableFuture<Void> resume(byte[] packet, dev.jvswitch.ofproto.match.Match metadata,
            dev.jvswitch.ofproto.xlate.FrozenState state) {
        Ofproto o = sw.ofproto().ofprotoForChannel();
        int inPort = metadata.isWildcard(FlowField.IN_PORT) ? state.ofInPort() : (int) metadata.value(FlowField.IN_PORT);
        Loaded in = load(o, inPort, packet, metadata, "resume");
        dev.jvswitch.ofproto.xlate.FrozenState at = new dev.jvswitch.ofproto.xlate.FrozenState(state.bridge(), inPort,
                state.frames(), state.pipeline(), state.stack());
        XlateResult r = o.xlate().resume(o.snapshot(), in.key(), at, packet.length, o.nowNs());
        return execute(o, in.m(), r, "resume");
    }

    /** A controller's packet in an mbuf of ours, and its flow key with the metadata it came with. */
    private record Loaded(Mbuf m, FlowKey key) {
    }

    /**
     * Copies a packet-out's or a resume's ({@code what}) frame into an mbuf and parses it as
     * arriving on OpenFlow port {@code inPort}; throws {@link IllegalArgumentException} (the
     * channel's error reply) for a frame too short or too long, or no free mbuf. An in_port the
     * bridge does not have is no error (OVS runs such a packet-out): translation sees that number,
     * the datapath no port, as for CONTROLLER.
     */
    private Loaded load(Ofproto o, int inPort, byte[] packet, dev.jvswitch.ofproto.match.Match metadata, String what) {
        int dpIn = 0;
        OfPort p = OfPorts.isPhysical(inPort) ? o.bridgeConfig(bridge).byOfPort(inPort) : null;
        if (p != null) {
            dpIn = p.dpPort();
        }
        if (packet.length < 14) {
            throw new IllegalArgumentException(what + ": a packet of " + packet.length + " bytes is no Ethernet frame");
        }
        Mbuf m = sw.pool().get();
        if (m == null) {
            throw new IllegalArgumentException(what + ": no free mbuf");
        }
        if (!m.copyFrom(packet, 0, packet.length)) {
            sw.pool().put(m);
            throw new IllegalArgumentException(what + ": a packet of " + packet.length + " bytes does not fit an mbuf");
        }
        m.inPort(dpIn);
        FlowKey key = new FlowKey();
        new PacketParser().parse(m, key);
        key.set(FlowField.IN_PORT, dpIn);
        dev.jvswitch.openflow.codec.NxPacketIn2.applyMetadata(metadata, key);
        return new Loaded(m, key);
    }

    /** Runs a packet-out's or a resume's translation on {@code m} (which it takes); returns the execution. */
    private CompletableFuture<Void> execute(Ofproto o, Mbuf m, XlateResult r, String what) {
        if (!r.isOk()) {
            sw.pool().put(m);
            throw new IllegalArgumentException(what + ": " + r.error());
        }
        dev.jvswitch.pmd.exec.PacketEditor editor = new dev.jvswitch.pmd.exec.PacketEditor();
        for (ControllerOutput co : r.controllerOutputs()) {
            // The controller gets the packet as the actions before output:CONTROLLER edited it.
            Mbuf edited = editor.editedCopy(m, r.actions(), co.editsBefore(), co.pendingEdits());
            sw.openflow().offer(edited == null ? m : edited, co);
            if (edited != null && edited != m) {
                sw.pool().put(edited);
            }
        }
        // A tunnel output whose next hop is unknown dropped the packet (counted by the datapath)
        // and asked for the neighbour: send the request, so the next packet goes through.
        o.sendPacketOuts(r.packetOuts());
        CompletableFuture<Void> done = sw.datapath().execute(m, r.actions());
        if (done == null) {
            sw.pool().put(m);
            throw new IllegalArgumentException(what + ": no PMD took the packet (none running, or busy)");
        }
        return done;
    }

    /**
     * As OVS: the lowest non-zero port MAC of the bridge in the low 48 bits (patch ports, whose
     * MACs are made up, left out); a bridge without one gets a locally administered MAC made from
     * its name, stable across restarts.
     */
    @Override
    public long derivedDatapathId() {
        long best = -1;
        for (PortInfo p : ports(false)) {
            if (p.mac() != 0 && (best < 0 || Long.compareUnsigned(p.mac(), best) < 0)) {
                best = p.mac();
            }
        }
        if (best >= 0) {
            return best;
        }
        long h = bridge.hashCode() & 0xffffffffL;
        return 0x020000000000L | h << 8 | 0x01;
    }
}
