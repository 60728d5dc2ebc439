package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * restarted), VXLAN encapsulation, then back on Geneve: an ACL-log meter that ovn-controller
 * installs on both chassis and that drops over its rate, a load balancer whose VIP reaches
 * backends on both chassis, OVN's native DHCP giving a VIF on jvswitchd its address, and last a
 * third chassis running jvswitchd (jvswitch to jvswitch over Geneve). Figures (time to first
 * ping, flows, Mbit/s, reconvergence) are printed with the load.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OvnTwoChassisTest {
    private static final int TCP_BYTES = 4 << 20;
    private static final int FLOOD = 200;
    private static final int LB_CONNECTIONS = 20;
    /** Accepts connections on 0.0.0.0:8080 for 60 s and answers each with argv[1] (the backend's name). */
    private static final String NAME_SERVER = "import socket, sys\ns = socket.socket()\n"
            + "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\ns.bind(('0.0.0.0', 8080))\ns.listen(64)\n"
            + "s.settimeout(60)\nwhile True:\n    c, _ = s.accept()\n    c.sendall(sys.argv[1].encode() + b'\\n')\n"
            + "    c.close()\n";
    /** argv[3] connections to argv[1]:argv[2], one after another; prints what each was answered (or its error). */
    private static final String NAME_CLIENT = "import socket, sys\nfor i in range(int(sys.argv[3])):\n"
            + "    try:\n        c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2)\n"
            + "        print(c.makefile().readline().strip(), flush=True)\n        c.close()\n"
            + "    except OSError as e:\n        print('error', e, flush=True)\n";
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
     * would); the southbound ovsdb-server restarted; the encap IP taken away and put back only
     * after pa's pings found no route (and no neighbour). After each the network converges again
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

        // The encap address comes back only after tunnel traffic found no route (as when a
        // restarted daemon's first packet beats the host's network configuration): the megaflow
        // that dropped it now misses the next hop and, kept alive by the pings, sends no upcall;
        // the next hop must still be asked for.
        Path ctl = net.rundir("a").resolve("ovs-vswitchd.ctl");
        Sh.inNs(net.nsA, "ip", "addr", "del", OvnTwoChassis.A_UNDERLAY + "/24", "dev", "br-phy");
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(20),
                () -> !OvsdbServer.appctl(ctl, "ovs/route/show").output().contains("192.0.2.0/24"),
                () -> "jvswitchd to drop br-phy's route\n" + OvsdbServer.appctl(ctl, "ovs/route/show").output());
        assertThat(OvsdbServer.appctl(ctl, "tnl/neigh/flush").exit()).isZero();
        assertThat(net.ping("pa", "10.0.0.2", 2).output()).as("no route, no ping").contains("100% packet loss");
        t0 = System.nanoTime();
        OvnTwoChassis.encapAddress(net.nsA, OvnTwoChassis.A_UNDERLAY);
        double late = net.awaitPing("pa", "10.0.0.2", t0, "the encap address put back after the traffic");
        report("faults: ovn-controller killed -> flows committed again and ping %.2f s after its restart;"
                + " jvswitchd restarted -> running after %.2f s, ping %.2f s after its start (ovn-controller"
                + " reconnects with its backoff); SB ovsdb-server restarted -> both chassis caught up"
                + " (nbctl --wait=hv sync) %.2f s after; encap address put back after unrouted traffic -> ping"
                + " %.2f s after", controller, started, daemon, sb, late);
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

    /**
     * An ACL that logs pa's and pb's ICMP through a meter of 10 packets a second (burst 5):
     * ovn-controller installs the meter on both chassis (the same in {@code dump-meters}) and
     * the log action's {@code controller(...,meter_id=N)}; a flood of echo requests both ways
     * reaches each chassis's meter, which drops what is over the rate ({@code meter-stats}
     * counts it on the band) and each ovn-controller logs only what passed.
     */
    @Test
    @Order(7)
    void anAclLogMeterIsInstalledAndDropsOverItsRateOnBothChassis() throws Exception {
        backToGeneve();
        net.central.nbctl("meter-add", "acl-log", "drop", "10", "pktps", "5");
        net.central.nbctl("--log", "--meter=acl-log", "--name=icmp-log", "--severity=info", "acl-add", "sw0",
                "from-lport", "1010", "icmp4", "allow");
        try {
            net.central.nbctl("--wait=hv", "sync");
            String[] meters = new String[2];
            for (int i = 0; i < 2; i++) {
                String c = i == 0 ? "a" : "b";
                Await.until(OvnTwoChassis.CONVERGE, Duration.ofMillis(100),
                        () -> ofctl(c, "dump-meters").contains("type=drop rate=10 burst_size=5"),
                        () -> "ovn-controller to install the meter on chassis " + c + "\n" + net.logs());
                meters[i] = ofctl(c, "dump-meters").lines().filter(l -> l.startsWith("meter=") || l.startsWith("type="))
                        .collect(java.util.stream.Collectors.joining(" "));
            }
            assertThat(meters[0]).as("the meter on jvswitchd vs OVS").isEqualTo(meters[1]);
            String meterId = meters[0].replaceAll("^meter=(\\d+) .*", "$1");
            assertThat(OvnChassisTest.dumpFlows(net.dirA)).contains("meter_id=" + meterId);
            int[] logsBefore = {aclLogs("a"), aclLogs("b")};
            long[] dropsBefore = {bandDrops("a", meterId), bandDrops("b", meterId)};
            long t0 = System.nanoTime();
            Sh.Result flood = Sh.tryInNs(net.vif("pa").ns(), "ping", "-n", "-q", "-c", Integer.toString(FLOOD),
                    "-i", "0.01", "-W", "2", "10.0.0.2");
            double seconds = (System.nanoTime() - t0) / 1e9;
            int replies = received(flood);
            assertThat(replies).as("the ACL allows ICMP: the meter limits only its log\n%s", flood.output())
                    .isGreaterThan(FLOOD / 2);
            // Requests are logged on pa's chassis (jvswitchd), replies on pb's (OVS).
            long most = 5 + (long) Math.ceil(10 * seconds) + 10;
            for (int i = 0; i < 2; i++) {
                String c = i == 0 ? "a" : "b";
                int sent = i == 0 ? FLOOD : replies;
                int before = logsBefore[i];
                String what = "chassis " + c + ": ";
                long dropped = bandDrops(c, meterId) - dropsBefore[i];
                Await.until(Duration.ofSeconds(10), Duration.ofMillis(100), () -> aclLogs(c) > before,
                        () -> what + "ovn-controller logged nothing\n" + net.logs());
                int logged = aclLogs(c) - before;
                assertThat(dropped).as(what + "the band dropped what was over the rate").isBetween(sent - most,
                        (long) FLOOD);
                assertThat(logged).as(what + "ovn-controller logged what the meter passed").isBetween(1,
                        (int) most);
            }
            report("meter: acl-log (10 pktps, burst 5) as %s on both chassis; %d echo requests in %.2f s, dropped"
                    + " by the band: jvswitchd %d, ovs-vswitchd %d; logged by ovn-controller: %d, %d", meters[0],
                    FLOOD, seconds, bandDrops("a", meterId) - dropsBefore[0], bandDrops("b", meterId) - dropsBefore[1],
                    aclLogs("a") - logsBefore[0], aclLogs("b") - logsBefore[1]);
            noErrors();
        } finally {
            net.central.nbctl("acl-del", "sw0", "from-lport", "1010", "icmp4");
            net.central.nbctl("meter-del", "acl-log");
        }
    }

    /**
     * Load balancer lb0 on both switches, VIP 172.16.0.100:80 (reached through each host's
     * default route, the router) with a backend on each chassis: pb (10.0.0.2, OVS) and pd
     * (10.0.1.3, jvswitchd). pa's connections (from jvswitchd) and pc's (from OVS) to the VIP
     * are spread over both backends (ovn-controller's select group) and the replies come back
     * from the VIP (the TCP connection to it completes); both chassis hold the same number of flows.
     */
    @Test
    @Order(8)
    void aLoadBalancerVipReachesBackendsOnBothChassis() throws Exception {
        net.central.nbctl("lb-add", "lb0", "172.16.0.100:80", "10.0.0.2:8080,10.0.1.3:8080", "tcp");
        net.central.nbctl("ls-lb-add", "sw0", "lb0");
        net.central.nbctl("ls-lb-add", "sw1", "lb0");
        List<Process> servers = new java.util.ArrayList<>();
        try {
            net.central.nbctl("--wait=hv", "sync");
            for (String b : List.of("pb", "pd")) {
                servers.add(new ProcessBuilder(Sh.nsCommand(net.vif(b).ns(), "python3", "-c", NAME_SERVER, b))
                        .redirectErrorStream(true).start());
            }
            for (String b : List.of("pb", "pd")) {
                Await.until(Duration.ofSeconds(20), Duration.ofMillis(50), () -> !Sh.tryInNs(net.vif(b).ns(), "ss",
                        "-Hltn", "sport = :8080").output().isBlank(), () -> b + "'s server to listen");
            }
            StringBuilder figures = new StringBuilder();
            for (String client : List.of("pa", "pc")) {
                String[] got = {""};
                // Until a first connection passes: how many tried, and what the first one met.
                String[] firstError = {null};
                int[] tries = {0};
                long t0 = System.nanoTime();
                Await.until(OvnTwoChassis.CONVERGE, Duration.ofMillis(100), () -> {
                    got[0] = Sh.tryInNs(net.vif(client).ns(), "python3", "-c", NAME_CLIENT, "172.16.0.100", "80",
                            "1").output();
                    tries[0]++;
                    if (firstError[0] == null && !got[0].startsWith("p")) {
                        firstError[0] = got[0].trim();
                    }
                    return got[0].startsWith("p");
                }, () -> client + "'s first connection to the VIP: " + got[0] + "\n" + net.logs());
                double first = (System.nanoTime() - t0) / 1e9;
                String names = Sh.tryInNs(net.vif(client).ns(), "python3", "-c", NAME_CLIENT, "172.16.0.100", "80",
                        Integer.toString(LB_CONNECTIONS)).output();
                List<String> answered = names.lines().map(String::trim).toList();
                String diag = client + "'s connections to the VIP\n--- groups a ---\n" + ofctl("a", "dump-groups")
                        + "\n--- groups b ---\n" + ofctl("b", "dump-groups") + "\n--- megaflows a ---\n"
                        + net.jvs.ok("dpctl/dump-flows");
                assertThat(answered).as("every one answered by a backend: %s", diag).hasSize(LB_CONNECTIONS)
                        .allMatch(n -> n.equals("pb") || n.equals("pd"));
                assertThat(answered).as("backends on both chassis: %s", diag).contains("pb", "pd");
                figures.append(String.format("; %s (%s) first through the VIP %.2f s after the servers listened"
                        + " (%d tries, the first: %s), %d connections: pb %d, pd %d", client,
                        client.equals("pa") ? "jvswitchd" : "OVS", first, tries[0],
                        firstError[0] == null ? "passed" : firstError[0], LB_CONNECTIONS, answered.stream().filter("pb"::equals).count(),
                        answered.stream().filter("pd"::equals).count()));
            }
            int flowsA = net.flows("a");
            int flowsB = net.flows("b");
            report("lb: flows jvswitchd %d, ovs-vswitchd %d%s", flowsA, flowsB, figures);
            assertThat(flowsA).as("flows ovn-controller installed on jvswitchd vs OVS").isEqualTo(flowsB);
            noErrors();
        } finally {
            servers.forEach(Process::destroy);
            for (String sw : List.of("sw0", "sw1")) {
                net.central.nbctl("--if-exists", "ls-lb-del", sw, "lb0");
            }
            net.central.nbctl("--if-exists", "lb-del", "lb0");
        }
    }

    /**
     * pe, a new VIF on jvswitchd with no address, gets 10.0.0.5/24 from OVN's native DHCP (a
     * DISCOVER/OFFER, REQUEST/ACK client in its namespace): each DHCP message is a
     * {@code controller(userdata=..,pause)} packet-in to ovn-controller and its answer an
     * NXT_RESUME that jvswitchd's pipeline sends back to pe. With that address pe pings pb on
     * the OVS chassis.
     */
    @Test
    @Order(9)
    void ovnNativeDhcpGivesAVifOnJvswitchdItsAddress() throws Exception {
        OvnTwoChassis.Vif pe = net.host("pe", "10.0.0.5", null);
        net.plug("pe", "a");
        Sh.inNs(pe.ns(), "ip", "addr", "flush", "dev", "eth0");
        String opts = net.central.nbctl("create", "DHCP_Options", "cidr=10.0.0.0/24").trim();
        net.central.nbctl("dhcp-options-set-options", opts, "lease_time=3600", "router=10.0.0.254",
                "server_id=10.0.0.254", "server_mac=c0:ff:ee:00:00:01");
        long t0 = System.nanoTime();
        net.central.nbctl("lsp-add", "sw0", "pe", "--", "lsp-set-addresses", "pe", pe.mac() + " " + pe.ip(), "--",
                "lsp-set-dhcpv4-options", "pe", opts);
        Path script = dir.resolve("dhcp_client.py");
        try (java.io.InputStream in = OvnChassisTest.class.getResourceAsStream("dhcp_discover.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        String[] lease = {""};
        Await.until(OvnTwoChassis.CONVERGE, Duration.ofMillis(100), () -> {
            Sh.Result r = Sh.tryInNs(pe.ns(), "python3", script.toString(), "eth0", pe.mac(), "3", "request");
            lease[0] = r.output();
            return r.exit() == 0;
        }, () -> "a DHCP lease for pe: " + lease[0] + "\n" + net.logs());
        double leased = (System.nanoTime() - t0) / 1e9;
        assertThat(lease[0]).contains("offer 10.0.0.5 router=10.0.0.254 lease=3600 server=10.0.0.254")
                .contains("ack 10.0.0.5/24 router=10.0.0.254 lease=3600 server=10.0.0.254");
        Sh.inNs(pe.ns(), "ip", "addr", "add", "10.0.0.5/24", "dev", "eth0");
        Sh.inNs(pe.ns(), "ip", "route", "add", "default", "via", "10.0.0.254");
        double first = net.awaitPing("pe", "10.0.0.2", t0, "pe with its DHCP address");
        noLoss(net.ping("pe", "10.0.0.2", 3));
        noLoss(net.ping("pb", "10.0.0.5", 3));
        noLoss(net.ping("pe", "10.0.1.2", 3));
        report("dhcp: pe on jvswitchd leased 10.0.0.5 (OFFER and ACK through controller(pause) and NXT_RESUME)"
                + " %.2f s after lsp-add, pinged pb on OVS %.2f s after", leased, first);
        noErrors();
    }

    /**
     * Chassis C, a second jvswitchd, joins the network ({@link OvnTwoChassis#addJvswitchChassis});
     * pf on it pings pa on chassis A and pb on OVS, and 4 MiB TCP goes both ways between C and A:
     * jvswitch to jvswitch over Geneve, tunnel ports made by both ovn-controllers.
     */
    @Test
    @Order(10)
    void aSecondJvswitchChassisTalksToTheFirstOverGeneve() throws Exception {
        long t0 = System.nanoTime();
        net.addJvswitchChassis("geneve");
        double joined = (System.nanoTime() - t0) / 1e9;
        OvnTwoChassis.Vif pf = net.host("pf", "10.0.0.6", null);
        net.plug("pf", "c");
        t0 = System.nanoTime();
        net.central.nbctl("lsp-add", "sw0", "pf", "--", "lsp-set-addresses", "pf", pf.mac() + " " + pf.ip());
        double first = net.awaitPing("pf", "10.0.0.1", t0, "pf on chassis c");
        assertThat(tunnel("a", "jvs-c")).isEqualTo("geneve");
        assertThat(tunnel("c", "jvs-a")).isEqualTo("geneve");
        noLoss(net.ping("pf", "10.0.0.1", 5));
        noLoss(net.ping("pa", "10.0.0.6", 5));
        // C's first packet to B's underlay address waits for ARP (dropped meanwhile, as on OVS).
        net.awaitPing("pf", "10.0.0.2", System.nanoTime(), "pf on chassis c to pb on OVS");
        noLoss(net.ping("pf", "10.0.0.2", 3));
        noLoss(net.ping("pb", "10.0.0.6", 3));
        double ca = tcp("pa", "pf");
        double ac = tcp("pf", "pa");
        report("third chassis: jvswitchd c joined in %.2f s; pf pings pa %.2f s after lsp-add; 4 MiB TCP C->A"
                + " %.0f Mbit/s, A->C %.0f Mbit/s; flows jvswitchd a %d, jvswitchd c %d", joined, first, ca, ac,
                net.flows("a"), net.flows("c"));
        noErrors();
        assertThat(OvnChassisTest.errorsSent(net.jvsC.log())).as("error replies jvswitchd c sent").isEmpty();
        assertThat(OvnChassisTest.log(net.ovnC)).doesNotContain("OpenFlow error");
        assertThat(net.jvsC.log()).doesNotContain("ERROR");
    }

    /** Both chassis back on Geneve (after the VXLAN case) and pa pinging pb. */
    private static void backToGeneve() {
        long t0 = System.nanoTime();
        net.encap("geneve");
        for (String c : List.of("a", "b")) {
            Await.until(OvnTwoChassis.CONVERGE, Duration.ofMillis(50), () -> "geneve".equals(tunnelType(c)),
                    () -> "a geneve tunnel port on chassis " + c + "\n" + net.logs());
        }
        net.awaitPing("pa", "10.0.0.2", t0, "back on Geneve");
    }

    /** ovs-ofctl -O OpenFlow15 COMMAND br-int against chassis {@code c}'s switch. */
    private static String ofctl(String c, String command) {
        Sh.Result r = Sh.tryRun(Map.of("OVS_RUNDIR", net.rundir(c).toString()), "ovs-ofctl", "-O", "OpenFlow15",
                command, "br-int");
        if (r.exit() != 0) {
            throw new AssertionError("ovs-ofctl " + command + " br-int on chassis " + c + ": " + r.output());
        }
        return r.output();
    }

    /** What meter {@code id}'s drop band on chassis {@code c} has dropped (meter-stats). */
    private static long bandDrops(String c, String id) {
        String stats = ofctl(c, "meter-stats");
        Matcher m = Pattern.compile("meter:" + id + " flow_count:\\d+ packet_in_count:\\d+ byte_in_count:\\d+"
                + " duration:[0-9.]+s bands:\n0: packet_count:(\\d+)").matcher(stats);
        assertThat(m.find()).as("meter %s's stats on chassis %s: %s", id, c, stats).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** The ACL log lines of ACL "icmp-log" in chassis {@code c}'s ovn-controller log. */
    private static int aclLogs(String c) {
        Matcher m = Pattern.compile("acl_log.*name=\"icmp-log\"").matcher(OvnChassisTest.log(net.ovnDir(c)));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** The replies counted in ping's summary line. */
    private static int received(Sh.Result ping) {
        Matcher m = Pattern.compile("(\\d+) received").matcher(ping.output());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** The type of chassis {@code c}'s tunnel port to chassis {@code peer} (its system-id), or "". */
    private static String tunnel(String c, String peer) {
        Sh.Result r = net.db(c).tryVsctl("--bare", "--columns=type", "find", "Interface", "name=ovn-" + peer + "-0");
        return r.exit() == 0 ? r.output().trim() : "";
    }

    /** The type of chassis {@code c}'s tunnel port to the other chassis, or "" if there is none. */
    private static String tunnelType(String c) {
        // ovn-controller names it "ovn-" + the remote chassis's id + "-0".
        return tunnel(c, c.equals("a") ? "ovs-b" : "jvs-a");
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
