package dev.jvswitch.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.agrona.concurrent.NanoClock;

import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.config.yaml.YamlConfigLoader;
import dev.jvswitch.vswitchd.config.OfprotoConfigs;
import dev.jvswitch.vswitchd.control.ControlServer;
import dev.jvswitch.vswitchd.ofproto.OfprotoFlowChecker;
import dev.jvswitch.vswitchd.ofproto.OfprotoService;
import dev.jvswitch.vswitchd.run.Switch;

/**
 * A switch in the test's JVM, set up as the daemon sets itself up (config file, the daemon's
 * loader, control socket, {@link Switch} with OpenFlow tables) but with no agent threads, so a
 * test steps the agents it makes ({@link #agent}) by hand or runs them as it likes. Also the one
 * place tests write a config file ({@link #writeConfig}).
 *
 * <p>{@link #close()} closes the socket and the switch and asserts that every mbuf came back.
 *
 * <p><b>Thread-safety:</b> the test's thread makes and closes it; {@link #jvsctl} runs jvsctl on
 * a pool thread, so the test's thread can step the agent that answers.
 */
public final class TestSwitch implements AutoCloseable {
    /** One bridge with one {@code null} port, a backing-off PMD, 512 mbufs, a control socket beside the file. */
    public static final String CONFIG = """
            datapath:
              pmd-idle: backoff
            mempool:
              mbufs: 512
            bridges:
              br0:
                ports:
                  a: {type: null, ofport: 1}
            control:
              socket: ctl.sock
            """;

    /** The config file, {@code sw.yaml} in the test's directory. */
    public final Path file;
    /** The loader the daemon uses (OpenFlow flow syntax checked). */
    public final YamlConfigLoader loader;
    public final Switch sw;
    /** The control socket, or {@code null} for a switch started without one. */
    public final ControlServer server;

    private TestSwitch(Path file, YamlConfigLoader loader, Switch sw, ControlServer server) {
        this.file = file;
        this.loader = loader;
        this.sw = sw;
        this.server = server;
    }

    /** Writes {@code yaml} to {@code dir/sw.yaml} by rename, so a concurrent reader sees the old file or the new one. */
    public static Path writeConfig(Path dir, String yaml) throws IOException {
        Path file = dir.resolve("sw.yaml");
        Path tmp = dir.resolve("sw.yaml.new");
        Files.writeString(tmp, yaml);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** The daemon's config loader. */
    public static YamlConfigLoader loader() {
        return new YamlConfigLoader(OfprotoConfigs.environment(new OfprotoFlowChecker()));
    }

    /** {@link #CONFIG} with its control socket bound. */
    public static TestSwitch start(Path dir) throws Exception {
        return start(dir, CONFIG, true);
    }

    /**
     * A switch on {@code yaml} (written to {@code dir/sw.yaml}), with its control socket bound
     * if {@code control}.
     */
    public static TestSwitch start(Path dir, String yaml, boolean control) throws Exception {
        Path file = writeConfig(dir, yaml);
        OfprotoService ofproto = new OfprotoService();
        YamlConfigLoader loader = loader();
        SwitchConfig config = loader.load(file);
        ControlServer server = control
                ? ControlServer.bind(Path.of(config.control().socket()), Jvswitchd.controlLimits(config.control()))
                : null;
        try {
            return new TestSwitch(file, loader, Switch.start(config, ofproto), server);
        } catch (Exception | Error e) {
            if (server != null) {
                server.close();
            }
            throw e;
        }
    }

    /** Rewrites the config file with {@code yaml} and loads it (what a reload would apply). */
    public SwitchConfig load(String yaml) throws Exception {
        return loader.load(writeConfig(file.getParent(), yaml));
    }

    /** A control agent over this switch and socket, on {@code clock}, not started. */
    ControlAgent agent(NanoClock clock) {
        return new ControlAgent(file, loader, sw, server, clock);
    }

    /** jvsctl with {@code args} against the socket, on another thread (allowed 30 s), so this one can step the agent. */
    public CompletableFuture<Ctl> jvsctl(String... args) {
        List<String> all = new ArrayList<>(List.of("--timeout", "30"));
        all.addAll(List.of(args));
        Path socket = server.path();
        return CompletableFuture.supplyAsync(() -> Ctl.run(socket, all.toArray(new String[0])));
    }

    /** jvsctl with {@code args}, stepping {@code agent} on this thread until it answers (at most 30 s). */
    Ctl ctl(ControlAgent agent, String... args) throws Exception {
        CompletableFuture<Ctl> f = jvsctl(args);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        ControlIdleStrategy idle = new ControlIdleStrategy(server, agent);
        while (!f.isDone() && System.nanoTime() < deadline) {
            if (agent.doWork() + agent.changes().doWork() == 0) {
                idle.idle(0);
            }
        }
        return f.get(1, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Closes the socket and the switch; every mbuf must be back. */
    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        sw.close();
        assertThat(sw.pool().leakReport()).isNull();
    }
}
