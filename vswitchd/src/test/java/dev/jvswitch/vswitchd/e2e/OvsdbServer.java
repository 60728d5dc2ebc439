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
 * A private {@code ovsdb-server} for one test: its own database (created from the stock
 * {@code vswitch.ovsschema} with {@code ovsdb-tool}), socket, pid file, log and unixctl socket
 * in the test's directory; never the package's daemons. {@link #vsctl} runs ovs-vsctl against
 * it (waiting for {@code cur_cfg}, as users do, unless given {@code --no-wait}).
 */
final class OvsdbServer implements AutoCloseable {
    static final String SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema";
    final Path dir;
    final Path db;
    final Path socket;
    private final Path pidfile;

    private OvsdbServer(Path dir) {
        this.dir = dir;
        this.db = dir.resolve("conf.db");
        this.socket = dir.resolve("db.sock");
        this.pidfile = dir.resolve("ovsdb-server.pid");
    }

    /** Whether ovsdb-server, ovsdb-tool, ovs-vsctl, ovs-appctl and the schema are installed. */
    static boolean available() {
        return Sh.onPath("ovsdb-server") && Sh.onPath("ovsdb-tool") && Sh.onPath("ovs-vsctl")
                && Sh.onPath("ovs-appctl") && Files.exists(Path.of(SCHEMA));
    }

    /** Creates the database, starts the server and runs {@code ovs-vsctl init}. */
    static OvsdbServer start(Path dir) throws IOException {
        OvsdbServer s = new OvsdbServer(dir);
        Sh.run("ovsdb-tool", "create", s.db.toString(), SCHEMA);
        s.startServer();
        s.vsctl("--no-wait", "init");
        return s;
    }

    /** The target jvswitchd's {@code --db} takes. */
    String target() {
        return "unix:" + socket;
    }

    void startServer() {
        Sh.run("ovsdb-server", "--remote=punix:" + socket, "--pidfile=" + pidfile, "--log-file=" + dir.resolve("ovsdb.log"),
                "--unixctl=" + dir.resolve("ovsdb.ctl"), "--detach", db.toString());
        Await.until(Duration.ofSeconds(10), () -> Files.exists(socket), () -> "ovsdb-server's socket");
    }

    /** Stops the server (SIGTERM, then waits for its pid file to go). */
    void stopServer() throws IOException {
        if (!Files.exists(pidfile)) {
            return;
        }
        String pid = Files.readString(pidfile).trim();
        Sh.tryRun("kill", pid);
        Await.until(Duration.ofSeconds(10), () -> !Files.exists(Path.of("/proc", pid)), () -> "ovsdb-server to exit");
    }

    /** ovs-vsctl ARGS against this server; fails the test on a non-zero exit. */
    String vsctl(String... args) {
        return Sh.run(vsctlCommand(args));
    }

    /** ovs-vsctl ARGS; its output and exit status. */
    Sh.Result tryVsctl(String... args) {
        return Sh.tryRun(vsctlCommand(args));
    }

    private String[] vsctlCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovs-vsctl", "--db=" + target(), "--timeout=30"));
        cmd.addAll(List.of(args));
        return cmd.toArray(new String[0]);
    }

    /** ovs-appctl -t CTL ARGS; its output and exit status. */
    static Sh.Result appctl(Path ctl, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovs-appctl", "-t", ctl.toString()));
        cmd.addAll(List.of(args));
        return Sh.tryRun(Map.of(), cmd.toArray(new String[0]));
    }

    /** One column of one row: {@code ovs-vsctl get TABLE ROW COLUMN}, unquoted. */
    String get(String table, String row, String column) {
        return vsctl("get", table, row, column).trim().replace("\"", "");
    }

    @Override
    public void close() throws IOException {
        stopServer();
    }
}
