package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.netns.Hosts;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;
import dev.jvswitch.vswitchd.Ctl;
import dev.jvswitch.testkit.env.Needs;

/**
 * The daemon with AF_XDP ports, as a user runs it: jvswitchd in its own JVM inside a switch
 * namespace, an afxdp and an afpacket port in one bridge (the mempool made of frame slots because
 * the config has an afxdp port), pings through NORMAL, the XDP mode in pmd-rxq-show and
 * dump-ports, an afxdp port added by reload, SIGTERM leaving no program on the interfaces and no
 * leaked mbuf, SIGKILL leaving no program either; and a reload that adds an afxdp port to a
 * daemon whose pool cannot be a UMEM refused with the reason, the daemon serving on.
 */
@Tag("netns")
class NetnsAfXdpDaemonTest {
    /** As the other daemon tests that start several JVMs: a start on a loaded 2-CPU box takes tens of seconds. */
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration FIRST_PING = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Hosts hosts;
    private DaemonProcess daemon;

    private static String config(String h1Type, String h3) {
        return """
                datapath:
                  pmd-idle: backoff
                mempool:
                  mbufs: 4096
                bridges:
                  br0:
                    ports:
                """ + "      h1: {type: " + h1Type + ", ofport: 1, options: {ifname: s1" + (h1Type.equals("afxdp")
                ? ", n_rxq_desc: 512, n_txq_desc: 512" : "") + "}}\n" + """
                      h2: {type: afpacket, ofport: 2, options: {ifname: s2}}
                """ + h3 + """
                    flows:
                      - priority=0,actions=normal
                control:
                  socket: jvswitchd.sock
                """;
    }

    private static final String H3_AFXDP =
            "      h3: {type: afxdp, ofport: 3, options: {ifname: s3, xdp-mode: generic, n_rxq_desc: 256}}\n";

    @BeforeEach
    void setUp() {
        Needs.that(Hosts.available(), "root, ip, ethtool and ping");
        hosts = new Hosts();
    }

    @AfterEach
    void tearDown() {
        try {
            if (daemon != null) {
                daemon.close();
            }
        } finally {
            if (hosts != null) {
                hosts.close();
                assertThat(hosts.leftovers()).isEmpty();
            }
        }
    }

    private void writeConfig(String text) throws IOException {
        Files.writeString(dir.resolve("sw.yaml"), text);
    }

    private boolean hasXdp(String ifname) {
        return Sh.run("ip", "-n", hosts.sw, "-d", "link", "show", "dev", ifname).contains("prog/xdp");
    }

    /**
     * Waits (bounded) for the first ping to get through a daemon that just started or reloaded:
     * its first packets take cold upcalls (class loading, JIT) while the host resolves ARP, which
     * under a loaded machine outlasts one ping's 2 s wait. The assertions that follow then measure
     * forwarding, not warm-up.
     */
    private void awaitForwarding(int from, int to) {
        Await.until(FIRST_PING, Duration.ofMillis(200), () -> hosts.ping(from, to, 1, 0.2).exit() == 0,
                () -> "a first ping from host " + from + " to host " + to + ":\n" + (daemon == null ? "" : daemon.log()));
    }

    private static void assertNoLoss(Sh.Result ping) {
        assertThat(ping.output()).contains(" 0% packet loss");
        assertThat(ping.exit()).isZero();
    }

    @Test
    void afxdpAndAfpacketPortsSwitchTogetherReloadAndStopClean() throws Exception {
        hosts.host(1);
        hosts.host(2);
        hosts.host(3);
        writeConfig(config("afxdp", ""));
        daemon = new DaemonProcess(dir.resolve("sw.yaml"), dir.resolve("jvswitchd.sock"), dir).start(hosts.sw, START);
        DaemonProcess d = daemon;
        assertThat(d.log()).contains("mempool 'jvswitch': 4096 mbufs of 4096 bytes")
                .contains("port h1: afxdp").contains("{xdp-mode=native}");
        assertThat(hasXdp("s1")).isTrue();
        assertThat(hasXdp("s2")).isFalse();

        awaitForwarding(1, 2);
        assertNoLoss(hosts.ping(1, 2, 3, 0.2));
        assertThat(d.ok("dpif-netdev/pmd-rxq-show")).containsPattern("port: h1 .*xdp-mode: native")
                .containsPattern("port: h2 .*pmd usage: +\\d+ %\\n");
        assertThat(d.ok("ofctl/dump-ports", "br0")).contains("status: xdp-mode=native")
                .containsPattern("port  1 \\(h1\\): rx pkts=[1-9]");

        writeConfig(config("afxdp", H3_AFXDP));
        assertThat(d.ok("reload")).contains("added port h3 to bridge br0 as datapath port 3");
        awaitForwarding(3, 1);
        assertNoLoss(hosts.ping(3, 1, 2, 0.2));
        assertNoLoss(hosts.ping(3, 2, 2, 0.2));
        assertThat(d.ok("dpif-netdev/pmd-rxq-show")).containsPattern("port: h3 .*xdp-mode: generic");
        assertThat(Sh.run("ip", "-n", hosts.sw, "-d", "link", "show", "dev", "s3")).contains("xdpgeneric");

        assertThat(d.terminate(Duration.ofSeconds(30))).isZero();
        assertThat(d.log()).contains("datapath stopped: PMDs drained, 3 port(s) closed",
                "leak check: all 4096 mbufs returned to mempool 'jvswitch'").doesNotContain("ERROR");
        assertThat(hasXdp("s1")).isFalse();
        assertThat(hasXdp("s3")).isFalse();
    }

    /**
     * A reload that changes an afxdp port's options reopens it on the same device and queue: the
     * new socket can bind only once the old one is closed.
     */
    @Test
    void anAfxdpPortReopensWithNewOptions() throws Exception {
        hosts.host(1);
        hosts.host(2);
        writeConfig(config("afxdp", ""));
        daemon = new DaemonProcess(dir.resolve("sw.yaml"), dir.resolve("jvswitchd.sock"), dir).start(hosts.sw, START);
        DaemonProcess d = daemon;
        awaitForwarding(1, 2);
        writeConfig(config("afxdp", "").replace("ifname: s1, n_rxq_desc: 512", "ifname: s1, n_rxq_desc: 1024"));
        assertThat(d.ok("reload")).contains("reopened port h1");
        awaitForwarding(1, 2);
        assertNoLoss(hosts.ping(1, 2, 3, 0.2));
        assertThat(hasXdp("s1")).isTrue();
        assertThat(d.terminate(Duration.ofSeconds(30))).isZero();
        assertThat(d.log()).contains("leak check: all 4096 mbufs returned").doesNotContain("ERROR");
        assertThat(hasXdp("s1")).isFalse();
    }

    @Test
    void aKilledDaemonLeavesNoProgramBehind() throws Exception {
        hosts.host(1);
        hosts.host(2);
        writeConfig(config("afxdp", ""));
        daemon = new DaemonProcess(dir.resolve("sw.yaml"), dir.resolve("jvswitchd.sock"), dir).start(hosts.sw, START);
        awaitForwarding(1, 2);
        assertNoLoss(hosts.ping(1, 2, 2, 0.2));
        assertThat(hasXdp("s1")).isTrue();
        daemon.signal("KILL");
        Await.until(Duration.ofSeconds(30), () -> !daemon.isAlive(), () -> "jvswitchd to die");
        Await.until(Duration.ofSeconds(10), () -> !hasXdp("s1"), () -> "no XDP program on s1 after kill -9");
        // A new daemon takes the interface at once (the killed one left its pid file and socket).
        Files.deleteIfExists(dir.resolve("jvswitchd.sock"));
        Files.deleteIfExists(dir.resolve("jvswitchd.pid"));
        daemon = new DaemonProcess(dir.resolve("sw.yaml"), dir.resolve("jvswitchd.sock"), dir).start(hosts.sw, START);
        awaitForwarding(1, 2);
        assertNoLoss(hosts.ping(1, 2, 2, 0.2));
        assertThat(daemon.terminate(Duration.ofSeconds(30))).isZero();
    }

    @Test
    void addingAnAfxdpPortToAPoolWithoutFrameSlotsIsRefusedAndTheDaemonServesOn() throws Exception {
        hosts.host(1);
        hosts.host(2);
        hosts.host(3);
        writeConfig(config("afpacket", ""));
        daemon = new DaemonProcess(dir.resolve("sw.yaml"), dir.resolve("jvswitchd.sock"), dir).start(hosts.sw, START);
        DaemonProcess d = daemon;
        assertThat(d.log()).contains("mempool 'jvswitch': 4096 mbufs of 2176 bytes");
        writeConfig(config("afpacket", H3_AFXDP));
        Ctl reload = d.ctl("reload");
        assertThat(reload.exit()).isEqualTo(1);
        assertThat(reload.err()).contains("port h3: the mempool's 2176-byte mbufs cannot be AF_XDP frames")
                .contains("restart");
        awaitForwarding(1, 2);
        assertNoLoss(hosts.ping(1, 2, 2, 0.2));
        assertThat(d.terminate(Duration.ofSeconds(30))).isZero();
        assertThat(d.log()).contains("leak check: all 4096 mbufs returned");
    }
}
