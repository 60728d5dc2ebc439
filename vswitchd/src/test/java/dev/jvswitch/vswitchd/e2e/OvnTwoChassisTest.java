package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/**
 * jvswitchd as one chassis of a two-chassis OVN network whose other chassis is the packaged
 * ovs-vswitchd (userspace datapath), both programmed by unmodified ovn-controllers from one
 * central ({@link OvnTwoChassis}). One network serves every case, in order: a logical switch
 * across the chassis over Geneve (ping, 4 MiB TCP both ways, ARP from OVN's responder, the same
 * flow count on both chassis), a stateful ACL, a port moved between chassis, a logical router
 * across them, the faults (ovn-controller killed, jvswitchd restarted, the southbound database
 * restarted) and last VXLAN encapsulation. Figures (time to first ping, flows, Mbit/s,
 * reconvergence) are printed with the load.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OvnTwoChassisTest {
    private static final int TCP_BYTES = 4 << 20;
    @TempDir
    static Path dir;
    private static OvnTwoChassis net;

    @BeforeAll
    static void network() throws IOException {
        Needs.that(OvnTwoChassis.available(), "root, ip, ping, tcpdump, python3, Open vSwitch (ovsdb-server,"
                + " ovs-vswitchd, ovs-vsctl, ovs-ofctl) and OVN (ovn-central, ovn-host)");
        net = new OvnTwoChassis(dir, "geneve");
        net.host("pa", "10.0.0.1", null);
        net.host("pb", "10.0.0.2", null);
        net.plug("pa", "a");
        net.plug("pb", "b");
    }

    @AfterAll
    static void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    @Order(1)
    void aLogicalSwitchAcrossBothChassisOverGeneve() throws Exception {
        net.central.nbctl("ls-add", "sw0");
        long t0 = System.nanoTime();
        for (String p : List.of("pa", "pb")) {
            OvnTwoChassis.Vif v = net.vif(p);
            net.central.nbctl("lsp-add", "sw0", p, "--", "lsp-set-addresses", p, v.mac() + " " + v.ip());
        }
        double first = net.awaitPing("pa", "10.0.0.2", t0, "Geneve");
        noLoss(net.ping("pa", "10.0.0.2", 5));
        noLoss(net.ping("pb", "10.0.0.1", 5));
        // The hosts answer no ARP (arp_ignore=8): OVN's ARP responder did, on the sender's chassis.
        assertThat(Sh.inNs(net.vif("pa").ns(), "ip", "neigh", "show", "10.0.0.2")).contains(net.vif("pb").mac());
        assertThat(Sh.inNs(net.vif("pb").ns(), "ip", "neigh", "show", "10.0.0.1")).contains(net.vif("pa").mac());
        double ab = tcp("pb", "pa");
        double ba = tcp("pa", "pb");
        int flowsA = net.flows("a");
        int flowsB = net.flows("b");
        report("geneve: first ping %.2f s after lsp-add; flows jvswitchd %d, ovs-vswitchd %d; 4 MiB TCP"
                + " A->B %.0f Mbit/s, B->A %.0f Mbit/s%s", first, flowsA, flowsB, ab, ba, commits());
        assertThat(flowsA).as("flows ovn-controller installed on jvswitchd vs OVS").isEqualTo(flowsB);
        assertThat(tunnelType("a")).isEqualTo("geneve");
        noErrors();
    }

    /**
     * Outbound IPv4 allowed and committed, inbound dropped by default, except what pb accepts
     * from pa: pa reaches pb and gets its replies (through both chassis's conntrack zones), pb
     * starts nothing towards pa.
     */
    @Test
    @Order(2)
    void aStatefulAclLetsRepliesThroughAndBlocksNewInbound() throws Exception {
        // Before the ACL a TCP SYN from pb to a closed port of pa gets its RST.
        assertThat(connect("pb", "10.0.0.1")).isEqualTo("refused");
        net.central.nbctl("pg-add", "pg", "pa", "pb");
        net.central.nbctl("acl-add", "pg", "to-lport", "1001", "outport == @pg && ip4", "drop");
        net.central.nbctl("acl-add", "pg", "from-lport", "1002", "inport == @pg && ip4", "allow-related");
        net.central.nbctl("acl-add", "pg", "to-lport", "1002", "outport == \"pb\" && ip4 && ip4.src == 10.0.0.1",
                "allow-related");
        long t0 = System.nanoTime();
        net.central.nbctl("--wait=hv", "sync");
        double applied = (System.nanoTime() - t0) / 1e9;
        try {
            Await.until(OvnTwoChassis.CONVERGE, Duration.ofMillis(100), () -> !net.pings("pb", "10.0.0.1"),
                    () -> "the ACL to block pb -> pa\n" + net.logs());
            noLoss(net.ping("pa", "10.0.0.2", 5));
            tcp("pb", "pa");
            assertThat(net.ping("pb", "10.0.0.1", 3).output()).contains(" 100% packet loss");
            assertThat(connect("pb", "10.0.0.1")).as("a new TCP connection pb -> pa").isEqualTo("timeout");
            // jvswitchd reports ct_zero_snat, so OVN commits with nat(src) there as on OVS.
            assertThat(OvnChassisTest.dumpFlows(net.dirA)).contains("ct(commit,zone=NXM_NX_REG13[0..15],nat(src)");
            report("acl: applied on both chassis (nbctl --wait=hv) in %.2f s; flows jvswitchd %d, ovs-vswitchd %d",
                    applied, net.flows("a"), net.flows("b"));
            noErrors();
        } finally {
            net.central.nbctl("pg-del", "pg");
        }
        net.awaitPing("pb", "10.0.0.1", System.nanoTime(), "the ACL removed");
    }

    /** pa's VIF leaves jvswitchd and reappears on OVS with the same iface-id, then comes back. */
    @Test
    @Order(3)
    void aPortMovedBetweenChassisKeepsWorking() throws Exception {
        for (String to : List.of("b", "a")) {
            long t0 = System.nanoTime();
            net.plug("pa", to);
            double s = net.awaitPing("pa", "10.0.0.2", t0, "pa moved to chassis " + to);
            noLoss(net.ping("pb", "10.0.0.1", 3));
            report("move: pa on chassis %s pings pb %.2f s after its VIF was plugged there", to, s);
        }
        tcp("pa", "pb");
        noErrors();
    }

    /**
     * Router lr0 between sw0 (10.0.0.0/24) and sw1 (10.0.1.0/24, pc on OVS): the router runs on
     * the sender's chassis, so pa -> pc is routed by jvswitchd and the reply by OVS; pc sees the
     * request with TTL 63 from the router's MAC, pa the reply with TTL 63. pd (on jvswitchd, in
     * sw1) makes the chassis alike again: each has one VIF in each switch, so the same flows.
     */
    @Test
    @Order(4)
    void aLogicalRouterAcrossChassisDecrementsTtlAndRewritesMacs() throws Exception {
        String lrp1Mac = "00:00:00:00:ff:02";
        net.host("pc", "10.0.1.2", "10.0.1.254");
        net.plug("pc", "b");
        net.host("pd", "10.0.1.3", "10.0.1.254");
        net.plug("pd", "a");
        for (String p : List.of("pa", "pb")) {
            Sh.inNs(net.vif(p).ns(), "ip", "route", "replace", "default", "via", "10.0.0.254");
        }
        long t0 = System.nanoTime();
        net.central.nbctl("lr-add", "lr0");
        net.central.nbctl("lrp-add", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.254/24");
        net.central.nbctl("lrp-add", "lr0", "lrp1", lrp1Mac, "10.0.1.254/24");
        net.central.nbctl("ls-add", "sw1");
        for (String[] s : new String[][] {{"sw0", "lrp0"}, {"sw1", "lrp1"}}) {
            String lsp = s[0] + "-lr0";
            net.central.nbctl("lsp-add", s[0], lsp, "--", "lsp-set-type", lsp, "router", "--", "lsp-set-addresses",
                    lsp, "router", "--", "lsp-set-options", lsp, "router-port=" + s[1]);
        }
        OvnTwoChassis.Vif pc = net.vif("pc");
        for (String p : List.of("pc", "pd")) {
            OvnTwoChassis.Vif v = net.vif(p);
            net.central.nbctl("lsp-add", "sw1", p, "--", "lsp-set-addresses", p, v.mac() + " " + v.ip());
        }
        double first = net.awaitPing("pa", "10.0.1.2", t0, "routed");

        Path capture = dir.resolve("pc.txt");
        Process tcpdump = new ProcessBuilder(Sh.nsCommand(pc.ns(), "tcpdump", "-i", "eth0", "-e", "-n", "-v", "-l",
                "-c", "1", "icmp[icmptype] == icmp-echo and src host 10.0.0.1")).redirectErrorStream(true)
                .redirectOutput(capture.toFile()).start();
        try {
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(50),
                    () -> OvnTwoChassis.read(capture).contains("listening on"), () -> "tcpdump to listen");
            Sh.Result ping = net.ping("pa", "10.0.1.2", 3);
            noLoss(ping);
            assertThat(ping.output()).as("pc's reply crossed one router hop (on OVS)").contains("ttl=63");
            assertThat(tcpdump.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            tcpdump.destroy();
        }
        String seen = OvnTwoChassis.read(capture);
        assertThat(seen).as("pa's echo as pc received it (routed by jvswitchd)").contains(lrp1Mac + " > " + pc.mac())
                .contains("ttl 63");
        noLoss(net.ping("pc", "10.0.0.1", 3));
        // pd -> pb: routed by jvswitchd from sw1 into sw0, then tunnelled to OVS.
        double pd = net.awaitPing("pd", "10.0.0.2", System.nanoTime(), "routed from pd");
        noLoss(net.ping("pd", "10.0.0.2", 3));
        int flowsA = net.flows("a");
        int flowsB = net.flows("b");
        report("router: first routed ping pa -> pc %.2f s after lr-add (pd -> pb %.2f s later); flows jvswitchd %d,"
                + " ovs-vswitchd %d", first, pd, flowsA, flowsB);
        assertThat(flowsA).as("flows ovn-controller installed on jvswitchd vs OVS").isEqualTo(flowsB);
        noErrors();
    }

    /**
     * ovn-controller on jvswitchd's chassis killed (SIGKILL) and restarted; jvswitchd restarted
     * (SIGTERM; br-phy's device gets the encap IP back as the host's network configuration
     * would); the southbound ovsdb-server restarted. After each the network converges again
     * within {@link OvnTwoChassis#CONVERGE}; the times are printed.
     */
    @Test
    @Order(5)
    void theNetworkConvergesAfterEachFault() throws Exception {
        int flows = net.flows("a");
        Path pid = net.ovnA.resolve("ovn-controller.pid");
        int commitsBefore = commitCount();
        OvnCentral.signal(pid, "KILL");
        noLoss(net.ping("pa", "10.0.0.2", 3));
        long t0 = System.nanoTime();
        net.central.controller(net.dbA, net.dirA, net.ovnA, net.nsA);
        Await.until(OvnTwoChassis.CONVERGE, Duration.ofMillis(20), () -> commitCount() > commitsBefore,
                () -> "the restarted ovn-controller to commit its flows\n" + net.logs());
        double controller = net.awaitPing("pa", "10.0.0.2", t0, "ovn-controller restarted");
        assertThat(net.flows("a")).as("flows after ovn-controller's restart").isEqualTo(flows);

        assertThat(net.jvs.terminate(Duration.ofSeconds(30))).isZero();
        t0 = System.nanoTime();
        net.startJvswitchd();
        double started = (System.nanoTime() - t0) / 1e9;
        OvnTwoChassis.encapAddress(net.nsA, OvnTwoChassis.A_UNDERLAY);
        double daemon = net.awaitPing("pa", "10.0.0.2", t0, "jvswitchd restarted");
        noLoss(net.ping("pb", "10.0.0.1", 3));
        noLoss(net.ping("pa", "10.0.1.2", 3));
        assertThat(net.flows("a")).as("flows after jvswitchd's restart").isEqualTo(flows);

        t0 = System.nanoTime();
        net.central.restartSb();
        net.central.nbctl("--wait=hv", "sync");
        double sb = (System.nanoTime() - t0) / 1e9;
        noLoss(net.ping("pa", "10.0.0.2", 3));
        report("faults: ovn-controller killed -> flows committed again and ping %.2f s after its restart;"
                + " jvswitchd restarted -> running after %.2f s, ping %.2f s after its start (ovn-controller"
                + " reconnects with its backoff); SB ovsdb-server restarted -> both chassis caught up"
                + " (nbctl --wait=hv sync) %.2f s after", controller, started, daemon, sb);
        noErrors();
    }

    /** Both chassis switch to VXLAN: ovn-controller replaces the tunnel ports; ping and TCP again. */
    @Test
    @Order(6)
    void theSameSwitchOverVxlan() throws Exception {
        long t0 = System.nanoTime();
        net.encap("vxlan");
        for (String c : List.of("a", "b")) {
            Await.until(OvnTwoChassis.CONVERGE, Duration.ofMillis(50), () -> "vxlan".equals(tunnelType(c)),
                    () -> "a vxlan tunnel port on chassis " + c + "\n" + net.logs());
        }
        double first = net.awaitPing("pa", "10.0.0.2", t0, "VXLAN");
        noLoss(net.ping("pa", "10.0.0.2", 5));
        noLoss(net.ping("pb", "10.0.0.1", 5));
        noLoss(net.ping("pa", "10.0.1.2", 3));
        double ab = tcp("pb", "pa");
        double ba = tcp("pa", "pb");
        assertThat(net.jvs.ok("tnl/ports/show")).contains("vxlan");
        int flowsA = net.flows("a");
        int flowsB = net.flows("b");
        assertThat(flowsA).as("flows ovn-controller installed on jvswitchd vs OVS").isEqualTo(flowsB);
        report("vxlan: first ping %.2f s after ovn-encap-type=vxlan; flows jvswitchd %d, ovs-vswitchd %d;"
                + " 4 MiB TCP A->B %.0f Mbit/s, B->A %.0f Mbit/s", first, flowsA, flowsB, ab, ba);
        noErrors();
    }

    /** The type of chassis {@code c}'s tunnel port to the other chassis, or "" if there is none. */
    private static String tunnelType(String c) {
        String peer = c.equals("a") ? "ovs-b" : "jvs-a";
        // ovn-controller names it "ovn-" + the remote chassis's id + "-0".
        Sh.Result r = net.db(c).tryVsctl("--bare", "--columns=type", "find", "Interface", "name=ovn-" + peer + "-0");
        return r.exit() == 0 ? r.output().trim() : "";
    }

    /** 4 MiB from host {@code client} to a pkt.py server on host {@code server}, hash checked; Mbit/s. */
    private static double tcp(String server, String client) {
        return net.tcp(server, client, TCP_BYTES);
    }

    /** A TCP connect from host {@code from} to a closed port of {@code ip}: "refused", "timeout" or "connected". */
    private static String connect(String from, String ip) {
        String py = "import socket\ns = socket.socket()\ns.settimeout(2)\ntry:\n    s.connect(('" + ip
                + "', 5005))\n    print('connected')\nexcept socket.timeout:\n    print('timeout')\n"
                + "except ConnectionRefusedError:\n    print('refused')\n";
        return Sh.tryInNs(net.vif(from).ns(), "python3", "-c", py).output().trim();
    }

    private static int commitCount() {
        Matcher m = Pattern.compile("bundle of \\d+ messages committed").matcher(net.jvs.log());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** jvswitchd's bundle commits of more than 50 messages, as ", bundle of N messages in U us". */
    private static String commits() {
        StringBuilder b = new StringBuilder();
        Matcher m = Pattern.compile("bundle of (\\d+) messages committed in (\\d+) us").matcher(net.jvs.log());
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) > 50) {
                b.append("; bundle of ").append(m.group(1)).append(" messages committed in ").append(m.group(2))
                        .append(" us");
            }
        }
        return b.toString();
    }

    private static void noLoss(Sh.Result ping) {
        assertThat(ping.output()).as("%s", net.logs()).contains(" 0% packet loss");
    }

    /** jvswitchd sent ovn-controller no error and it never dropped its connection. */
    private static void noErrors() {
        assertThat(OvnChassisTest.errorsSent(net.jvs.log())).as("error replies jvswitchd sent").isEmpty();
        String log = OvnChassisTest.log(net.ovnA);
        assertThat(log).as("ovn-controller on jvswitchd heard no OpenFlow error").doesNotContain("OpenFlow error");
        assertThat(net.jvs.log()).doesNotContain("ERROR");
    }

    private static void report(String format, Object... args) throws IOException {
        System.out.printf("OvnTwoChassisTest: " + format + " (load %s)%n", append(args,
                Files.readString(Path.of("/proc/loadavg")).trim()));
    }

    private static Object[] append(Object[] args, Object last) {
        Object[] out = java.util.Arrays.copyOf(args, args.length + 1);
        out[args.length] = last;
        return out;
    }
}
