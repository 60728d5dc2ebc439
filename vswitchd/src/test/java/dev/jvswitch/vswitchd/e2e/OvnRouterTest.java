package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.netns.Hosts;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/**
 * An OVN logical router on one jvswitch chassis: two logical switches, sw0 (10.77.0.0/24) and
 * sw1 (10.78.0.0/24), joined by router lr0 through router-type switch ports, one VIF on each. The
 * packaged ovn-controller programs jvswitchd; the router's flows (its ARP responder, IP routing,
 * TTL decrement, MAC rewrite, the static MAC bindings of the known VIF addresses) run in
 * jvswitch's tables, so h1 pings h2 across subnets with nothing but a default route to the
 * router's port. One refused flow mod would make ovn-controller resync and break the network, so
 * the test also asserts that none was refused.
 */
class OvnRouterTest {
    private static final Duration CONVERGE = Duration.ofSeconds(90);
    /** Error replies jvswitchd may send ovn-controller: none (it resyncs on any). */
    private static final Set<String> EXPECTED_ERRORS = Set.of();

    @Test
    void twoLogicalSwitchesPingThroughALogicalRouter(@TempDir Path dir) throws Exception {
        routerPings(dir, false);
    }

    /**
     * h2's port has the address {@code unknown}: the router has no static binding for 10.78.0.2
     * and must find it. Its {@code arp} action pauses the packet to ovn-controller's pinctrl, which
     * sends the ARP request back as an OpenFlow 1.5 packet-out with the logical metadata and the
     * nested actions; h2's reply hits {@code put_arp}, a packet-in from which pinctrl writes a
     * MAC_Binding to the southbound database, and ovn-controller turns that into the flow the
     * next packets are routed by.
     */
    @Test
    void theRouterResolvesAnUnknownAddressByArpAndLearnsIt(@TempDir Path dir) throws Exception {
        routerPings(dir, true);
    }

    private void routerPings(Path dir, boolean p2Unknown) throws Exception {
        Needs.that(OvsdbDaemonTest.available() && OvnCentral.available() && Sh.onPath("ovs-ofctl"),
                "root, ip, ping, Open vSwitch's ovsdb-server/ovs-vsctl/ovs-ofctl and OVN's ovn-central and ovn-host");
        try (Hosts hosts = new Hosts()) {
            hosts.host(1);
            hosts.host(2);
            String h1 = hosts.hostNs(1);
            String h2 = hosts.hostNs(2);
            Sh.inNs(h2, "ip", "addr", "flush", "dev", "eth0");
            Sh.inNs(h2, "ip", "addr", "add", "10.78.0.2/24", "dev", "eth0");
            Sh.inNs(h1, "ip", "route", "add", "default", "via", "10.77.0.254");
            Sh.inNs(h2, "ip", "route", "add", "default", "via", "10.78.0.254");
            Path chassis = dir.resolve("chassis");
            Files.createDirectories(chassis);
            try (OvnCentral central = OvnCentral.start(dir.resolve("central"));
                    OvsdbServer db = OvsdbServer.start(chassis);
                    DaemonProcess d = OvsdbDaemonTest.daemon(chassis, hosts.sw, db)) {
                db.vsctl("--no-wait", "set", "Open_vSwitch", ".", "external_ids:system-id=jvs-hv1",
                        "external_ids:ovn-remote=" + central.sbTarget(), "external_ids:ovn-encap-type=geneve",
                        "external_ids:ovn-encap-ip=127.0.0.1", "external_ids:ovn-bridge-datapath-type=netdev");
                Path ovnDir = dir.resolve("ovn-controller");
                central.controller(db, chassis, ovnDir);
                Await.until(CONVERGE, () -> db.tryVsctl("br-exists", "br-int").exit() == 0,
                        () -> "ovn-controller to create br-int\n" + OvnChassisTest.log(ovnDir));
                for (int n = 1; n <= 2; n++) {
                    db.vsctl("add-port", "br-int", "s" + n, "--", "set", "interface", "s" + n,
                            "external_ids:iface-id=p" + n);
                }
                long t0 = System.nanoTime();
                central.nbctl("lr-add", "lr0");
                for (int n = 0; n <= 1; n++) {
                    String net = "10." + (77 + n) + ".0.";
                    central.nbctl("ls-add", "sw" + n);
                    central.nbctl("lrp-add", "lr0", "lrp" + n, "00:00:00:00:ff:0" + (n + 1), net + "254/24");
                    central.nbctl("lsp-add", "sw" + n, "sw" + n + "-lr0", "--", "lsp-set-type", "sw" + n + "-lr0",
                            "router", "--", "lsp-set-addresses", "sw" + n + "-lr0", "router", "--",
                            "lsp-set-options", "sw" + n + "-lr0", "router-port=lrp" + n);
                    central.nbctl("lsp-add", "sw" + n, "p" + (n + 1), "--", "lsp-set-addresses", "p" + (n + 1),
                            p2Unknown && n == 1 ? "unknown" : hosts.mac(n + 1) + " " + net + (n + 1));
                }
                String[] last = {""};
                Await.until(CONVERGE, Duration.ofMillis(50), () -> {
                    Sh.Result r = Sh.tryInNs(h1, "ping", "-n", "-c", "1", "-W", "1", "10.78.0.2");
                    last[0] = r.output();
                    return r.exit() == 0;
                }, () -> "a first routed ping h1 -> h2: " + last[0] + "\n" + OvnChassisTest.log(ovnDir)
                        + "\n--- jvswitchd ---\n" + d.log());
                double firstPingS = (System.nanoTime() - t0) / 1e9;
                int flows = OvnChassisTest.stableFlowCount(chassis);
                java.util.regex.Matcher commit = java.util.regex.Pattern.compile(
                        "bundle of (\\d+) messages committed in (\\d+) us").matcher(d.log());
                while (commit.find()) {
                    System.out.printf("OvnRouterTest: bundle of %s messages committed in %s us%n", commit.group(1),
                            commit.group(2));
                }
                System.out.printf("OvnRouterTest: %d OpenFlow flows installed by ovn-controller; first routed ping"
                        + " %.2f s after lr-add%s (load %s)%n", flows, firstPingS, p2Unknown ? ", h2 learnt by ARP" : "",
                        Files.readString(Path.of("/proc/loadavg")).trim());

                Sh.Result there = Sh.tryInNs(h1, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", "10.78.0.2");
                assertThat(there.exit()).as("ping h1 -> h2 through lr0: " + there.output()).isZero();
                // Linux answers with TTL 64; the router decrements it once on the way back.
                assertThat(there.output()).as("the reply crossed one router hop").contains("ttl=63");
                Sh.Result back = Sh.tryInNs(h2, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", "10.77.0.1");
                assertThat(back.exit()).as("ping h2 -> h1 through lr0: " + back.output()).isZero();
                // The router answers a ping to its own address (its flows swap the addresses and
                // rewrite the ICMP type: set(icmp(type=0,code=0)) in the datapath).
                for (String[] gw : new String[][] {{h1, "10.77.0.254"}, {h2, "10.78.0.254"}, {h1, "10.78.0.254"}}) {
                    Sh.Result r = Sh.tryInNs(gw[0], "ping", "-n", "-c", "2", "-i", "0.2", "-W", "2", gw[1]);
                    assertThat(r.exit()).as("ping " + gw[1] + " from " + gw[0] + ": " + r.output()).isZero();
                }
                // The router's port answered h1's ARP for the gateway, with the address lrp0 has.
                assertThat(Sh.inNs(h1, "ip", "neigh", "show", "10.77.0.254")).as("h1 learnt its gateway by ARP")
                        .contains("00:00:00:00:ff:01");
                // Routed packets arrive from the router's MAC on sw1, not from h1's.
                assertThat(Sh.inNs(h2, "ip", "neigh", "show", "10.78.0.254")).as("h2 learnt its gateway")
                        .contains("00:00:00:00:ff:02");

                if (!p2Unknown) {
                    // OVS 3.1 with OVN 23.03 holds 434 flows for this network.
                    assertThat(flows).as("flows ovn-controller installed (OVS 3.1: 434)").isBetween(420, 450);
                }
                if (p2Unknown) {
                    String bindings = central.sbctl("--columns=ip,mac", "list", "MAC_Binding");
                    assertThat(bindings).as("the MAC binding pinctrl learnt").contains("10.78.0.2")
                            .contains(hosts.mac(2));
                }
                assertThat(OvnChassisTest.errorsSent(d.log())).as("error replies jvswitchd sent\n" + d.log())
                        .isSubsetOf(EXPECTED_ERRORS);
                String ovnLog = OvnChassisTest.log(ovnDir);
                assertThat(ovnLog).as("ovn-controller heard no OpenFlow error").doesNotContain("OpenFlow error");
                assertThat(ovnLog).as("ovn-controller never dropped its connection").doesNotContain("disconnecting");
            }
        }
    }
}
