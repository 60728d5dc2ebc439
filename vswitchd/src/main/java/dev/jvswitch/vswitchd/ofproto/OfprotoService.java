package dev.jvswitch.vswitchd.ofproto;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jvswitch.config.BondSpec;
import dev.jvswitch.config.PortSpec;
import dev.jvswitch.config.BridgeMirror;
import dev.jvswitch.config.RevalidatorSettings;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.OfprotoRevalidation;
import dev.jvswitch.ofproto.bridge.Bond;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.Mirror;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.bridge.VlanMode;
import dev.jvswitch.ofproto.port.OfPorts;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.mac.MacTable;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.mod.FlowStatsRequest;
import dev.jvswitch.ofproto.meter.Meter;
import dev.jvswitch.ofproto.mod.GroupMod;
import dev.jvswitch.ofproto.mod.MeterMod;
import dev.jvswitch.ofproto.mod.ModResult;
import dev.jvswitch.ofproto.mod.OfMod;
import dev.jvswitch.ofproto.revalidate.RevalidatorCounter;
import dev.jvswitch.ofproto.revalidate.RevalidatorPool;
import dev.jvswitch.ofproto.revalidate.RevalidatorSnapshot;
import dev.jvswitch.ofproto.tnl.Endpoint;
import dev.jvswitch.ofproto.tnl.NativeTunnels;
import dev.jvswitch.ofproto.tnl.RouteRequest;
import dev.jvswitch.ofproto.tnl.TunnelPort;
import dev.jvswitch.ofproto.upcall.OfprotoUpcallHandler;
import dev.jvswitch.ofproto.xlate.PortLiveness;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.tunnel.IpAddress;
import dev.jvswitch.vswitchd.config.OfprotoConfigs;
import dev.jvswitch.vswitchd.ofproto.BridgeView.PortView;

/**
 * The daemon's handle on ofproto (what OVS's {@code bridge.c} holds): one {@link Ofproto} with
 * the bridges, flow tables, groups and MAC tables, whose upcall handler translates the PMDs'
 * misses, and the {@link RevalidatorPool} that ages megaflows out, enforces the flow limit,
 * pushes megaflow statistics to the rules and fixes megaflows whose tables changed.
 *
 * <p><b>Models in, models out.</b> Changes are {@link FlowMod}s, {@link GroupMod}s and
 * {@code PortMod}s ({@link #apply}, {@link #replaceFlows}, {@link #replaceGroups}); dumps are
 * {@link FlowStats}, {@link Group}s, {@link MacTable.Entry}s and a {@link RevalidatorSnapshot}.
 * The control commands and the config loader parse and print text at their edge; the OpenFlow
 * channel will use the same calls. Only {@link #trace} returns text: {@code ofproto/trace} is a
 * report, printed by ofproto's trace package.
 *
 * <p><b>Life cycle</b> (all on the control thread):
 * <ol>
 *   <li>{@link #start} once the datapath exists: gives the datapath the upcall handler and
 *       starts the revalidators; then {@link #setBridges} and
 *       {@link #replaceGroups}/{@link #replaceFlows} per bridge, then the PMDs start;</li>
 *   <li>while running: commands, reloads, and {@link #onTick} every ~250 ms;</li>
 *   <li>{@link #close()} before the datapath closes.</li>
 * </ol>
 *
 * <p><b>Change barrier.</b> Every table change publishes a new version in the {@code Ofproto},
 * then waits ({@link RevalidatorPool#awaitRevalidated}) until every PMD forwards by that version
 * or a later one, so {@code ofctl/*} and reload return only when forwarding follows. Before the
 * PMDs run there is nothing to wait for: no megaflow exists yet. The OpenFlow channel's changes
 * ({@link #applyWithoutBarrier}) do not wait, as in OVS: they wake the revalidators, and an
 * OpenFlow barrier is answered once the tables hold the change.
 *
 * <p><b>Replacing a table</b> (start and reload) is one difference, as ovs-ofctl's
 * {@code replace-flows} does it ({@link Ofproto#replaceFlows}): rules that stay identical are left
 * alone (they keep their counters), the others are added and the rest deleted in one version, so
 * a packet never meets an empty or half-replaced table.
 *
 * <p><b>Errors.</b> A method that cannot do what it is asked throws {@link OfprotoException} with
 * a one-line message; the control socket passes it through unchanged.
 *
 * <p><b>Thread-safety:</b> changes ({@code start}, {@code reconfigure}, {@code setBridges},
 * {@code apply}, {@code replace*}, {@code fdbFlush}) come from one thread at a time: the daemon's
 * change thread once it runs. Table reads ({@code flowStats}, {@code groups}, {@code trace},
 * {@code fdb}) come from the control thread while no change is in progress; {@code upcalls},
 * {@code coverage} and {@code onTick} from the control thread at any time, concurrently with a
 * change (see {@code CommandKind}). The upcall handler it gives the datapath is called by the PMD
 * threads concurrently with all of them. {@code ofproto} and {@code pool} are written once in
 * {@link #start} before the PMDs start; {@code barrierTimeouts} has one writer (the change thread)
 * and is volatile for {@code coverage/show}. The {@code Ofproto} serialises its changes itself and
 * publishes immutable snapshots that the PMDs and revalidators read.
 */
public final class OfprotoService implements AutoCloseable {
    /** Longest a table change waits for the datapath to follow it. */
    static final Duration BARRIER_TIMEOUT = Duration.ofSeconds(10);
    /** {@link #BARRIER_TIMEOUT} in seconds, for messages. */
    public static final long BARRIER_TIMEOUT_S = BARRIER_TIMEOUT.toSeconds();
    private static final Logger LOG = LoggerFactory.getLogger("jvswitchd");

    /** Checks the config's flow lines and keeps what it parsed for {@link #replaceFlows(String, List)}'s caller. */
    private final OfprotoFlowChecker flowChecker = new OfprotoFlowChecker(true);
    private Datapath dp;
    private Ofproto ofproto;
    private OfprotoRevalidation reval;
    private RevalidatorPool pool;
    private volatile long barrierTimeouts;
    private PortLiveness liveness = PortLiveness.ALL_LIVE;
    private Throwable lastReportedError;

    /**
     * The flow checker to load configs with: it keeps the adds it parsed, which
     * {@link ConfigFlows#flows(List, OfprotoFlowChecker)} takes when the config is applied; call
     * {@code forget()} once it is.
     */
    public OfprotoFlowChecker flowChecker() {
        return flowChecker;
    }

    /** One line for the startup log. */
    public String description() {
        return "OpenFlow (ofproto-xlate), " + (pool == null ? 0 : pool.config().threads()) + " revalidator thread(s)";
    }

    // ------------------------------------------------------------------ life cycle

    /**
     * Binds to the datapath (its flow API and ukeys), sets the datapath's upcall handler, and
     * starts the revalidator threads. The PMDs are not running yet.
     */
    public void start(Datapath datapath, RevalidatorSettings s) {
        start(datapath, s, PortLiveness.ALL_LIVE);
    }

    /**
     * As {@link #start(Datapath, RevalidatorSettings)}, with the ports' liveness (fast-failover
     * groups, bond members) answered by {@code liveness}; call {@link #onPortLivenessChanged} when
     * its answers change.
     */
    public void start(Datapath datapath, RevalidatorSettings s, PortLiveness liveness) {
        if (ofproto != null) {
            throw new IllegalStateException("ofproto already started");
        }
        this.dp = datapath;
        this.liveness = liveness;
        this.ofproto = new Ofproto(datapath.clock()::nanoTime, liveness);
        ofproto.ctTimeoutPolicies(datapath.conntrack().config()::timeoutPolicyId);
        // Neighbour request retries and refreshes go out through the datapath's packet execute.
        ofproto.packetExecutor(datapath::execute);
        // Meters run in the datapath's table, which the PMDs' meter actions read.
        ofproto.bindMeters(datapath.meters());
        datapath.upcallHandler(ofproto.upcallHandler());
        this.reval = new OfprotoRevalidation(ofproto);
        this.pool = new RevalidatorPool(datapath, reval, OfprotoConfigs.revalidatorConfig(s));
        // A next hop learned must replace its megaflows that dropped for want of it at once.
        ofproto.revalidatorWakeup(pool::wakeup);
        pool.start();
    }

    /** Applies changed revalidator tuning (max-idle, flow limit); a bridge's own settings come with {@link #setBridges}. */
    public void reconfigure(RevalidatorSettings s) {
        pool.reconfigure(OfprotoConfigs.revalidatorConfig(s));
    }

    /** Conntrack zone timeout policies changed: committing ct actions name them, so every megaflow is translated again. */
    public void onCtTimeoutPoliciesChanged() {
        if (ofproto != null) {
            ofproto.onCtTimeoutPoliciesChanged();
        }
    }

    /** A port's liveness changed: every megaflow is translated again by the revalidators. */
    public void onPortLivenessChanged() {
        if (ofproto != null) {
            ofproto.onPortLivenessChanged();
        }
    }

        /** Stops the revalidator threads. The datapath is still open. */
    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }

    // ------------------------------------------------------------------ bridges

    /** Replaces the set of bridges and their ports; bridges not listed are removed with their tables. */
    public void setBridges(List<BridgeView> bridges) throws OfprotoException {
        Set<String> wanted = new HashSet<>();
        for (BridgeView v : bridges) {
            wanted.add(v.name());
        }
        call(() -> {
            for (String b : ofproto.bridges()) {
                if (!wanted.contains(b)) {
                    ofproto.removeBridge(b);
                }
            }
            Set<String> existing = new HashSet<>(ofproto.bridges());
            for (BridgeView v : bridges) {
                BridgeConfig c = bridgeConfig(v);
                if (!existing.contains(v.name())) {
                    ofproto.addBridge(c);
                } else if (!c.equals(ofproto.bridgeConfig(v.name()))) {
                    ofproto.reconfigureBridge(c);
                }
            }
            return null;
        });
        awaitDatapath("bridges");
    }

    private BridgeConfig bridgeConfig(BridgeView v) {
        List<OfPort> ports = new ArrayList<>();
        boolean hasLocal = false;
        for (PortView p : v.ports()) {
            hasLocal |= p.ofport() == OfPorts.LOCAL;
            VlanMode mode = PortSpec.NATIVE_TAGGED.equals(p.vlanMode()) ? VlanMode.NATIVE_TAGGED
                    : PortSpec.NATIVE_UNTAGGED.equals(p.vlanMode()) ? VlanMode.NATIVE_UNTAGGED
                    : p.tag() >= 0 ? VlanMode.ACCESS : VlanMode.TRUNK;
            ports.add(new OfPort(p.ofport(), p.peer() != null ? OfPort.NO_DP_PORT : p.dpPort(), p.name(),
                    p.tag() >= 0 ? p.tag() : OfPort.NO_TAG, mode == VlanMode.ACCESS ? Set.of() : Set.copyOf(p.trunks()),
                    p.peer(), mode));
        }
        if (v.endpoint() && !hasLocal) {
            ports.add(OfPort.local(v.name()));
        }
        return OfprotoConfigs.bridgeConfig(v.name(), ports, v.settings(), bonds(v.ports()), mirrors(v));
    }

    /** The bridge's mirrors with port numbers; a port not in the bridge (not opened) is left out. */
    private static List<Mirror> mirrors(BridgeView v) {
        Map<String, Integer> ofports = new HashMap<>();
        for (PortView p : v.ports()) {
            ofports.put(p.name(), p.ofport());
        }
        List<Mirror> out = new ArrayList<>();
        for (BridgeMirror m : v.mirrors()) {
            Integer to = ofports.get(m.output());
            if (to != null) {
                out.add(new Mirror(m.name(), m.selectAll(), numbers(m.srcPorts(), ofports), numbers(m.dstPorts(), ofports),
                        to));
            }
        }
        return out;
    }

    private static int[] numbers(List<String> names, Map<String, Integer> ofports) {
        return names.stream().filter(ofports::containsKey).mapToInt(ofports::get).toArray();
    }

    /** The bonds of a bridge's ports: each {@link BondSpec} once, with its members' OpenFlow numbers. */
    private static List<Bond> bonds(List<PortView> ports) {
        Map<String, BondSpec> specs = new java.util.LinkedHashMap<>();
        Map<String, List<Integer>> members = new java.util.LinkedHashMap<>();
        Map<String, Integer> primaries = new java.util.HashMap<>();
        for (PortView p : ports) {
            BondSpec b = p.bond();
            if (b != null) {
                specs.putIfAbsent(b.name(), b);
                members.computeIfAbsent(b.name(), k -> new java.util.ArrayList<>()).add(p.ofport());
                if (p.name().equals(b.primary())) {
                    primaries.put(b.name(), p.ofport());
                }
            }
        }
        List<Bond> out = new java.util.ArrayList<>();
        for (BondSpec b : specs.values()) {
            Bond.Mode mode = b.mode().equals(BondSpec.ACTIVE_BACKUP) ? Bond.Mode.ACTIVE_BACKUP : Bond.Mode.BALANCE_SLB;
            int[] nos = members.get(b.name()).stream().mapToInt(Integer::intValue).toArray();
            out.add(new Bond(b.name(), mode, nos, primaries.getOrDefault(b.name(), Bond.NONE),
                    b.rebalanceIntervalMs()));
        }
        return out;
    }

    /**
     * Fails unless {@code bridge} exists: {@code no bridge named br9 (bridges: br0, br1)}. The
     * command handlers call it before they parse their text, so a wrong bridge is reported first.
     */
    public void checkBridge(String bridge) throws OfprotoException {
        List<String> all = call(() -> ofproto.bridges());
        if (!all.contains(bridge)) {
            throw new OfprotoException("no bridge named " + bridge + " (bridges: " + String.join(", ", all) + ")");
        }
    }

    // ------------------------------------------------------------------ tunnels

    /**
     * Gives the native tunnels the switch's endpoints, tunnel ports and the config file's routes
     * (the same again changes nothing); megaflows routed by the old ones are translated again.
     */
    public void configureTunnels(List<Endpoint> endpoints, List<TunnelPort> ports, List<RouteRequest> routes)
            throws OfprotoException {
        call(() -> {
            ofproto.configureTunnels(endpoints, ports, routes);
            return null;
        });
        awaitDatapath("tunnels");
    }

    /** The native tunnels: routes, neighbours, tunnel ports ({@code tnl/*}, {@code ovs/route/*}). */
    public NativeTunnels tunnels() throws OfprotoException {
        return call(() -> ofproto.tunnels());
    }

    /** {@code tnl/neigh/set}: sets the neighbour and sends the packets that waited for it. */
    public void setNeighbour(String bridge, IpAddress ip, long mac) throws OfprotoException {
        call(() -> {
            ofproto.sendPacketOuts(ofproto.tunnels().setNeighbour(bridge, ip, mac, ofproto.nowNs()));
            return null;
        });
    }

    /** The ofproto's clock (neighbour ages). */
    public long nowNs() {
        return ofproto.nowNs();
    }

    // ------------------------------------------------------------------ changes

    /**
     * Applies {@code mods} to {@code bridge} as one transaction ({@link Ofproto#apply}) and waits
     * until the datapath forwards by the result.
     *
     * @param what names the change in the barrier's timeout message, e.g. {@code ofctl/add-flow}
     */
    public ModResult apply(String bridge, List<? extends OfMod> mods, String what) throws OfprotoException {
        ModResult r = call(bridge, () -> ofproto.apply(bridge, mods));
        awaitDatapath(what);
        return r;
    }

    /**
     * Applies {@code mods} to {@code bridge} as one transaction and wakes the revalidators without
     * waiting for them: the OpenFlow channel's flow mods, as OVS applies them. The next upcall
     * translates against the new tables; the revalidators fix older megaflows right after.
     *
     * @throws IllegalArgumentException ofproto's one-line refusal; nothing changed
     */
    public ModResult applyWithoutBarrier(String bridge, List<? extends OfMod> mods) {
        if (ofproto == null) {
            throw new IllegalStateException("ofproto is not started");
        }
        ModResult r = ofproto.apply(bridge, mods);
        pool.wakeup();
        return r;
    }

    /**
     * Waits until the datapath forwards by the tables as they are now (the change barrier, as
     * every change here waits for; {@code revalidator/wait}); false if it did not confirm within
     * the barrier timeout.
     */
    public boolean awaitForwarding() {
        try {
            awaitDatapath("barrier");
            return true;
        } catch (OfprotoException e) {
            return false;
        }
    }

    /** The Ofproto for the OpenFlow channel's reads (flow stats, groups), on the change thread. */
    public Ofproto ofprotoForChannel() {
        return ofproto;
    }

    /** Makes the flow tables of {@code bridge} hold exactly what {@code adds} add ({@link Ofproto#replaceFlows}). */
    public ModResult replaceFlows(String bridge, List<FlowMod> adds) throws OfprotoException {
        ModResult r = call(bridge, () -> ofproto.replaceFlows(bridge, adds));
        awaitDatapath("flows of " + bridge);
        return r;
    }

    /**
     * Makes the groups of {@code bridge} exactly what {@code adds} add, as one transaction: new
     * groups are added, changed ones modified, missing ones deleted (with the rules that send to
     * them, as OpenFlow requires). Where two adds have one id the later wins.
     */
    public ModResult replaceGroups(String bridge, List<GroupMod> adds) throws OfprotoException {
        ModResult r = call(bridge, () -> {
            Map<Long, Group> before = new HashMap<>();
            for (Group g : ofproto.groups(bridge)) {
                before.put(g.groupId(), g);
            }
            Map<Long, Group> next = new LinkedHashMap<>();
            for (GroupMod m : adds) {
                if (m.command() != GroupMod.Command.ADD) {
                    throw new IllegalArgumentException("replacing groups takes adds, not a " + m.command());
                }
                next.put(m.groupId(), m.group());
            }
            List<GroupMod> mods = new ArrayList<>();
            for (Group g : next.values()) {
                Group old = before.get(g.groupId());
                if (old == null) {
                    mods.add(GroupMod.add(g));
                } else if (!old.equals(g)) {
                    mods.add(GroupMod.modify(g));
                }
            }
            for (Long id : before.keySet()) {
                if (!next.containsKey(id)) {
                    mods.add(GroupMod.delete(id));
                }
            }
            return ofproto.apply(bridge, mods);
        });
        awaitDatapath("groups of " + bridge);
        return r;
    }

    /**
     * Makes the meters of {@code bridge} exactly what {@code adds} add, as one transaction: new
     * meters are added, changed ones modified, missing ones deleted (with the rules that name
     * them, as OpenFlow requires); a meter that stays the same keeps its counters and bucket.
     */
    public ModResult replaceMeters(String bridge, List<MeterMod> adds) throws OfprotoException {
        ModResult r = call(bridge, () -> {
            Map<Long, Meter> next = new LinkedHashMap<>();
            for (MeterMod m : adds) {
                if (m.command() != MeterMod.Command.ADD) {
                    throw new IllegalArgumentException("replacing meters takes adds, not a " + m.command());
                }
                next.put(m.meterId(), m.meter());
            }
            List<MeterMod> mods = new ArrayList<>();
            for (dev.jvswitch.ofproto.meter.MeterEntry e : ofproto.meters(bridge)) {
                Meter want = next.remove(e.meterId());
                if (want == null) {
                    mods.add(MeterMod.delete(e.meterId()));
                } else if (!want.equals(e.config())) {
                    mods.add(new MeterMod(MeterMod.Command.MODIFY, want));
                }
            }
            for (Meter m : next.values()) {
                mods.add(new MeterMod(MeterMod.Command.ADD, m));
            }
            return mods.isEmpty() ? null : ofproto.apply(bridge, mods);
        });
        awaitDatapath("meters of " + bridge);
        return r;
    }

    // ------------------------------------------------------------------ dumps

    /** Every rule of {@code bridge} with its counters, table by table in lookup order. */
    public List<FlowStats> flowStats(String bridge) throws OfprotoException {
        return call(bridge, () -> ofproto.flowStats(bridge));
    }

    /** The rules {@code request} selects, with their counters. */
    public List<FlowStats> flowStats(String bridge, FlowStatsRequest request) throws OfprotoException {
        return call(bridge, () -> ofproto.flowStats(bridge, request));
    }

    /** Every group of {@code bridge}, by id. */
    public List<Group> groups(String bridge) throws OfprotoException {
        return call(bridge, () -> ofproto.groups(bridge));
    }

    /** Every meter of {@code bridge}, by id. */
    public List<dev.jvswitch.ofproto.meter.MeterEntry> meters(String bridge) throws OfprotoException {
        return call(bridge, () -> ofproto.meters(bridge));
    }

    /** The statistics of meter {@code meterId} of {@code bridge} ({@code Meter.ALL}: every meter). */
    public List<dev.jvswitch.ofproto.meter.MeterStats> meterStats(String bridge, long meterId)
            throws OfprotoException {
        return call(bridge, () -> ofproto.meterStats(bridge, meterId));
    }

    /**
     * {@code ofproto/trace}: {@code flow} (OpenFlow in_port) through {@code bridge}, or, with
     * {@code packet}, that packet's headers with the flow's metadata.
     *
     * @return the report in OVS's layout, ending with {@code Datapath actions: ...}
     */
    public String trace(String bridge, FlowKey flow, byte[] packet) throws OfprotoException {
        return call(bridge, () -> ofproto.tracer().trace(bridge, flow, packet));
    }

    /** {@link #trace(String, FlowKey, byte[])} with OVS's {@code --ct-next} states, in order. */
    public String trace(String bridge, FlowKey flow, byte[] packet, List<String> ctNext) throws OfprotoException {
        return call(bridge, () -> ofproto.tracer().trace(bridge, flow, packet, ctNext));
    }

    // ------------------------------------------------------------------ MAC learning

    /** The MAC learning table of {@code bridge} ({@code fdb/show}), ages as of now. */
    public List<MacTable.Entry> fdb(String bridge) throws OfprotoException {
        return call(bridge, () -> ofproto.macTable(bridge).entries(ofproto.nowNs()));
    }

    /** {@code fdb/flush}: empties the MAC table of {@code bridge}, or of every bridge if null. */
    public void fdbFlush(String bridge) throws OfprotoException {
        if (bridge != null) {
            checkBridge(bridge);
        }
        call(() -> {
            for (String b : bridge == null ? ofproto.bridges() : List.of(bridge)) {
                ofproto.macTable(b).flush();
            }
            return null;
        });
        awaitDatapath("fdb/flush");
    }

    // ------------------------------------------------------------------ bonds

    /**
     * Every bridge's bonds as they run, by bridge then bond name ({@link BondViews#states}). Any thread.
     */
    public List<BondState> bonds() {
        return ofproto == null ? new ArrayList<>() : BondViews.states(ofproto, liveness, dp);
    }

    /**
     * {@code bond/migrate}: bucket {@code hash} of balance-slb bond {@code bond} sends through
     * {@code member} from now on ({@link BondViews#migrate}); the revalidators are woken to move
     * its megaflows.
     *
     * @return null, or why not in OVS's words ({@code no such bond}, ...)
     */
    public String migrateBond(String bond, String hash, String member) {
        if (ofproto == null) {
            return "no such bond";
        }
        String problem = BondViews.migrate(ofproto, liveness, bond, hash, member);
        if (problem == null && pool != null) {
            pool.wakeup();
        }
        return problem;
    }

    // ------------------------------------------------------------------ observability

    /** What {@code upcall/show} prints: flows, limits and revalidator state. */
    public RevalidatorSnapshot upcalls() {
        return pool.snapshot();
    }

    /** Counters for {@code coverage/show}, by name. */
    public Map<String, Long> coverage() {
        Map<String, Long> c = new LinkedHashMap<>();
        OfprotoUpcallHandler h = ofproto.upcallHandler();
        c.put("upcall_handled", h.upcalls());
        c.put("xlate_error", h.errors());
        c.put("upcall_recirc_id_unknown", h.recircUnknown());
        c.put("upcall_controller", h.controllerPackets());
        c.put("upcall_packet_out", h.packetOuts());
        c.put("upcall_packet_out_dropped", h.packetOutsDropped());
        c.putAll(ofproto.tunnels().coverage());
        for (RevalidatorCounter rc : RevalidatorCounter.values()) {
            if (!rc.isGauge()) {
                c.put("revalidator_" + rc.name().toLowerCase(Locale.ROOT), pool.counter(rc));
            }
        }
        c.put("change_barrier_timeout", barrierTimeouts);
        return c;
    }

    /**
     * Control thread, every ~250 ms: logs a new revalidator error once. Rule timeouts and MAC
     * aging need no tick: the revalidators do them at the end of each cycle
     * ({@code OfprotoRevalidation#onCycleEnd}).
     */
    public void onTick(long nowMs) {
        Throwable e = pool.lastError();
        if (e != null && e != lastReportedError) {
            lastReportedError = e;
            LOG.warn("revalidator error: {}", e.toString());
        }
    }

    // ------------------------------------------------------------------ internals

    /** The Ofproto the daemon runs (tests). */
    Ofproto ofproto() {
        return ofproto;
    }

    /** The revalidators (tests). */
    RevalidatorPool revalidators() {
        return pool;
    }

    /**
     * Waits until the datapath forwards by the tables just published (the change barrier).
     * Without PMD threads nothing forwards, and no fence could run: nothing to wait for.
     */
    private void awaitDatapath(String what) throws OfprotoException {
        if (!dp.isRunning()) {
            return;
        }
        if (!pool.awaitRevalidated(reval.revalSeq(), BARRIER_TIMEOUT)) {
            barrierTimeouts++;
            throw new OfprotoException(what + ": changed, but the datapath did not confirm within "
                    + BARRIER_TIMEOUT.toSeconds() + " s that it forwards by the new tables");
        }
    }

    /** An Ofproto call whose one-line {@link IllegalArgumentException}s become service errors. */
    private interface Call<T> {
        T run();
    }

    /** As {@link #call(Call)}, first naming the bridges there are if {@code bridge} is not one. */
    private <T> T call(String bridge, Call<T> c) throws OfprotoException {
        checkBridge(bridge);
        return call(c);
    }

    private <T> T call(Call<T> c) throws OfprotoException {
        if (ofproto == null) {
            throw new OfprotoException("ofproto is not started");
        }
        try {
            return c.run();
        } catch (IllegalArgumentException e) {
            throw new OfprotoException(e.getMessage());
        }
    }
}
