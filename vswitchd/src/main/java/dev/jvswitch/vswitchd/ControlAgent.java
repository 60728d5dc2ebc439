package dev.jvswitch.vswitchd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jvswitch.config.ConfigError;
import dev.jvswitch.config.ConfigException;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.config.yaml.YamlConfigLoader;
import dev.jvswitch.vswitchd.control.CommandException;
import dev.jvswitch.vswitchd.control.CommandKind;
import dev.jvswitch.vswitchd.control.CommandRegistry;
import dev.jvswitch.vswitchd.control.ControlProtocol;
import dev.jvswitch.vswitchd.control.ControlServer;
import dev.jvswitch.vswitchd.control.Reply;
import dev.jvswitch.vswitchd.control.SwitchCommands;
import dev.jvswitch.vswitchd.run.Switch;
import dev.jvswitch.vswitchd.ofproto.OfprotoException;
import dev.jvswitch.vswitchd.vlog.PacketEventLog;
import dev.jvswitch.vswitchd.vlog.Vlog;
import dev.jvswitch.vswitchd.vlog.VlogCommands;

/**
 * The control thread's agent: the control socket's commands, reloads (SIGHUP, {@code jvsctl
 * reload}), shutdown requests (SIGTERM, SIGINT, {@code jvsctl exit}), and a tick every
 * {@value #TICK_MS} ms (port link state, slow-path housekeeping).
 *
 * <p><b>Duty cycle</b> ({@link #doWork}): read the clock once; drain up to
 * {@value #COMMAND_LIMIT} commands that other threads sent through the {@link ControlProxy}; stop
 * if a shutdown was asked for; hand the finished changes' answers to their clients; serve the
 * control socket without blocking; tick when due; return how much was done. When nothing was, the
 * {@link ControlIdleStrategy} blocks in the socket's selector until a client, a wakeup or the next
 * deadline.
 *
 * <p><b>Nothing it does takes long.</b> Requests that change the switch and may take long
 * (reload, {@code ofctl/*} edits) go to the {@link ChangeAgent}, which runs them one at a time on
 * its own thread, in order; read-only commands are answered here meanwhile (see
 * {@link CommandKind}). At most {@value ChangeAgent#MAX_QUEUED} changes wait: one more is refused
 * with a {@code busy} reply.
 *
 * <p><b>Failures stay with their request.</b> Whatever a request throws — a bad line, a failed
 * command, an internal error, even a {@code StackOverflowError} — ends that request only: its
 * client gets an error line, a counter counts it ({@code control_commands_failed},
 * {@code control_internal_errors}) and an internal error is logged (with its stack the first
 * time for each kind of error, in one line after). A failing tick is logged and counted the same
 * way ({@code control_tick_errors}) and the next tick runs as usual.
 *
 * <p>Stopping: the agent throws an expected {@link AgentTerminationException}, so its runner
 * returns; {@link #exitReason()} says why, {@link #failure()} whether the socket failed.
 *
 * <p><b>Thread-safety:</b> owned by the control thread, which runs its {@code AgentRunner}. Other
 * threads reach it only through {@link #proxy()}; the command queue orders their requests
 * (offer: release, poll: acquire). {@link #msUntilDue} is for the idle strategy, on the same
 * thread. {@link #run(ChangeAgent.Job)}, {@link #reload()} and the counters they touch (atomics)
 * are also used by the change thread.
 */
final class ControlAgent implements Agent, SwitchCommands.Daemon {
    static final long TICK_MS = 250;
    /** Most commands one duty cycle takes from the queue (the proxy keeps at most two queued). */
    static final int COMMAND_LIMIT = 8;
    private static final long TICK_NS = TimeUnit.MILLISECONDS.toNanos(TICK_MS);
    private static final Logger LOG = LoggerFactory.getLogger("jvswitchd");

    private final Path configFile;
    private final YamlConfigLoader loader;
    private final Switch sw;
    private final ControlServer server;
    private final NanoClock clock;
    private final CommandRegistry commands;
    private final ManyToOneConcurrentArrayQueue<ControlProxy.Command> queue =
            new ManyToOneConcurrentArrayQueue<>(COMMAND_LIMIT);
    private final ControlProxy proxy;
    private final ChangeAgent changes;
    /** Rate-limited warnings from the per-packet counters, once a second on the tick. */
    private final PacketEventLog events;
    private final AtomicLong commandsFailed = new AtomicLong();
    private final AtomicLong internalErrors = new AtomicLong();
    private final Set<Class<?>> errorsLogged = ConcurrentHashMap.newKeySet();
    private long changesQueued;
    private long changesRefused;
    private long ticks;
    private long tickErrors;
    private long nextTickNs;
    /** The duty cycle's time, for the callbacks below (made once: doWork allocates nothing). */
    private long nowNs;
    private final Consumer<ChangeAgent.Done> onDone = this::onChangeDone;
    private final ControlServer.Handler onRequest = this::onRequest;
    private final Consumer<ControlProxy.Command> onCommand = this::onCommand;
    private String exitReason;
    private Exception failure;
    /** Under a database: what a reload does with the file re-read (set once, before the agent runs). */
    private volatile java.util.function.Function<SwitchConfig, List<String>> dbReload;
    /** What else a reload applies once the switch took the new config (the config's mirrors); set once. */
    private volatile java.util.function.Function<SwitchConfig, List<String>> afterReload = c -> List.of();

    /**
     * @param clock the clock ticks are timed by and read from (the datapath's, so that the tick's
     *              time is the one megaflows are stamped with)
     */
    ControlAgent(Path configFile, YamlConfigLoader loader, Switch sw, ControlServer server, NanoClock clock) {
        this.configFile = configFile;
        this.loader = loader;
        this.sw = sw;
        this.server = server;
        this.clock = clock;
        this.proxy = new ControlProxy(queue, server::wakeup);
        this.commands = SwitchCommands.create(sw, this);
        VlogCommands.register(commands, Vlog.current());
        this.events = new PacketEventLog(sw.datapath(), Vlog.current());
        this.changes = new ChangeAgent(this::run, server::wakeup);
        this.nextTickNs = clock.nanoTime();
    }

    private volatile java.util.function.Supplier<Map<String, Long>> moreCoverage = Map::of;

    /**
     * Under a database ({@code --db}): a reload re-reads the file's process settings and hands
     * them to {@code reload}, which maps the database again, instead of replacing the bridges.
     */
    void reloadWith(java.util.function.Function<SwitchConfig, List<String>> reload) {
        this.dbReload = reload;
    }

    /** Counters {@code coverage/show} adds to the daemon's (the database client's). */
    void coverageFrom(java.util.function.Supplier<Map<String, Long>> more) {
        this.moreCoverage = more;
    }

    /** {@code then} runs after every reload the switch accepted, with its config; its lines join the reply's. */
    void afterReload(java.util.function.Function<SwitchConfig, List<String>> then) {
        this.afterReload = then;
    }

    /** The agent that runs changes; {@link Jvswitchd} gives it a thread, tests step it. */
    ChangeAgent changes() {
        return changes;
    }

    /** The commands (tests add their own). */
    CommandRegistry commands() {
        return commands;
    }

    /** How other threads (signal handlers, the shutdown hook) and commands ask this agent for things. */
    ControlProxy proxy() {
        return proxy;
    }

    @Override
    public String roleName() {
        return "jvswitchd-control";
    }

    @Override
    public int doWork() {
        nowNs = clock.nanoTime();
        int work = queue.drain(onCommand, COMMAND_LIMIT);
        if (exitReason == null) {
            work += changes.drainDone(onDone, ChangeAgent.MAX_QUEUED);
            try {
                work += server.poll(onRequest, nowNs);
            } catch (IOException | RuntimeException e) {
                failure = e;
                exitReason = "control agent failed";
            }
            if (nowNs - nextTickNs >= 0) {
                tick(nowNs);
                nextTickNs = nowNs + TICK_NS;
                work++;
            }
        }
        if (exitReason != null) {
            throw new AgentTerminationException(true);
        }
        return work;
    }

    private void tick(long nowNs) {
        ticks++;
        try {
            sw.onTick(TimeUnit.NANOSECONDS.toMillis(nowNs));
            events.onTick(nowNs);
        } catch (Throwable t) {
            tickErrors++;
            logInternal("tick", t);
        }
    }

    /**
     * Milliseconds the idle strategy may block: 0 when a command waits or the tick is due, else
     * the time to the next tick or the socket's next deadline (an idle client to close),
     * at least 1.
     */
    long msUntilDue() {
        if (exitReason != null || !queue.isEmpty()) {
            return 0;
        }
        long now = clock.nanoTime();
        long ns = nextTickNs - now;
        long tickMs = ns <= 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(ns));
        return Math.min(tickMs, server.msUntilDue(now));
    }

    /** The idle strategy's select failed: the next duty cycle stops the agent with {@code e}. */
    void onIdleFailed(IOException e) {
        if (exitReason == null) {
            failure = e;
            exitReason = "control agent failed";
        }
    }

    /** Why the agent stopped (the first shutdown request), or null while it runs. */
    String exitReason() {
        return exitReason;
    }

    /**
     * After the agent stopped and the change agent with it: sends the answers of the changes
     * that finished meanwhile (or were refused as shutting down), as far as the clients take
     * them without waiting. Control thread.
     */
    void answerFinishedChanges() {
        nowNs = clock.nanoTime();
        changes.drainDone(onDone, ChangeAgent.MAX_QUEUED);
    }

    /** What made the agent stop on its own (the socket), or null. */
    Exception failure() {
        return failure;
    }

    private void onCommand(ControlProxy.Command c) {
        if (c == ControlProxy.Command.RELOAD) {
            proxy.onReloadTaken();
            if (!changes.submit(new ChangeAgent.Job("reload", List.of(), null))) {
                changesRefused++;
                LOG.warn("reload (SIGHUP) not run: {} changes are waiting already", ChangeAgent.MAX_QUEUED);
            } else {
                changesQueued++;
            }
        } else if (exitReason == null) {
            exitReason = proxy.takeExitReason();
        }
    }

    // ------------------------------------------------------------------ SwitchCommands.Daemon

    @Override
    public List<String> reload() throws CommandException {
        SwitchConfig next;
        try {
            // Against the running config: the flow lines it has already are not parsed again.
            next = loader.load(configFile, sw.config());
        } catch (ConfigException e) {
            return rejected(e.errors());
        } catch (java.util.concurrent.CancellationException e) {
            // SIGTERM's change wait ran out while a long file was being checked: nothing was applied.
            LOG.info("reload of {} cancelled: shutting down", configFile);
            throw CommandException.failed("reload cancelled, nothing changed: the daemon is shutting down");
        }
        for (ConfigError w : next.warnings()) {
            LOG.warn("{}", w);
        }
        if (dbReload != null) {
            if (!next.bridges().isEmpty()) {
                throw CommandException.failed("reload rejected, nothing changed: " + configFile + " has bridges, but"
                        + " they come from the database");
            }
            return joined(dbReload.apply(next), afterReload.apply(next));
        }
        try {
            List<String> changes = joined(sw.reload(next), afterReload.apply(next));
            LOG.info("reloaded {}: {}", configFile, changes.isEmpty() ? "nothing changed" : changes.size() + " change(s)");
            return changes;
        } catch (ConfigException e) {
            return rejected(e.errors());
        } catch (OfprotoException | RuntimeException e) {
            LOG.error("reload of {} failed part way: {}", configFile, e.getMessage());
            throw CommandException.failed("reload failed part way: " + e.getMessage());
        }
    }

    private static List<String> joined(List<String> a, List<String> b) {
        if (b.isEmpty()) {
            return a;
        }
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private List<String> rejected(List<ConfigError> errors) throws CommandException {
        sw.onReloadRejected();
        StringBuilder sb = new StringBuilder("reload rejected, nothing changed: ");
        for (int i = 0; i < errors.size(); i++) {
            LOG.warn("reload rejected: {}", errors.get(i));
            sb.append(i == 0 ? "" : "; ").append(errors.get(i));
        }
        throw CommandException.failed(sb.toString());
    }

    /** {@code jvsctl exit}: the reply goes out in this duty cycle, the agent stops in the next. */
    @Override
    public void exit() {
        proxy.exit("exit command");
    }

    @Override
    public Map<String, Long> coverage() {
        Map<String, Long> c = new LinkedHashMap<>(server.counters());
        c.put("control_commands_failed", commandsFailed.get());
        c.put("control_internal_errors", internalErrors.get());
        c.put("control_changes_queued", changesQueued);
        c.put("control_changes_busy", changesRefused);
        c.put("control_ticks", ticks);
        c.put("control_tick_errors", tickErrors);
        c.put("signal_hup", proxy.reloadsRequested());
        c.put("signal_term", proxy.exitsRequested());
        c.putAll(moreCoverage.get());
        return c;
    }

    // ------------------------------------------------------------------ requests

    /**
     * One request line in; its response line out, or null when it went to the change agent (the
     * answer follows through {@link #onChangeDone}). Throws nothing.
     */
    private String onRequest(ControlServer.Exchange exchange, String line) {
        ControlProtocol.Request req;
        try {
            req = ControlProtocol.parseRequest(line);
        } catch (IllegalArgumentException e) {
            commandsFailed.incrementAndGet();
            return ControlProtocol.failure(e.getMessage(), true);
        } catch (Throwable t) {
            return internalError("request", t);
        }
        CommandKind kind = commands.contains(req.command()) ? CommandKind.of(req.command()) : CommandKind.INLINE;
        if (kind == CommandKind.INLINE || (kind == CommandKind.TABLE_READ && changes.inFlight() == 0)) {
            return run(req.command(), req.args());
        }
        if (!changes.submit(new ChangeAgent.Job(req.command(), req.args(), exchange))) {
            changesRefused++;
            commandsFailed.incrementAndGet();
            return ControlProtocol.failure("busy: " + ChangeAgent.MAX_QUEUED + " changes are waiting already; try "
                    + "again once they are done", false);
        }
        changesQueued++;
        return null;
    }

    private void onChangeDone(ChangeAgent.Done d) {
        if (d.exchange() != null) {
            server.reply(d.exchange(), d.response(), nowNs);
        }
    }

    /** Runs a job; on the change thread. */
    private String run(ChangeAgent.Job job) {
        return run(job.command(), job.args());
    }

    /** Runs one command: its response line, whatever happens. Control or change thread. */
    private String run(String command, List<String> args) {
        try {
            Reply reply = commands.dispatch(command, args);
            LOG.debug("command {} {}", command, args);
            return ControlProtocol.success(reply);
        } catch (CommandException e) {
            commandsFailed.incrementAndGet();
            return ControlProtocol.failure(e.getMessage(), e.usage());
        } catch (Throwable t) {
            return internalError(command, t);
        }
    }

    private String internalError(String what, Throwable t) {
        commandsFailed.incrementAndGet();
        internalErrors.incrementAndGet();
        logInternal(what, t);
        return ControlProtocol.failure(what + ": internal error: " + t.getClass().getName()
                + (t.getMessage() == null ? "" : ": " + oneLine(t.getMessage())), false);
    }

    /**
     * Logs an internal error: with a short stack the first time its class is seen, as one line
     * after that, so that a client repeating a failing request cannot flood the log.
     */
    private void logInternal(String what, Throwable t) {
        if (errorsLogged.add(t.getClass())) {
            StringBuilder sb = new StringBuilder();
            StackTraceElement[] stack = t.getStackTrace();
            for (int i = 0; i < Math.min(stack.length, 12); i++) {
                sb.append("\n\tat ").append(stack[i]);
            }
            if (stack.length > 12) {
                sb.append("\n\t... ").append(stack.length - 12).append(" more");
            }
            LOG.error("{} failed: {}{} (logged once; later ones of this kind in one line)", what, t, sb);
        } else {
            LOG.warn("{} failed: {}", what, t.getClass().getName() + (t.getMessage() == null ? ""
                    : ": " + oneLine(t.getMessage())));
        }
    }

    private static String oneLine(String s) {
        String one = s.replace('\n', ' ').replace('\r', ' ');
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }
}
