package dev.jvswitch.vswitchd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
import dev.jvswitch.vswitchd.control.CommandRegistry;
import dev.jvswitch.vswitchd.control.ControlProtocol;
import dev.jvswitch.vswitchd.control.ControlServer;
import dev.jvswitch.vswitchd.control.Reply;
import dev.jvswitch.vswitchd.control.SwitchCommands;
import dev.jvswitch.vswitchd.run.Switch;
import dev.jvswitch.vswitchd.slowpath.SlowPathException;

/**
 * The control thread's agent: everything that changes the running switch happens here, one thing
 * at a time — the control socket's commands, reloads (SIGHUP, {@code jvsctl reload}), shutdown
 * requests (SIGTERM, SIGINT, {@code jvsctl exit}), and a tick every {@value #TICK_MS} ms (port
 * link state, slow-path housekeeping).
 *
 * <p><b>Duty cycle</b> ({@link #doWork}): read the clock once; drain up to
 * {@value #COMMAND_LIMIT} commands that other threads sent through the {@link ControlProxy}; stop
 * if a shutdown was asked for; serve the control socket without blocking; tick when due; return
 * how much was done. When nothing was, the {@link ControlIdleStrategy} blocks in the socket's
 * selector until a client, a proxy's wakeup or the next tick.
 *
 * <p>Stopping: the agent throws an expected {@link AgentTerminationException}, so its runner
 * returns; {@link #exitReason()} says why, {@link #failure()} whether the socket or a tick failed.
 *
 * <p><b>Thread-safety:</b> owned by the control thread, which runs its {@code AgentRunner}. Other
 * threads reach it only through {@link #proxy()}; the command queue orders their requests
 * (offer: release, poll: acquire). {@link #msUntilDue} is for the idle strategy, on the same
 * thread.
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
    private long nextTickNs;
    private String exitReason;
    private Exception failure;
    private long commandsFailed;

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
        this.nextTickNs = clock.nanoTime();
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
        long nowNs = clock.nanoTime();
        int work = queue.drain(this::onCommand, COMMAND_LIMIT);
        if (exitReason == null) {
            try {
                work += server.poll(this::handle);
                if (nowNs - nextTickNs >= 0) {
                    sw.onTick(TimeUnit.NANOSECONDS.toMillis(nowNs));
                    nextTickNs = nowNs + TICK_NS;
                    work++;
                }
            } catch (IOException | RuntimeException e) {
                failure = e;
                exitReason = "control agent failed";
            }
        }
        if (exitReason != null) {
            throw new AgentTerminationException(true);
        }
        return work;
    }

    /**
     * Milliseconds the idle strategy may block: 0 when a command waits or the tick is due, else
     * the time to the next tick, at least 1.
     */
    long msUntilDue() {
        if (exitReason != null || !queue.isEmpty()) {
            return 0;
        }
        long ns = nextTickNs - clock.nanoTime();
        return ns <= 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(ns));
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

    /** What made the agent stop on its own (the socket, a tick), or null. */
    Exception failure() {
        return failure;
    }

    private void onCommand(ControlProxy.Command c) {
        if (c == ControlProxy.Command.RELOAD) {
            proxy.onReloadTaken();
            try {
                reload();
            } catch (CommandException e) {
                // reload() has logged why.
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
            next = loader.load(configFile);
        } catch (ConfigException e) {
            return rejected(e.errors());
        }
        for (ConfigError w : next.warnings()) {
            LOG.warn("{}", w);
        }
        try {
            List<String> changes = sw.reload(next);
            LOG.info("reloaded {}: {}", configFile, changes.isEmpty() ? "nothing changed" : changes.size() + " change(s)");
            return changes;
        } catch (ConfigException e) {
            return rejected(e.errors());
        } catch (SlowPathException | RuntimeException e) {
            LOG.error("reload of {} failed part way: {}", configFile, e.getMessage());
            throw CommandException.failed("reload failed part way: " + e.getMessage());
        }
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
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("control_requests", server.served());
        c.put("control_rejected", server.rejected());
        c.put("control_commands_failed", commandsFailed);
        c.put("signal_hup", proxy.reloadsRequested());
        c.put("signal_term", proxy.exitsRequested());
        return c;
    }

    // ------------------------------------------------------------------ requests

    /** One request line in, one response line out. */
    private String handle(String line) {
        ControlProtocol.Request req;
        try {
            req = ControlProtocol.parseRequest(line);
        } catch (IllegalArgumentException e) {
            commandsFailed++;
            return ControlProtocol.failure(e.getMessage(), true);
        }
        try {
            Reply reply = commands.dispatch(req.command(), req.args());
            LOG.debug("command {} {}", req.command(), req.args());
            return ControlProtocol.success(reply);
        } catch (CommandException e) {
            commandsFailed++;
            return ControlProtocol.failure(e.getMessage(), e.usage());
        } catch (RuntimeException e) {
            commandsFailed++;
            LOG.warn("command {} failed", req.command(), e);
            return ControlProtocol.failure(req.command() + ": internal error: " + e, false);
        }
    }
}
