package dev.jvswitch.bench.dut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private Open vSwitch: its own database (made with {@code ovsdb-tool}), {@code ovsdb-server}
 * and {@code ovs-vswitchd}, all in one run directory and started in the foreground inside the
 * switch namespace, so that nothing touches (or is touched by) the system's Open vSwitch service.
 * {@code OVS_RUNDIR}, {@code OVS_LOGDIR} and {@code OVS_DBDIR} point at the run directory for any
 * default path the daemons would otherwise use.
 *
 * <p><b>Thread-safety:</b> as {@link Dut}: one driver thread; {@link #close()} idempotent.
 */
final class OvsDaemons implements AutoCloseable {
    static final String SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema";
    private static final Pattern SHARE = Pattern.compile("(idle|processing) cycles: (\\d+) \\(([0-9.]+)%\\)");
    private static final long START_TIMEOUT_NS = 60_000_000_000L;

    private final Path run;
    private final String ns;
    private final Map<String, String> env;
    private DaemonProcess ovsdb;
    private DaemonProcess vswitchd;

    private OvsDaemons(Path run, String ns) {
        this.run = run;
        this.ns = ns;
        this.env = Map.of("OVS_RUNDIR", run.toString(), "OVS_LOGDIR", run.toString(), "OVS_DBDIR", run.toString());
    }

    /** Why a private Open vSwitch cannot run here, or {@code null}. */
    static String missing() {
        for (String tool : new String[] {"ovsdb-tool", "ovsdb-server", "ovs-vsctl", "ovs-appctl"}) {
            if (!Shell.onPath(tool)) {
                return tool + " is not installed (Debian: openvswitch-switch)";
            }
        }
        return Files.isRegularFile(Path.of(SCHEMA)) ? null : SCHEMA + " not found";
    }

    /**
     * Creates the database in {@code run}, starts {@code ovsdb-server}, sets {@code otherConfig}
     * ({@code other_config:KEY=VALUE} settings of the {@code Open_vSwitch} row, read by
     * ovs-vswitchd when it starts) and starts {@code binary} (with {@code prefix}, e.g.
     * {@code taskset -c 1}, before it), all in namespace {@code ns}; stops what it started if a
     * step fails.
     */
    static OvsDaemons start(Path run, String ns, List<String> otherConfig, List<String> prefix, String binary)
            throws IOException, InterruptedException {
        OvsDaemons o = startDb(run, ns);
        try {
            if (!otherConfig.isEmpty()) {
                List<String> args = new ArrayList<>(List.of("--no-wait", "set", "Open_vSwitch", "."));
                args.addAll(otherConfig);
                o.vsctl(args.toArray(new String[0]));
            }
            o.startVswitchd(prefix, binary);
            return o;
        } catch (IOException | InterruptedException | RuntimeException e) {
            o.close();
            throw e;
        }
    }

    /** Creates the database and starts {@code ovsdb-server}. */
    private static OvsDaemons startDb(Path run, String ns) throws IOException, InterruptedException {
        OvsDaemons o = new OvsDaemons(Files.createDirectories(run), ns);
        try {
            Shell.run("ovsdb-tool", "create", run.resolve("conf.db").toString(), SCHEMA);
            o.ovsdb = DaemonProcess.start("ovsdb-server", ns, List.of("ovsdb-server", run.resolve("conf.db").toString(),
                    "--remote=punix:" + o.dbSocket(), "--unixctl=" + run.resolve("ovsdb-server.ctl"),
                    "--pidfile=" + run.resolve("ovsdb-server.pid"), "--log-file=" + run.resolve("ovsdb-server.log")),
                    o.env, run.resolve("ovsdb-server.out"));
            o.await(o.ovsdb, o.dbSocket());
            o.vsctl("--no-wait", "init");
            return o;
        } catch (IOException | InterruptedException | RuntimeException e) {
            o.close();
            throw e;
        }
    }

    private void startVswitchd(List<String> prefix, String binary) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(binary, "unix:" + dbSocket(), "--unixctl=" + vswitchdCtl(),
                "--pidfile=" + run.resolve("ovs-vswitchd.pid"), "--log-file=" + run.resolve("ovs-vswitchd.log")));
        vswitchd = DaemonProcess.start("ovs-vswitchd", ns, cmd, env, run.resolve("ovs-vswitchd.out"));
        await(vswitchd, vswitchdCtl());
    }

    /**
     * One bridge of the userspace datapath with two system or DPDK ports, forwarding by
     * {@code NORMAL}; a failure carries the end of ovs-vswitchd's log, which says why.
     */
    void addBridge(String port1Type, String port1Options, String port2Type, String port2Options, String if1, String if2)
            throws IOException, InterruptedException {
        try {
            vsctl("--timeout=60", "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev");
            addPort("p1", if1, port1Type, port1Options);
            addPort("p2", if2, port2Type, port2Options);
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "\novs-vswitchd log:\n" + vswitchdLogTail(), e);
        }
    }

    private void addPort(String name, String ifname, String type, String options) throws IOException, InterruptedException {
        if (type == null) {
            vsctl("--timeout=60", "add-port", "br0", ifname);
        } else {
            vsctl("--timeout=60", "add-port", "br0", name, "--", "set", "Interface", name, "type=" + type,
                    "options:" + options);
        }
    }

    String vsctl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + dbSocket()));
        cmd.addAll(List.of(args));
        return Shell.run(90, cmd);
    }

    /** {@code ovs-ofctl COMMAND BRIDGE ARGS...} against the bridge's management socket in the run directory. */
    String ofctl(String command, String bridge, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", command, "unix:" + run.resolve(bridge + ".mgmt")));
        cmd.addAll(List.of(args));
        return Shell.run(30, cmd);
    }

    /** ovs-vswitchd's process id. */
    long vswitchdPid() {
        return vswitchd.pid();
    }

    String appctl(String... args) throws IOException, InterruptedException {
        vswitchd.checkAlive();
        List<String> cmd = new ArrayList<>(List.of("ovs-appctl", "-t", vswitchdCtl().toString()));
        cmd.addAll(List.of(args));
        return Shell.run(30, cmd);
    }

    /** The first thread's idle and processing shares from {@code dpif-netdev/pmd-stats-show}. */
    Map<String, String> pmdShares() throws IOException, InterruptedException {
        Map<String, String> c = new LinkedHashMap<>();
        Matcher m = SHARE.matcher(appctl("dpif-netdev/pmd-stats-show"));
        while (m.find()) {
            c.putIfAbsent("pmd" + (m.group(1).equals("idle") ? "Idle" : "Processing") + "Pct", m.group(3));
        }
        return c;
    }

    long cpuTimeNs() {
        return vswitchd == null ? -1 : vswitchd.cpuTimeNs();
    }

    private Path dbSocket() {
        return run.resolve("db.sock");
    }

    private Path vswitchdCtl() {
        return run.resolve("ovs-vswitchd.ctl");
    }

    private void await(DaemonProcess p, Path socket) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT_NS;
        while (!Files.exists(socket)) {
            p.checkAlive();
            if (System.nanoTime() > deadline) {
                throw new IOException(p + " made no " + socket + " within 60 s; log:\n" + p.tail(20));
            }
            Thread.sleep(20);
        }
    }

    /** The end of ovs-vswitchd's log, for failure messages. */
    private String vswitchdLogTail() {
        Path log = run.resolve("ovs-vswitchd.log");
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no " + log + ")";
        }
    }

    /** Stops ovs-vswitchd, then ovsdb-server. */
    @Override
    public void close() {
        if (vswitchd != null) {
            vswitchd.stop();
        }
        if (ovsdb != null) {
            ovsdb.stop();
        }
    }
}
