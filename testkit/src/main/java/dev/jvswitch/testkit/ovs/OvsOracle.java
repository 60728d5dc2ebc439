package dev.jvswitch.testkit.ovs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.jvswitch.testkit.sh.Sh;

/**
 * Open vSwitch itself as a translation oracle: a private {@code ovsdb-server} and
 * {@code ovs-vswitchd --enable-dummy} in a temporary directory of their own, with one bridge
 * {@code br0} on the dummy (userspace, no kernel module) datapath and dummy ports {@code pN} with
 * OpenFlow port N. The dummy datapath numbers a port by the digits in its name, so port {@code pN}
 * is datapath port N too, which makes OVS's {@code Datapath actions:} comparable with a
 * jvswitch bridge whose OpenFlow port N sits on datapath port N.
 *
 * <p>What it does: load a flow table ({@link #replaceFlows}), set a table's prefix fields
 * ({@link #setPrefixes}), trace a flow or a packet ({@link #trace}, OVS's {@code ofproto/trace}),
 * feed packets to a port ({@link #receive}) and dump the datapath's megaflows
 * ({@link #dumpFlows}). One daemon pair serves many cases: replacing the flows takes milliseconds.
 *
 * <p>Never the system's services: every file, socket and pid is under the private directory,
 * and the commands name them explicitly. {@link #close} stops both daemons by their pid files and
 * removes the directory.
 *
 * <p><b>Thread-safety:</b> one test thread drives it.
 */
public final class OvsOracle implements AutoCloseable {
    /** The programs this needs (Debian's {@code openvswitch-switch}). */
    public static final List<String> PROGRAMS = List.of("ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl",
            "ovs-ofctl");
    /** The database schema the package installs. */
    public static final Path SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");
    /** What ovs-ofctl says when a flow cannot be sent as OpenFlow 1.0 with Nicira extensions. */
    private static final String NEEDS_LATER_VERSION = "none of the usable flow formats";
    public static final String BRIDGE = "br0";

    private final Path dir;
    private final Map<String, String> env;
    private final String db;
    private final Path ctl;
    private final Unixctl unixctl;
    private final java.util.TreeSet<Integer> ports = new java.util.TreeSet<>();
    private boolean closed;

    private OvsOracle(Path dir) {
        this.dir = dir;
        this.env = Map.of("OVS_RUNDIR", dir.toString(), "OVS_LOGDIR", dir.toString(), "OVS_DBDIR", dir.toString(),
                "OVS_SYSCONFDIR", dir.toString());
        this.db = "unix:" + dir.resolve("db.sock");
        this.ctl = dir.resolve("vswitchd.ctl");
        this.unixctl = new Unixctl(ctl);
    }

    /**
     * Why the oracle cannot run here (a program or the schema is missing), or null if it can: a
     * test skips with this message.
     */
    public static String unavailable() {
        List<String> missing = new ArrayList<>();
        for (String p : PROGRAMS) {
            if (program(p) == null) {
                missing.add(p);
            }
        }
        if (!missing.isEmpty()) {
            return "Open vSwitch is not installed (missing " + String.join(", ", missing)
                    + "); install Debian's openvswitch-switch to compare with OVS";
        }
        if (!Files.isReadable(SCHEMA)) {
            return "Open vSwitch schema " + SCHEMA + " is missing; install openvswitch-switch";
        }
        return null;
    }

    /**
     * Starts the daemons and makes {@code br0} (fail-mode secure, no flows) with dummy ports
     * {@code pN} for each N in {@code ofports}.
     *
     * @throws IllegalStateException with the daemons' log tails if they do not come up
     */
    public static OvsOracle start(int... ofports) {
        String why = unavailable();
        if (why != null) {
            throw new IllegalStateException(why);
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("ovs-oracle");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OvsOracle o = new OvsOracle(dir);
        try {
            o.boot(ofports);
            return o;
        } catch (RuntimeException | Error e) {
            String logs = o.logTails();
            o.close();
            throw new IllegalStateException("Open vSwitch did not start: " + e.getMessage() + "\n" + logs, e);
        }
    }

    private void boot(int[] ofports) {
        String d = dir.toString();
        run("ovsdb-tool", "create", d + "/conf.db", SCHEMA.toString());
        run("ovsdb-server", "--remote=punix:" + d + "/db.sock", "--pidfile=" + d + "/ovsdb.pid",
                "--log-file=" + d + "/ovsdb.log", "--unixctl=" + d + "/ovsdb.ctl", "--detach", d + "/conf.db");
        run("ovs-vsctl", "--db=" + db, "--no-wait", "init");
        // Megaflows fed by receive() must outlive a slow replay: idle ones go after 10 min, not 10 s.
        run("ovs-vsctl", "--db=" + db, "--no-wait", "set", "Open_vSwitch", ".", "other_config:max-idle=600000");
        run("ovs-vswitchd", "--enable-dummy=override", db, "--pidfile=" + d + "/vswitchd.pid",
                "--log-file=" + d + "/vswitchd.log", "--unixctl=" + ctl, "--detach", "--disable-system");
        List<String> cmd = new ArrayList<>(List.of("ovs-vsctl", "--db=" + db, "--timeout=30", "add-br", BRIDGE, "--",
                "set", "bridge", BRIDGE, "datapath_type=dummy", "fail-mode=secure"));
        for (int p : ofports) {
            cmd.addAll(List.of("--", "add-port", BRIDGE, "p" + p, "--", "set", "interface", "p" + p, "type=dummy",
                    "ofport_request=" + p));
        }
        run(cmd.toArray(new String[0]));
        for (int p : ofports) {
            ports.add(p);
        }
        // A bridge with ports also gets OVS's default flow only without fail-mode secure; be sure.
        ofctl("del-flows", BRIDGE);
    }

    /** Makes br0's dummy ports exactly {@code pN} for each N in {@code ofports} (adding and deleting). */
    public void ports(List<Integer> ofports) {
        List<String> cmd = new ArrayList<>(List.of("ovs-vsctl", "--db=" + db, "--timeout=30"));
        for (int p : new ArrayList<>(ports)) {
            if (!ofports.contains(p)) {
                cmd.addAll(List.of("--", "del-port", BRIDGE, "p" + p));
                ports.remove(p);
            }
        }
        for (int p : ofports) {
            if (ports.add(p)) {
                cmd.addAll(List.of("--", "add-port", BRIDGE, "p" + p, "--", "set", "interface", "p" + p, "type=dummy",
                        "ofport_request=" + p));
            }
        }
        if (cmd.size() > 3) {
            run(cmd.toArray(new String[0]));
        }
    }

    /** The private directory (logs, sockets, database). */
    public Path dir() {
        return dir;
    }

    /**
     * Makes br0's tables hold exactly {@code flows} (ovs-ofctl add-flow syntax, one per element,
     * added in order). Flows go in as ovs-ofctl sends them by default, OpenFlow 1.0 with Nicira
     * extensions; a flow that needs a later version (push_vlan, for one) goes alone as OpenFlow
     * 1.5. Not all at 1.5: ovs-ofctl encodes OpenFlow 1.0's {@code mod_vlan_vid} for 1.1+ as a
     * push and a set, which is another action.
     */
    public void replaceFlows(List<String> flows) {
        replaceFlows(flows, List.of());
    }

    /**
     * As {@link #replaceFlows(List)}, with br0's groups replaced by {@code groups} first
     * ({@code ovs-ofctl add-group} lines, sent as OpenFlow 1.5 so that bucket ids and
     * {@code selection_method} are kept).
     */
    public void replaceFlows(List<String> flows, List<String> groups) {
        ofctl("del-flows", BRIDGE);
        ofctl("-O", "OpenFlow15", "del-groups", BRIDGE);
        if (!groups.isEmpty()) {
            Path gfile = dir.resolve("groups.txt");
            try {
                Files.write(gfile, groups, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ofctl("-O", "OpenFlow15", "add-groups", BRIDGE, gfile.toString());
        }
        if (flows.isEmpty()) {
            return;
        }
        Path file = dir.resolve("flows.txt");
        try {
            Files.write(file, flows, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Sh.Result all = tryRun("ovs-ofctl", "add-flows", BRIDGE, file.toString());
        if (all.exit() == 0) {
            return;
        }
        if (!all.output().contains(NEEDS_LATER_VERSION)) {
            throw new IllegalStateException("ovs-ofctl add-flows failed: " + all.output());
        }
        ofctl("del-flows", BRIDGE);
        for (String f : flows) {
            Sh.Result one = tryRun("ovs-ofctl", "add-flow", BRIDGE, f);
            if (one.exit() != 0 && one.output().contains(NEEDS_LATER_VERSION)) {
                ofctl("-O", "OpenFlow15", "add-flow", BRIDGE, f);
            } else if (one.exit() != 0) {
                throw new IllegalStateException("ovs-ofctl add-flow failed for " + f + ": " + one.output());
            }
        }
    }

    /**
     * Sets the prefix fields of table {@code tableId} (OVS's Flow_Table {@code prefixes}, e.g.
     * {@code "nw_dst,ipv6_src"} or {@code "none"}); null puts every table back to OVS's default.
     */
    public void setPrefixes(int tableId, String prefixes) {
        if (prefixes == null) {
            run("ovs-vsctl", "--db=" + db, "--timeout=30", "clear", "bridge", BRIDGE, "flow_tables");
            return;
        }
        run("ovs-vsctl", "--db=" + db, "--timeout=30", "--", "--id=@ft", "create", "Flow_Table",
                "prefixes=" + prefixes, "--", "set", "bridge", BRIDGE, "flow_tables:" + tableId + "=@ft");
    }

    /** Puts every table's prefix fields back to OVS's default. */
    public void clearPrefixes() {
        setPrefixes(0, null);
    }

    /** {@code ofproto/trace br0 FLOW}: FLOW in OVS's flow syntax, e.g. {@code in_port=1,udp,udp_src=5}. */
    public OvsTrace trace(String flow) {
        return OvsTrace.parse(appctl("ofproto/trace", BRIDGE, flow));
    }

    /** {@code ofproto/trace br0 FLOW HEX}: a packet in hex with its metadata (e.g. {@code in_port=1}). */
    public OvsTrace trace(String metadata, String hexPacket) {
        return OvsTrace.parse(appctl("ofproto/trace", BRIDGE, metadata, hexPacket));
    }

    /** Feeds packets (hex frames or OVS datapath flows) to dummy port {@code pN}, as received there. */
    public void receive(int ofport, List<String> packets) {
        List<String> cmd = new ArrayList<>(List.of("netdev-dummy/receive", "p" + ofport));
        cmd.addAll(packets);
        appctl(cmd.toArray(new String[0]));
    }

    /** The datapath's megaflows ({@code dpctl/dump-flows}), one line each (no "flow-dump from" headings). */
    public List<String> dumpFlows() {
        List<String> out = new ArrayList<>();
        for (String l : appctl("dpctl/dump-flows").split("\n")) {
            if (!l.isBlank() && !l.startsWith("flow-dump from")) {
                out.add(l);
            }
        }
        return out;
    }

    /** Deletes the datapath's megaflows. */
    public void delFlows() {
        appctl("dpctl/del-flows");
    }

    /**
     * Runs an {@code ovs-appctl} command on ovs-vswitchd (e.g. {@code "dpctl/dump-flows"}); returns
     * its output. Spoken straight to the daemon's unixctl socket, without a process per call.
     *
     * @throws IllegalStateException with the daemon's error text
     */
    public String appctl(String... args) {
        return unixctl.call(args[0], List.of(args).subList(1, args.length));
    }

    /** Runs {@code ovs-ofctl ARGS} against the private bridge. */
    public String ofctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl"));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(new String[0]));
    }

    /**
     * {@code name} on the PATH, or in {@code /usr/sbin} and {@code /usr/bin} (where the package puts
     * them, and which a non-login PATH may lack), as an absolute path; null if none.
     */
    static String program(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin"));
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return Path.of(d, name).toString();
            }
        }
        return null;
    }

    private Sh.Result tryRun(String... cmd) {
        String[] resolved = cmd.clone();
        String abs = program(cmd[0]);
        if (abs != null) {
            resolved[0] = abs;
        }
        return Sh.tryRun(env, resolved);
    }

    private String run(String... cmd) {
        Sh.Result r = tryRun(cmd);
        if (r.exit() != 0) {
            throw new IllegalStateException("command failed (exit " + r.exit() + "): " + String.join(" ", cmd)
                    + "\n" + r.output());
        }
        return r.output();
    }

    private String logTails() {
        StringBuilder s = new StringBuilder();
        for (String log : List.of("ovsdb.log", "vswitchd.log")) {
            Path p = dir.resolve(log);
            try {
                List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
                s.append("--- ").append(p).append('\n');
                for (String l : lines.subList(Math.max(0, lines.size() - 20), lines.size())) {
                    s.append(l).append('\n');
                }
            } catch (IOException e) {
                s.append("--- ").append(p).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return s.toString();
    }

    /** Stops both daemons (by their pid files) and removes the directory. Safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (String pidFile : List.of("vswitchd.pid", "ovsdb.pid")) {
            stop(dir.resolve(pidFile));
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is not worth failing a test for.
        }
    }

    private static void stop(Path pidFile) {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            return; // never started
        }
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
    }
}
