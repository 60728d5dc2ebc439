package dev.jvswitch.ovsdb;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.ovsdb.data.Datum;
import dev.jvswitch.ovsdb.data.Replica;
import dev.jvswitch.ovsdb.jsonrpc.JsonRpcConnection;
import dev.jvswitch.ovsdb.jsonrpc.JsonRpcException;
import dev.jvswitch.ovsdb.jsonrpc.JsonRpcMessage;
import dev.jvswitch.ovsdb.mapping.Columns;
import dev.jvswitch.ovsdb.mapping.DbConfig;
import dev.jvswitch.ovsdb.mapping.MapContext;
import dev.jvswitch.ovsdb.mapping.OvsdbMapper;
import dev.jvswitch.ovsdb.status.StatusReport;
import dev.jvswitch.ovsdb.status.StatusWriter;

/**
 * ovs-vswitchd's database half: a client of {@code ovsdb-server} that follows the
 * {@code Open_vSwitch} database and hands the daemon a {@link DbConfig} (a switch-config
 * snapshot) after every change, and writes the daemon's {@link StatusReport}s back.
 *
 * <p><b>Session</b> (one per connection): {@code get_schema} (the tables and columns it follows
 * must exist; columns an older schema lacks are not asked for); a {@code transact} that reads the
 * root row, the {@code Datapath} rows and every {@code Interface.ofport} (so that interfaces keep
 * their numbers across a restart of jvswitchd); the identity write ({@link Identity});
 * {@code monitor_cond} of the configuration columns only ({@link Columns}: what the client writes
 * is not monitored, so its own writes never wake it; {@code monitor} where the server lacks
 * {@code monitor_cond}), whose reply is the full state of the rows {@link Conditions} selects
 * (kept current with {@code monitor_cond_change}); then {@code update2} (or {@code update})
 * notifications, each followed by a new snapshot. {@code update2} carries only the columns that
 * changed, a set or map as its difference ({@link Replica#apply2}). {@code echo} requests from the
 * server are answered by the connection; the client sends its own every
 * {@value #PROBE_MS} ms of silence and gives up on the connection when one goes unanswered for
 * {@value #CALL_TIMEOUT_MS} ms.
 *
 * <p><b>Reconnect</b>: when the connection fails or ends, the client retries after 1 s, doubling
 * to {@value #MAX_BACKOFF_MS} ms, and on success starts over (a full resync: the replica is
 * rebuilt from the monitor reply and every status column written again). The running switch
 * keeps forwarding meanwhile; the snapshot after a resync goes through the daemon's reload plan
 * like any other, so what did not change is not touched.
 *
 * <p><b>Thread-safety:</b> one thread ({@code ovsdb-client}) owns the connection's session, the
 * replica and the status writer; the connection's reader thread only queues what it reads.
 * {@link #report}, {@link #remap} and {@link #close} may be called from any thread: they queue
 * an event. The listener runs on the client's thread and must not block for long.
 */
public final class OvsdbClient implements AutoCloseable {
    static final long PROBE_MS = 5_000;
    static final long CALL_TIMEOUT_MS = 10_000;
    static final long MAX_BACKOFF_MS = 8_000;
    /** Table to zone to policy: two levels below the root, and one spare. */
    static final int MAX_CONDITION_ROUNDS = 4;
    private static final String MONITOR_ID = "jvswitchd";
    private static final Logger LOG = LoggerFactory.getLogger("jvswitchd");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Settings of a client; {@code hostEndpoint} as {@link MapContext#hostEndpoint}. */
    public record Settings(String target, String rundir, OvsdbMapper mapper, Supplier<SwitchConfig> base,
            Supplier<MapContext.Pinned> pinned, java.util.function.Predicate<String> deviceExists,
            java.util.function.Function<String, dev.jvswitch.config.EndpointSpec> hostEndpoint) {
    }

    /** An {@code update} (or, {@code two}, an {@code update2}) notification's table updates. */
    private record Update(JsonNode tableUpdates, boolean two) {
    }

    private record Closed(Exception why) {
    }

    private record Report(StatusReport report) {
    }

    private enum Signal { REMAP, STOP }

    private final Settings settings;
    private final Consumer<DbConfig> listener;
    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final Replica replica = new Replica();
    private final StatusWriter writer = new StatusWriter();
    private final Map<String, Integer> knownOfports = new HashMap<>();
    private volatile boolean stopped;
    private volatile boolean connected;
    private volatile long connects;
    private volatile long updates;
    private volatile long writeFailures;
    private volatile long conditionChanges;
    private Thread thread;

    public OvsdbClient(Settings settings, Consumer<DbConfig> listener) {
        this.settings = settings;
        this.listener = listener;
    }

    /** Starts the client's thread. */
    public synchronized void start() {
        thread = new Thread(this::run, "ovsdb-client");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a status report for the database. */
    public void report(StatusReport r) {
        events.offer(new Report(r));
    }

    /** Maps the database again (the process settings, or a device, may have changed). */
    public void remap() {
        events.offer(Signal.REMAP);
    }

    /** Whether a session is up. */
    public boolean connected() {
        return connected;
    }

    /** Counters for {@code coverage/show}. */
    public Map<String, Long> counters() {
        return Map.of("ovsdb_connects", connects, "ovsdb_updates", updates, "ovsdb_write_failures", writeFailures,
                "ovsdb_cond_changes", conditionChanges);
    }

    @Override
    public void close() {
        stopped = true;
        events.offer(Signal.STOP);
        Thread t = thread;
        if (t != null) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        long backoffMs = 1_000;
        boolean loggedDown = false;
        while (!stopped) {
            JsonRpcConnection conn = null;
            try {
                conn = JsonRpcConnection.connect(settings.target());
                session(conn);
                backoffMs = 1_000;
                loggedDown = false;
            } catch (IOException | JsonRpcException | RuntimeException e) {
                if (!loggedDown) {
                    LOG.warn("ovsdb {}: {}; retrying", settings.target(), e.getMessage());
                    loggedDown = true;
                }
            } finally {
                connected = false;
                if (conn != null) {
                    conn.close();
                }
            }
            if (stopped) {
                break;
            }
            if (waitFor(backoffMs)) {
                break;
            }
            backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        }
    }

    /** Waits {@code ms}, answering remaps meanwhile; true if asked to stop. */
    private boolean waitFor(long ms) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        try {
            long left;
            while ((left = until - System.nanoTime()) > 0) {
                Object e = events.poll(left, TimeUnit.NANOSECONDS);
                if (e == Signal.STOP) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
        return false;
    }

    private void session(JsonRpcConnection conn) throws IOException, JsonRpcException {
        conn.start(this::onMessage, why -> events.offer(new Closed(why)), "ovsdb-reader");
        JsonNode schema = conn.call("get_schema", F.arrayNode().add(Columns.DB), CALL_TIMEOUT_MS);
        Map<String, List<String>> columns = Schema.columns(schema);
        kinds = Schema.kinds(schema);
        String root = readState(conn);
        ArrayNode identity = Identity.operations(root, datapaths, settings.mapper().ifaceTypes());
        transact(conn, identity);
        // monitor_cond (update2: only the columns that changed, only the rows the conditions
        // select) where the server has it, else monitor (every row).
        replica.clear();
        monitored = columns;
        monitorId = MONITOR_ID + "-" + (++monitorSerial);
        conditions = conditionsRefused ? Map.of() : Conditions.of(replica, columns);
        JsonNode initial;
        boolean cond = true;
        try {
            initial = conn.call("monitor_cond", F.arrayNode().add(Columns.DB).add(monitorId)
                    .add(Schema.monitorRequests(columns, conditions)), CALL_TIMEOUT_MS);
        } catch (JsonRpcException e) {
            if (!e.getMessage().contains("unknown method")) {
                throw e;
            }
            cond = false;
            conditions = Map.of();
            initial = conn.call("monitor", F.arrayNode().add(Columns.DB).add(monitorId)
                    .add(Schema.monitorRequests(columns, Map.of())), CALL_TIMEOUT_MS);
        }
        monitorMethod = cond ? "monitor_cond" : "monitor";
        writer.forget();
        apply(new Update(initial, cond));
        settleConditions(conn);
        connected = true;
        connects++;
        LOG.info("ovsdb {}: connected ({}), {} bridge(s)", settings.target(), monitorMethod,
                replica.rows(Columns.BRIDGE).size());
        publish();
        long lastProbeNs = System.nanoTime();
        while (!stopped) {
            Object e;
            try {
                e = events.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
            if (e instanceof Update u) {
                updates++;
                apply(u);
                drainUpdates();
                settleConditions(conn);
                publish();
            } else if (e instanceof Report r) {
                transact(conn, writer.operations(replica, latestReport(r.report())));
            } else if (e == Signal.REMAP) {
                publish();
            } else if (e instanceof Closed c) {
                LOG.warn("ovsdb {}: connection lost{}; reconnecting", settings.target(),
                        c.why() == null ? "" : " (" + c.why().getMessage() + ")");
                return;
            } else if (e == Signal.STOP) {
                return;
            }
            long now = System.nanoTime();
            if (now - conn.lastReadNs() > TimeUnit.MILLISECONDS.toNanos(PROBE_MS)
                    && now - lastProbeNs > TimeUnit.MILLISECONDS.toNanos(PROBE_MS)) {
                lastProbeNs = now;
                conn.callAsync("echo", F.arrayNode()).orTimeout(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                        .whenComplete((r, ex) -> {
                            if (ex != null) {
                                conn.close();
                            }
                        });
            }
        }
    }

    /** Applies the updates already queued behind the first, so one snapshot covers a burst. */
    private void drainUpdates() {
        Object next;
        while ((next = events.peek()) instanceof Update u) {
            events.poll();
            updates++;
            apply(u);
        }
    }

    /**
     * Sends {@code monitor_cond_change} until the conditions the replica implies are the ones in
     * force (each change can bring rows whose references change the next table's condition),
     * so that a snapshot never maps a zone without its policy. The server sends the rows a change
     * selects before its reply; they are applied here, wherever they stand in the queue.
     */
    private void settleConditions(JsonRpcConnection conn) throws IOException, JsonRpcException {
        if (!"monitor_cond".equals(monitorMethod) || conditionsRefused) {
            return;
        }
        for (int round = 0; round < MAX_CONDITION_ROUNDS; round++) {
            Map<String, ArrayNode> next = Conditions.of(replica, monitored);
            ObjectNode changes = F.objectNode();
            for (Map.Entry<String, ArrayNode> t : next.entrySet()) {
                if (!t.getValue().equals(conditions.get(t.getKey()))) {
                    // <monitor-cond-update-requests>: each table to an array of requests.
                    changes.set(t.getKey(), F.arrayNode().add(F.objectNode().set("where", t.getValue())));
                }
            }
            if (changes.isEmpty()) {
                return;
            }
            String id = MONITOR_ID + "-" + (++monitorSerial);
            try {
                conn.call("monitor_cond_change", F.arrayNode().add(monitorId).add(id).add(changes), CALL_TIMEOUT_MS);
            } catch (JsonRpcException e) {
                // A server that cannot change conditions: follow every row from the next session on.
                conditionsRefused = true;
                throw new JsonRpcException("monitor_cond_change refused (" + e.getMessage()
                        + "); monitoring every row from now on");
            }
            monitorId = id;
            conditions = next;
            conditionChanges++;
            for (var it = events.iterator(); it.hasNext();) {
                if (it.next() instanceof Update u) {
                    it.remove();
                    updates++;
                    apply(u);
                }
            }
        }
        LOG.warn("ovsdb {}: monitor conditions still changing after {} rounds", settings.target(),
                MAX_CONDITION_ROUNDS);
    }

    private void apply(Update u) {
        if (u.two()) {
            replica.apply2(u.tableUpdates(), kinds);
        } else {
            replica.apply(u.tableUpdates());
        }
    }

    /** The columns followed, by table (client thread; set at each connect). */
    private Map<String, List<String>> monitored = Map.of();
    /** The conditions in force, by table (client thread; empty under plain {@code monitor}). */
    private Map<String, ArrayNode> conditions = Map.of();
    /** The monitor's {@code <json-value>}, which each {@code monitor_cond_change} renews. */
    private String monitorId = MONITOR_ID;
    private long monitorSerial;
    /** The server refused {@code monitor_cond_change}: later sessions ask for every row. */
    private boolean conditionsRefused;

    /** The monitored columns' kinds (client thread; set at each connect). */
    private Map<String, Map<String, Replica.Kind>> kinds = Map.of();
    /** How the current session monitors ({@code monitor_cond} or {@code monitor}), for the log. */
    private volatile String monitorMethod = "monitor";

    /** The newest of the reports queued (older ones are superseded). */
    private StatusReport latestReport(StatusReport first) {
        StatusReport r = first;
        Object next;
        while ((next = events.peek()) instanceof Report rr && rr.report().curCfg() >= r.curCfg()) {
            events.poll();
            r = rr.report();
        }
        return r;
    }

    private Map<String, String> datapaths = Map.of();

    /** Reads the root row's uuid and datapaths, and every interface's ofport; returns the root uuid. */
    private String readState(JsonRpcConnection conn) throws IOException, JsonRpcException {
        ArrayNode ops = F.arrayNode();
        ops.add(select(Columns.ROOT, "_uuid", "datapaths"));
        ops.add(select(Columns.INTERFACE, "name", "ofport"));
        JsonNode result = conn.call("transact", F.arrayNode().add(Columns.DB).addAll(ops), CALL_TIMEOUT_MS);
        JsonNode roots = result.path(0).path("rows");
        if (roots.size() != 1) {
            throw new IOException("the Open_vSwitch table has " + roots.size() + " rows, expected 1 (run ovs-vsctl init)");
        }
        String root = Datum.uuid(roots.get(0).get("_uuid"));
        datapaths = Datum.uuidMap(roots.get(0).get("datapaths"));
        for (JsonNode row : result.path(1).path("rows")) {
            Long of = Datum.optInteger(row.get("ofport"));
            if (of != null && of > 0) {
                knownOfports.putIfAbsent(Datum.string(row.get("name")), of.intValue());
            }
        }
        return root;
    }

    private static ObjectNode select(String table, String... columns) {
        ObjectNode op = F.objectNode();
        op.put("op", "select");
        op.put("table", table);
        op.set("where", F.arrayNode());
        ArrayNode cols = F.arrayNode();
        for (String c : columns) {
            cols.add(c);
        }
        op.set("columns", cols);
        return op;
    }

    private void transact(JsonRpcConnection conn, ArrayNode ops) {
        if (ops.isEmpty()) {
            return;
        }
        ArrayNode params = F.arrayNode().add(Columns.DB).addAll(ops);
        conn.callAsync("transact", params).whenComplete((r, ex) -> {
            String problem = ex != null ? ex.getMessage() : r.failed() ? r.error().toString() : failedOp(r.result());
            if (problem != null) {
                writeFailures++;
                LOG.warn("ovsdb {}: status write failed: {}", settings.target(), problem);
            }
        });
    }

    /** The first operation error in a transact result, or null. */
    private static String failedOp(JsonNode results) {
        for (JsonNode r : results) {
            if (r != null && r.has("error")) {
                return r.get("error").asText() + (r.has("details") ? ": " + r.get("details").asText() : "");
            }
        }
        return null;
    }

    private void onMessage(JsonRpcMessage m) {
        if ("update".equals(m.method()) && m.params().size() == 2) {
            events.offer(new Update(m.params().get(1), false));
        } else if ("update2".equals(m.method()) && m.params().size() == 2) {
            events.offer(new Update(m.params().get(1), true));
        }
    }

    private void publish() {
        MapContext ctx = new MapContext(settings.target(), settings.rundir(), knownOfports, settings.deviceExists(),
                settings.pinned().get(), settings.hostEndpoint());
        DbConfig c = settings.mapper().map(replica, settings.base().get(), ctx);
        for (var p : c.config().ports()) {
            knownOfports.put(p.name(), p.ofport());
        }
        try {
            listener.accept(c);
        } catch (RuntimeException e) {
            LOG.error("ovsdb: applying the database's configuration failed: {}", e.toString(), e);
        }
    }
}
