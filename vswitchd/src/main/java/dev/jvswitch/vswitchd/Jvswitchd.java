package dev.jvswitch.vswitchd;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.AgentRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jvswitch.config.ConfigError;
import dev.jvswitch.config.ConfigException;
import dev.jvswitch.config.ControlSettings;
import dev.jvswitch.config.CpuSet;
import dev.jvswitch.config.SwitchConfig;
import dev.jvswitch.config.yaml.YamlConfigLoader;
import dev.jvswitch.openflow.channel.ChannelWarmup;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.vswitchd.config.OfprotoConfigs;
import dev.jvswitch.vswitchd.db.DbMode;
import dev.jvswitch.vswitchd.unixctl.UnixctlServer;
import dev.jvswitch.vswitchd.control.ControlServer;
import dev.jvswitch.config.listen.ConnectionGuard;
import dev.jvswitch.vswitchd.ofproto.OfprotoFlowChecker;
import dev.jvswitch.vswitchd.ofproto.OfprotoService;
import dev.jvswitch.vswitchd.run.StartException;
import dev.jvswitch.vswitchd.run.Switch;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.affinity.CpuAffinity;

/**
 * {@code jvswitchd --config FILE [--foreground] [--pidfile F] [--log-level L] [--check]}: the
 * daemon. Validates the config before anything starts (warnings, such as deprecated keys, are
 * printed or logged, not fatal), binds the control socket, builds the switch, writes the pid
 * file once it is running, then runs the {@link ControlAgent} on this thread (its
 * {@code AgentRunner}) until SIGTERM, SIGINT or {@code jvsctl exit}, and shuts down cleanly:
 * PMDs drain, ports close, every mbuf returns to the pool (the leak check is logged), the socket
 * and pid file go away.
 *
 * <p>The Java process always stays in the foreground; {@code bin/jvswitchd} without
 * {@code --foreground} puts it in the background itself (setsid) and returns once the pid file
 * names it. {@code --foreground} is accepted here so the script can pass every
 * option through.
 *
 * <p>The pid file ({@code --pidfile}) is a lock ({@link PidFile}): a start is refused, exit 1,
 * while a daemon holds it; a stale one is replaced. At start the descriptor limit is raised to
 * its hard limit ({@link DescriptorLimit}) and logged.
 *
 * <p>Exit status: 0 after a clean shutdown (or a good {@code --check}), 1 when the switch
 * cannot start (a port cannot be opened, the socket is in use, a daemon holds the pid file), 2
 * for a usage mistake or an invalid config file (every error printed as
 * {@code FILE:LINE: KEY: message}, at most 100 per file and a count of the rest).
 */
public final class Jvswitchd {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    /** Listen backlog bounds: the kernel caps it at net.core.somaxconn anyway. */
    static final int MIN_BACKLOG = 16;
    static final int MAX_BACKLOG = 1024;
    /** Descriptors kept for everything but control clients (ports, files, the JVM's own). */
    static final int RESERVED_DESCRIPTORS = 256;
    /** Longest shutdown waits for a change (a reload) that is running when it is asked for. */
    static final long CHANGE_STOP_WAIT_MS = 5_000;
    /** Warm-up decode passes over the OVN table at most, and the wall time after which none starts. */
    private static final int WARMUP_PASSES = 30;
    private static final long WARMUP_BUDGET_MS = 4_000;
    /** Wall time after which the datapath warm-up ({@link DatapathWarmup}) starts no more rounds. */
    private static final long DATAPATH_WARMUP_BUDGET_MS = 2_000;
    private static final String USAGE =
            "usage: jvswitchd --config FILE [--db unix:PATH|tcp:IP:PORT] [--rundir DIR] [--foreground] [--pidfile FILE]"
            + " [--log-level LEVEL] [--check]";
    /** OVS's run directory when neither --rundir nor OVS_RUNDIR says otherwise. */
    static final String DEFAULT_RUNDIR = "/var/run/openvswitch";

    private Jvswitchd() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream err) {
        return run(args, System.out, err);
    }

    /** Options as parsed ({@link JvswitchdCli}). */
    record Options(Path config, Path pidfile, String logLevel, boolean check, String db, Path rundir) {
    }

    /** Runs the daemon (or {@code --check}, {@code --help}, {@code --version}); returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = JvswitchdCli.parse(args, out);
        } catch (IllegalArgumentException e) {
            err.println("jvswitchd: " + e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }
        if (o == null) {
            out.flush();
            return EXIT_OK;
        }
        // Before the config is read (a large one takes a while): a running daemon is told at once.
        if (o.pidfile() != null && !o.check()) {
            try {
                PidFile.checkNotRunning(o.pidfile());
            } catch (PidFile.AlreadyRunning e) {
                err.println("jvswitchd: " + e.getMessage());
                return EXIT_FAILED;
            } catch (IOException e) {
                err.println("jvswitchd: cannot read pid file " + o.pidfile() + ": " + e.getMessage());
                return EXIT_FAILED;
            }
        }
        OfprotoService ofproto = new OfprotoService();
        // A check keeps nothing it parsed; a start keeps each flow's add for the first apply.
        YamlConfigLoader loader = new YamlConfigLoader(OfprotoConfigs.environment(
                o.check() ? new OfprotoFlowChecker() : ofproto.flowChecker()));
        SwitchConfig config;
        try {
            config = loader.load(o.config());
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            err.println("jvswitchd: " + e.total() + " error(s) in " + o.config() + "; nothing started");
            return EXIT_USAGE;
        }
        if (o.check()) {
            for (ConfigError warning : config.warnings()) {
                err.println(warning);
            }
            err.println(o.config() + ": OK");
            return EXIT_OK;
        }
        String db = o.db() != null ? o.db() : config.control().db();
        if (db != null && !config.bridges().isEmpty()) {
            err.println("jvswitchd: " + o.config() + " has bridges, but with a database (" + db + ") the bridges come"
                    + " from the database: keep only datapath, mempool and control settings in the file");
            return EXIT_USAGE;
        }
        Path rundir = db == null ? null : rundir(o);
        if (db != null) {
            String other = DbGuard.otherVswitchd(db, rundir);
            if (other != null) {
                err.println("jvswitchd: " + other);
                return EXIT_FAILED;
            }
        }
        try {
            Logging.init(o.logLevel() != null ? o.logLevel() : config.control().logLevel(), config.control().logFile());
        } catch (IllegalArgumentException e) {
            err.println("jvswitchd: " + o.config() + ": control." + e.getMessage());
            return EXIT_FAILED;
        }
        return serve(o, config, loader, ofproto, db, rundir);
    }

    /** {@code --rundir}, else {@code $OVS_RUNDIR}, else {@value #DEFAULT_RUNDIR}. */
    static Path rundir(Options o) {
        if (o.rundir() != null) {
            return o.rundir().toAbsolutePath().normalize();
        }
        String env = System.getenv("OVS_RUNDIR");
        return Path.of(env != null && !env.isEmpty() ? env : DEFAULT_RUNDIR).toAbsolutePath().normalize();
    }

    /** The control socket's limits from the config: clients, idle timeout, a backlog that fits them. */
    static ConnectionGuard.Limits controlLimits(ControlSettings c) {
        int backlog = Math.max(MIN_BACKLOG, Math.min(c.maxClients(), MAX_BACKLOG));
        return new ConnectionGuard.Limits(c.maxClients(), TimeUnit.MILLISECONDS.toNanos(c.idleTimeoutMs()), backlog);
    }

    private static int serve(Options o, SwitchConfig config, YamlConfigLoader loader, OfprotoService ofproto,
            String db, Path rundir) {
        Logger log = LoggerFactory.getLogger("jvswitchd");
        log.info("jvswitchd starting: pid {}, config {}, java {}", ProcessHandle.current().pid(), o.config(),
                Runtime.version());
        for (ConfigError warning : config.warnings()) {
            log.warn("{}", warning);
        }
        HeapTrim.start();
        DescriptorLimit.Limit fds = DescriptorLimit.raise();
        log.info("{}", fds.describe());
        if (fds.soft() >= 0 && fds.soft() < config.control().maxClients() + RESERVED_DESCRIPTORS) {
            log.warn("control.max-clients {} with a descriptor limit of {}: clients may meet the limit before the cap"
                    + " (raise it with ulimit -n, or lower max-clients)", config.control().maxClients(), fds.soft());
        }
        ControlServer server;
        try {
            server = ControlServer.bind(Path.of(config.control().socket()), controlLimits(config.control()));
        } catch (IOException e) {
            log.error("{}", e.getMessage());
            return EXIT_FAILED;
        }
        DbMode dbMode = null;
        UnixctlServer unixctl = null;
        PidFile ovsPid = null;
        if (db != null) {
            try {
                Files.createDirectories(rundir);
                ovsPid = PidFile.create(rundir.resolve(DbGuard.OVS_PIDFILE));
                unixctl = UnixctlServer.start(rundir.resolve(DbGuard.OVS_CTL), server.path());
                // ovs-appctl without -t reads ovs-vswitchd.pid and connects to ovs-vswitchd.PID.ctl.
                unixctl.alsoAt(rundir.resolve("ovs-vswitchd." + ProcessHandle.current().pid() + ".ctl"));
            } catch (IOException e) {
                log.error("cannot start: {}", e.getMessage());
                if (unixctl != null) {
                    unixctl.close();
                }
                if (ovsPid != null) {
                    ovsPid.close();
                }
                server.close();
                return EXIT_FAILED;
            }
            log.info("ovsdb: database {}, run directory {}, unixctl socket {}", db, rundir, unixctl.path());
            dbMode = new DbMode(db, rundir.toString(), config, loader.environment());
        }
        keepOffBusyPmds(config, log);
        Switch sw;
        try {
            sw = dbMode == null ? Switch.start(config, ofproto) : dbMode.start(ofproto);
        } catch (StartException e) {
            for (ConfigError error : e.errors()) {
                log.error("cannot start: {}", error);
            }
            closeDb(dbMode, unixctl, ovsPid);
            server.close();
            return EXIT_FAILED;
        } catch (RuntimeException e) {
            log.error("cannot start: {}", e.getMessage(), e);
            closeDb(dbMode, unixctl, ovsPid);
            server.close();
            return EXIT_FAILED;
        }
        Operations ops;
        try {
            ops = Operations.start(config, sw);
        } catch (IOException | RuntimeException e) {
            log.error("cannot start: {}", e.getMessage());
            closeDb(dbMode, unixctl, ovsPid);
            server.close();
            sw.close();
            return EXIT_FAILED;
        }
        ControlAgent agent = new ControlAgent(o.config(), loader, sw, server, sw.datapath().clock());
        ops.register(agent.commands());
        ops.applyMirrors(config);
        agent.afterReload(ops::applyMirrors);
        if (dbMode != null) {
            agent.reloadWith(dbMode::reload);
            agent.coverageFrom(dbMode::counters);
        }
        ControlProxy proxy = agent.proxy();
        CountDownLatch stopped = new CountDownLatch(1);
        boolean signals = Signals.handle("TERM", () -> proxy.exit("SIGTERM"))
                & Signals.handle("INT", () -> proxy.exit("SIGINT"))
                & Signals.handle("HUP", proxy::reload);
        if (!signals) {
            log.warn("signal handling unavailable: SIGHUP will not reload; SIGTERM still shuts down through a hook");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Only reached without our signal handlers, or on System.exit from elsewhere.
            proxy.exit("JVM shutdown");
            try {
                stopped.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jvswitchd-shutdown"));
        ChangeAgent changes = agent.changes();
        AgentRunner changeRunner = startChanges(changes, log);
        int status = EXIT_OK;
        PidFile pid = null;
        try {
            sw.startOpenFlow(changes);
            if (dbMode != null) {
                dbMode.attach(sw, changes::execute);
            }
            // Logged first: whoever sees the pid file (bin/jvswitchd, tests) finds the line in the log.
            log.info("jvswitchd running: control socket {}{}", server.path(),
                    o.pidfile() == null ? "" : ", pid file " + o.pidfile());
            pid = o.pidfile() == null ? null : PidFile.create(o.pidfile());
            warmUp(log);
            // The control thread is this one: the runner returns once the agent stops.
            new AgentRunner(new ControlIdleStrategy(server, agent),
                    e -> log.error("control agent: {}", e.toString(), e), null, agent).run();
            if (agent.failure() != null) {
                log.error("control loop failed; shutting down: {}", agent.failure().toString(), agent.failure());
                status = EXIT_FAILED;
            } else {
                log.info("shutting down ({})", agent.exitReason());
            }
        } catch (StartException e) {
            for (ConfigError error : e.errors()) {
                log.error("cannot start: {}", error);
            }
            status = EXIT_FAILED;
        } catch (IOException | RuntimeException e) {
            log.error("control loop failed; shutting down: {}", e.toString(), e);
            status = EXIT_FAILED;
        } finally {
            closeDb(dbMode, unixctl, null);
            stopChanges(changes, changeRunner, log, CHANGE_STOP_WAIT_MS);
            agent.answerFinishedChanges();
            server.close();
            ops.close();
            sw.close();
            if (pid != null) {
                pid.close();
            }
            if (ovsPid != null) {
                ovsPid.close();
            }
            log.info("jvswitchd stopped");
            stopped.countDown();
        }
        return status;
    }

    private static void closeDb(DbMode dbMode, UnixctlServer unixctl, PidFile ovsPid) {
        if (unixctl != null) {
            unixctl.close();
        }
        if (dbMode != null) {
            dbMode.close();
        }
        if (ovsPid != null) {
            ovsPid.close();
        }
    }

    /**
     * Stops the change agent: queued changes are answered "shutting down"; one that is running
     * gets {@code waitMs} to finish, then an interrupt (which ends its waits) and one more second,
     * then is abandoned: the switch closes under it (ports are changed under a lock that
     * {@code Switch.close} takes, so a half-opened port is never left behind).
     *
     * @return true if the change thread ended, false if it was abandoned
     */
    static boolean stopChanges(ChangeAgent changes, AgentRunner runner, Logger log, long waitMs) {
        changes.requestStop();
        Thread t = runner.thread();
        if (t == null) {
            return true;
        }
        try {
            t.join(waitMs);
            if (t.isAlive()) {
                String running = changes.running();
                t.interrupt();
                t.join(1_000);
                if (t.isAlive()) {
                    log.warn("shutting down while a change still runs ({}); it is abandoned", running);
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        runner.close();
        return true;
    }

    /**
     * Takes a controller's first whole table's paths (OpenFlow 1.5 decode, one commit,
     * translation) through a scratch bridge on a daemon thread, so ovn-controller's first bundle
     * after a start meets them compiled ({@link ChannelWarmup}). {@code JVS_WARMUP=off} skips it.
     * Then (or at once, without it) the JIT's compiler threads go to a lower priority
     * ({@link CompilerNice}): the warm-up's own compiles run at full priority, so that it ends as
     * soon as before; the ones a controller's requests trigger later yield the CPU.
     */
    private static void warmUp(Logger log) {
        if ("off".equals(System.getenv("JVS_WARMUP"))) {
            lowerCompilers(log);
            return;
        }
        Thread t = new Thread(() -> {
            try {
                ChannelWarmup.Result r = ChannelWarmup.run(WARMUP_PASSES, WARMUP_BUDGET_MS);
                log.debug("warm-up: {} flows committed, {} passes (last {} ns a message) in {} ms",
                        r.committed(), r.passes(), r.lastNsPerMessage(), r.elapsedMs());
            } catch (IOException | RuntimeException e) {
                log.debug("warm-up skipped: {}", e.toString());
            }
            try {
                DatapathWarmup.Result r = DatapathWarmup.run(DatapathWarmup.ROUNDS, DATAPATH_WARMUP_BUDGET_MS);
                log.debug("datapath warm-up: {} rounds ({} frames back on the VIF, {} on the underlay) in {} ms",
                        r.rounds(), r.vifFrames(), r.underlayFrames(), r.elapsedMs());
            } catch (NetdevException | RuntimeException e) {
                log.debug("datapath warm-up skipped: {}", e.toString());
            }
            lowerCompilers(log);
        }, "jvswitchd-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static void lowerCompilers(Logger log) {
        log.info("{} JIT compiler thread(s) at nice {}", CompilerNice.lower(CompilerNice.COMPILER, CompilerNice.NICE),
                CompilerNice.NICE);
    }

    /** The change agent on a daemon thread of its own: a change still running at exit is abandoned. */
    static AgentRunner startChanges(ChangeAgent changes, Logger log) {
        AgentRunner runner = new AgentRunner(new ChangeAgent.ParkUntilWoken(),
                e -> log.error("change agent: {}", e.toString(), e), null, changes);
        AgentRunner.startOnThread(runner, r -> {
            Thread t = new Thread(r, changes.roleName());
            t.setDaemon(true);
            return t;
        });
        return runner;
    }

    /**
     * A busy PMD never leaves its CPU, so any other thread there (the JVM's compiler and collector,
     * revalidators, the control socket) runs only by preempting it, which a packet then waits out.
     * Before the PMDs start, every thread is kept on the other CPUs this process may use, as
     * OVS-DPDK keeps its non-PMD threads on the lcore; threads started later inherit that, and
     * each PMD pins itself to its own CPU. Backing-off PMDs share their CPUs, as before.
     */
    private static void keepOffBusyPmds(SwitchConfig config, Logger log) {
        if (config.datapath().idle() != DatapathConfig.Idle.BUSY) {
            return;
        }
        BitSet others = CpuSet.allowed();
        BitSet pmds = new BitSet();
        config.pmdCpus().forEach(pmds::set);
        others.andNot(pmds);
        if (others.isEmpty()) {
            log.warn("busy PMD(s) on every CPU this process may use ({}): the daemon's other threads share their CPUs",
                    CpuSet.format(pmds));
            return;
        }
        try {
            int n = CpuAffinity.confineAllThreads(others);
            log.info("{} thread(s) other than the PMDs kept on CPU(s) {}, off the busy PMDs' CPU(s) {}", n,
                    CpuSet.format(others), CpuSet.format(pmds));
        } catch (IllegalArgumentException e) {
            log.warn("other threads not kept off the busy PMDs' CPUs: {}", e.getMessage());
        }
    }
}
