package dev.jvswitch.vswitchd.slowpath;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.mac.MacTable;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.mod.GroupMod;
import dev.jvswitch.ofproto.revalidate.Revalidation;
import dev.jvswitch.ofproto.revalidate.RevalidatorConfig;
import dev.jvswitch.ofproto.revalidate.RevalidatorCounter;
import dev.jvswitch.ofproto.revalidate.RevalidatorPool;
import dev.jvswitch.ofproto.revalidate.UpcallShow;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.syntax.GroupSyntax;
import dev.jvswitch.ofproto.tnl.TunnelOutput;
import dev.jvswitch.ofproto.trace.Trace;
import dev.jvswitch.ofproto.upcall.OfprotoUpcallHandler;
import dev.jvswitch.ofproto.xlate.PortLiveness;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.vswitchd.slowpath.BridgeView.PortView;

/**
 * The OpenFlow slow path (ofproto-xlate) behind the daemon's {@link SlowPath}: one
 * {@link Ofproto} holds the bridges, flow tables, groups and MAC tables; its upcall handler
 * translates the PMDs' misses; a {@link RevalidatorPool} ages megaflows out, enforces the flow
 * limit, pushes megaflow statistics to the rules and fixes megaflows whose tables changed.
 *
 * <p><b>Change barrier.</b> Every table change publishes a new version in the {@code Ofproto},
 * then waits ({@link RevalidatorPool#awaitRevalidated}) until every PMD forwards by that version
 * or a later one, so {@code ofctl/*} and reload return only when forwarding follows (issue 5).
 * Before the PMDs run there is nothing to wait for: no megaflow exists yet.
 *
 * <p><b>Replacing a table</b> (reload) is done as ovs-ofctl's {@code replace-flows} does it: rules
 * that stay identical are left alone (they keep their counters), the new and changed ones are
 * added as one version, then the rules the file no longer has are deleted. A packet never meets
 * an empty table in between, so traffic the old and the new tables both forward is not dropped.
 *
 * <p><b>Thread-safety:</b> every method but the upcall handler's is called by the control thread
 * only (see {@link SlowPath}); {@code ofproto} and {@code pool} are written once in
 * {@link #start} before the PMDs start. The {@code Ofproto} serialises its changes itself and
 * publishes immutable snapshots that the PMDs and revalidators read.
 */
public final class OfprotoSlowPath implements SlowPath {
    /** Longest a table change waits for the datapath to follow it. */
    static final Duration BARRIER_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger("jvswitchd");

    private final Function<Ofproto, Revalidation> revalidations;
    private SlowPathSettings settings;
    private Datapath dp;
    private Ofproto ofproto;
    private Revalidation reval;
    private RevalidatorPool pool;
    private Trace tracer;
    private long barrierTimeouts;
    private Throwable lastReportedError;

    /** @param revalidations makes the revalidators' view of an {@code Ofproto} */
    public OfprotoSlowPath(Function<Ofproto, Revalidation> revalidations) {
        this.revalidations = Objects.requireNonNull(revalidations, "revalidations");
    }

    @Override
    public String description() {
        return "OpenFlow (ofproto-xlate), " + (pool == null ? 0 : pool.config().threads()) + " revalidator thread(s)";
    }

    // ------------------------------------------------------------------ validation

    @Override
    public String checkFlow(String flow) {
        try {
            Ofproto.validate(FlowSyntax.parseAdd(flow));
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Override
    public String checkGroup(String group) {
        try {
            GroupSyntax.parse(group);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Override
    public String checkVlans() {
        return null;
    }

    // ------------------------------------------------------------------ life cycle

    @Override
    public void start(Datapath datapath, SlowPathSettings s) {
        if (ofproto != null) {
            throw new IllegalStateException("slow path already started");
        }
        this.dp = datapath;
        this.settings = s;
        this.ofproto = new Ofproto(datapath.clock()::nanoTime, PortLiveness.ALL_LIVE, TunnelOutput.NONE);
        this.tracer = ofproto.tracer();
        datapath.upcallHandler(ofproto.upcallHandler());
        this.reval = revalidations.apply(ofproto);
        this.pool = new RevalidatorPool(datapath, reval, revalidatorConfig(s));
        pool.start();
    }

    private static RevalidatorConfig revalidatorConfig(SlowPathSettings s) {
        return new RevalidatorConfig(s.revalidatorThreads(), s.maxIdleMs(), s.flowLimit(),
                RevalidatorConfig.DEFAULT_MAX_REVALIDATOR_MS);
    }

    @Override
    public void reconfigure(SlowPathSettings s) {
        SlowPathSettings old = settings;
        settings = s;
        pool.reconfigure(revalidatorConfig(s));
        if (old.macTableSize() != s.macTableSize() || old.macAgingSec() != s.macAgingSec()) {
            for (String b : ofproto.bridges()) {
                BridgeConfig c = ofproto.bridgeConfig(b);
                ofproto.reconfigureBridge(new BridgeConfig(b, c.ports(), s.macTableSize(), s.macAgingSec()));
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }

    // ------------------------------------------------------------------ bridges and tables

    @Override
    public void setBridges(List<BridgeView> bridges) throws SlowPathException {
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
        for (PortView p : v.ports()) {
            if (p.tag() >= 0) {
                ports.add(OfPort.access(p.ofport(), p.dpPort(), p.name(), p.tag()));
            } else {
                ports.add(new OfPort(p.ofport(), p.dpPort(), p.name(), OfPort.NO_TAG, Set.copyOf(p.trunks()), null));
            }
        }
        return new BridgeConfig(v.name(), ports, settings.macTableSize(), settings.macAgingSec());
    }

    @Override
    public void replaceFlows(String bridge, List<String> flows) throws SlowPathException {
        call(bridge, () -> {
            List<FlowMod> adds = new ArrayList<>(flows.size());
            for (String f : flows) {
                adds.add(FlowSyntax.parseAdd(f));
            }
            return ofproto.replaceFlows(bridge, adds);
        });
        awaitDatapath("flows of " + bridge);
    }

    @Override
    public void replaceGroups(String bridge, List<String> groups) throws SlowPathException {
        call(bridge, () -> {
            Map<Long, Group> before = new HashMap<>();
            for (Group g : ofproto.groups(bridge)) {
                before.put(g.groupId(), g);
            }
            Map<Long, Group> next = new LinkedHashMap<>();
            for (String text : groups) {
                Group g = GroupSyntax.parse(text);
                next.put(g.groupId(), g);
            }
            for (Group g : next.values()) {
                Group old = before.get(g.groupId());
                if (old == null) {
                    ofproto.apply(bridge, GroupMod.add(g));
                } else if (!old.equals(g)) {
                    ofproto.apply(bridge, GroupMod.modify(g));
                }
            }
            // Deleting a group also deletes the rules that send to it, as in OpenFlow.
            for (Long id : before.keySet()) {
                if (!next.containsKey(id)) {
                    ofproto.apply(bridge, GroupMod.delete(id));
                }
            }
            return null;
        });
        awaitDatapath("groups of " + bridge);
    }

    @Override
    public void addFlow(String bridge, String flow) throws SlowPathException {
        call(bridge, () -> {
            ofproto.apply(bridge, FlowSyntax.parseAdd(flow));
            return null;
        });
        awaitDatapath("ofctl/add-flow");
    }

    @Override
    public int delFlows(String bridge, String match) throws SlowPathException {
        int n = call(bridge, () -> ofproto.apply(bridge, FlowSyntax.parseDelete(match == null ? "" : match)).flowsDeleted());
        awaitDatapath("ofctl/del-flows");
        return n;
    }

    @Override
    public String dumpFlows(String bridge) throws SlowPathException {
        return call(bridge, () -> {
            StringBuilder sb = new StringBuilder();
            for (FlowStats fs : ofproto.flowStats(bridge)) {
                sb.append(' ').append(FlowSyntax.dumpFlow(fs)).append('\n');
            }
            return sb.toString();
        });
    }

    @Override
    public void addGroup(String bridge, String group) throws SlowPathException {
        call(bridge, () -> {
            ofproto.apply(bridge, GroupSyntax.parseAdd(group));
            return null;
        });
        awaitDatapath("ofctl/add-group");
    }

    @Override
    public String dumpGroups(String bridge) throws SlowPathException {
        return call(bridge, () -> {
            StringBuilder sb = new StringBuilder();
            for (Group g : ofproto.groups(bridge)) {
                sb.append(' ').append(GroupSyntax.format(g)).append('\n');
            }
            return sb.toString();
        });
    }

    @Override
    public String trace(String bridge, String flow, String packetHex) throws SlowPathException {
        return call(bridge, () -> tracer.trace(bridge, flow, packetHex));
    }

    // ------------------------------------------------------------------ MAC learning

    @Override
    public String fdbShow(String bridge) throws SlowPathException {
        return call(bridge, () -> FdbFormat.show(ofproto.macTable(bridge).entries(ofproto.nowNs())));
    }

    @Override
    public void fdbFlush(String bridge) throws SlowPathException {
        if (bridge != null) {
            call(bridge, () -> null);
        }
        call(() -> {
            for (String b : bridge == null ? ofproto.bridges() : List.of(bridge)) {
                ofproto.macTable(b).flush();
            }
            return null;
        });
        awaitDatapath("fdb/flush");
    }

    // ------------------------------------------------------------------ observability

    @Override
    public String upcallShow() {
        return UpcallShow.format(pool.snapshot());
    }

    @Override
    public Map<String, Long> coverage() {
        Map<String, Long> c = new LinkedHashMap<>();
        OfprotoUpcallHandler h = ofproto.upcallHandler();
        c.put("upcall_handled", h.upcalls());
        c.put("xlate_error", h.errors());
        c.put("upcall_recirc_id_unknown", h.recircUnknown());
        c.put("upcall_controller", h.controllerPackets());
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
    @Override
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

    /**
     * Waits until the datapath forwards by the tables just published (the change barrier).
     * Without PMD threads nothing forwards, and no fence could run: nothing to wait for.
     */
    private void awaitDatapath(String what) throws SlowPathException {
        if (!dp.isRunning()) {
            return;
        }
        if (!pool.awaitRevalidated(reval.revalSeq(), BARRIER_TIMEOUT)) {
            barrierTimeouts++;
            throw new SlowPathException(what + ": changed, but the datapath did not confirm within "
                    + BARRIER_TIMEOUT.toSeconds() + " s that it forwards by the new tables");
        }
    }

    /** An Ofproto call whose one-line {@link IllegalArgumentException}s become slow-path errors. */
    private interface Call<T> {
        T run();
    }

    /** As {@link #call(Call)}, first naming the bridges there are if {@code bridge} is not one. */
    private <T> T call(String bridge, Call<T> c) throws SlowPathException {
        List<String> all = call(() -> ofproto.bridges());
        if (!all.contains(bridge)) {
            throw new SlowPathException("no bridge named " + bridge + " (bridges: " + String.join(", ", all) + ")");
        }
        return call(c);
    }

    private <T> T call(Call<T> c) throws SlowPathException {
        if (ofproto == null) {
            throw new SlowPathException("the slow path is not started");
        }
        try {
            return c.run();
        } catch (IllegalArgumentException e) {
            throw new SlowPathException(e.getMessage());
        }
    }
}
