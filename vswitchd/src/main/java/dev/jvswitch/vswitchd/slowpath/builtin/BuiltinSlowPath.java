package dev.jvswitch.vswitchd.slowpath.builtin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.port.PortOptions;
import dev.jvswitch.pmd.upcall.UpcallHandler;
import dev.jvswitch.pmd.upcall.UpcallOutcome;
import dev.jvswitch.pmd.upcall.UpcallResult;
import dev.jvswitch.vswitchd.slowpath.BridgeView;
import dev.jvswitch.vswitchd.slowpath.BridgeView.PortView;
import dev.jvswitch.vswitchd.slowpath.SlowPath;
import dev.jvswitch.vswitchd.slowpath.SlowPathException;
import dev.jvswitch.vswitchd.slowpath.SlowPathSettings;

/**
 * The slow path the daemon runs until the OpenFlow one (ofproto-xlate) is plugged in: one table
 * per bridge with the small part of ovs-ofctl syntax {@link BuiltinFlowSyntax} reads, and a plain
 * L2 learning switch behind {@code actions=normal} ({@link BuiltinXlate}), enough for a switch
 * that forwards between hosts. No groups, no VLANs, no revalidator threads: the control thread's
 * tick does their work ({@link BuiltinRevalidator}).
 *
 * <p><b>Thread-safety:</b> the tables are an immutable {@link BuiltinTables} in a volatile field,
 * replaced by the control thread, read once per upcall by the PMDs. A change is published in two
 * steps: (1) store the new tables, (2) increment {@link #version()}. An upcall reads the version
 * first and the tables second and records the version in its ukey, so a flow recorded with the
 * new version was surely translated by the new tables. Table changes then wait for every PMD to
 * finish what it was doing (a datapath barrier) and revalidate every flow of an older version
 * before returning. MAC learning (PMDs) bumps the version too; the next tick revalidates. The
 * upcall counters are atomic. Everything else is control-thread only.
 */
public final class BuiltinSlowPath implements SlowPath {
    private static final String NO_GROUPS = "groups are not available with the built-in slow path (they come "
            + "with the OpenFlow slow path, ofproto-xlate)";
    private static final String NO_VLANS = "VLAN tag and trunks are not available with the built-in slow path "
            + "(they come with the OpenFlow slow path, ofproto-xlate)";

    private final AtomicLong version = new AtomicLong(1);
    private final AtomicLong upcalls = new AtomicLong();
    private final AtomicLong upcallsNoBridge = new AtomicLong();
    private final AtomicLong tableMisses = new AtomicLong();
    private final Handler handler = new Handler();
    private volatile BuiltinTables tables = BuiltinTables.EMPTY;
    private volatile SlowPathSettings settings = new SlowPathSettings(10_000, 1, 200_000, 2048, 300);
    private volatile Datapath dp;
    private BuiltinRevalidator revalidator;

    @Override
    public String description() {
        return "built-in slow path (one table per bridge, L2 learning switch as NORMAL; stand-in for ofproto-xlate)";
    }

    // ------------------------------------------------------------------ validation

    @Override
    public String checkFlow(String flow) {
        try {
            BuiltinFlowSyntax.parseRule(flow, 0);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Override
    public String checkGroup(String group) {
        return NO_GROUPS;
    }

    @Override
    public String checkVlans() {
        return NO_VLANS;
    }

    // ------------------------------------------------------------------ life cycle

    @Override
    public UpcallHandler upcallHandler() {
        return handler;
    }

    @Override
    public void start(Datapath datapath, SlowPathSettings s) {
        this.dp = datapath;
        this.settings = s;
        this.revalidator = new BuiltinRevalidator(this, datapath);
    }

    @Override
    public void reconfigure(SlowPathSettings s) {
        settings = s;
        for (BridgeState b : tables.byName.values()) {
            b.macs.capacity(s.macTableSize());
        }
    }

    @Override
    public void close() {
        // No threads of its own.
    }

    // ------------------------------------------------------------------ tables

    @Override
    public void setBridges(List<BridgeView> bridges) {
        Map<String, BridgeState> next = new LinkedHashMap<>();
        for (BridgeView v : bridges) {
            BridgeState old = tables.byName.get(v.name());
            MacTable macs = old != null ? old.macs : new MacTable(settings.macTableSize());
            if (old != null) {
                Set<Integer> kept = new HashSet<>();
                for (PortView p : v.ports()) {
                    kept.add(p.dpPort());
                }
                for (PortView p : old.ports) {
                    if (!kept.contains(p.dpPort())) {
                        macs.forgetPort(p.dpPort());
                    }
                }
            }
            next.put(v.name(), new BridgeState(v.name(), v.ports(), old != null ? old.rules : List.of(), macs));
        }
        publish(new BuiltinTables(next));
    }

    @Override
    public void replaceFlows(String bridge, List<String> flows) throws SlowPathException {
        BridgeState b = bridge(bridge);
        List<BuiltinRule> rules = new ArrayList<>();
        for (String f : flows) {
            BuiltinRule r = parse(f);
            rules.removeIf(r::sameSlot);
            rules.add(r);
        }
        publish(tables.with(b.withRules(rules)));
    }

    @Override
    public void replaceGroups(String bridge, List<String> groups) throws SlowPathException {
        bridge(bridge);
        if (!groups.isEmpty()) {
            throw new SlowPathException(NO_GROUPS);
        }
    }

    @Override
    public void addFlow(String bridge, String flow) throws SlowPathException {
        BridgeState b = bridge(bridge);
        BuiltinRule r = parse(flow);
        List<BuiltinRule> rules = new ArrayList<>(b.rules);
        rules.removeIf(r::sameSlot);
        rules.add(r);
        publish(tables.with(b.withRules(rules)));
    }

    @Override
    public int delFlows(String bridge, String match) throws SlowPathException {
        BridgeState b = bridge(bridge);
        BuiltinMatch sel;
        try {
            sel = match == null || match.isBlank() ? BuiltinMatch.ALL : BuiltinFlowSyntax.parseMatch(match);
        } catch (IllegalArgumentException e) {
            throw new SlowPathException(e.getMessage());
        }
        List<BuiltinRule> rules = new ArrayList<>(b.rules);
        int before = rules.size();
        rules.removeIf(r -> sel.selects(r.match));
        publish(tables.with(b.withRules(rules)));
        return before - rules.size();
    }

    @Override
    public String dumpFlows(String bridge) throws SlowPathException {
        BridgeState b = bridge(bridge);
        long now = nowMs();
        StringBuilder sb = new StringBuilder();
        for (BuiltinRule r : b.rules) {
            long idleMs = now - Math.max(r.createdMs, r.usedMs);
            sb.append(String.format(Locale.ROOT, " cookie=0x0, duration=%.3fs, table=0, n_packets=%d, n_bytes=%d, "
                    + "idle_age=%d, %s%n", (now - r.createdMs) / 1000.0, r.packets, r.bytes, idleMs / 1000, r.flowText()));
        }
        return sb.toString();
    }

    @Override
    public void addGroup(String bridge, String group) throws SlowPathException {
        bridge(bridge);
        throw new SlowPathException("ofctl/add-group: " + NO_GROUPS);
    }

    @Override
    public String dumpGroups(String bridge) throws SlowPathException {
        bridge(bridge);
        throw new SlowPathException("ofctl/dump-groups: " + NO_GROUPS);
    }

    @Override
    public String trace(String bridge, String flow, String packetHex) throws SlowPathException {
        return BuiltinTrace.trace(bridge(bridge), flow, packetHex, requireDp().pool(), nowMs());
    }

    @Override
    public String fdbShow(String bridge) throws SlowPathException {
        BridgeState b = bridge(bridge);
        long now = nowMs();
        List<MacTable.Entry> entries = b.macs.snapshot();
        entries.sort(Comparator.<MacTable.Entry>comparingInt(e -> e.dpPort).thenComparingLong(e -> e.mac));
        StringBuilder sb = new StringBuilder(" port  VLAN  MAC                Age\n");
        for (MacTable.Entry e : entries) {
            PortView p = b.byDpPort(e.dpPort);
            sb.append(String.format(Locale.ROOT, "%5s  %4d  %s  %3d%n", p == null ? "?" : Integer.toString(p.ofport()),
                    0, PortOptions.formatMac(e.mac), Math.max(0, now - e.seenMs) / 1000));
        }
        return sb.toString();
    }

    @Override
    public void fdbFlush(String bridge) throws SlowPathException {
        if (bridge != null) {
            bridge(bridge).macs.flush();
        } else {
            for (BridgeState b : tables.byName.values()) {
                b.macs.flush();
            }
        }
        bumpVersion();
        barrierAndRevalidate();
    }

    @Override
    public String upcallShow() {
        int flows = dp == null ? 0 : dp.flows().count();
        BuiltinRevalidator r = revalidator;
        StringBuilder sb = new StringBuilder("jvswitch (built-in slow path):\n");
        sb.append("  flows         : (current ").append(flows).append(") (max ")
                .append(r == null ? flows : Math.max(flows, r.flowsMax)).append(") (limit ")
                .append(dp == null ? settings.flowLimit() : dp.config().flowLimit()).append(")\n");
        sb.append("  revalidators  : none; the control thread's tick (every 250 ms) expires flows idle over ")
                .append(settings.maxIdleMs()).append(" ms and revalidates after table or MAC changes\n");
        if (r != null) {
            sb.append("  tick duration : ").append(r.lastPassNs / 1_000).append(" us (").append(r.passes)
                    .append(" ticks)\n");
            sb.append("  deleted       : idle ").append(r.deletedIdle).append(", revalidation ")
                    .append(r.deletedRevalidate).append('\n');
            sb.append("  modified      : ").append(r.modified).append('\n');
        }
        return sb.toString();
    }

    @Override
    public void onTick(long nowMs) {
        if (revalidator != null) {
            SlowPathSettings s = settings;
            revalidator.onTick(nowMs, s.maxIdleMs(), s.macAgingSec() * 1000L);
        }
    }

    @Override
    public Map<String, Long> coverage() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("xlate_upcalls", upcalls.get());
        c.put("xlate_upcall_no_bridge", upcallsNoBridge.get());
        c.put("xlate_table_miss", tableMisses.get());
        long learned = 0;
        long moved = 0;
        long evicted = 0;
        long aged = 0;
        for (BridgeState b : tables.byName.values()) {
            learned += b.macs.learned.get();
            moved += b.macs.moved.get();
            evicted += b.macs.evicted.get();
            aged += b.macs.aged.get();
        }
        c.put("mac_learning_learned", learned);
        c.put("mac_learning_moved", moved);
        c.put("mac_learning_evicted", evicted);
        c.put("mac_learning_expired", aged);
        BuiltinRevalidator r = revalidator;
        if (r != null) {
            c.put("revalidate_deleted_idle", r.deletedIdle);
            c.put("revalidate_deleted", r.deletedRevalidate);
            c.put("revalidate_modified", r.modified);
        }
        return c;
    }

    // ------------------------------------------------------------------ internals

    BuiltinTables tables() {
        return tables;
    }

    long version() {
        return version.get();
    }

    void bumpVersion() {
        version.incrementAndGet();
    }

    /** Publishes new tables (steps 1 and 2 of the class comment), then waits for the PMDs and revalidates. */
    private void publish(BuiltinTables next) {
        tables = next;
        bumpVersion();
        barrierAndRevalidate();
    }

    private void barrierAndRevalidate() {
        if (dp == null) {
            return;
        }
        if (dp.isRunning()) {
            // Re-sending the current config is a no-op for the PMDs but a barrier: each runs it
            // between two batches, so every upcall that read the old tables has installed its flow.
            dp.reconfigure(dp.config());
        }
        revalidator.revalidate(nowMs());
    }

    private BridgeState bridge(String name) throws SlowPathException {
        BridgeState b = tables.byName.get(name);
        if (b == null) {
            throw new SlowPathException("no bridge named " + name + " (bridges: "
                    + String.join(", ", tables.byName.keySet()) + ")");
        }
        return b;
    }

    private BuiltinRule parse(String flow) throws SlowPathException {
        try {
            return BuiltinFlowSyntax.parseRule(flow, nowMs());
        } catch (IllegalArgumentException e) {
            throw new SlowPathException(e.getMessage());
        }
    }

    private Datapath requireDp() throws SlowPathException {
        if (dp == null) {
            throw new SlowPathException("the slow path is not started");
        }
        return dp;
    }

    /** The datapath's clock (megaflows' used times and MAC entries must agree). */
    private long nowMs() {
        Datapath d = dp;
        return d != null ? d.nowMs() : System.nanoTime() / 1_000_000L;
    }

    /** The PMDs' entry point: translate against the current tables, learn, and tag the ukey. */
    private final class Handler implements UpcallHandler {
        @Override
        public UpcallOutcome onUpcall(int pmdId, FlowKey key, Mbuf packet, UpcallResult result) {
            upcalls.incrementAndGet();
            long v = version.get();
            BuiltinTables t = tables;
            BridgeState b = t.bridgeOfDpPort(packet.inPort());
            if (b == null) {
                // A port the slow path does not know yet (being added): drop, but install nothing
                // that would outlive the port's arrival.
                upcallsNoBridge.incrementAndGet();
                result.actions(DpActions.DROP);
                result.doNotInstall();
                return UpcallOutcome.OK;
            }
            BuiltinXlate.Result r = BuiltinXlate.translate(b, key, result.mask(), true, nowMs(), null);
            if (r.rule() == null) {
                tableMisses.incrementAndGet();
            }
            if (r.macsChanged()) {
                version.incrementAndGet();
            }
            result.actions(r.actions());
            result.ukeyData(new BuiltinRevalidator.UkeyData(b.name, v, r.rule()));
            return UpcallOutcome.OK;
        }
    }
}
