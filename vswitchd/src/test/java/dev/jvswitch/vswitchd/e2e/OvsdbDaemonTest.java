package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.netns.Hosts;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;
import dev.jvswitch.vswitchd.TestSwitch;

/**
 * jvswitchd under a real, private {@code ovsdb-server} ({@code --db}), configured by
 * {@code ovs-vsctl} as ovs-vswitchd is: host namespaces wired to a switch namespace, jvswitchd
 * there, the database and ovs-vsctl in the test's directory. Each change is checked by traffic
 * between the hosts and by what ovs-vsctl and ovs-appctl read back.
 */
class OvsdbDaemonTest {
    private static final Duration START = Duration.ofSeconds(60);
    /**
     * The chassis' idle strategy: sleep, as a small chassis should run;
     * {@code -Djvs.test.pmdIdle=backoff} runs the OVN tests the old way, to compare.
     */
    private static final String PMD_IDLE = System.getProperty("jvs.test.pmdIdle", "sleep");

    static boolean available() {
        return Hosts.available() && OvsdbServer.available();
    }

    /** jvswitchd in the switch namespace following {@code db}, its run directory {@code dir}; its PMD sleeps when idle. */
    static DaemonProcess daemon(Path dir, String netns, OvsdbServer db) throws IOException {
        TestSwitch.writeConfig(dir, """
                datapath:
                  pmd-idle: %s
                mempool:
                  mbufs: 2048
                control:
                  socket: jvswitchd.sock
                """.formatted(PMD_IDLE));
        return new DaemonProcess(dir.resolve("sw.yaml"), dir.resolve("jvswitchd.sock"), dir)
                .args("--db", db.target(), "--rundir", dir.toString()).start(netns, START);
    }

    @Test
    void ovsVsctlConfiguresTheSwitchAndReadsItsStateBack(@TempDir Path dir) throws Exception {
        Needs.that(available(), "root, ip, ping and Open vSwitch's ovsdb-server, ovsdb-tool, ovs-vsctl");
        try (Hosts hosts = new Hosts()) {
            hosts.host(1);
            hosts.host(2);
            try (OvsdbServer db = OvsdbServer.start(dir); DaemonProcess d = daemon(dir, hosts.sw, db)) {
                Path ctl = dir.resolve("ovs-vswitchd.ctl");
                db.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev");
                db.vsctl("add-port", "br0", "s1");
                db.vsctl("add-port", "br0", "s2");
                assertThat(hosts.ping(1, 2, 3, 0.2).exit()).as("ping h1 -> h2\n" + d.log()).isZero();

                assertThat(db.get("Interface", "s1", "ofport")).isEqualTo("1");
                assertThat(db.get("Interface", "s2", "ofport")).isEqualTo("2");
                assertThat(db.get("Interface", "s1", "mtu")).isEqualTo("1500");
                assertThat(db.get("Interface", "s1", "link_state")).isEqualTo("up");
                assertThat(db.get("Interface", "s1", "admin_state")).isEqualTo("up");
                assertThat(db.get("Interface", "s1", "mac_in_use")).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
                assertThat(Long.parseLong(db.get("Interface", "s1", "ifindex"))).isPositive();
                assertThat(db.get("Interface", "s1", "error")).isEqualTo("[]");
                assertThat(db.get("Interface", "br0", "ofport")).isEqualTo("65534");
                assertThat(db.get("Bridge", "br0", "datapath_id")).matches("[0-9a-f]{16}");
                assertThat(db.vsctl("show")).contains("Port s1", "Port s2", "ovs_version: \"jvswitch");
                assertThat(db.get("Open_vSwitch", ".", "iface_types")).contains("system", "vxlan", "internal", "patch");
                assertThat(d.log()).as("update2 where the server offers it").contains("connected (monitor_cond)");
                assertThat(db.vsctl("list", "Datapath")).contains("recirc=\"true\"", "ct_state=\"true\"",
                        "ct_zone=\"true\"", "ct_zero_snat=\"true\"");

                // VLANs: an access port in VLAN 10 no longer reaches an untagged one, two do.
                db.vsctl("set", "port", "s1", "tag=10");
                assertThat(hosts.ping(1, 2, 1, 0.2).exit()).as("VLAN 10 vs untagged").isNotZero();
                db.vsctl("set", "port", "s2", "tag=10");
                assertThat(hosts.ping(1, 2, 2, 0.2).exit()).as("both in VLAN 10\n" + d.log()).isZero();

                // Bad interfaces: each says why in its error column; the others keep forwarding.
                db.tryVsctl("add-port", "br0", "nodev0");
                db.tryVsctl("add-port", "br0", "g0", "--", "set", "interface", "g0", "type=gre",
                        "options:remote_ip=192.0.2.9");
                assertThat(db.get("Interface", "nodev0", "error"))
                        .isEqualTo("could not open network device nodev0 (No such device)");
                assertThat(db.get("Interface", "nodev0", "ofport")).isEqualTo("-1");
                assertThat(db.get("Interface", "g0", "error")).contains("'gre' is not supported yet");
                assertThat(hosts.ping(1, 2, 2, 0.2).exit()).as("others unaffected").isZero();

                db.vsctl("add-port", "br0", "vx0", "--", "set", "interface", "vx0", "type=vxlan",
                        "options:remote_ip=192.0.2.9", "options:key=100");
                assertThat(db.get("Interface", "vx0", "error")).isEqualTo("[]");
                assertThat(Integer.parseInt(db.get("Interface", "vx0", "ofport"))).isBetween(3, 65279);

                // The OpenFlow channel and datapath tuning.
                db.vsctl("set-controller", "br0", "tcp:127.0.0.1:1");
                db.vsctl("set", "bridge", "br0", "protocols=OpenFlow13");
                assertThat(OvsdbServer.appctl(ctl, "ofconn/show", "br0").output())
                        .contains("tcp:127.0.0.1:1", "protocols OpenFlow13");
                db.vsctl("set", "Open_vSwitch", ".", "other_config:emc-insert-inv-prob=7");
                Await.until(Duration.ofSeconds(10), () -> d.log().contains("reload: datapath tuning changed"),
                        () -> "emc-insert-inv-prob to apply");

                // ovs-appctl: jvsctl's commands, names and output.
                assertThat(OvsdbServer.appctl(ctl, "dpif-netdev/pmd-stats-show").output()).contains("pmd thread");
                assertThat(OvsdbServer.appctl(ctl, "dpctl/dump-flows").output()).contains("in_port(1)");
                assertThat(OvsdbServer.appctl(ctl, "ofproto/trace", "br0", "in_port=1,icmp,dl_vlan=10").output())
                        .contains("Datapath actions");
                assertThat(OvsdbServer.appctl(ctl, "ovs/route/show").exit()).isZero();
                assertThat(OvsdbServer.appctl(ctl, "coverage/show").output()).contains("pmd_rx_packets");
                assertThat(OvsdbServer.appctl(ctl, "list-commands").output()).contains("dpctl/dump-flows");
                assertThat(OvsdbServer.appctl(ctl, "dpif-netdev/pmd-rxq-show").output())
                        .isEqualTo(d.ok("dpif-netdev/pmd-rxq-show"));
                // Log levels through the unixctl socket, as ovs-appctl -t ovs-vswitchd vlog/set.
                assertThat(OvsdbServer.appctl(ctl, "vlog/set", "dpif_netdev:dbg").exit()).isZero();
                assertThat(OvsdbServer.appctl(ctl, "vlog/list").output()).containsPattern("dpif_netdev +DBG");
                assertThat(OvsdbServer.appctl(ctl, "vlog/set", "dpif_netdev:info").exit()).isZero();
                // Without -t, as OVS's own scripts call it: ovs-vswitchd.pid names ovs-vswitchd.PID.ctl.
                Sh.Result plain = Sh.tryRun(java.util.Map.of("OVS_RUNDIR", dir.toString()), "ovs-appctl",
                        "dpif-netdev/pmd-rxq-show");
                assertThat(plain.exit()).as(plain.output()).isZero();
                assertThat(plain.output()).isEqualTo(d.ok("dpif-netdev/pmd-rxq-show"));
                Sh.Result unknown = OvsdbServer.appctl(ctl, "no/such-command");
                assertThat(unknown.exit()).isEqualTo(2);
                assertThat(unknown.output()).contains("unknown command 'no/such-command'");

                // Statistics are written back every few seconds.
                Await.until(Duration.ofSeconds(20), Duration.ofMillis(500),
                        () -> db.vsctl("get", "Interface", "s1", "statistics:rx_packets").trim().matches("[1-9][0-9]*"),
                        () -> "s1's rx_packets in the database");

                db.vsctl("del-port", "s2");
                assertThat(hosts.ping(1, 2, 1, 0.2).exit()).as("s2 gone").isNotZero();
                assertThat(db.vsctl("--columns=name", "list", "Interface")).doesNotContain("\"s2\"");
                assertThat(d.log()).doesNotContain("ERROR");
                assertThat(d.terminate(Duration.ofSeconds(20))).isZero();
            }
        }
    }

    @Test
    void forwardingSurvivesRestartsOfEitherSide(@TempDir Path dir) throws Exception {
        Needs.that(available(), "root, ip, ping and Open vSwitch's ovsdb-server, ovsdb-tool, ovs-vsctl");
        try (Hosts hosts = new Hosts()) {
            hosts.host(1);
            hosts.host(2);
            hosts.host(3);
            try (OvsdbServer db = OvsdbServer.start(dir)) {
                try (DaemonProcess d = daemon(dir, hosts.sw, db)) {
                    db.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev", "--",
                            "add-port", "br0", "s1", "--", "add-port", "br0", "s2");
                    assertThat(hosts.ping(1, 2, 2, 0.2).exit()).as("before\n" + d.log()).isZero();
                    // ovsdb-server goes away and comes back while traffic flows.
                    CompletableFuture<Sh.Result> ping = CompletableFuture.supplyAsync(() -> hosts.ping(1, 2, 60, 0.05));
                    db.stopServer();
                    db.startServer();
                    db.vsctl("add-port", "br0", "s3");
                    Sh.Result during = ping.get(60, TimeUnit.SECONDS);
                    assertThat(during.output()).as(during.output()).contains("60 packets transmitted, 60 received");
                    assertThat(hosts.ping(1, 3, 2, 0.2).exit()).as("s3 added after the resync\n" + d.log()).isZero();
                    assertThat(d.log()).contains("connection lost");
                    assertThat(d.terminate(Duration.ofSeconds(20))).isZero();
                }
                // A new jvswitchd rebuilds everything from the database, with the same numbers.
                try (DaemonProcess d = daemon(dir, hosts.sw, db)) {
                    Await.until(Duration.ofSeconds(20), () -> hosts.ping(1, 3, 1, 0.2).exit() == 0,
                            () -> "h1 -> h3 after the restart\n" + d.log());
                    assertThat(hosts.ping(1, 2, 2, 0.2).exit()).isZero();
                    assertThat(db.get("Interface", "s1", "ofport")).isEqualTo("1");
                    assertThat(db.get("Interface", "s2", "ofport")).isEqualTo("2");
                    assertThat(db.get("Interface", "s3", "ofport")).isEqualTo("3");
                    // One switch per database.
                    Process second = new ProcessBuilder(DaemonProcess.javaCommand("dev.jvswitch.vswitchd.Jvswitchd",
                            "--config", dir.resolve("sw.yaml").toString(), "--db", db.target(), "--rundir",
                            dir.toString())).redirectErrorStream(true).start();
                    second.getOutputStream().close();
                    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
                    String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(second.exitValue()).as(out).isEqualTo(1);
                    assertThat(out).contains("another vswitchd serves " + db.target());
                    assertThat(d.terminate(Duration.ofSeconds(20))).isZero();
                }
            }
        }
    }

    /**
     * Two bridges joined by patch ports, each with its own internal port (a TAP device the
     * switch makes in its namespace): h1 on br0 reaches h2 on br1 through the patch, and the
     * host's stack, on br1's own device, answers h1 across both bridges; a second internal port
     * is a separate device on the bridge.
     */
    @Test
    void internalAndPatchPorts(@TempDir Path dir) throws Exception {
        Needs.that(available(), "root, ip, ping and Open vSwitch's ovsdb-server, ovsdb-tool, ovs-vsctl");
        try (Hosts hosts = new Hosts()) {
            hosts.host(1);
            hosts.host(2);
            try (OvsdbServer db = OvsdbServer.start(dir); DaemonProcess d = daemon(dir, hosts.sw, db)) {
                db.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev", "--",
                        "add-br", "br1", "--", "set", "bridge", "br1", "datapath_type=netdev");
                db.vsctl("add-port", "br0", "s1", "--", "add-port", "br1", "s2");
                db.vsctl("add-port", "br0", "patch-br1", "--", "set", "interface", "patch-br1", "type=patch",
                        "options:peer=patch-br0", "--", "add-port", "br1", "patch-br0", "--", "set", "interface",
                        "patch-br0", "type=patch", "options:peer=patch-br1");
                assertThat(hosts.ping(1, 2, 3, 0.2).exit()).as("h1 -> h2 across the patch\n" + d.log()).isZero();
                assertThat(db.get("Interface", "patch-br1", "error")).isEqualTo("[]");
                // Patch ports are OpenFlow ports too, as ovs-ofctl show lists them.
                assertThat(d.ok("ofctl/show", "br0")).containsPattern(" \\d+\\(patch-br1\\): addr:.*\n.*\n +state: +LIVE");
                assertThat(Integer.parseInt(db.get("Interface", "patch-br1", "ofport"))).isPositive();
                assertThat(db.get("Interface", "br1", "ofport")).isEqualTo("65534");
                // One translation crosses both bridges, as OVS's patch ports do: br1's tables run on
                // br0's packet, and the datapath actions output to s2 directly.
                String trace = d.ok("ofproto/trace", "br0", "in_port=" + db.get("Interface", "s1", "ofport")
                        + ",dl_dst=ff:ff:ff:ff:ff:ff");
                assertThat(trace).as(trace).contains("bridge(\"br1\")").containsPattern("Datapath actions: .*\\d")
                        .doesNotContain("recirc(");

                // br1's own device: the host stack on it answers h1 through br0, the patch and br1.
                Sh.run("ip", "-n", hosts.sw, "addr", "add", "10.77.0.100/24", "dev", "br1");
                Sh.run("ip", "-n", hosts.sw, "link", "set", "br1", "up");
                Await.until(Duration.ofSeconds(10), () -> db.get("Interface", "br1", "link_state").equals("up"),
                        () -> "br1's link_state\n" + d.log());
                assertThat(Sh.tryInNs(hosts.hostNs(1), "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", "10.77.0.100")
                        .exit()).as("h1 -> br1's own device\n" + d.log()).isZero();
                assertThat(db.get("Interface", "br1", "mac_in_use")).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
                assertThat(Long.parseLong(db.get("Interface", "br1", "ifindex"))).isPositive();

                // Another internal port: its own device, reachable too.
                db.vsctl("add-port", "br0", "vif0", "--", "set", "interface", "vif0", "type=internal");
                // Its admin_state is the device's: down until the host brings it up, as with OVS.
                Await.until(Duration.ofSeconds(10), () -> db.get("Interface", "vif0", "admin_state").equals("down"),
                        () -> "vif0's admin_state down\n" + d.log());
                Sh.run("ip", "-n", hosts.sw, "addr", "add", "10.77.0.101/24", "dev", "vif0");
                Sh.run("ip", "-n", hosts.sw, "link", "set", "vif0", "up");
                Await.until(Duration.ofSeconds(15), () -> db.get("Interface", "vif0", "admin_state").equals("up"),
                        () -> "vif0's admin_state up\n" + d.log());
                Await.until(Duration.ofSeconds(10), () -> Sh.tryInNs(hosts.hostNs(2), "ping", "-n", "-c", "1", "-W", "1",
                        "10.77.0.101").exit() == 0, () -> "h2 -> vif0\n" + d.log());

                // The bridge's own device takes other_config:hwaddr as its MAC, as OVS's does.
                db.vsctl("set", "bridge", "br0", "other_config:hwaddr=02:00:00:00:ab:01");
                Await.until(Duration.ofSeconds(15), () -> db.get("Interface", "br0", "mac_in_use")
                        .equals("02:00:00:00:ab:01"), () -> "br0's hwaddr\n" + d.log());
                assertThat(Sh.run("ip", "-n", hosts.sw, "link", "show", "br0")).contains("02:00:00:00:ab:01");

                // Unjoined: the patch has no peer any more, h1 no longer reaches h2.
                db.vsctl("del-port", "patch-br0");
                assertThat(hosts.ping(1, 2, 2, 0.2).exit()).as("patch cut").isNotZero();
                assertThat(d.ok("ofctl/show", "br0")).containsPattern("\\(patch-br1\\): addr:.*\n.*\n +state: +LINK_DOWN");
                db.vsctl("del-port", "vif0");
                assertThat(Sh.tryRun("ip", "-n", hosts.sw, "link", "show", "vif0").exit()).as("vif0's device is gone")
                        .isNotZero();
                assertThat(d.log()).doesNotContain("ERROR");
                assertThat(d.terminate(Duration.ofSeconds(20))).isZero();
            }
        }
    }
}
