package dev.jvswitch.vswitchd.db;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jvswitch.config.BridgeSpec;
import dev.jvswitch.config.ConfigEnvironment;
import dev.jvswitch.config.ConfigError;
import dev.jvswitch.config.ConfigException;
import dev.jvswitch.config.EndpointSpec;
import dev.jvswitch.config.PortSpec;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.ovsdb.OvsdbClient;
import dev.jvswitch.ovsdb.mapping.DbConfig;
import dev.jvswitch.ovsdb.mapping.MapContext;
import dev.jvswitch.ovsdb.mapping.OvsdbMapper;
import dev.jvswitch.vswitchd.ofproto.OfprotoException;
import dev.jvswitch.vswitchd.ofproto.OfprotoService;
import dev.jvswitch.vswitchd.run.StartException;
import dev.jvswitch.vswitchd.run.Switch;

/**
 * jvswitchd configured by {@code ovsdb-server}: the {@link OvsdbClient} produces snapshots, this
 * class applies them on the change thread through {@link Switch#reload} — the same reload plan a
 * YAML reload takes, so untouched ports keep forwarding — and reports the result back.
 *
 * <p><b>Failing ports stay with their interface.</b> When ports cannot be opened (a missing
 * device, an option the port type refuses only when it opens), the snapshot is applied again
 * without them, up to {@value #MAX_ATTEMPTS} times, and each one's reason goes to its
 * {@code Interface.error} with {@code ofport} -1; the others are applied as asked.
 *
 * <p><b>Hand-off.</b> The client's thread stores the newest snapshot and asks the change agent
 * to run {@link #applyLatest} (a burst of changes becomes one reload of the newest). Once
 * applied, the status report carries {@code next_cfg} as {@code cur_cfg}, so {@code ovs-vsctl}
 * returns when the change is in effect. Every {@code stats-update-interval} ms (OVS's default
 * {@value #STATS_INTERVAL_MS}, and its least) the status is collected again and the client writes what
 * changed (statistics, link state); interfaces whose device was missing are mapped again then,
 * so a device created later is picked up. Both set the interfaces' requested MTUs first
 * ({@link MtuRequests}).
 *
 * <p><b>Thread-safety:</b> {@code latest} and {@code scheduled} are atomics shared by the client
 * thread (writer), the ticker and the change thread (which applies). {@code applied} is written
 * by the change thread and read by it (its volatile read by the ticker only decides whether to
 * remap). {@code sw} and {@code executor} are set once, before the ticker starts.
 */
public final class DbMode implements AutoCloseable {
    static final int MAX_ATTEMPTS = 8;
    static final long STATS_INTERVAL_MS = 5_000;
    static final long FIRST_CONFIG_WAIT_MS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger("jvswitchd");

    private final OvsdbClient client;
    private final AtomicReference<DbConfig> latest = new AtomicReference<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ArrayBlockingQueue<DbConfig> first = new ArrayBlockingQueue<>(1);
    private volatile SwitchConfig base;
    private volatile Switch sw;
    private volatile Predicate<Runnable> executor;
    private volatile DbConfig applied;
    private volatile boolean closed;
    private Thread ticker;
    /** The MTU requests the devices refused, by interface (change thread). */
    private Map<String, String> mtuErrors = Map.of();
    /** Warnings logged for the last snapshot applied: each is logged when it appears (change thread). */
    private java.util.Set<String> warned = java.util.Set.of();

    /**
     * @param target the database ({@code unix:PATH}, {@code tcp:IP:PORT})
     * @param rundir where the bridges' management sockets go
     * @param base   the YAML file's process settings (datapath, mempool, control)
     */
    public DbMode(String target, String rundir, SwitchConfig base, ConfigEnvironment env) {
        this.base = base;
        OvsdbClient.Settings s = new OvsdbClient.Settings(target, rundir, new OvsdbMapper(env), () -> this.base,
                this::pinned, MapContext::linuxDeviceExists, HostEndpoints::of);
        this.client = new OvsdbClient(s, this::onConfig);
    }

    /**
     * Connects, waits up to {@value #FIRST_CONFIG_WAIT_MS} ms for the database's configuration and
     * starts the switch with it (or with no bridges, if the database is not there yet: its
     * configuration is applied when it comes).
     */
    public Switch start(OfprotoService ofproto) throws StartException {
        client.start();
        DbConfig c = null;
        try {
            c = first.poll(FIRST_CONFIG_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (c == null) {
            LOG.warn("ovsdb: no configuration from the database yet; starting without bridges");
            return Switch.start(base, ofproto);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                Switch started = Switch.start(c.config(), ofproto);
                applied = c;
                return started;
            } catch (StartException e) {
                Map<String, String> failed = portErrors(e.errors());
                if (failed.isEmpty() || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                logFailed(failed);
                c = c.without(failed);
            }
        }
    }

    /**
     * The switch runs and its change thread takes tasks through {@code changes}: applies what
     * came meanwhile, and starts the status ticker.
     */
    public void attach(Switch running, Predicate<Runnable> changes) {
        this.sw = running;
        this.executor = changes;
        if (latest.get() == null && applied != null) {
            latest.compareAndSet(null, applied);
        }
        schedule();
        ticker = new Thread(this::tickLoop, "ovsdb-status");
        ticker.setDaemon(true);
        ticker.start();
    }

    /** {@code jvsctl reload}: new process settings from the file, the database mapped again. */
    public List<String> reload(SwitchConfig newBase) {
        this.base = newBase;
        client.remap();
        return List.of("mapping the database again with the file's datapath settings");
    }

    /** Counters for {@code coverage/show}. */
    public Map<String, Long> counters() {
        return client.counters();
    }

    private MapContext.Pinned pinned() {
        Switch s = sw;
        if (s == null) {
            return null;
        }
        SwitchConfig running = s.config();
        return new MapContext.Pinned(running.datapath().pmdCpus(), running.revalidators().threads());
    }

    private void onConfig(DbConfig mapped) {
        DbConfig c = mapped.withRoutes(HostRoutes.of(mapped.config()));
        if (sw == null) {
            first.offer(c);
        }
        latest.set(c);
        schedule();
    }

    private void schedule() {
        Predicate<Runnable> ex = executor;
        if (ex != null && scheduled.compareAndSet(false, true) && !ex.test(this::applyLatest)) {
            scheduled.set(false);
        }
    }

    /** Change thread: applies the newest snapshot, then reports. */
    private void applyLatest() {
        scheduled.set(false);
        DbConfig c = latest.getAndSet(null);
        if (c == null || closed) {
            return;
        }
        long t0 = System.nanoTime();
        // Written back even when the change could not be applied, as OVS does, so that ovs-vsctl
        // never waits for a configuration that will not come; the log and status say what runs.
        long cfg = c.nextCfg();
        for (int attempt = 1; ; attempt++) {
            try {
                List<String> changes = sw.reload(c.config());
                if (!changes.isEmpty()) {
                    LOG.info("ovsdb: applied next_cfg {}: {} change(s)", c.nextCfg(), changes.size());
                }
                break;
            } catch (ConfigException e) {
                Map<String, String> failed = portErrors(e.errors());
                if (failed.isEmpty() || attempt >= MAX_ATTEMPTS) {
                    for (ConfigError err : e.errors()) {
                        LOG.warn("ovsdb: configuration not applied: {}", err);
                    }
                    c = applied != null ? applied : c;
                    break;
                }
                logFailed(failed);
                c = c.without(failed);
            } catch (OfprotoException | RuntimeException e) {
                LOG.error("ovsdb: applying next_cfg {} failed part way: {}", c.nextCfg(), e.getMessage());
                break;
            }
        }
        java.util.Set<String> now = new java.util.HashSet<>();
        for (ConfigError w : c.config().warnings()) {
            String line = w.toString();
            now.add(line);
            if (!warned.contains(line)) {
                LOG.warn("ovsdb: {}", line);
            }
        }
        warned = now;
        applied = c;
        client.report(StatusCollector.collect(sw, c, cfg, applyMtu(c)));
        LOG.debug("ovsdb: next_cfg {} handled in {} us", cfg, (System.nanoTime() - t0) / 1000);
    }

    /** Change thread: sets the requested MTUs ({@link MtuRequests}); logs a refusal once. */
    private Map<String, String> applyMtu(DbConfig c) {
        Map<String, String> now = MtuRequests.apply(c);
        for (Map.Entry<String, String> e : now.entrySet()) {
            if (!e.getValue().equals(mtuErrors.get(e.getKey()))) {
                LOG.warn("ovsdb: interface {}: {}", e.getKey(), e.getValue());
            }
        }
        mtuErrors = now;
        return now;
    }

    private void tickLoop() {
        long lastStats = System.nanoTime();
        while (!closed) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
            if (latest.get() != null && !scheduled.get()) {
                schedule();
            }
            if (client.connected() && endpointsMoved(applied)) {
                client.remap();
            }
            long now = System.nanoTime();
            DbConfig shown = applied;
            long interval = shown == null ? STATS_INTERVAL_MS : shown.statsIntervalMs();
            if (now - lastStats >= TimeUnit.MILLISECONDS.toNanos(interval)) {
                lastStats = now;
                DbConfig a = applied;
                if (a != null && client.connected()) {
                    executor.test(() -> {
                        DbConfig cur = applied;
                        if (!closed && cur != null) {
                            client.report(StatusCollector.collect(sw, cur, -1, applyMtu(cur)));
                        }
                    });
                    if (a.interfaceErrors().values().stream().anyMatch(m -> m.contains("No such device"))) {
                        client.remap();
                    }
                }
            }
        }
    }

    /**
     * Whether the host changed the addresses of a bridge's own device, or the gateway routes
     * through it ({@link HostRoutes}), since {@code a} was mapped (the tunnel endpoint and routes
     * follow them, as OVS follows the kernel's routes).
     */
    private static boolean endpointsMoved(DbConfig a) {
        if (a == null) {
            return false;
        }
        for (BridgeSpec b : a.config().bridges().values()) {
            PortSpec own = b.ports().get(b.name());
            if (own == null || own.ofport() != PortSpec.LOCAL) {
                continue;
            }
            EndpointSpec now = HostEndpoints.of(b.name());
            if (now == null ? b.endpoint() != null : !now.sameAs(b.endpoint())) {
                return true;
            }
        }
        return !HostRoutes.of(a.config()).equals(a.config().routes());
    }

    /** The ports named by start or reload errors ({@code bridges.B.ports.P}), with the message. */
    static Map<String, String> portErrors(List<ConfigError> errors) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ConfigError e : errors) {
            String[] k = e.key().split("\\.");
            if (k.length == 4 && k[0].equals("bridges") && k[2].equals("ports")) {
                out.put(k[3], e.message());
            } else {
                return Map.of();
            }
        }
        return out;
    }

    private static void logFailed(Map<String, String> failed) {
        for (Map.Entry<String, String> f : failed.entrySet()) {
            LOG.warn("ovsdb: interface {}: {}", f.getKey(), f.getValue());
        }
    }

    @Override
    public void close() {
        closed = true;
        if (ticker != null) {
            ticker.interrupt();
        }
        client.close();
    }
}
