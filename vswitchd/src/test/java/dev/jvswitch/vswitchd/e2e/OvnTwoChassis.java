package dev.jvswitch.vswitchd.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.jvswitch.testkit.netns.Offloads;
import dev.jvswitch.testkit.netns.Peer;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.ovs.OvsOracle;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/**
 * Two OVN chassis side by side, made for one test class and removed by {@link #close()}: one
 * private central ({@link OvnCentral}), chassis A running jvswitchd and chassis B running the
 * packaged {@code ovs-vswitchd --disable-system} (userspace datapath), each with its own
 * ovsdb-server, run directory and {@code ovn-controller} in its namespace:
 *
 * <pre>
 *  namespace a: jvswitchd                          namespace b: ovs-vswitchd (netdev)
 *    br-phy: ua (underlay veth), LOCAL 192.0.2.1/24   br-phy: ub, LOCAL 192.0.2.2/24
 *    br-int: made by ovn-controller, VIF veths        br-int: made by ovn-controller, VIF veths
 *        |  ua ================ underlay veth ================ ub  |
 *  host namespaces: eth0 (MTU 1400, the veth's other end), plugged into either chassis by
 *  {@link #plug}: {@code external_ids:iface-id} names the logical port
 * </pre>
 *
 * The tunnel endpoint is what OVS's userspace tunnelling asks for: the encap IP on br-phy's
 * internal port; {@code ovn-encap-ip} names it and ovn-controller creates the tunnel ports.
 * Hosts answer no ARP themselves ({@code arp_ignore=8}): every ARP reply they get comes from
 * OVN's ARP responder (or its router). Every veth has GRO/GSO/TSO and tx checksum offload off.
 */
final class OvnTwoChassis implements AutoCloseable {
    static final String A_UNDERLAY = "192.0.2.1";
    static final String B_UNDERLAY = "192.0.2.2";
    static final String C_UNDERLAY = "192.0.2.3";
    static final Duration CONVERGE = Duration.ofSeconds(60);
    private static final String APP_PORT = "5004";

    /** A host's VIF: its logical port, namespace, address, MAC and where it is plugged now. */
    record Vif(String lsp, String ns, String ip, String mac, String gateway) {
    }

    final Topology topo = new Topology();
    final Path dir;
    final String nsA;
    final String nsB;
    final OvnCentral central;
    final Path dirA;
    final Path dirB;
    final OvsdbServer dbA;
    final OvsdbServer dbB;
    final Path ovnA;
    final Path ovnB;
    DaemonProcess jvs;
    /** Chassis C, a second jvswitchd, once {@link #addJvswitchChassis} made it; null before. */
    String nsC;
    Path dirC;
    OvsdbServer dbC;
    Path ovnC;
    DaemonProcess jvsC;
    private final Map<String, Vif> vifs = new LinkedHashMap<>();
    /** Logical port -> chassis namespace it is plugged into. */
    private final Map<String, String> pluggedIn = new LinkedHashMap<>();
    private int vethSeq;

    OvnTwoChassis(Path dir, String encap) throws IOException {
        this(dir, encap, false);
    }

    /**
     * As {@link #OvnTwoChassis(Path, String)}; with {@code ovsOnA} chassis A runs the packaged
     * ovs-vswitchd as B does (the reference that jvswitchd's chassis is measured against).
     */
    OvnTwoChassis(Path dir, String encap, boolean ovsOnA) throws IOException {
        this.dir = dir;
        dirA = Files.createDirectories(dir.resolve("a"));
        dirB = Files.createDirectories(dir.resolve("b"));
        ovnA = dir.resolve("ovn-a");
        ovnB = dir.resolve("ovn-b");
        OvnCentral c = null;
        OvsdbServer a = null;
        OvsdbServer b = null;
        try {
            nsA = topo.namespace("a");
            nsB = topo.namespace("b");
            Sh.inNs(nsA, "ip", "link", "add", "ua", "type", "veth", "peer", "name", "ub", "netns", nsB);
            quiet(nsA, "ua");
            quiet(nsB, "ub");
            c = OvnCentral.start(dir.resolve("central"));
            a = OvsdbServer.start(dirA);
            b = OvsdbServer.start(dirB);
        } catch (RuntimeException | IOException | Error e) {
            closeQuietly(b, a, c);
            topo.close();
            throw e;
        }
        central = c;
        dbA = a;
        dbB = b;
        try {
            if (ovsOnA) {
                startOvs(nsA, dirA, dbA);
            } else {
                startJvswitchd();
            }
            startOvs(nsB, dirB, dbB);
            underlay(dbA, nsA, "ua", A_UNDERLAY);
            underlay(dbB, nsB, "ub", B_UNDERLAY);
            chassis(dbA, "jvs-a", A_UNDERLAY, encap);
            chassis(dbB, "ovs-b", B_UNDERLAY, encap);
            central.controller(dbA, dirA, ovnA, nsA);
            central.controller(dbB, dirB, ovnB, nsB);
            for (OvsdbServer db : List.of(dbA, dbB)) {
                Await.until(CONVERGE, Duration.ofMillis(50), () -> db.tryVsctl("br-exists", "br-int").exit() == 0,
                        () -> "ovn-controller to create br-int\n" + logs());
            }
        } catch (RuntimeException | IOException | Error e) {
            // An AssertionError too (a daemon that did not come up): nothing may outlive the test.
            close();
            throw e;
        }
    }

    /** Root, ip, ping, tcpdump, Open vSwitch's programs (ovs-vswitchd too) and OVN's. */
    static boolean available() {
        return OvsdbDaemonTest.available() && OvnCentral.available() && Sh.onPath("ovs-ofctl")
                && Sh.onPath("tcpdump") && Sh.onPath("python3") && OvsOracle.unavailable() == null;
    }

    /** Starts (or restarts) jvswitchd in namespace a and puts the encap IP back on br-phy once it exists. */
    void startJvswitchd() throws IOException {
        Files.deleteIfExists(dirA.resolve("jvswitchd.pid"));
        jvs = OvsdbDaemonTest.daemon(dirA, nsA, dbA);
    }

    /**
     * Adds chassis C: a second jvswitchd (system-id {@code jvs-c}, encap IP {@link #C_UNDERLAY})
     * with its own ovsdb-server, run directory and ovn-controller in namespace c. Its underlay
     * veth {@code uc} ends in chassis A's br-phy (port {@code ua2}), so A's br-phy (NORMAL)
     * switches the underlay between B, C and A's own endpoint, as a top-of-rack switch would.
     */
    void addJvswitchChassis(String encap) throws IOException {
        nsC = topo.namespace("c");
        dirC = Files.createDirectories(dir.resolve("c"));
        ovnC = dir.resolve("ovn-c");
        Sh.inNs(nsA, "ip", "link", "add", "ua2", "type", "veth", "peer", "name", "uc", "netns", nsC);
        quiet(nsA, "ua2");
        quiet(nsC, "uc");
        dbA.vsctl("add-port", "br-phy", "ua2");
        dbC = OvsdbServer.start(dirC);
        jvsC = OvsdbDaemonTest.daemon(dirC, nsC, dbC);
        underlay(dbC, nsC, "uc", C_UNDERLAY);
        chassis(dbC, "jvs-c", C_UNDERLAY, encap);
        central.controller(dbC, dirC, ovnC, nsC);
        Await.until(CONVERGE, Duration.ofMillis(50), () -> dbC.tryVsctl("br-exists", "br-int").exit() == 0,
                () -> "ovn-controller on chassis c to create br-int\n" + logs());
    }

    /** The packaged ovs-vswitchd (userspace datapath only) in namespace {@code ns}, its files in {@code d}. */
    private static void startOvs(String ns, Path d, OvsdbServer db) {
        Map<String, String> env = Map.of("OVS_RUNDIR", d.toString(), "OVS_LOGDIR", d.toString(), "OVS_DBDIR",
                d.toString(), "OVS_SYSCONFDIR", d.toString());
        Sh.Result r = Sh.tryRun(env, Sh.nsCommand(ns, program("ovs-vswitchd"), db.target(),
                "--pidfile=" + d.resolve("vswitchd.pid"), "--log-file=" + d.resolve("vswitchd.log"),
                "--unixctl=" + d.resolve("vswitchd.ctl"), "--detach", "--disable-system"));
        if (r.exit() != 0) {
            throw new AssertionError("ovs-vswitchd did not start: " + r.output());
        }
    }

    private void underlay(OvsdbServer db, String ns, String port, String ip) {
        db.vsctl("add-br", "br-phy", "--", "set", "bridge", "br-phy", "datapath_type=netdev", "--", "add-port",
                "br-phy", port);
        encapAddress(ns, ip);
    }

    /** The encap IP on br-phy's internal port, as the host's network configuration puts it there. */
    static void encapAddress(String ns, String ip) {
        Await.until(Duration.ofSeconds(20), Duration.ofMillis(20),
                () -> Sh.tryInNs(ns, "ip", "link", "show", "br-phy").exit() == 0, () -> "br-phy's device in " + ns);
        Sh.inNs(ns, "ip", "addr", "replace", ip + "/24", "dev", "br-phy");
        Sh.inNs(ns, "ip", "link", "set", "br-phy", "up");
    }

    private void chassis(OvsdbServer db, String systemId, String encapIp, String encap) {
        db.vsctl("--no-wait", "set", "Open_vSwitch", ".", "external_ids:system-id=" + systemId,
                "external_ids:ovn-remote=" + central.sbTarget(), "external_ids:ovn-encap-type=" + encap,
                "external_ids:ovn-encap-ip=" + encapIp, "external_ids:ovn-bridge-datapath-type=netdev");
    }

    /** Sets {@code ovn-encap-type} on both chassis (geneve or vxlan). */
    void encap(String type) {
        for (OvsdbServer db : dbC == null ? List.of(dbA, dbB) : List.of(dbA, dbB, dbC)) {
            db.vsctl("--no-wait", "set", "Open_vSwitch", ".", "external_ids:ovn-encap-type=" + type);
        }
    }

    /** Chassis A's database and namespace for {@code "a"}, B's for {@code "b"}, C's for {@code "c"}. */
    OvsdbServer db(String chassis) {
        return switch (chassis) {
            case "a" -> dbA;
            case "b" -> dbB;
            default -> dbC;
        };
    }

    String ns(String chassis) {
        return switch (chassis) {
            case "a" -> nsA;
            case "b" -> nsB;
            default -> nsC;
        };
    }

    Path rundir(String chassis) {
        return switch (chassis) {
            case "a" -> dirA;
            case "b" -> dirB;
            default -> dirC;
        };
    }

    Path ovnDir(String chassis) {
        return switch (chassis) {
            case "a" -> ovnA;
            case "b" -> ovnB;
            default -> ovnC;
        };
    }

    /**
     * Makes host namespace {@code h-<lsp>} with {@code ip/24} on eth0 (MTU 1400), and a default
     * route via {@code gateway} if not null. It is plugged nowhere yet.
     */
    Vif host(String lsp, String ip, String gateway) {
        String ns = topo.namespace("h-" + lsp);
        Sh.inNs(ns, "sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=8");
        Sh.inNs(ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        String mac = String.format("0a:00:00:00:%02x:%02x", vifs.size() + 1, 1);
        Vif v = new Vif(lsp, ns, ip, mac, gateway);
        vifs.put(lsp, v);
        return v;
    }

    Vif vif(String lsp) {
        return vifs.get(lsp);
    }

    /**
     * Plugs host {@code lsp} into chassis {@code chassis} ("a" or "b"): a new veth whose eth0 end
     * (with the host's MAC and address) goes into the host namespace and whose other end becomes
     * a br-int port with {@code external_ids:iface-id=lsp}. Unplugs it from where it was first.
     */
    void plug(String lsp, String chassis) {
        unplug(lsp);
        Vif v = vifs.get(lsp);
        String ns = ns(chassis);
        String ifname = "vif" + (++vethSeq);
        Sh.inNs(ns, "ip", "link", "add", ifname, "type", "veth", "peer", "name", "eth0", "address", v.mac(),
                "netns", v.ns());
        quiet(ns, ifname);
        quiet(v.ns(), "eth0");
        Sh.inNs(v.ns(), "ip", "link", "set", "eth0", "mtu", "1400");
        // ARP retried every 100 ms, not every second: the time to a first ping measures OVN, not the timer.
        Sh.inNs(v.ns(), "sysctl", "-qw", "net.ipv4.neigh.eth0.retrans_time_ms=100");
        Sh.inNs(v.ns(), "ip", "addr", "add", v.ip() + "/24", "dev", "eth0");
        if (v.gateway() != null) {
            Sh.inNs(v.ns(), "ip", "route", "add", "default", "via", v.gateway());
        }
        db(chassis).vsctl("add-port", "br-int", ifname, "--", "set", "interface", ifname,
                "external_ids:iface-id=" + lsp);
        pluggedIn.put(lsp, chassis + ":" + ifname);
    }

    /** Deletes host {@code lsp}'s VIF port and its veth, if it is plugged in. */
    void unplug(String lsp) {
        String where = pluggedIn.remove(lsp);
        if (where != null) {
            String[] w = where.split(":");
            db(w[0]).vsctl("--if-exists", "del-port", "br-int", w[1]);
            Sh.tryInNs(ns(w[0]), "ip", "link", "del", w[1]);
        }
    }

    /** Which chassis ("a" or "b") host {@code lsp} is plugged into, or null. */
    String chassisOf(String lsp) {
        String where = pluggedIn.get(lsp);
        return where == null ? null : where.split(":")[0];
    }

    /** One ping with a 1 s wait from host {@code from} to {@code ip}: whether it was answered. */
    boolean pings(String from, String ip) {
        return Sh.tryInNs(vifs.get(from).ns(), "ping", "-n", "-c", "1", "-W", "1", ip).exit() == 0;
    }

    /**
     * Waits (bounded by {@link #CONVERGE}) for a first answered ping, an echo request every 50 ms
     * (each ping run gives up after a second or an error); returns seconds since {@code t0Ns}.
     */
    double awaitPing(String from, String ip, long t0Ns, String what) {
        String ns = vifs.get(from).ns();
        String[] last = {""};
        Await.until(CONVERGE, Duration.ofMillis(10), () -> {
            Sh.Result r = Sh.tryInNs(ns, "ping", "-n", "-q", "-c", "1", "-i", "0.05", "-w", "1", ip);
            last[0] = r.output();
            return r.exit() == 0;
        }, () -> what + ": no ping " + from + " -> " + ip + ": " + last[0] + "\n" + logs());
        return (System.nanoTime() - t0Ns) / 1e9;
    }

    /** ping -c COUNT from host {@code from}; output and exit status. */
    Sh.Result ping(String from, String ip, int count) {
        return Sh.tryInNs(vifs.get(from).ns(), "ping", "-n", "-c", Integer.toString(count), "-i", "0.2", "-W", "2", ip);
    }

    /** {@code bytes} from host {@code client} to a pkt.py server on host {@code server}, hash checked; Mbit/s. */
    double tcp(String server, String client, int bytes) {
        return tcpRun(server, client, bytes).mbits();
    }

    /**
     * One TCP transfer: its rate and the share of the client's data segments the client's kernel
     * sent again ({@code RetransSegs} over {@code OutSegs} of its namespace), which says whether a
     * slow transfer lost packets on the way or waited on something else.
     */
    record TcpRun(double mbits, double retransmitted) {
    }

    /** As {@link #tcp}, with the client's retransmissions. */
    TcpRun tcpRun(String server, String client, int bytes) {
        long[] before = tcpSegments(vifs.get(client).ns());
        double mbits = transfer(server, client, bytes);
        long[] after = tcpSegments(vifs.get(client).ns());
        long out = after[0] - before[0];
        return new TcpRun(mbits, out == 0 ? 0 : (double) (after[1] - before[1]) / out);
    }

    /** {@code OutSegs} and {@code RetransSegs} of namespace {@code ns} (/proc/net/snmp's Tcp lines). */
    private static long[] tcpSegments(String ns) {
        String[] lines = Sh.inNs(ns, "cat", "/proc/net/snmp").split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("Tcp:") && lines[i + 1].startsWith("Tcp:")) {
                List<String> names = List.of(lines[i].trim().split("\\s+"));
                String[] values = lines[i + 1].trim().split("\\s+");
                return new long[] {Long.parseLong(values[names.indexOf("OutSegs")]),
                    Long.parseLong(values[names.indexOf("RetransSegs")])};
            }
        }
        throw new AssertionError("no Tcp counters in /proc/net/snmp of " + ns);
    }

    private double transfer(String server, String client, int bytes) {
        Vif s = vifs.get(server);
        try (Peer srv = Peer.start(s.ns(), "tcp-hash-server", s.ip(), APP_PORT)) {
            srv.awaitLine("ready", Duration.ofSeconds(20));
            try (Peer cl = Peer.start(vifs.get(client).ns(), "tcp-hash-client", s.ip(), APP_PORT,
                    Integer.toString(bytes))) {
                List<String> out = cl.awaitExit(Duration.ofSeconds(60));
                if (!out.contains("OK")) {
                    throw new AssertionError(bytes + " bytes " + client + " -> " + server + ": " + out + "\n" + logs());
                }
                // The client's own time from connect to the server's answer: not Python's start.
                double seconds = out.stream().filter(l -> l.startsWith("seconds ")).findFirst()
                        .map(l -> Double.parseDouble(l.substring(8))).orElseThrow();
                srv.awaitExit(Duration.ofSeconds(30));
                return bytes * 8 / seconds / 1e6;
            }
        }
    }

    /** The OpenFlow flows of chassis {@code chassis}'s br-int, once three dumps agree. */
    int flows(String chassis) {
        return OvnChassisTest.stableFlowCount(rundir(chassis));
    }

    /** The logs of both ovn-controllers, jvswitchd and ovs-vswitchd, for failure messages. */
    String logs() {
        StringBuilder b = new StringBuilder();
        b.append("--- ovn-controller a ---\n").append(tail(OvnChassisTest.log(ovnA)));
        b.append("\n--- ovn-controller b ---\n").append(tail(OvnChassisTest.log(ovnB)));
        b.append("\n--- jvswitchd ---\n").append(jvs == null ? tail(read(dirA.resolve("vswitchd.log"))) : tail(jvs.log()));
        b.append("\n--- ovs-vswitchd ---\n").append(tail(read(dirB.resolve("vswitchd.log"))));
        if (jvsC != null) {
            b.append("\n--- ovn-controller c ---\n").append(tail(OvnChassisTest.log(ovnC)));
            b.append("\n--- jvswitchd c ---\n").append(tail(jvsC.log()));
        }
        return b.toString();
    }

    private static String tail(String s) {
        return s.length() > 6000 ? "..." + s.substring(s.length() - 6000) : s;
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "(no " + p.getFileName() + ")";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /**
     * An underlay veth end as a switch's port: no offloads, and its kernel side does not answer
     * ARP for the namespace's addresses (arp_ignore=1: only for addresses on the veth, which has
     * none). Otherwise the veth answers for the encap IP on br-phy with its own MAC, before
     * br-phy does, and the remote switch's first tunnel packets go to that MAC, into the kernel
     * ("port 6081 unreachable"), until br-phy's own reply replaces it.
     */
    private static void quiet(String ns, String ifname) {
        Offloads.segmentationOff(ns, ifname);
        Offloads.txChecksumOff(ns, ifname);
        Sh.inNs(ns, "sysctl", "-qw", "net.ipv4.conf." + ifname + ".arp_ignore=1");
        Sh.inNs(ns, "ip", "link", "set", ifname, "up");
    }

    static String program(String name) {
        for (String d : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (Files.isExecutable(Path.of(d, name))) {
                return d + "/" + name;
            }
        }
        return name;
    }

    private static void closeQuietly(AutoCloseable... all) {
        for (AutoCloseable c : all) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // Teardown after a failed start: the first failure is the one to report.
            }
        }
    }

    @Override
    public void close() {
        List<AutoCloseable> order = new ArrayList<>();
        order.add(() -> OvnCentral.stop(ovnA.resolve("ovn-controller.pid")));
        order.add(() -> OvnCentral.stop(ovnB.resolve("ovn-controller.pid")));
        if (ovnC != null) {
            order.add(() -> OvnCentral.stop(ovnC.resolve("ovn-controller.pid")));
        }
        order.add(() -> OvnCentral.stop(dirA.resolve("vswitchd.pid")));
        order.add(() -> OvnCentral.stop(dirB.resolve("vswitchd.pid")));
        order.add(jvs);
        order.add(central);
        order.add(dbA);
        order.add(dbB);
        order.add(jvsC);
        order.add(dbC);
        closeQuietly(order.toArray(new AutoCloseable[0]));
        topo.close();
    }
}
