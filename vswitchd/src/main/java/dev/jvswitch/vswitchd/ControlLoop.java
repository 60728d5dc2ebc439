package dev.jvswitch.vswitchd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jvswitch.vswitchd.config.ConfigError;
import dev.jvswitch.vswitchd.config.ConfigException;
import dev.jvswitch.vswitchd.config.ConfigLoader;
import dev.jvswitch.vswitchd.config.SwitchConfig;
import dev.jvswitch.vswitchd.control.CommandException;
import dev.jvswitch.vswitchd.control.CommandRegistry;
import dev.jvswitch.vswitchd.control.ControlProtocol;
import dev.jvswitch.vswitchd.control.ControlServer;
import dev.jvswitch.vswitchd.control.Reply;
import dev.jvswitch.vswitchd.control.SwitchCommands;
import dev.jvswitch.vswitchd.ofproto.OfprotoException;
import dev.jvswitch.vswitchd.run.Switch;

/**
 * The control thread's duty cycle (the daemon's main thread): serve the control socket, tick the
 * switch every {@value #TICK_MS} ms (port link state, ofproto housekeeping), and act on the
 * requests signal handlers leave (reload on SIGHUP, shut down on SIGTERM/SIGINT). Everything that
 * changes the switch happens here, one thing at a time.
 *
 * <p><b>Thread-safety:</b> owned by the control thread. {@link #requestReload} and
 * {@link #requestExit} may be called from any thread (signal handlers): they set volatile flags
 * and wake the selector.
 */
final class ControlLoop implements SwitchCommands.Daemon {
    static final long TICK_MS = 250;
    private static final Logger LOG = LoggerFactory.getLogger("jvswitchd");

    private final Path configFile;
    private final ConfigLoader loader;
    private final Switch sw;
    private final ControlServer server;
    private final CommandRegistry commands;
    private final AtomicLong signalsHup = new AtomicLong();
    private final AtomicLong signalsTerm = new AtomicLong();
    private volatile boolean reloadRequested;
    private volatile String exitReason;
    private long commandsFailed;

    ControlLoop(Path configFile, ConfigLoader loader, Switch sw, ControlServer server) {
        this.configFile = configFile;
        this.loader = loader;
        this.sw = sw;
        this.server = server;
        this.commands = SwitchCommands.create(sw, this);
    }

    /** Runs until an exit is requested; returns why. */
    String run() throws IOException {
        long nextTickNs = System.nanoTime();
        while (exitReason == null) {
            long waitMs = Math.max(1, (nextTickNs - System.nanoTime()) / 1_000_000L);
            server.poll(waitMs, this::handle);
            if (reloadRequested) {
                reloadRequested = false;
                try {
                    reload();
                } catch (CommandException e) {
                    // reload() has logged why.
                }
            }
            long now = System.nanoTime();
            if (now - nextTickNs >= 0) {
                sw.onTick(sw.datapath().nowMs());
                nextTickNs = now + TICK_MS * 1_000_000L;
            }
        }
        return exitReason;
    }

    void requestReload() {
        signalsHup.incrementAndGet();
        reloadRequested = true;
        server.wakeup();
    }

    void requestExit(String reason) {
        signalsTerm.incrementAndGet();
        if (exitReason == null) {
            exitReason = reason;
        }
        server.wakeup();
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
        try {
            List<String> changes = sw.reload(next);
            LOG.info("reloaded {}: {}", configFile, changes.isEmpty() ? "nothing changed" : changes.size() + " change(s)");
            return changes;
        } catch (ConfigException e) {
            return rejected(e.errors());
        } catch (OfprotoException | RuntimeException e) {
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

    @Override
    public void exit() {
        requestExit("exit command");
    }

    @Override
    public Map<String, Long> coverage() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("control_requests", server.served());
        c.put("control_rejected", server.rejected());
        c.put("control_commands_failed", commandsFailed);
        c.put("signal_hup", signalsHup.get());
        c.put("signal_term", signalsTerm.get());
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
