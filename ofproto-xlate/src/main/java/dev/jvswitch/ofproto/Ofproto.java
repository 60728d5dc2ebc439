package dev.jvswitch.ofproto;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.mac.MacTable;
import dev.jvswitch.ofproto.syntax.FlowSpec;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.syntax.GroupSyntax;
import dev.jvswitch.ofproto.table.FlowFilter;
import dev.jvswitch.ofproto.table.OfTables;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.ofproto.table.TableMiss;
import dev.jvswitch.ofproto.tnl.TunnelOutput;
import dev.jvswitch.ofproto.trace.Trace;
import dev.jvswitch.ofproto.upcall.OfprotoUpcallHandler;
import dev.jvswitch.ofproto.upcall.RecircRegistry;
import dev.jvswitch.ofproto.xlate.OfTablesAdapter;
import dev.jvswitch.ofproto.xlate.PortLiveness;
import dev.jvswitch.ofproto.xlate.Xlate;
import dev.jvswitch.ofproto.xlate.XlateBridge;
import dev.jvswitch.ofproto.xlate.XlateSnapshot;

/**
 * The OpenFlow side of the switch (OVS's {@code ofproto}): bridges and their ports, flow tables,
 * groups and MAC tables, changed with ovs-ofctl strings, and the {@link OfprotoUpcallHandler}
 * that translates the datapath's misses against them.
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
 * <p><b>Thread-safety:</b> changes come from control threads and are serialised on this object
 * ({@code synchronized}); reads of the snapshot, the MAC tables and the counters are lock-free
 * or use their own locks, so PMDs never block on a change in progress.
 */
public final class Ofproto {
    private final LongSupplier nanoClock;
    private final RecircRegistry recircIds = new RecircRegistry();
    private final Xlate xlate;
    private final OfprotoUpcallHandler upcallHandler;
    private final Trace tracer;
    private final AtomicLong revalSeq = new AtomicLong();
    private final Map<String, BridgeConfig> configs = new LinkedHashMap<>();
    private final Map<String, OfTables> tables = new LinkedHashMap<>();
    private final Map<String, MacTable> macTables = new LinkedHashMap<>();
    private long version;
    private volatile XlateSnapshot current = new XlateSnapshot(0, List.of());

    /** An ofproto on {@code System.nanoTime()}, every port live, no tunnel ports. */
    public Ofproto() {
        this(System::nanoTime, PortLiveness.ALL_LIVE, TunnelOutput.NONE);
    }

    /**
     * @param nanoClock the monotonic clock of rule times and MAC aging
     * @param liveness  port liveness for fast-failover groups (call {@link #onPortLivenessChanged})
     * @param tunnels   the tunnel output hook
     */
    public Ofproto(LongSupplier nanoClock, PortLiveness liveness, TunnelOutput tunnels) {
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.xlate = new Xlate(recircIds, liveness, tunnels);
        this.upcallHandler = new OfprotoUpcallHandler(this::snapshot, revalSeq::get, xlate, nanoClock);
        this.tracer = new Trace(this::snapshot, xlate, recircIds, nanoClock);
    }

    // ------------------------------------------------------------------ bridges

    /** Adds a bridge with empty tables. */
    public synchronized void addBridge(BridgeConfig config) {
        if (configs.containsKey(config.name())) {
            throw new IllegalArgumentException("bridge " + config.name() + " already exists");
        }
        configs.put(config.name(), config);
        tables.put(config.name(), OfTables.empty());
        macTables.put(config.name(), new MacTable(config.macTableSize(), config.macAgingSec(), revalSeq));
        try {
            publish();
        } catch (IllegalArgumentException e) {
            configs.remove(config.name());
            tables.remove(config.name());
            macTables.remove(config.name());
            throw e;
        }
    }

    /**
     * Replaces a bridge's ports and NORMAL settings, keeping its tables and what its MAC table
     * learned on ports that remain.
     */
    public synchronized void reconfigureBridge(BridgeConfig config) {
        BridgeConfig old = bridgeConfig(config.name());
        configs.put(config.name(), config);
        try {
            publish();
        } catch (IllegalArgumentException e) {
            configs.put(config.name(), old);
            throw e;
        }
        MacTable mac = macTables.get(config.name());
        mac.configure(config.macTableSize(), config.macAgingSec());
        for (OfPort p : old.ports()) {
            if (!p.equals(config.byOfPort(p.ofPort()))) {
                mac.removePort(p.ofPort());
            }
        }
    }

    public synchronized void removeBridge(String name) {
        bridgeConfig(name);
        configs.remove(name);
        tables.remove(name);
        macTables.remove(name);
        publish();
    }

    /** @throws IllegalArgumentException if there is no such bridge */
    public synchronized BridgeConfig bridgeConfig(String bridge) {
        BridgeConfig c = configs.get(bridge);
        if (c == null) {
            throw new IllegalArgumentException("no bridge named '" + bridge + "'");
        }
        return c;
    }

    public synchronized List<String> bridges() {
        return new ArrayList<>(configs.keySet());
    }

    /** The MAC learning table of {@code bridge}. */
    public synchronized MacTable macTable(String bridge) {
        bridgeConfig(bridge);
        return macTables.get(bridge);
    }

    // ------------------------------------------------------------------ flows

    /** {@code ovs-ofctl add-flow}: parses {@code flow} and adds it (replacing the rule in its slot). */
    public void addFlow(String bridge, String flow) {
        addFlows(bridge, List.of(flow));
    }

    /** Adds many flows as one change (one new version). Nothing is added if one does not parse. */
    public void addFlows(String bridge, Collection<String> flows) {
        long now = nanoClock.getAsLong();
        List<Rule> rules = new ArrayList<>(flows.size());
        for (String f : flows) {
            rules.add(FlowSyntax.parseRule(f, now));
        }
        addRules(bridge, rules);
    }

    /**
     * Adds rules as one change; each replaces the rule with the same table, priority and match.
     *
     * @throws IllegalArgumentException if a rule names a group the bridge does not have
     */
    public synchronized void addRules(String bridge, Collection<Rule> rules) {
        OfTables.Transaction tx = tables(bridge).edit();
        for (Rule r : rules) {
            tx.add(r);
        }
        commit(bridge, tx);
    }

    /**
     * {@code ovs-ofctl mod-flows}: gives every rule the text selects its actions.
     *
     * @return how many rules changed
     */
    public synchronized int modFlows(String bridge, String flow, boolean strict) {
        FlowSpec spec = FlowSyntax.parseModify(flow);
        OfTables.Transaction tx = tables(bridge).edit();
        int n = tx.modify(spec.toFilter(), spec.actions(), strict).size();
        commit(bridge, tx);
        return n;
    }

    /**
     * {@code ovs-ofctl del-flows}: deletes every rule the text selects ({@code ""} selects all).
     *
     * @return how many rules went
     */
    public synchronized int delFlows(String bridge, String flow, boolean strict) {
        FlowFilter filter = flow.isBlank() ? FlowFilter.all() : FlowSyntax.parseDelete(flow).toFilter();
        OfTables.Transaction tx = tables(bridge).edit();
        int n = tx.delete(filter, strict).size();
        commit(bridge, tx);
        return n;
    }

    /** Removes the rules of every bridge whose idle or hard timeout has passed; returns them. */
    public synchronized List<Rule> expireFlows() {
        long now = nanoClock.getAsLong();
        List<Rule> gone = new ArrayList<>();
        for (String bridge : new ArrayList<>(tables.keySet())) {
            OfTables.Transaction tx = tables.get(bridge).edit();
            gone.addAll(tx.expire(now));
            commit(bridge, tx);
        }
        return gone;
    }

    /** What table {@code tableId} of {@code bridge} does with a packet no rule matches. */
    public synchronized void setTableMiss(String bridge, int tableId, TableMiss miss) {
        OfTables.Transaction tx = tables(bridge).edit();
        tx.setMiss(tableId, miss);
        commit(bridge, tx);
    }

    /** Every rule of {@code bridge}, table by table in lookup order. */
    public synchronized List<Rule> dumpFlows(String bridge) {
        return tables(bridge).rules();
    }

    /** The current tables of {@code bridge}. */
    public synchronized OfTables tables(String bridge) {
        bridgeConfig(bridge);
        return tables.get(bridge);
    }

    // ------------------------------------------------------------------ groups

    /** {@code ovs-ofctl add-group}. */
    public void addGroup(String bridge, String group) {
        addGroup(bridge, GroupSyntax.parse(group));
    }

    /** @throws IllegalArgumentException if the group exists or a bucket names a missing group */
    public synchronized void addGroup(String bridge, Group g) {
        OfTables.Transaction tx = tables(bridge).edit();
        tx.addGroup(g);
        commit(bridge, tx);
    }

    /** {@code ovs-ofctl mod-group}: replaces an existing group. */
    public synchronized void modGroup(String bridge, String group) {
        Group g = GroupSyntax.parse(group);
        OfTables.Transaction tx = tables(bridge).edit();
        tx.modifyGroup(g);
        commit(bridge, tx);
    }

    /** {@code ovs-ofctl del-groups group_id=N}: also deletes the rules that send to it. */
    public synchronized boolean delGroup(String bridge, long groupId) {
        OfTables.Transaction tx = tables(bridge).edit();
        boolean existed = tx.deleteGroup(groupId) != null;
        commit(bridge, tx);
        return existed;
    }

    public synchronized List<Group> dumpGroups(String bridge) {
        return tables(bridge).groups();
    }

    // ------------------------------------------------------------------ state for the datapath

    /** The current snapshot (a volatile load: acquire). */
    public XlateSnapshot snapshot() {
        return current;
    }

    /** Grows with every published change, every liveness change and every MAC table change. */
    public long revalSeq() {
        return revalSeq.get();
    }

    /** Port liveness changed (fast-failover and watched buckets): megaflows must revalidate. */
    public void onPortLivenessChanged() {
        revalSeq.incrementAndGet();
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

    /** The clock rule times and MAC aging use. */
    public long nowNs() {
        return nanoClock.getAsLong();
    }

    /** Builds the transaction's version and publishes it if anything changed. Caller holds the monitor. */
    private void commit(String bridge, OfTables.Transaction tx) {
        OfTables next = tx.build();
        if (next != tables.get(bridge)) {
            tables.put(bridge, next);
            publish();
        }
    }

    /** Builds and publishes the next snapshot. Caller holds the monitor. */
    private void publish() {
        long next = version + 1;
        List<XlateBridge> bridges = new ArrayList<>(configs.size());
        for (Map.Entry<String, BridgeConfig> e : configs.entrySet()) {
            String name = e.getKey();
            bridges.add(new XlateBridge(e.getValue(), new OfTablesAdapter(tables.get(name)), macTables.get(name)));
        }
        current = new XlateSnapshot(next, bridges);
        version = next;
        revalSeq.incrementAndGet();
    }
}
