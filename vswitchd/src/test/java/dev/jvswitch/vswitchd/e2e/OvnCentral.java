package dev.jvswitch.vswitchd.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/**
 * A private OVN central for one test (Debian's {@code ovn-central}): the northbound and
 * southbound ovsdb-servers and {@code ovn-northd}, each with its database, unix socket, pid file,
 * log and unixctl socket in the test's directory; never the package's services. Also starts and
 * stops a chassis's {@code ovn-controller} ({@link #controller}).
 */
final class OvnCentral implements AutoCloseable {
    static final String NB_SCHEMA = "/usr/share/ovn/ovn-nb.ovsschema";
    static final String SB_SCHEMA = "/usr/share/ovn/ovn-sb.ovsschema";
    final Path dir;
    final Path nb;
    final Path sb;
    private final List<Path> pidfiles = new ArrayList<>();

    private OvnCentral(Path dir) {
        this.dir = dir;
        this.nb = dir.resolve("nb.sock");
        this.sb = dir.resolve("sb.sock");
    }

    /** Whether ovn-northd, ovn-nbctl, ovn-sbctl, ovn-controller and the schemas are installed. */
    static boolean available() {
        return Sh.onPath("ovn-northd") && Sh.onPath("ovn-nbctl") && Sh.onPath("ovn-sbctl")
                && Sh.onPath("ovn-controller") && Files.exists(Path.of(NB_SCHEMA)) && Files.exists(Path.of(SB_SCHEMA));
    }

    static OvnCentral start(Path dir) throws IOException {
        Files.createDirectories(dir);
        OvnCentral c = new OvnCentral(dir);
        c.db("nb", NB_SCHEMA, c.nb);
        c.db("sb", SB_SCHEMA, c.sb);
        Path pid = dir.resolve("northd.pid");
        c.pidfiles.add(pid);
        Sh.tryRun(Map.of("OVN_RUNDIR", dir.toString()), "ovn-northd", "--ovnnb-db=unix:" + c.nb,
                "--ovnsb-db=unix:" + c.sb, "--pidfile=" + pid, "--log-file=" + dir.resolve("northd.log"),
                "--unixctl=" + dir.resolve("northd.ctl"), "--detach");
        Await.until(Duration.ofSeconds(20), () -> Files.exists(pid), () -> "ovn-northd to start");
        return c;
    }

    private void db(String name, String schema, Path socket) {
        Sh.run("ovsdb-tool", "create", dir.resolve(name + ".db").toString(), schema);
        pidfiles.add(dir.resolve(name + ".pid"));
        serve(name, socket);
    }

    /** Starts the ovsdb-server of database {@code name} (nb or sb) on its existing file. */
    private void serve(String name, Path socket) {
        Path db = dir.resolve(name + ".db");
        Path pid = dir.resolve(name + ".pid");
        Sh.run("ovsdb-server", "--remote=punix:" + socket, "--pidfile=" + pid,
                "--log-file=" + dir.resolve(name + ".log"), "--unixctl=" + dir.resolve(name + ".ctl"), "--detach",
                db.toString());
        Await.until(Duration.ofSeconds(10), () -> Files.exists(socket), () -> name + " ovsdb-server's socket");
    }

    /**
     * Stops the southbound ovsdb-server (SIGTERM, waits for it to exit) and starts it again on
     * the same database file: the fault the chassis must ride through.
     */
    void restartSb() throws IOException {
        stop(dir.resolve("sb.pid"));
        serve("sb", sb);
    }

    /** The southbound target a chassis's {@code external_ids:ovn-remote} names. */
    String sbTarget() {
        return "unix:" + sb;
    }

    /** ovn-nbctl ARGS against the northbound database; fails the test on a non-zero exit. */
    String nbctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovn-nbctl", "--db=unix:" + nb, "--timeout=30"));
        cmd.addAll(List.of(args));
        return Sh.run(cmd.toArray(new String[0]));
    }

    /** ovn-sbctl ARGS against the southbound database. */
    String sbctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovn-sbctl", "--db=unix:" + sb, "--timeout=30"));
        cmd.addAll(List.of(args));
        return Sh.run(cmd.toArray(new String[0]));
    }

    /**
     * Starts ovn-controller for the chassis whose Open_vSwitch database is {@code db} and whose
     * switch's run directory (with {@code br-int.mgmt}) is {@code ovsRundir}; its own files go in
     * {@code dir}. Returns its pid file; it is stopped with the central.
     */
    Path controller(OvsdbServer db, Path ovsRundir, Path dir) throws IOException {
        return controller(db, ovsRundir, dir, null);
    }

    /** As {@link #controller(OvsdbServer, Path, Path)}, run in the chassis namespace {@code netns} if not null. */
    Path controller(OvsdbServer db, Path ovsRundir, Path dir, String netns) throws IOException {
        Files.createDirectories(dir);
        Path pid = dir.resolve("ovn-controller.pid");
        if (!pidfiles.contains(pid)) {
            pidfiles.add(0, pid);
        }
        List<String> cmd = new ArrayList<>();
        if (netns != null) {
            cmd.addAll(List.of("ip", "netns", "exec", netns));
        }
        cmd.addAll(List.of("ovn-controller", db.target(), "--pidfile=" + pid,
                "--log-file=" + dir.resolve("ovn-controller.log"), "--detach"));
        Sh.Result r = Sh.tryRun(Map.of("OVS_RUNDIR", ovsRundir.toString(), "OVN_RUNDIR", dir.toString()),
                cmd.toArray(new String[0]));
        if (r.exit() != 0) {
            throw new AssertionError("ovn-controller did not start: " + r.output());
        }
        return pid;
    }

    @Override
    public void close() throws IOException {
        for (Path pid : pidfiles) {
            stop(pid);
        }
    }

    /** SIGTERM to the daemon whose pid file is {@code pid}, if it runs; waits (bounded) for it to exit. */
    static void stop(Path pid) throws IOException {
        signal(pid, "TERM");
    }

    /** Sends SIGNAL to the daemon of pid file {@code pid} if there is one, and waits (bounded) for it to exit. */
    static void signal(Path pid, String signal) throws IOException {
        if (Files.exists(pid)) {
            String p = Files.readString(pid).trim();
            Sh.tryRun("kill", "-" + signal, p);
            Await.until(Duration.ofSeconds(10), () -> !Files.exists(Path.of("/proc", p)), () -> "pid " + p
                    + " to exit");
        }
    }
}
