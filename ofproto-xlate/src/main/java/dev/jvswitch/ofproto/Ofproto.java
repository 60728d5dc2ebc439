package dev.jvswitch.ofproto;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.PortConfigs;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.mac.MacTable;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowRemoved;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.mod.FlowStatsRequest;
import dev.jvswitch.ofproto.mod.GroupMod;
import dev.jvswitch.ofproto.mod.ModFailedException;
import dev.jvswitch.ofproto.mod.ModResult;
import dev.jvswitch.ofproto.mod.OfMod;
import dev.jvswitch.ofproto.mod.PortMod;
import dev.jvswitch.ofproto.table.FlowFilter;
import dev.jvswitch.ofproto.table.OfTables;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.ofproto.table.TableMiss;
import dev.jvswitch.ofproto.tnl.Endpoint;
import dev.jvswitch.ofproto.tnl.NativeTunnels;
import dev.jvswitch.ofproto.tnl.PacketOut;
import dev.jvswitch.ofproto.tnl.RouteRequest;
import dev.jvswitch.ofproto.tnl.TunnelPort;
import dev.jvswitch.ofproto.tnl.TunnelOutput;
import dev.jvswitch.ofproto.trace.Trace;
import dev.jvswitch.ofproto.upcall.OfprotoUpcallHandler;
import dev.jvswitch.ofproto.upcall.RecircRegistry;
import dev.jvswitch.ofproto.xlate.Learned;
import dev.jvswitch.ofproto.xlate.OfTablesAdapter;
import dev.jvswitch.ofproto.xlate.PortLiveness;
import dev.jvswitch.ofproto.xlate.Xlate;
import dev.jvswitch.ofproto.xlate.XlateBridge;
import dev.jvswitch.ofproto.xlate.XlateSnapshot;

/**
 * The OpenFlow side of the switch (OVS's {@code ofproto}): bridges and their ports, flow tables,
 * groups and MAC tables, and the {@link OfprotoUpcallHandler} that translates the datapath's
 * misses against them.
 *
 * <p><b>Changes are models.</b> Tables change only through the flow-mod model
 * ({@code dev.jvswitch.ofproto.mod}): {@link #apply} takes {@link FlowMod}s, {@link GroupMod}s and
 * {@link PortMod}s as one transaction and returns a {@link ModResult}; {@link #replaceFlows} makes
 * a table hold exactly a list of adds; dumps come back as {@link FlowStats} and {@link Group}s.
 * Whoever has text (ovs-ofctl syntax, config files) parses it first
 * ({@code dev.jvswitch.ofproto.syntax}); the OpenFlow channel decodes to the same records.
 * What translation cannot do yet (write_actions, clear_actions, write_metadata, port config bits)
 * is refused with a one-line message naming it.
 *
 * <p><b>Snapshots.</b> Every change builds a new immutable {@link XlateSnapshot} and publishes
 * it with a volatile store (release); each upcall reads it once with a volatile load (acquire)
 * and translates against that version throughout, so a PMD never waits for the control plane
 * and never sees half a change. Publishing also bumps {@link #revalSeq()}.
 *
 * <p><b>What revalidators watch.</b> A megaflow is current while {@link #revalSeq()} has not
 * moved since it was translated: it grows with the tables, groups, ports, port liveness and every
 * MAC table change that may alter a lookup's answer ({@link MacTable#seq()} grows it too), so
 * one number tells the revalidators (and the change barrier) when to translate again. Each
 * upcall records the value it read before it read the snapshot
 * ({@link dev.jvswitch.pmd.upcall.UpcallResult#revalSeq(long)}).
 *
 * <p><b>Thread-safety:</b> changes come from control threads and are serialised by one lock
 * ({@code changeLock}), held for the whole of a change (a reload of a million rules holds it
 * about a second). Nothing else waits for it:
 * <ul>
 *   <li>the state (bridges, their configs, tables and MAC tables) is one immutable map behind a
 *       volatile field, replaced whole by a change once it is done: {@link #bridges()},
 *       {@link #tables}, {@link #flowStats}, {@link #macTable} and the other reads take no lock
 *       and see a whole change or none of it;</li>
 *   <li>the snapshot PMDs translate against is published with a volatile store;</li>
 *   <li>{@link #expireFlows()}, which the revalidators call at the end of every cycle, only
 *       tries the lock: while a change runs it expires nothing and returns at once, so the
 *       revalidators keep cycling (idle expiry, the flow limit) through a long change, and the
 *       rules it skipped expire on a later cycle.</li>
 * </ul>
 */
public final class Ofproto {
    private final LongSupplier nanoClock;
    private final PortLiveness liveness;
    private final RecircRegistry recircIds = new RecircRegistry();
    private final Xlate xlate;
    private final NativeTunnels tunnels;
    private volatile BiConsumer<byte[], DpActions> packetExecutor = (frame, actions) -> { };
    private volatile Runnable revalidatorWakeup = () -> { };
    private final OfprotoUpcallHandler upcallHandler;
    private final Trace tracer;
    private final AtomicLong revalSeq = new AtomicLong();
    private volatile java.util.function.IntToLongFunction ctTimeoutPolicies = XlateSnapshot.NO_CT_TIMEOUT_POLICIES;
    private final ReentrantLock changeLock = new ReentrantLock();
    /** Every bridge by name, in the order added: replaced whole (volatile) under {@code changeLock}. */
    private volatile Map<String, Bridge> bridges = Map.of();
    /** Written under {@code changeLock}. */
    private long version;
    private volatile XlateSnapshot current = new XlateSnapshot(0, List.of());
    private volatile FlowRemovedListener flowRemovedListener = (bridge, removed) -> { };
    private final LearnedFlows learnedFlows = new LearnedFlows();
    /** Datapath meter ids and the datapath's meter table (see {@link #bindMeters}). */
    private final dev.jvswitch.ofproto.meter.DatapathMeters dpMeters = new dev.jvswitch.ofproto.meter.DatapathMeters();
    /** The tables a learn looks into and the publication of what it added (made once: no garbage per learn). */
    private final java.util.function.Function<String, OfTables> learnTables =
            name -> bridges.containsKey(name) ? bridge(name).tables() : null;
    private final java.util.function.BiConsumer<String, OfTables.Transaction> learnCommit =
            (name, tx) -> commit(name, tx, bridge(name).ports());

    /** Told of every rule that expired (idle or hard timeout), on the thread that expired it. */
    @FunctionalInterface
    public interface FlowRemovedListener {
        void onFlowRemoved(String bridge, FlowRemoved removed);
    }

    /** One bridge's state: immutable, so a reader holds a consistent one without a lock. */
    private record Bridge(BridgeConfig config, OfTables tables, MacTable mac, PortConfigs ports) {
        Bridge withConfig(BridgeConfig c) {
            return new Bridge(c, tables, mac, ports.keepPortsOf(c));
        }

        Bridge withTables(OfTables t) {
            return new Bridge(config, t, mac, ports);
        }

        Bridge withPorts(PortConfigs p) {
            return new Bridge(config, tables, mac, p);
        }
    }

    /** An ofproto on {@code System.nanoTime()}, every port live, native tunnels ({@link #tunnels()}). */
    public Ofproto() {
        this(System::nanoTime, PortLiveness.ALL_LIVE);
    }

    /**
     * An ofproto with native tunnels ({@link #tunnels()}): tunnel ports, endpoints, routes and
     * neighbours, whose changes grow {@link #revalSeq()}.
     *
     * @param nanoClock the monotonic clock of rule times, MAC and neighbour aging
     * @param liveness  port liveness for fast-failover groups (call {@link #onPortLivenessChanged})
     */
    public Ofproto(LongSupplier nanoClock, PortLiveness liveness) {
        this(nanoClock, liveness, null);
    }

    /**
     * @param nanoClock the monotonic clock of rule times and MAC aging
     * @param liveness  port liveness for fast-failover groups (call {@link #onPortLivenessChanged})
     * @param tunnels   the tunnel output hook; null for native tunnels ({@link #tunnels()})
     */
    public Ofproto(LongSupplier nanoClock, PortLiveness liveness, TunnelOutput tunnels) {
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.liveness = Objects.requireNonNull(liveness, "liveness");
        this.tunnels = tunnels == null ? new NativeTunnels(this::revalidateSoon) : null;
        this.xlate = new Xlate(recircIds, liveness, tunnels == null ? this.tunnels : tunnels);
        this.upcallHandler = new OfprotoUpcallHandler(this::snapshot, revalSeq::get, xlate, nanoClock);
        this.upcallHandler.learnSink(this::learn);
        this.upcallHandler.meters(dpMeters::table);
        this.tracer = new Trace(this::snapshot, xlate, recircIds, nanoClock,
                port -> this.tunnels == null ? null : this.tunnels.tunnelOps(port));
    }

    // ------------------------------------------------------------------ bridges

    /** Adds a bridge with empty tables. */
    public void addBridge(BridgeConfig config) {
        changeLock.lock();
        try {
            if (bridges.containsKey(config.name())) {
                throw new IllegalArgumentException("bridge " + config.name() + " already exists");
            }
            Map<String, Bridge> next = new LinkedHashMap<>(bridges);
            next.put(config.name(), new Bridge(config, withPrefixes(OfTables.empty(), config),
                    new MacTable(config.macTableSize(), config.macAgingSec(), this::revalidateSoon), PortConfigs.NONE));
            publish(next);
        } finally {
            changeLock.unlock();
        }
    }

    /**
     * Replaces a bridge's ports, NORMAL settings and table prefix fields, keeping its rules and
     * what its MAC table learned on ports that remain. A table whose prefix fields change gets its
     * tries built again (O(its rules)) in the same published version.
     */
    public void reconfigureBridge(BridgeConfig config) {
        changeLock.lock();
        try {
            Bridge old = bridge(config.name());
            config.carryBondsFrom(old.config());
            Map<String, Bridge> next = new LinkedHashMap<>(bridges);
            next.put(config.name(), old.withConfig(config).withTables(withPrefixes(old.tables(), config)));
            publish(next);
            MacTable mac = old.mac();
            mac.configure(config.macTableSize(), config.macAgingSec());
            for (OfPort p : old.config().ports()) {
                if (!p.equals(config.byOfPort(p.ofPort()))) {
                    mac.removePort(p.ofPort());
                }
            }
        } finally {
            changeLock.unlock();
        }
    }

    /** {@code t} with the prefix fields {@code config} gives each table (tries rebuilt where they change). */
    private static OfTables withPrefixes(OfTables t, BridgeConfig config) {
        OfTables.Transaction tx = t.edit();
        for (int id = 0; id <= BridgeConfig.MAX_TABLE_ID; id++) {
            tx.setPrefixFields(id, config.prefixes(id));
        }
        return tx.build();
    }

    public void removeBridge(String name) {
        changeLock.lock();
        try {
            Bridge gone = bridge(name);
            Map<String, Bridge> next = new LinkedHashMap<>(bridges);
            next.remove(name);
            publish(next);
            for (dev.jvswitch.ofproto.meter.MeterEntry m : gone.tables().meters()) {
                dpMeters.delete(m.dpId());
            }
        } finally {
            changeLock.unlock();
        }
    }

    /** @throws IllegalArgumentException if there is no such bridge */
    public BridgeConfig bridgeConfig(String bridge) {
        return bridge(bridge).config();
    }

    public List<String> bridges() {
        return new ArrayList<>(bridges.keySet());
    }

    /** The MAC learning table of {@code bridge}. */
    public MacTable macTable(String bridge) {
        return bridge(bridge).mac();
    }

    private Bridge bridge(String name) {
        Bridge b = bridges.get(name);
        if (b == null) {
            throw new IllegalArgumentException("no bridge named '" + name + "'");
        }
        return b;
    }

    // ------------------------------------------------------------------ changes

    /**
     * Applies {@code mods} to {@code bridge} as one transaction: each sees the ones before it,
     * and together they become one new table version (one snapshot, one {@link #revalSeq()}
     * step), or, if one fails, nothing changes. See {@link FlowMod}, {@link GroupMod} and
     * {@link PortMod} for what each does.
     *
     * @return what changed, with every rule removed and its last statistics
     * @throws ModFailedException (an {@link IllegalArgumentException}) naming the mod at fault
     *                                  by its index, with a one-line message
     * @throws IllegalArgumentException with a one-line message: no such bridge, a group or port
     *                                  that does not exist, an overlap under {@code check_overlap},
     *                                  or what translation cannot do yet
     *                                  ({@code write_actions is not supported yet})
     */
    public ModResult apply(String bridge, List<? extends OfMod> mods) {
        changeLock.lock();
        try {
            ModTransaction t = begin(bridge);
            try {
                for (int i = 0; i < mods.size(); i++) {
                    try {
                        t.apply(mods.get(i));
                    } catch (ModFailedException e) {
                        throw e;
                    } catch (IllegalArgumentException e) {
                        throw new ModFailedException(i, e.getMessage(), e);
                    }
                }
                for (Rule r : LearnedFlows.deleteLearned(t.tables(), t.removedRules())) {
                    t.removed(r, FlowRemoved.Reason.DELETE);
                }
            } catch (RuntimeException e) {
                t.meterChanges().abandon();
                throw e;
            }
            commit(bridge, t.tables(), t.ports(), t.meterChanges());
            return t.result();
        } finally {
            changeLock.unlock();
        }
    }

    /**
     * The OpenFlow config bits ({@code OFPPC_*}) port mods set on port {@code ofPort} of
     * {@code bridge}: 0 for a port no mod touched.
     */
    public int portConfig(String bridge, int ofPort) {
        Bridge b = bridges.get(bridge);
        return b == null ? 0 : b.ports().bits(ofPort);
    }

    /** {@link #apply(String, List)} of one mod. */
    public ModResult apply(String bridge, OfMod mod) {
        return apply(bridge, List.of(mod));
    }

    /**
     * Makes the flow tables of {@code bridge} hold exactly what {@code adds} add (what
     * {@code ovs-ofctl replace-flows} does), as one version: a rule already there with the same
     * definition stays, with its counters; the others are added (replacing the rule in their slot)
     * and the rules no add names are deleted. Where two adds have one slot the later wins, as if
     * they were added one after the other. A packet never meets a half-replaced or empty table.
     *
     * <p>Cost: O(n) in old and new rules ({@link OfTables.Transaction#replace}: the new tables are
     * built in one pass, probing the old ones per add and the new ones per old rule); no text, no
     * sorting. Replacing by an identical set publishes nothing.
     *
     * @param adds flow mods with {@link FlowMod.Command#ADD}
     * @return added (new or changed) and deleted counts, with the deleted rules
     * @throws IllegalArgumentException as {@link #apply}; nothing changes then
     */
    public ModResult replaceFlows(String bridge, List<FlowMod> adds) {
        changeLock.lock();
        try {
            ModTransaction t = begin(bridge);
            for (FlowMod fm : adds) {
                if (fm.command() != FlowMod.Command.ADD) {
                    throw new IllegalArgumentException("a rule is made by an add, not a " + fm.command());
                }
            }
            t.replaced(t.tables().replace(adds, t.nowNs()));
            for (Rule r : LearnedFlows.deleteLearned(t.tables(), t.removedRules())) {
                t.removed(r, FlowRemoved.Reason.DELETE);
            }
            commit(bridge, t.tables(), t.ports());
            return t.result();
        } finally {
            changeLock.unlock();
        }
    }

    /** A transaction on {@code bridge}'s current tables. Caller holds {@code changeLock}. */
    private ModTransaction begin(String bridge) {
        Bridge b = bridge(bridge);
        return new ModTransaction(b.tables().edit(), b.config(), b.ports(), nanoClock.getAsLong(),
                new MeterChanges(dpMeters));
    }

    /**
     * Checks that this ofproto can apply {@code fm} wherever it is sent (a check that needs no
     * bridge: the instructions translation does).
     *
     * @throws IllegalArgumentException naming what is not supported yet
     */
    public static void validate(FlowMod fm) {
        if (!fm.command().isDelete()) {
            Rule.actionsOf(fm.instructions());
        }
    }

    /** Who is told of expired rules from now on (the OpenFlow channel's flow-removed messages). */
    public void flowRemovedListener(FlowRemovedListener l) {
        this.flowRemovedListener = l == null ? (bridge, removed) -> { } : l;
    }

    /**
     * Removes the rules of every bridge whose idle or hard timeout has passed; returns them, and
     * tells the {@link #flowRemovedListener} of each.
     * Returns at once, expiring nothing, when no rule has a timeout or while a change holds the
     * tables (the revalidators call this every cycle and must not wait for a reload).
     */
    public List<FlowRemoved> expireFlows() {
        boolean any = false;
        for (Bridge b : bridges.values()) {
            any |= b.tables().timedRuleCount() > 0;
        }
        if (!any || !changeLock.tryLock()) {
            return List.of();
        }
        try {
            long now = nanoClock.getAsLong();
            List<FlowRemoved> gone = new ArrayList<>();
            for (String bridge : new ArrayList<>(bridges.keySet())) {
                OfTables.Transaction tx = bridge(bridge).tables().edit();
                List<FlowRemoved> here = new ArrayList<>();
                List<Rule> expired = tx.expire(now);
                for (Rule r : expired) {
                    here.add(new FlowRemoved(r.flowStats(now), r.hardExpired(now) ? FlowRemoved.Reason.HARD_TIMEOUT
                            : FlowRemoved.Reason.IDLE_TIMEOUT));
                }
                for (Rule r : LearnedFlows.deleteLearned(tx, expired)) {
                    here.add(new FlowRemoved(r.flowStats(now), FlowRemoved.Reason.DELETE));
                }
                commit(bridge, tx, bridge(bridge).ports());
                gone.addAll(here);
                FlowRemovedListener l = flowRemovedListener;
                for (FlowRemoved fr : here) {
                    l.onFlowRemoved(bridge, fr);
                }
            }
            return gone;
        } finally {
            changeLock.unlock();
        }
    }

    /**
     * Applies flows {@code learn} actions made ({@link LearnedFlows}): now if the tables are free,
     * else at the next offer or the revalidators' next cycle end. Never waits for a change.
     */
    public void learn(List<Learned> flows) {
        learnedFlows.offer(flows);
        drainLearned();
    }

    /** Applies the learned flows still queued, if the tables are free; the revalidators call it every cycle. */
    public void drainLearned() {
        if (!learnedFlows.hasPending() || !changeLock.tryLock()) {
            return;
        }
        try {
            learnedFlows.drain(nanoClock.getAsLong(), learnTables, learnCommit);
        } finally {
            changeLock.unlock();
        }
    }

    /** Flows learned (added), refreshed, and refused (limit) so far, in that order. */
    public long[] learnCounts() {
        return new long[] {learnedFlows.learnedCount(), learnedFlows.refreshedCount(), learnedFlows.refusedCount()};
    }

    /** What table {@code tableId} of {@code bridge} does with a packet no rule matches. */
    public void setTableMiss(String bridge, int tableId, TableMiss miss) {
        changeLock.lock();
        try {
            OfTables.Transaction tx = tables(bridge).edit();
            tx.setMiss(tableId, miss);
            commit(bridge, tx, bridge(bridge).ports());
        } finally {
            changeLock.unlock();
        }
    }

    // ------------------------------------------------------------------ dumps

    /** Every rule of {@code bridge} as flow stats, table by table in lookup order. */
    public List<FlowStats> flowStats(String bridge) {
        return flowStats(bridge, FlowStatsRequest.all());
    }

    /** The rules {@code request} selects, as flow stats, table by table in lookup order. */
    public List<FlowStats> flowStats(String bridge, FlowStatsRequest request) {
        OfTables t = tables(bridge);
        long now = nanoClock.getAsLong();
        FlowFilter filter = FlowFilter.of(request);
        List<FlowStats> out = new ArrayList<>();
        for (Rule r : t.rules()) {
            if (filter.selects(r, false)) {
                out.add(r.flowStats(now));
            }
        }
        return out;
    }

    /** Every rule of {@code bridge}, table by table in lookup order (the live objects, with their counters). */
    public List<Rule> rules(String bridge) {
        return tables(bridge).rules();
    }

    /** The current tables of {@code bridge}. */
    public OfTables tables(String bridge) {
        return bridge(bridge).tables();
    }

    /** Every meter of {@code bridge}, by id (what {@code dump-meters} reports). */
    public List<dev.jvswitch.ofproto.meter.MeterEntry> meters(String bridge) {
        return tables(bridge).meters();
    }

    /** The statistics of meter {@code meterId} of {@code bridge} ({@code Meter.ALL}: every meter), by id. */
    public List<dev.jvswitch.ofproto.meter.MeterStats> meterStats(String bridge, long meterId) {
        return MeterChanges.stats(tables(bridge), dpMeters.table(), meterId, nanoClock.getAsLong());
    }

    /**
     * Runs the datapath's meter table from now on ({@code datapath.meters()}); the meters made
     * before are set in it. Until then meters run in a table of their own (tests, trace).
     */
    public void bindMeters(dev.jvswitch.pmd.meter.DpMeters datapath) {
        changeLock.lock();
        try {
            List<dev.jvswitch.ofproto.meter.MeterEntry> all = new ArrayList<>();
            for (Bridge b : bridges.values()) {
                all.addAll(b.tables().meters());
            }
            dpMeters.bind(datapath, all);
        } finally {
            changeLock.unlock();
        }
    }

    /** Every group of {@code bridge}, by id (what {@code dump-groups} reports). */
    public List<Group> groups(String bridge) {
        return tables(bridge).groups();
    }

    // ------------------------------------------------------------------ state for the datapath

    /** The current snapshot (a volatile load: acquire). */
    public XlateSnapshot snapshot() {
        return current;
    }

    /**
     * Moves balance-slb bond buckets whose rebalance is due ({@link BondRebalance}); the
     * revalidator leader calls it at the end of a cycle, with every flow's statistics pushed.
     *
     * @return the number of buckets moved
     */
    public int rebalanceBonds() {
        List<BridgeConfig> configs = new ArrayList<>();
        for (Bridge b : bridges.values()) {
            configs.add(b.config());
        }
        return BondRebalance.run(configs, liveness, nowNs() / 1_000_000L);
    }

    /** Grows with every published change, every liveness change and every MAC table change. */
    public long revalSeq() {
        return revalSeq.get();
    }

    /**
     * Where translation reads a conntrack zone's timeout policy id (the datapath's, once it
     * exists); takes effect with the next published change, or at once with
     * {@link #onCtTimeoutPoliciesChanged}.
     */
    public void ctTimeoutPolicies(java.util.function.IntToLongFunction ids) {
        this.ctTimeoutPolicies = Objects.requireNonNull(ids, "ids");
    }

    /** Zone timeout policies changed (they print in committing ct actions): megaflows must revalidate. */
    public void onCtTimeoutPoliciesChanged() {
        changeLock.lock();
        try {
            publish(bridges);
        } finally {
            changeLock.unlock();
        }
    }

    /** Port liveness changed (fast-failover and watched buckets): megaflows must revalidate. */
    public void onPortLivenessChanged() {
        revalidateSoon();
    }

    /** Run when {@link #revalSeq()} moves for a neighbour, route, port liveness or MAC table change: the pool's wakeup. */
    public void revalidatorWakeup(Runnable wakeup) {
        this.revalidatorWakeup = Objects.requireNonNull(wakeup, "wakeup");
    }

    private void revalidateSoon() {
        revalSeq.incrementAndGet();
        revalidatorWakeup.run();
    }

    /** The handler to give the datapath ({@code new Datapath(config, pool, ofproto.upcallHandler())}). */
    public OfprotoUpcallHandler upcallHandler() {
        return upcallHandler;
    }

    public Xlate xlate() {
        return xlate;
    }

    /** {@code ofproto/trace} over this ofproto's snapshots (never changes the switch). */
    public Trace tracer() {
        return tracer;
    }

    public RecircRegistry recircIds() {
        return recircIds;
    }

    /** The native tunnels (routes, neighbours, tunnel ports), or null with a custom tunnel hook. */
    public NativeTunnels tunnels() {
        return tunnels;
    }

    /**
     * Where packets the switch sends on its own go outside an upcall (neighbour request retries
     * and refreshes): the datapath's packet execute. Until set they are discarded.
     */
    public void packetExecutor(BiConsumer<byte[], DpActions> executor) {
        this.packetExecutor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * Configures the native tunnels ({@link NativeTunnels#configure}) and sends the endpoints'
     * announcements through the packet executor.
     */
    public void configureTunnels(List<Endpoint> endpoints, List<TunnelPort> ports, List<RouteRequest> routes) {
        sendPacketOuts(tunnels.configure(endpoints, ports, routes), nanoClock.getAsLong());
    }

    /**
     * Sends the packets a translation asked for outside an upcall (a controller's packet-out
     * that needs a tunnel's next hop: the ARP or ND request, as OVS sends it), each translated
     * through its bridge from LOCAL, through the packet executor.
     */
    public void sendPacketOuts(List<PacketOut> packets) {
        if (!packets.isEmpty()) {
            sendPacketOuts(packets, nanoClock.getAsLong());
        }
    }

    private void sendPacketOuts(List<PacketOut> packets, long now) {
        XlateSnapshot snap = current;
        for (PacketOut p : packets) {
            DpActions actions = xlate.translateSent(snap, p, now);
            if (!actions.isDrop()) {
                packetExecutor.accept(p.frame(), actions);
            }
        }
    }

    /**
     * Tunnel housekeeping (the revalidators run it at the end of each cycle): ages the neighbour
     * cache and sends the neighbour requests due, each translated through its bridge from LOCAL.
     */
    public void onTunnelTick() {
        if (tunnels == null) {
            return;
        }
        long now = nanoClock.getAsLong();
        sendPacketOuts(tunnels.onTick(now), now);
    }

    /** The clock rule times and MAC aging use. */
    public long nowNs() {
        return nanoClock.getAsLong();
    }

    /** Builds the transaction's version and publishes it if anything changed. Caller holds {@code changeLock}. */
    private void commit(String bridge, OfTables.Transaction tx, PortConfigs ports) {
        commit(bridge, tx, ports, null);
    }

    /** As above, with the datapath side of the transaction's meter mods around the publication. */
    private void commit(String bridge, OfTables.Transaction tx, PortConfigs ports, MeterChanges meters) {
        Bridge b = bridge(bridge);
        OfTables next = tx.build();
        if (meters != null) {
            meters.beforePublish(next);
        }
        if (next != b.tables() || !ports.equals(b.ports())) {
            Map<String, Bridge> all = new LinkedHashMap<>(bridges);
            all.put(bridge, b.withTables(next).withPorts(ports));
            publish(all);
        }
        if (meters != null) {
            meters.afterPublish();
        }
    }

    /**
     * Builds and publishes the snapshot of {@code next} (the bridges after a change) and then the
     * state readers see; if the snapshot cannot be built (a refused bridge config) it throws and
     * nothing is published. Caller holds {@code changeLock}.
     */
    private void publish(Map<String, Bridge> next) {
        long v = version + 1;
        List<XlateBridge> xb = new ArrayList<>(next.size());
        for (Bridge b : next.values()) {
            xb.add(new XlateBridge(b.config(), new OfTablesAdapter(b.tables()), b.mac(), b.ports()));
        }
        XlateSnapshot snapshot = new XlateSnapshot(v, xb, ctTimeoutPolicies);
        bridges = Collections.unmodifiableMap(next);
        current = snapshot;
        version = v;
        revalSeq.incrementAndGet();
    }
}
