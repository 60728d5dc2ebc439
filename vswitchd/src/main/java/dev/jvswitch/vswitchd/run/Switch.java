package dev.jvswitch.vswitchd.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jvswitch.config.BridgeSpec;
import dev.jvswitch.config.ConfigException;
import dev.jvswitch.config.EndpointSpec;
import dev.jvswitch.config.MempoolSettings;
import dev.jvswitch.config.PortSpec;
import dev.jvswitch.config.RouteSpec;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.config.OpenFlowSettings;
import dev.jvswitch.openflow.OpenFlowChannels;
import dev.jvswitch.config.reload.ReloadPlan;
import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.ofproto.tnl.Endpoint;
import dev.jvswitch.ofproto.tnl.RouteRequest;
import dev.jvswitch.ofproto.tnl.TunnelPort;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.pmd.port.PortOptions;
import dev.jvswitch.pmd.tunnel.TunnelOps;
import dev.jvswitch.pmd.upcall.UpcallOutcome;
import dev.jvswitch.pmd.upcall.UpcallResult;
import dev.jvswitch.vswitchd.ofproto.BridgeView;
import dev.jvswitch.vswitchd.ofproto.ConfigFlows;
import dev.jvswitch.vswitchd.ofproto.OfprotoException;
import dev.jvswitch.vswitchd.ofproto.OfprotoService;

/**
 * A running switch built from a {@link SwitchConfig}: the mbuf pool, the datapath with its PMDs,
 * the ports, and the ofproto service. It starts them in dependency order, applies reloads as
 * differences ({@link ReloadPlan}), refreshes ports on the control thread's tick, and shuts down
 * in reverse order, ending with the pool's leak check.
 *
 * <p>Each consumer gets its own snapshot from the config: the pool its {@code MbufPoolConfig},
 * the datapath its {@code DatapathConfig}, ofproto the revalidators' settings and, per
 * bridge, a {@link BridgeView} with the bridge's settings.
 *
 * <p>Datapath port numbers: a port keeps its number for as long as it exists; a new port gets its
 * OpenFlow number if no other port of the datapath uses it, else the lowest free number.
 *
 * <p><b>Thread-safety:</b> two threads drive it once it runs. The change thread (or, before the
 * control agent runs and in tests, the thread that built it) applies reloads; the control thread
 * ticks ({@link #onTick}) and serves read-only commands ({@link #config()}, {@link #dpPort},
 * {@link #coverage()}). The rules:
 * <ol>
 *   <li>The set of ports changes only under {@code portLock}: a reload holds it while it opens,
 *       attaches, detaches and closes ports (short: no table work), and so does {@link #close}.
 *       The tick's link polling takes it with {@code tryLock} and skips a round when a reload
 *       holds it, so the control thread never waits for a change.</li>
 *   <li>{@code dpPorts} and {@code linkUp} are concurrent maps, written under {@code portLock},
 *       read by any thread.</li>
 *   <li>The running config is one immutable snapshot behind {@code config}: stored with release
 *       semantics once applied, read with acquire, so a reader sees a whole snapshot.</li>
 *   <li>Bridges, flows and groups go to ofproto outside {@code portLock}, from the change
 *       thread only; ofproto serialises its own changes.</li>
 *   <li>Counters are atomics with one writer each.</li>
 * </ol>
 * The PMD threads this starts touch only the datapath and ofproto's upcall handler.
 */
public final class Switch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("jvswitchd");
    public static final String POOL_NAME = MempoolSettings.POOL_NAME;

    private final MbufPool pool;
    private final Datapath dp;
    private final OfprotoService ofproto;
    /** Longest {@link #close} waits for a reload to finish changing ports. */
    private static final long CLOSE_LOCK_WAIT_S = 10;

    private final Map<String, Integer> dpPorts = new ConcurrentHashMap<>();
    private final Map<String, Boolean> linkUp = new ConcurrentHashMap<>();
    private final AtomicReference<SwitchConfig> config = new AtomicReference<>();
    private final ReentrantLock portLock = new ReentrantLock();
    private volatile boolean closed;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong reloadFailures = new AtomicLong();
    private final AtomicLong refreshErrors = new AtomicLong();
    private final AtomicLong refreshSkipped = new AtomicLong();
    /** The endpoints and routes last given to ofproto (change thread only). */
    private List<Object> tunnelInputs;
    private boolean loggedEndpoints;
    private final TlvMapConfig tlvMaps = new TlvMapConfig();
    /** The bridges' OpenFlow channels; configured from the change thread once it runs. */
    private final OpenFlowChannels openflow = new OpenFlowChannels();
    /** Runs OpenFlow requests on the change thread; null until {@link #startOpenFlow}. */
    private volatile ChangeExecutor changeExecutor;
    /** Ports a reload added, announced once the new config is published (change thread only). */
    private final List<PortSpec> pendingAdds = new ArrayList<>();
    /** The ports' link state as bonds and fast-failover groups see it. */
    private final LinkLiveness liveness = new LinkLiveness();

    private Switch(SwitchConfig config, MbufPool pool, Datapath dp, OfprotoService ofproto) {
        this.config.setRelease(config);
        this.pool = pool;
        this.dp = dp;
        this.ofproto = ofproto;
    }

    /**
     * Builds and starts everything {@code config} describes. On failure everything opened so far
     * is closed again.
     *
     * @throws StartException naming each port that could not be opened, or the flow ofproto
     *         refused
     */
    public static Switch start(SwitchConfig config, OfprotoService ofproto) throws StartException {
        // A port type may need a pool of another shape (AF_XDP: frame slots for its UMEM).
        List<String> types = new ArrayList<>();
        config.ports().forEach(p -> types.add(p.type()));
        MbufPool pool = MbufPool.create(Netdevs.poolFor(config.mempool().pool(), types));
        LOG.info("mempool '{}': {} mbufs of {} bytes ({}, {} MiB)", POOL_NAME, pool.capacity(), pool.slotBytes(),
                pool.hugepages() ? "huge pages in " + config.mempool().hugepagePath() : "native memory",
                (long) pool.capacity() * pool.slotBytes() >> 20);
        // Ofproto gives the datapath its real handler in start(), before any PMD runs.
        Datapath dp = new Datapath(config.datapath(), pool, Switch::notStarted);
        config.conntrack().applyTo(dp.conntrack(), null);
        Switch sw = new Switch(config, pool, dp, ofproto);
        try {
            ofproto.start(dp, config.revalidators(), sw.liveness);
            // The log keeps its wording ("slow path: ..."): scripts and tests read it.
            LOG.info("slow path: {}", ofproto.description());
            Map<PortSpec, Netdev> opened = sw.open(config.ports(), config);
            dp.deferReloads();
            try {
                for (Map.Entry<PortSpec, Netdev> e : opened.entrySet()) {
                    sw.attach(e.getKey(), e.getValue(), config);
                }
            } finally {
                dp.resumeReloads();
            }
            sw.liveness.update(dp.ports());
            List<String> all = new ArrayList<>(config.bridges().keySet());
            sw.applyBridges(config, all, all, all);
            sw.configureTunnels(config);
            dp.start();
            LOG.info("datapath: {} PMD thread(s) on CPU(s) {} (pmd-idle {}, pmd-rxq-assign {}), flow-limit {}",
                    dp.pmds().length, config.pmdCpus(), lower(config.datapath().idle()),
                    lower(config.datapath().rxqAssign()), config.datapath().flowLimit());
            return sw;
        } catch (OfprotoException e) {
            sw.close();
            throw new StartException(List.of(config.error("bridges", e.getMessage())));
        } catch (StartException | RuntimeException e) {
            sw.close();
            throw e;
        } finally {
            ofproto.flowChecker().forget();
        }
    }

    // ------------------------------------------------------------------ reload

    /**
     * Applies {@code next} as a difference. Settings that need a restart, or ports that fail to
     * open, fail the reload before anything changes.
     *
     * @return one line per change made (empty if the file changed nothing)
     * @throws ConfigException the reasons nothing changed
     * @throws OfprotoException if ofproto refused a change after ports were changed (the switch
     *         then runs the ports of {@code next} and the tables it had)
     */
    public List<String> reload(SwitchConfig next) throws ConfigException, OfprotoException {
        try {
            return apply(next);
        } finally {
            // What the load parsed of the flow lines is applied or never will be.
            ofproto.flowChecker().forget();
        }
    }

    private List<String> apply(SwitchConfig next) throws ConfigException, OfprotoException {
        SwitchConfig before = config.getPlain();
        ReloadPlan plan = ReloadPlan.of(before, next);
        List<dev.jvswitch.config.ConfigError> refused = plan.restartOnly().isEmpty()
                ? tlvMaps.check(before, next, plan.flowsChanged(), ofproto) : plan.restartOnly();
        if (!refused.isEmpty()) {
            reloadFailures.incrementAndGet();
            throw new ConfigException(refused);
        }
        List<String> changes = new ArrayList<>();
        portLock.lock();
        try {
            if (closed) {
                throw new OfprotoException("jvswitchd is shutting down");
            }
            changePorts(plan, before, next, changes);
            if (plan.conntrackChanged()) {
                next.conntrack().applyTo(dp.conntrack(), before.conntrack());
                changes.add("conntrack settings changed");
            }
            // Published once the datapath runs by it; the bridges and tables follow (if ofproto
            // refuses them, the ports are the new ones and the tables the old, as documented above).
            config.setRelease(next);
            for (PortSpec p : pendingAdds) {
                portStatus(p.name(), dev.jvswitch.openflow.channel.OfBridge.PortChange.ADD);
            }
            pendingAdds.clear();
        } finally {
            portLock.unlock();
        }
        if (plan.conntrackChanged()) {
            ofproto.onCtTimeoutPoliciesChanged(); // outside portLock, as every change to ofproto
        }
        if (plan.bridgesChanged() || !plan.settingsChanged().isEmpty() || !plan.flowsChanged().isEmpty()
                || !plan.groupsChanged().isEmpty() || !plan.metersChanged().isEmpty()) {
            applyBridges(next, plan.flowsChanged(), plan.groupsChanged(), plan.metersChanged());
            if (plan.bridgesChanged()) {
                changes.add("bridges now: " + next.bridges().keySet());
            }
            for (String b : plan.settingsChanged()) {
                BridgeSpec spec = next.bridges().get(b);
                // A bridge that takes the datapath's (deprecated) defaults before and after is
                // covered by "datapath tuning changed".
                if (!before.bridges().get(b).settings().equals(before.bridgeDefaults())
                        || !spec.settings().equals(next.bridgeDefaults())) {
                    changes.add("changed the settings of " + b + " (mac-table-size " + spec.settings().macTableSize()
                            + ", mac-aging-time " + spec.settings().macAgingSec()
                            + (spec.settings().prefixes().isEmpty() ? "" : ", prefixes " + spec.settings().prefixes())
                            + (spec.settings().tlvMap().isEmpty() ? "" : ", tlv-map " + spec.settings().tlvMap()) + ")");
                }
            }
            for (String b : plan.flowsChanged()) {
                changes.add("replaced the flows of " + b + " (" + next.bridges().get(b).flows().size() + ")");
            }
            for (String b : plan.groupsChanged()) {
                if (before.bridges().containsKey(b) || !next.bridges().get(b).groups().isEmpty()) {
                    changes.add("replaced the groups of " + b + " (" + next.bridges().get(b).groups().size() + ")");
                }
            }
            for (String b : plan.metersChanged()) {
                if (before.bridges().containsKey(b) || !next.bridges().get(b).meters().isEmpty()) {
                    changes.add("replaced the meters of " + b + " (" + next.bridges().get(b).meters().size() + ")");
                }
            }
        }
        if (configureTunnels(next)) {
            changes.add("tunnel endpoints or routes changed");
        }
        for (String b : plan.openflowChanged()) {
            BridgeSpec spec = next.bridges().get(b);
            try {
                if (spec == null) {
                    openflow.remove(b);
                } else {
                    configureOpenFlow(b, spec.openflow());
                }
            } catch (IllegalStateException e) {
                throw new OfprotoException(e.getMessage());
            }
            changes.add("remade the OpenFlow channel of " + b);
        }
        reloads.incrementAndGet();
        for (String c : changes) {
            LOG.info("reload: {}", c);
        }
        return changes;
    }

    /**
     * The port half of a reload, under {@code portLock}. New ports open first, so a failure changes
     * nothing; a reopened port opens once its old netdev is closed (an AF_XDP socket binds its
     * device queue only once), and if it cannot, its old netdev is opened again and nothing changes.
     */
    private void changePorts(ReloadPlan plan, SwitchConfig before, SwitchConfig next, List<String> changes)
            throws ConfigException {
        Map<PortSpec, Netdev> opened;
        try {
            opened = open(plan.added(), next);
            try {
                opened.putAll(reopen(plan, before, next));
            } catch (StartException e) {
                opened.values().forEach(Netdev::close);
                throw e;
            }
        } catch (StartException e) {
            reloadFailures.incrementAndGet();
            throw new ConfigException(e.errors());
        }
        if (plan.tuningChanged()) {
            dp.reconfigure(next.datapath());
            ofproto.reconfigure(next.revalidators());
            changes.add("datapath tuning changed");
            // The reply's wording is kept for scripts; the log says which keys.
            LOG.info("reload: datapath tuning: {}", String.join(", ", plan.tuningKeys()));
        }
        // Every port removed leaves the PMDs in one reload (the reopened ones left already); then
        // every port joining them goes in one more.
        List<Integer> leaving = new ArrayList<>();
        for (PortSpec p : plan.removed()) {
            Integer no = dpPorts.remove(p.name());
            linkUp.remove(p.name());
            if (no != null) {
                leaving.add(no);
            }
        }
        // Nothing leaving, no handshake: a change that touches no port costs the PMDs nothing.
        for (Netdev n : leaving.isEmpty() ? List.<Netdev>of() : dp.removePorts(leaving)) {
            n.close();
        }
        for (PortSpec p : plan.removed()) {
            openflow.portStatus(p.bridge(), new dev.jvswitch.openflow.backend.PortInfo(p.ofport(), p.name(), 0, false,
                    0, 0, 0, 0, 0, 0, 0, 0, 0), dev.jvswitch.openflow.channel.OfBridge.PortChange.DELETE);
            changes.add("removed port " + p.name() + " from bridge " + p.bridge());
        }
        // One PMD reload for every port added, reopened or pinned here (a removal reloads at once).
        dp.deferReloads();
        try {
            reopenAndAdd(plan, next, opened, changes);
        } finally {
            dp.resumeReloads();
        }
        updateLiveness();
    }

    /**
     * Takes the reopened ports' old netdevs out of the PMDs (one reload) and closes them, then
     * opens their new ones; if one cannot be opened, opens every old one again (a port whose old
     * netdev fails too is logged and left out) and throws.
     */
    private Map<PortSpec, Netdev> reopen(ReloadPlan plan, SwitchConfig before, SwitchConfig next)
            throws StartException {
        List<PortSpec> specs = plan.reopened().stream().filter(p -> !p.isPatch()).toList();
        if (specs.isEmpty()) {
            return Map.of();
        }
        for (Netdev n : dp.removePorts(specs.stream().map(p -> dpPorts.get(p.name())).toList())) {
            n.close();
        }
        try {
            return open(specs, next);
        } catch (StartException e) {
            for (PortSpec p : specs) {
                PortSpec old = before.ports().stream().filter(o -> o.name().equals(p.name())).findFirst().orElse(null);
                try {
                    Netdev n = old == null ? null : open(List.of(old), before).get(old);
                    if (n != null) {
                        dp.addPort(dpPorts.get(p.name()), n);
                        pin(old, dpPorts.get(p.name()), before);
                    }
                } catch (StartException again) {
                    LOG.error("reload: port {} cannot be opened again as it was: {}", p.name(), again.errors());
                }
            }
            throw e;
        }
    }

    private void updateLiveness() {
        if (liveness.update(dp.ports())) {
            ofproto.onPortLivenessChanged();
        }
    }

    private void reopenAndAdd(ReloadPlan plan, SwitchConfig next, Map<PortSpec, Netdev> opened, List<String> changes) {
        for (PortSpec p : plan.reopened()) {
            if (p.isPatch()) {
                changes.add("rejoined patch port " + p.name() + " to " + p.patchPeer());
                continue;
            }
            int no = dpPorts.get(p.name());
            dp.addPort(no, opened.get(p));
            pin(p, no, next);
            changes.add("reopened port " + p.name() + " (type, options or pmd-rxq-affinity changed)");
        }
        for (PortSpec p : plan.added()) {
            pendingAdds.add(p);
            if (p.isPatch()) {
                changes.add("added patch port " + p.name() + " to bridge " + p.bridge() + " (peer " + p.patchPeer() + ")");
                continue;
            }
            attach(p, opened.get(p), next);
            changes.add("added port " + p.name() + " to bridge " + p.bridge() + " as datapath port "
                    + dpPorts.get(p.name()));
        }
    }

    // ------------------------------------------------------------------ OpenFlow

    /**
     * Opens the OpenFlow channel of every bridge that has controllers or listeners; their
     * requests run through {@code executor} (the change thread). Called once the change thread
     * runs.
     *
     * @throws StartException naming the bridge whose listener could not be bound
     */
    public void startOpenFlow(ChangeExecutor executor) throws StartException {
        this.changeExecutor = executor;
        ofproto.ofprotoForChannel().upcallHandler().packetInSink(openflow);
        ofproto.ofprotoForChannel().flowRemovedListener(openflow);
        SwitchConfig c = config();
        for (BridgeSpec b : c.bridges().values()) {
            try {
                configureOpenFlow(b.name(), b.openflow());
            } catch (IllegalStateException e) {
                throw new StartException(List.of(c.error("bridges." + b.name() + ".listen", e.getMessage())));
            }
        }
    }

    private void configureOpenFlow(String bridge, OpenFlowSettings s) {
        ChangeExecutor ex = changeExecutor;
        if (ex == null) {
            return;
        }
        openflow.configure(bridge, s, new SwitchBridgeBackend(bridge, this, ex));
    }

    /** Tells port {@code name}'s bridge's controllers of a change (port status). */
    private void portStatus(String name, dev.jvswitch.openflow.channel.OfBridge.PortChange change) {
        PortSpec spec = config().port(name);
        if (spec == null) {
            return;
        }
        for (dev.jvswitch.openflow.backend.PortInfo p : new SwitchBridgeBackend(spec.bridge(), this, r -> false).ports()) {
            if (p.name().equals(name)) {
                openflow.portStatus(spec.bridge(), p, change);
            }
        }
    }

    /** The bridges' OpenFlow channels ({@code ofconn/show}). */
    public OpenFlowChannels openflow() {
        return openflow;
    }

    /** A backend for {@code bridge} as the channel sees it (for {@code ofctl/show}), or null. */
    public dev.jvswitch.openflow.backend.BridgeBackend backend(String bridge) {
        return config().bridges().containsKey(bridge) ? new SwitchBridgeBackend(bridge, this, r -> false) : null;
    }

    /** The OpenFlow config bits ({@code OFPPC_*}) port mods set on port {@code ofport} of {@code bridge}. */
    int portConfig(String bridge, int ofport) {
        return ofproto().ofprotoForChannel().portConfig(bridge, ofport);
    }

    /** Counts a reload that failed validation (the caller read a broken file). */
    public void onReloadRejected() {
        reloadFailures.incrementAndGet();
    }

    // ------------------------------------------------------------------ tick

    /**
     * Control thread, every ~250 ms: port link state, then ofproto's housekeeping. Skips
     * the ports (and counts it) while a reload is changing them, rather than wait.
     */
    public void onTick(long nowMs) {
        if (portLock.tryLock()) {
            try {
                if (!closed) {
                    refreshPorts();
                }
            } finally {
                portLock.unlock();
            }
        } else {
            refreshSkipped.incrementAndGet();
        }
        ofproto.onTick(nowMs);
    }

    private void refreshPorts() {
        for (Map.Entry<Integer, Netdev> e : dp.ports().entrySet()) {
            Netdev n = e.getValue();
            try {
                n.refresh();
            } catch (RuntimeException ex) {
                refreshErrors.incrementAndGet();
                LOG.warn("port {}: refresh failed: {}", n.name(), ex.getMessage());
            }
            boolean up = n.linkUp();
            Boolean was = linkUp.put(n.name(), up);
            if (was != null && was != up) {
                LOG.info("port {}: link {}", n.name(), up ? "up" : "down");
                portStatus(n.name(), dev.jvswitch.openflow.channel.OfBridge.PortChange.MODIFY);
            }
        }
        updateLiveness();
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * Stops ofproto (its revalidators), the PMDs (which drain and give their mbufs back), closes the ports,
     * then checks that every mbuf is back in the pool and logs the result.
     */
    @Override
    public void close() {
        boolean locked = false;
        try {
            locked = portLock.tryLock(CLOSE_LOCK_WAIT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            closeLocked(locked);
        } finally {
            if (locked) {
                portLock.unlock();
            }
        }
    }

    private void closeLocked(boolean locked) {
        if (closed) {
            return;
        }
        closed = true;
        if (ofproto.ofprotoForChannel() != null) {
            ofproto.ofprotoForChannel().upcallHandler().packetInSink(null);
            ofproto.ofprotoForChannel().flowRemovedListener(null);
        }
        openflow.close();
        if (!locked) {
            LOG.warn("closing while a reload still changes ports (waited {} s for it)", CLOSE_LOCK_WAIT_S);
        }
        try {
            ofproto.close();
        } catch (RuntimeException e) {
            LOG.warn("ofproto did not close cleanly: {}", e.toString());
        }
        dp.close();
        LOG.info("datapath stopped: PMDs drained, {} port(s) closed", dpPorts.size());
        String leaks = pool.leakReport();
        if (leaks == null) {
            LOG.info("leak check: all {} mbufs returned to mempool '{}'", pool.capacity(), POOL_NAME);
        } else {
            LOG.error("leak check: {}", leaks);
        }
        pool.close();
    }

    // ------------------------------------------------------------------ accessors

    public Datapath datapath() {
        return dp;
    }

    public OfprotoService ofproto() {
        return ofproto;
    }

    /** The running config; any thread (see the class comment). */
    public SwitchConfig config() {
        return config.getAcquire();
    }

    public MbufPool pool() {
        return pool;
    }

    /** Datapath port number of port {@code name}, or -1. */
    public int dpPort(String name) {
        return dpPorts.getOrDefault(name, -1);
    }

    /** Counters for coverage/show. */
    public Map<String, Long> coverage() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("reload", reloads.get());
        c.put("reload_failed", reloadFailures.get());
        c.put("port_refresh_error", refreshErrors.get());
        c.put("port_refresh_skipped", refreshSkipped.get());
        return c;
    }

    // ------------------------------------------------------------------ internals

    /** Opens every port in {@code specs}, or none: on any failure the ones opened are closed. */
    private Map<PortSpec, Netdev> open(List<PortSpec> specs, SwitchConfig in) throws StartException {
        return PortOpener.open(specs, in, pool, dp.pmds().length);
    }

    /** Adds an opened port to the datapath under a number and pins its rx queues. */
    private void attach(PortSpec p, Netdev n, SwitchConfig in) {
        Integer known = dpPorts.get(p.name());
        int no = known != null ? known : PortOpener.freeDpPort(new TreeSet<>(dpPorts.values()), p.ofport());
        dpPorts.put(p.name(), no);
        dp.addPort(no, n);
        pin(p, no, in);
        linkUp.put(n.name(), n.linkUp());
        LOG.info("port {}: {} {} as datapath port {} in bridge {} (ofport {}), {} rx queue(s), link {}{}", p.name(),
                p.type(), p.options(), no, p.bridge(), p.ofport(), n.rxqCount(), n.linkUp() ? "up" : "down",
                n.status().isEmpty() ? "" : ", " + n.status());
    }


    private void pin(PortSpec p, int no, SwitchConfig in) {
        for (Map.Entry<Integer, Integer> a : p.rxqAffinity().entrySet()) {
            dp.pinRxq(no, a.getKey(), in.pmdIndexOfCpu(a.getValue()));
        }
    }

    /** Gives ofproto every bridge, then the groups, meters and flows of the bridges named. */
    private void applyBridges(SwitchConfig c, List<String> flowsOf, List<String> groupsOf, List<String> metersOf)
            throws OfprotoException {
        List<BridgeView> views = new ArrayList<>();
        for (BridgeSpec b : c.bridges().values()) {
            List<BridgeView.PortView> ports = new ArrayList<>();
            for (PortSpec p : b.ports().values()) {
                ports.add(new BridgeView.PortView(p.name(), p.ofport(), dpPorts.getOrDefault(p.name(), -1), p.tag(),
                        p.trunks(), p.patchPeer(), p.bond(), p.vlanMode()));
            }
            views.add(new BridgeView(b.name(), ports, b.settings(), b.endpoint() != null, b.mirrors()));
        }
        ofproto.setBridges(views);
        tlvMaps.apply(c, ofproto.tunnels().tlvMaps());
        // Groups first: a new flow may send to a new group, and a group must exist before a flow names it.
        for (String name : groupsOf) {
            ofproto.replaceGroups(name, ConfigFlows.groups(c.bridges().get(name).groups()));
        }
        // Meters too; one the config drops takes the rules naming it along (its own flows may not).
        for (String name : metersOf) {
            ofproto.replaceMeters(name, ConfigFlows.meters(c.bridges().get(name).meters()));
        }
        for (String name : flowsOf) {
            BridgeSpec b = c.bridges().get(name);
            ofproto.replaceFlows(name, ConfigFlows.flows(b.flows(), ofproto.flowChecker(),
                    ofproto.tunnels().tlvMaps().get(name)));
            LOG.info("bridge {}: {} port(s), {} flow(s), {} group(s)", name, b.ports().size(), b.flows().size(),
                    b.groups().size());
        }
    }

    /**
     * Gives ofproto the tunnel endpoints of {@code c}'s bridges, its tunnel ports (each with its
     * datapath port's {@code TunnelOps}) and its routes.
     *
     * @return whether the endpoints or routes differ from the running config's
     */
    private boolean configureTunnels(SwitchConfig c) throws OfprotoException {
        List<Endpoint> endpoints = new ArrayList<>();
        for (BridgeSpec b : c.bridges().values()) {
            EndpointSpec e = b.endpoint();
            if (e != null) {
                long mac = e.mac() == EndpointSpec.GENERATED ? PortOptions.generatedMac("endpoint:" + b.name()) : e.mac();
                endpoints.add(new Endpoint(b.name(), e.ipv4(), e.plen4(), e.ipv6(), e.plen6(), mac));
            }
        }
        List<TunnelPort> ports = new ArrayList<>();
        for (PortSpec p : c.ports()) {
            Integer no = dpPorts.get(p.name());
            Netdev n = no == null ? null : dp.port(no);
            TunnelOps ops = n == null ? null : n.tunnelOps();
            if (ops != null) {
                ports.add(new TunnelPort(p.name(), p.bridge(), no, ops));
            }
        }
        List<RouteRequest> routes = new ArrayList<>();
        for (RouteSpec r : c.routes()) {
            routes.add(new RouteRequest(r.prefix(), r.bridge(), r.gateway(), r.src()));
        }
        List<Object> inputs = List.of(endpoints, routes);
        boolean changed = tunnelInputs != null && !inputs.equals(tunnelInputs);
        tunnelInputs = inputs;
        ofproto.configureTunnels(endpoints, ports, routes);
        if (changed || !endpoints.isEmpty() && !loggedEndpoints) {
            loggedEndpoints = true;
            for (Endpoint e : endpoints) {
                LOG.info("tunnel endpoint: bridge {}", e);
            }
        }
        return changed;
    }

    /** The upcall handler until ofproto starts: drops and installs nothing (no PMD runs yet). */
    private static UpcallOutcome notStarted(int pmdId, FlowKey key, Mbuf packet, UpcallResult result) {
        result.actions(DpActions.DROP);
        result.doNotInstall();
        return UpcallOutcome.OK;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }
}
