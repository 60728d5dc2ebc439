package dev.jvswitch.vswitchd;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jvswitch.config.MetricsListen;
import dev.jvswitch.config.MirrorSettings;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.vswitchd.capture.MirrorCommands;
import dev.jvswitch.vswitchd.capture.MirrorManager;
import dev.jvswitch.vswitchd.capture.MirrorSpec;
import dev.jvswitch.vswitchd.control.CommandRegistry;
import dev.jvswitch.vswitchd.metrics.MetricsServer;
import dev.jvswitch.vswitchd.metrics.SwitchMetrics;
import dev.jvswitch.vswitchd.run.Switch;

/**
 * What the daemon runs beside the switch for its operators: the metrics endpoint (when
 * {@code control.metrics-listen} is set) and the port mirrors with their commands, and the
 * config's {@code mirrors} ({@link #applyMirrors}: at start, and after each reload). Started once
 * the switch runs, closed before it.
 *
 * <p><b>Thread-safety:</b> made and closed by the main thread; {@link #applyMirrors} runs on the
 * main thread at start and on the change thread at reloads (the manager serialises them); its
 * parts document their own.
 */
final class Operations implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("jvswitchd");
    private final MetricsServer metrics;
    private final MirrorManager mirrors;

    private Operations(MetricsServer metrics, MirrorManager mirrors) {
        this.metrics = metrics;
        this.mirrors = mirrors;
    }

    /**
     * Starts what {@code config} asks for over {@code sw}.
     *
     * @throws IOException when the metrics address cannot be bound (named in the message)
     */
    static Operations start(SwitchConfig config, Switch sw) throws IOException {
        MirrorManager mirrors = new MirrorManager(sw.datapath(), port -> sw.dpPort(port) >= 0);
        String listen = config.control().metricsListen();
        MetricsServer server = null;
        if (listen != null) {
            SwitchMetrics m = new SwitchMetrics(sw).add(mirrors::write);
            server = MetricsServer.start(MetricsListen.parse(listen), m);
            m.add(server::write);
        }
        return new Operations(server, mirrors);
    }

    /**
     * Makes the running config mirrors those of {@code config} ({@code mirrors}); a mirror that
     * cannot start (its port gone, its interface or file refused) is reported, and the rest run.
     *
     * @return one line per mirror started, restarted, stopped or not started (also logged)
     */
    List<String> applyMirrors(SwitchConfig config) {
        List<MirrorSpec> specs = new ArrayList<>();
        for (MirrorSettings m : config.mirrors()) {
            specs.add(MirrorSpec.of(m));
        }
        List<String> changes;
        try {
            changes = mirrors.apply(specs, name -> config.file() + ":" + config.line("mirrors." + name) + ": mirrors."
                    + name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("mirrors: interrupted");
        }
        for (String c : changes) {
            if (c.contains(": not started: ")) {
                LOG.warn("{}", c);
            } else {
                LOG.info("mirrors: {}", c);
            }
        }
        return changes;
    }

    /** Registers the operators' commands in {@code r} (before the control socket serves). */
    void register(CommandRegistry r) {
        MirrorCommands.register(r, mirrors);
    }

    /** The metrics endpoint, or null. */
    MetricsServer metrics() {
        return metrics;
    }

    @Override
    public void close() {
        mirrors.close();
        if (metrics != null) {
            metrics.close();
        }
    }
}
