package dev.jvswitch.vswitchd.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.jvswitch.testkit.netns.Offloads;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.ovs.OvsOracle;
import dev.jvswitch.testkit.sh.Sh;

/**
 * The Geneve interop test's namespaces and peer, made for one test and removed by
 * {@link #close()}. The kernel here has no geneve module, so the peer is Open vSwitch's
 * userspace datapath ({@code datapath_type=netdev}), with its own ovsdb-server, run directory
 * and namespace:
 *
 * <pre>
 *  namespace A: ovs-vswitchd (netdev datapath)
 *                 br-phy: the underlay veth; its LOCAL tap has 192.0.2.2/24 (the endpoint)
 *                 br-int: gnv0 (ofport 1; geneve, remote 192.0.2.1, key {@link #VNI}),
 *                         ovshost (ofport 2; internal tap, 10.78.0.1/24)
 *        |  underlay veth: the switch's end is jvswitchd's br-phy port (endpoint 192.0.2.1)
 *  jvswitchd (root namespace): br-phy (underlay) and br-int (geneve port gnv0, access port c)
 *        |  access veth
 *  namespace C ("host"): 10.78.0.2/24, MTU 1400
 * </pre>
 *
 * Both sides carry OVN's option (class 0x0102, type 0x80, 4 bytes) as {@code tun_metadata0}: OVS
 * sends 0x10002 and forwards what arrives only if it carries 0x20001; jvswitchd the other way
 * round. Both also map a critical 8-byte option (type 0x81) as {@code tun_metadata1}, which both
 * set whole and match whole (each side the other's value; jvswitchd must know it, else it drops
 * the packet), and a critical 20-byte one (type 0x82), longer than a set_field's 16 bytes of
 * words, the same way. Every veth has tx checksum offload off.
 */
final class GeneveTopology implements AutoCloseable {
    static final int VNI = 100;
    static final String A_OVERLAY = "10.78.0.1";
    static final String C_OVERLAY = "10.78.0.2";
    static final String SWITCH_V4 = "192.0.2.1";
    static final String A_V4 = "192.0.2.2";
    static final String TLV = "{class=0x102,type=0x80,len=4}->tun_metadata0,"
            + "{class=0x102,type=0x81,len=8}->tun_metadata1,{class=0x102,type=0x82,len=20}->tun_metadata2";
    /** The option value each side sends. */
    static final String FROM_OVS = "0x10002";
    /** The 8-byte option OVS sends beside it. */
    static final String FROM_OVS_LONG = "0x1122334455667788";
    static final String FROM_SWITCH = "0x20001";
    /** The 8-byte option jvswitchd sends beside it. */
    static final String FROM_SWITCH_LONG = "0x99aabbccddeeff00";
    /** The 20-byte option (longer than a set_field's 16 bytes of words) OVS sends. */
    static final String FROM_OVS_WIDE = "0xa1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4";
    /** The 20-byte option jvswitchd sends. */
    static final String FROM_SWITCH_WIDE = "0xc1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4";

    final Topology topo = new Topology();
    final String nsA;
    final String nsC;
    final Topology.Veth underlay;
    final Topology.Veth access;
    final Path ovsDir;
    private final Map<String, String> env;
    private final String db;

    GeneveTopology() {
        try {
            ovsDir = Files.createTempDirectory("jvs-geneve-ovs");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env = Map.of("OVS_RUNDIR", ovsDir.toString(), "OVS_LOGDIR", ovsDir.toString(), "OVS_DBDIR",
                ovsDir.toString(), "OVS_SYSCONFDIR", ovsDir.toString());
        db = "unix:" + ovsDir.resolve("db.sock");
        try {
            nsA = topo.namespace("a");
            nsC = topo.namespace("c");
            underlay = topo.veth(nsA, "u");
            access = topo.veth(nsC, "c");
            for (Topology.Veth v : List.of(underlay, access)) {
                Offloads.txChecksumOff(null, v.root());
                Offloads.txChecksumOff(v.ns(), v.peer());
            }
            Sh.inNs(nsC, "ip", "addr", "add", C_OVERLAY + "/24", "dev", access.peer());
            Sh.inNs(nsC, "ip", "link", "set", access.peer(), "mtu", "1400");
            startOvs();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Root, ip, tcpdump, tshark and Open vSwitch's programs. */
    static boolean available() {
        return Topology.available() && Sh.onPath("tcpdump") && Sh.onPath("tshark") && Sh.onPath("ethtool")
                && OvsOracle.unavailable() == null;
    }

    private void startOvs() {
        String d = ovsDir.toString();
        run("ovsdb-tool", "create", d + "/conf.db", OvsOracle.SCHEMA.toString());
        run(Sh.nsCommand(nsA, program("ovsdb-server"), "--remote=punix:" + d + "/db.sock",
                "--pidfile=" + d + "/ovsdb.pid", "--log-file=" + d + "/ovsdb.log", "--unixctl=" + d + "/ovsdb.ctl",
                "--detach", d + "/conf.db"));
        vsctl("--no-wait", "init");
        run(Sh.nsCommand(nsA, program("ovs-vswitchd"), db, "--pidfile=" + d + "/vswitchd.pid",
                "--log-file=" + d + "/vswitchd.log", "--unixctl=" + d + "/vswitchd.ctl", "--detach",
                "--disable-system"));
        vsctl("add-br", "br-phy", "--", "set", "bridge", "br-phy", "datapath_type=netdev", "--", "add-port", "br-phy",
                underlay.peer());
        vsctl("add-br", "br-int", "--", "set", "bridge", "br-int", "datapath_type=netdev", "fail-mode=secure",
                "--", "add-port", "br-int", "gnv0", "--", "set", "interface", "gnv0", "type=geneve",
                "options:remote_ip=" + SWITCH_V4, "options:key=" + VNI, "ofport_request=1",
                "--", "add-port", "br-int", "ovshost", "--", "set", "interface", "ovshost", "type=internal",
                "ofport_request=2");
        Sh.inNs(nsA, "ip", "addr", "add", A_V4 + "/24", "dev", "br-phy");
        Sh.inNs(nsA, "ip", "link", "set", "br-phy", "up");
        Sh.inNs(nsA, "ip", "addr", "add", A_OVERLAY + "/24", "dev", "ovshost");
        Sh.inNs(nsA, "ip", "link", "set", "ovshost", "mtu", "1400", "up");
        ofctl("add-tlv-map", "br-int", TLV);
        ofctl("add-flow", "br-int", "in_port=2,actions=set_field:" + FROM_OVS + "->tun_metadata0,set_field:"
                + FROM_OVS_LONG + "->tun_metadata1,set_field:" + FROM_OVS_WIDE + "->tun_metadata2,output:1");
        ofctl("add-flow", "br-int", "in_port=1,tun_metadata0=" + FROM_SWITCH + ",tun_metadata1=" + FROM_SWITCH_LONG
                + ",tun_metadata2=" + FROM_SWITCH_WIDE + ",actions=output:2");
    }

    /** The switch's config: br-phy on the underlay with the endpoint, br-int with gnv0, the access port, its flows. */
    String config(String socket) {
        return """
                datapath:
                  pmd-idle: backoff
                  max-idle: 10000
                mempool:
                  mbufs: 4096
                bridges:
                  br-phy:
                    local-ip: %s/24
                    ports:
                      eth0: {type: afpacket, ofport: 1, options: {ifname: %s}}
                  br-int:
                    tlv-map:
                      - "%s"
                    ports:
                      gnv0: {type: geneve, ofport: 1, options: {remote_ip: %s, key: %d}}
                      c: {type: afpacket, ofport: 2, options: {ifname: %s}}
                    flows:
                      - in_port=2,actions=set_field:%s->tun_metadata0,set_field:%s->tun_metadata1,set_field:%s->tun_metadata2,output:1
                      - in_port=1,tun_metadata0=%s,tun_metadata1=%s,tun_metadata2=%s,actions=output:2
                control:
                  socket: %s
                """.formatted(SWITCH_V4, underlay.root(), TLV, A_V4, VNI, access.root(), FROM_SWITCH, FROM_SWITCH_LONG,
                FROM_SWITCH_WIDE, FROM_OVS, FROM_OVS_LONG, FROM_OVS_WIDE, socket);
    }

    String ovsAppctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovs-appctl", "-t", ovsDir.resolve("vswitchd.ctl").toString()));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(new String[0]));
    }

    String ovsLog() {
        try {
            return Files.readString(ovsDir.resolve("vswitchd.log"));
        } catch (IOException e) {
            return "(no ovs-vswitchd log: " + e.getMessage() + ")";
        }
    }

    private void vsctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovs-vsctl", "--db=" + db, "--timeout=30"));
        cmd.addAll(List.of(args));
        run(cmd.toArray(new String[0]));
    }

    private void ofctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl"));
        cmd.addAll(List.of(args));
        run(cmd.toArray(new String[0]));
    }

    private String run(String... cmd) {
        String[] c = cmd.clone();
        if (!c[0].startsWith("/") && !c[0].equals("ip")) {
            c[0] = program(c[0]);
        }
        Sh.Result r = Sh.tryRun(env, c);
        if (r.exit() != 0) {
            throw new IllegalStateException("command failed (exit " + r.exit() + "): " + String.join(" ", cmd) + "\n"
                    + r.output());
        }
        return r.output();
    }

    private static String program(String name) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return dir + "/" + name;
            }
        }
        return name;
    }

    @Override
    public void close() {
        try {
            for (String pid : List.of("vswitchd.pid", "ovsdb.pid")) {
                stop(ovsDir.resolve(pid));
            }
        } finally {
            topo.close();
            try (Stream<Path> all = Files.walk(ovsDir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A leftover temporary directory is not worth failing a test for.
            }
        }
    }

    private static void stop(Path pidFile) {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            return;
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
