package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.netns.Hosts;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;
import dev.jvswitch.testkit.env.Needs;

/**
 * {@code ovs-testcontroller} (Open vSwitch's learning-switch controller) programming jvswitch in
 * active mode: hosts in namespaces ping each other through flows the controller installs from
 * packet-ins and packet-outs; with the controller killed, fail-mode secure forwards nothing new
 * while standalone falls back to NORMAL; restarted, the controller is reconnected to (OVS's
 * backoff, at most 8 s) and programs the switch again.
 */
@Tag("netns")
class ControllerPingTest {
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private SwitchedHosts net;
    private Hosts hosts;
    private Process controller;

    @BeforeEach
    void setUp() {
        Needs.that(Sh.onPath("ovs-testcontroller"), "ovs-testcontroller (openvswitch-testcontroller)");
        net = SwitchedHosts.create(dir);
        hosts = net.hosts;
    }

    @AfterEach
    void tearDown() {
        stopController();
        if (net != null) {
            net.close();
        }
    }

    private String config(String failMode) {
        return """
                datapath:
                  pmd-idle: backoff
                  max-idle: 10000
                mempool:
                  mbufs: 2048
                bridges:
                  br0:
                    ports:
                      h1: {type: afpacket, ofport: 1, options: {ifname: s1}}
                      h2: {type: afpacket, ofport: 2, options: {ifname: s2}}
                    flows: []
                    controller: unix:ctl.sock
                    fail-mode: %s
                    inactivity-probe: 2000
                control:
                  socket: jvswitchd.sock
                """.formatted(failMode);
    }

    private void startController() throws IOException {
        controller = new ProcessBuilder("ovs-testcontroller", "-vconsole:warn", "--unixctl="
                + dir.resolve("tc.ctl"), "punix:" + dir.resolve("ctl.sock")).redirectErrorStream(true)
                .redirectOutput(dir.resolve("testcontroller.log").toFile()).start();
        controller.getOutputStream().close();
    }

    private void stopController() {
        if (controller != null) {
            controller.destroy();
            try {
                if (!controller.waitFor(5, TimeUnit.SECONDS)) {
                    controller.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            controller = null;
        }
    }

    private void awaitConnected(DaemonProcess d, boolean connected) {
        Await.until(Duration.ofSeconds(20), Duration.ofMillis(100),
                () -> d.ok("ofconn/show", "br0").contains("(controller): active") == connected,
                () -> "controller " + (connected ? "connected" : "gone") + ":\n" + d.ok("ofconn/show", "br0"));
    }

    private boolean pings(int n) {
        Sh.Result r = hosts.ping(1, 2, n, 0.2);
        return r.exit() == 0 && r.output().contains(" 0% packet loss");
    }

    private DaemonProcess start(String failMode) throws Exception {
        hosts.host(1);
        hosts.host(2);
        net.writeConfig(config(failMode));
        startController();
        DaemonProcess d = net.startDaemon(START);
        awaitConnected(d, true);
        // The controller learns from packet-ins, answers with packet-outs and installs flows.
        Await.until(Duration.ofSeconds(20), Duration.ofMillis(200), () -> pings(3),
                () -> "pings through the controller\n" + d.ok("ofconn/show", "br0") + "\n" + d.log());
        String flows = d.ok("ofctl/dump-flows", "br0");
        assertThat(flows).contains("actions=CONTROLLER").contains("idle_timeout=");
        assertThat(d.ok("ofconn/show", "br0")).containsPattern("packet-ins sent [1-9]");
        return d;
    }

    @Test
    void secureStopsNewFlowsWithoutTheControllerAndReconnects() throws Exception {
        DaemonProcess d = start("secure");
        stopController();
        awaitConnected(d, false);
        d.ok("ofctl/del-flows", "br0");
        assertThat(pings(2)).as("no forwarding without a controller in fail-mode secure").isFalse();
        startController();
        awaitConnected(d, true);
        Await.until(Duration.ofSeconds(20), Duration.ofMillis(200), () -> pings(3), () -> "pings after reconnect");
    }

    @Test
    void standaloneFallsBackToNormal() throws Exception {
        DaemonProcess d = start("standalone");
        stopController();
        awaitConnected(d, false);
        // The controller's flows (cookie 0) go; the fail-open flow (its own cookie) stays.
        d.ok("ofctl/del-flows", "br0", "cookie=0/0xffffffffffffffff");
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(200), () -> pings(3),
                () -> "pings through fail-open NORMAL\n" + d.ok("ofctl/dump-flows", "br0"));
        assertThat(d.ok("ofctl/dump-flows", "br0")).contains("actions=NORMAL");
        startController();
        awaitConnected(d, true);
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(200),
                () -> !d.ok("ofctl/dump-flows", "br0").contains("actions=NORMAL"), () -> "fail-open flow removed");
        Await.until(Duration.ofSeconds(20), Duration.ofMillis(200), () -> pings(3), () -> "pings after reconnect");
    }
}
