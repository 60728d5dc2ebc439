package dev.jvswitch.vswitchd;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jvswitch.vswitchd.config.ConfigError;
import dev.jvswitch.vswitchd.config.ConfigException;
import dev.jvswitch.vswitchd.config.ConfigLoader;
import dev.jvswitch.vswitchd.config.SwitchConfig;
import dev.jvswitch.vswitchd.control.ControlServer;
import dev.jvswitch.vswitchd.ofproto.OfprotoFlowChecker;
import dev.jvswitch.vswitchd.ofproto.OfprotoService;
import dev.jvswitch.vswitchd.run.StartException;
import dev.jvswitch.vswitchd.run.Switch;

/**
 * {@code jvswitchd --config FILE [--foreground] [--pidfile F] [--log-level L] [--check]}: the
 * daemon. Validates the config before anything starts, binds the control socket, builds the
 * switch, writes the pid file once it is running, then runs the control loop on this thread
 * until SIGTERM, SIGINT or {@code jvsctl exit}, and shuts down cleanly: PMDs drain, ports close,
 * every mbuf returns to the pool (the leak check is logged), the socket and pid file go away.
 *
 * <p>The Java process always stays in the foreground; {@code bin/jvswitchd} without
 * {@code --foreground} puts it in the background itself (setsid + nohup) and returns once the
 * pid file shows it running. {@code --foreground} is accepted here so the script can pass every
 * option through.
 *
 * <p>Exit status: 0 after a clean shutdown (or a good {@code --check}), 1 when the switch
 * cannot start (a port cannot be opened, the socket is in use), 2 for a usage mistake or an
 * invalid config file (every error printed as {@code FILE:LINE: KEY: message}).
 */
public final class Jvswitchd {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    private static final String USAGE =
            "usage: jvswitchd --config FILE [--foreground] [--pidfile FILE] [--log-level LEVEL] [--check]";

    private Jvswitchd() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    /** Options as parsed. */
    private record Options(Path config, Path pidfile, String logLevel, boolean check) {
    }

    static int run(String[] args, PrintStream err) {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("jvswitchd: " + e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }
        if (o == null) {
            err.println(USAGE);
            return EXIT_OK;
        }
        OfprotoService ofproto = new OfprotoService();
        ConfigLoader loader = new ConfigLoader(ConfigLoader.Environment.current(new OfprotoFlowChecker()));
        SwitchConfig config;
        try {
            config = loader.load(o.config());
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            err.println("jvswitchd: " + e.errors().size() + " error(s) in " + o.config() + "; nothing started");
            return EXIT_USAGE;
        }
        if (o.check()) {
            err.println(o.config() + ": OK");
            return EXIT_OK;
        }
        Logging.init(o.logLevel() != null ? o.logLevel() : config.control().logLevel());
        return serve(o, config, loader, ofproto);
    }

    private static int serve(Options o, SwitchConfig config, ConfigLoader loader, OfprotoService ofproto) {
        Logger log = LoggerFactory.getLogger("jvswitchd");
        log.info("jvswitchd starting: pid {}, config {}, java {}", ProcessHandle.current().pid(), o.config(),
                Runtime.version());
        ControlServer server;
        try {
            server = ControlServer.bind(Path.of(config.control().socket()));
        } catch (IOException e) {
            log.error("{}", e.getMessage());
            return EXIT_FAILED;
        }
        Switch sw;
        try {
            sw = Switch.start(config, ofproto);
        } catch (StartException e) {
            for (ConfigError error : e.errors()) {
                log.error("cannot start: {}", error);
            }
            server.close();
            return EXIT_FAILED;
        } catch (RuntimeException e) {
            log.error("cannot start: {}", e.getMessage(), e);
            server.close();
            return EXIT_FAILED;
        }
        ControlLoop loop = new ControlLoop(o.config(), loader, sw, server);
        CountDownLatch stopped = new CountDownLatch(1);
        boolean signals = Signals.handle("TERM", () -> loop.requestExit("SIGTERM"))
                & Signals.handle("INT", () -> loop.requestExit("SIGINT"))
                & Signals.handle("HUP", loop::requestReload);
        if (!signals) {
            log.warn("signal handling unavailable: SIGHUP will not reload; SIGTERM still shuts down through a hook");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Only reached without our signal handlers, or on System.exit from elsewhere.
            loop.requestExit("JVM shutdown");
            try {
                stopped.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jvswitchd-shutdown"));
        int status = EXIT_OK;
        try {
            writePidfile(o.pidfile());
            log.info("jvswitchd running: control socket {}{}", server.path(),
                    o.pidfile() == null ? "" : ", pid file " + o.pidfile());
            String reason = loop.run();
            log.info("shutting down ({})", reason);
        } catch (IOException | RuntimeException e) {
            log.error("control loop failed; shutting down: {}", e.toString(), e);
            status = EXIT_FAILED;
        } finally {
            server.close();
            sw.close();
            deletePidfile(o.pidfile());
            log.info("jvswitchd stopped");
            stopped.countDown();
        }
        return status;
    }

    private static Options parse(String[] args) {
        Path config = null;
        Path pidfile = null;
        String level = null;
        boolean check = false;
        List<String> a = Arrays.asList(args);
        for (int i = 0; i < a.size(); i++) {
            String arg = a.get(i);
            switch (arg) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--config" -> config = Path.of(value(a, ++i, arg));
                case "--pidfile" -> pidfile = Path.of(value(a, ++i, arg));
                case "--log-level" -> {
                    level = value(a, ++i, arg).toLowerCase(Locale.ROOT);
                    if (!List.of("off", "error", "warn", "info", "debug", "trace").contains(level)) {
                        throw new IllegalArgumentException("--log-level must be one of off, error, warn, info, debug,"
                                + " trace; got '" + a.get(i) + "'");
                    }
                }
                case "--foreground" -> {
                    // Always in the foreground; see the class comment.
                }
                case "--check" -> check = true;
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        if (config == null) {
            throw new IllegalArgumentException("--config FILE is required");
        }
        return new Options(config, pidfile, level, check);
    }

    private static String value(List<String> a, int i, String option) {
        if (i >= a.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return a.get(i);
    }

    /** Written once the switch runs, atomically, so a reader never sees a partial pid. */
    private static void writePidfile(Path pidfile) throws IOException {
        if (pidfile == null) {
            return;
        }
        Path dir = pidfile.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = pidfile.resolveSibling(pidfile.getFileName() + ".tmp");
        Files.writeString(tmp, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, pidfile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deletePidfile(Path pidfile) {
        if (pidfile == null) {
            return;
        }
        try {
            String content = Files.readString(pidfile, StandardCharsets.US_ASCII).trim();
            if (content.equals(Long.toString(ProcessHandle.current().pid()))) {
                Files.delete(pidfile);
            }
        } catch (IOException e) {
            // Gone already, or not ours.
        }
    }
}
