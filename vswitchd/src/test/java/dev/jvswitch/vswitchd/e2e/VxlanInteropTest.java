package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.netns.Peer;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;
import dev.jvswitch.testkit.env.Needs;

/**
 * jvswitchd as a VXLAN tunnel endpoint talking to the Linux kernel's VXLAN (see
 * {@link OverlayTopology}): from cold (no neighbour set by hand), ping, a TCP exchange and UDP
 * with payload checks between the kernel VTEP's overlay address and the host behind the switch,
 * both ways; tcpdump on the underlay sees well-formed VXLAN with the VNI and a UDP source port
 * per inner flow. Over IPv4 with the kernel's UDP checksums on and off (and the switch's on), and
 * over IPv6; inner packets up to the underlay MTU less 50 bytes pass, larger ones are dropped
 * and counted.
 */
@Tag("netns")
class VxlanInteropTest {
    private static final Duration START = Duration.ofSeconds(30);
    /**
     * The inner TCP and UDP exchanges' server port; tshark decodes it as plain data, or its
     * heuristics may read random payload as some protocol (RTCP, ...) and call it malformed.
     */
    private static final String APP_PORT = "5002";

    @TempDir
    Path dir;
    private OverlayTopology net;
    private DaemonProcess daemon;

    @AfterEach
    void tearDown() {
        try {
            if (daemon != null) {
                daemon.close();
            }
        } finally {
            if (net != null) {
                net.close();
            }
        }
    }

    private DaemonProcess start(String vxlanOptions) throws IOException {
        Files.writeString(dir.resolve("sw.yaml"), net.config(dir.resolve("sw.sock").toString(), vxlanOptions));
        daemon = new DaemonProcess(dir.resolve("sw.yaml"), dir.resolve("sw.sock"), dir).start(null, START);
        return daemon;
    }

    @Test
    void ipv4WithTheKernelsChecksums() throws Exception {
        Needs.that(OverlayTopology.available(), "root, ip, python3, tcpdump and the vxlan module");
        net = new OverlayTopology(false);
        DaemonProcess d = exchange(start(""), "192.0.2.2", false);
        // The underlay's MTU is 1500: inner IP packets of 1450 bytes fit (50 bytes of VXLAN over
        // IPv4 around them), larger ones are dropped by the switch and counted.
        Sh.inNs(net.nsC, "ip", "link", "set", net.access.peer(), "mtu", "1500");
        assertThat(Sh.tryInNs(net.nsC, "ping", "-n", "-M", "do", "-s", "1422", "-c", "3", "-i", "0.2", "-W", "2",
                OverlayTopology.A_OVERLAY).output()).contains(" 0% packet loss");
        assertThat(d.ok("dpif-netdev/pmd-stats-show")).doesNotContain("over the underlay MTU");
        assertThat(Sh.tryInNs(net.nsC, "ping", "-n", "-M", "do", "-s", "1423", "-c", "3", "-i", "0.2", "-W", "1",
                OverlayTopology.A_OVERLAY).output()).contains("100% packet loss");
        assertThat(d.ok("dpif-netdev/pmd-stats-show")).contains("dropped: tunnel packet over the underlay MTU: 3");
        stop(d);
    }

    @Test
    void ipv4WithoutUdpChecksumsFromTheKernelAndWithThemFromTheSwitch() throws Exception {
        Needs.that(OverlayTopology.available(), "root, ip, python3, tcpdump and the vxlan module");
        net = new OverlayTopology(false, "noudpcsum");
        stop(exchange(start("csum: true"), "192.0.2.2", true));
    }

    @Test
    void ipv6Underlay() throws Exception {
        Needs.that(OverlayTopology.available(), "root, ip, python3, tcpdump and the vxlan module");
        net = new OverlayTopology(true);
        stop(exchange(start(""), "2001:db8:100::2", true));
    }

    private static void stop(DaemonProcess d) throws InterruptedException {
        assertThat(d.terminate(Duration.ofSeconds(30))).isZero();
        assertThat(d.log()).contains("leak check: all 4096 mbufs returned").doesNotContain("ERROR");
    }

    /**
     * The whole exchange, from cold; returns the daemon for more checks.
     *
     * @param switchChecksums whether the switch's outer UDP checksums are to be set (else 0)
     */
    private DaemonProcess exchange(DaemonProcess d, String remote, boolean switchChecksums) throws Exception {
        Path capture = dir.resolve("underlay.pcap");
        // On the kernel VTEP's end of the underlay: the switch sends with PACKET_QDISC_BYPASS, which
        // other packet sockets on its own end do not see.
        Process tcpdump = new ProcessBuilder(Sh.nsCommand(net.nsA, "tcpdump", "-i", net.underlay.peer(), "-n", "-U",
                "-w", capture.toString(), "udp", "port", "4789")).redirectErrorStream(true).redirectOutput(
                dir.resolve("tcpdump.log").toFile()).start();
        try {
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(50),
                    () -> readQuietly(dir.resolve("tcpdump.log")).contains("listening on"), () -> "tcpdump to listen");

            // From cold: the first echoes may wait for ARP (both in the overlay and for the underlay
            // next hop), then none is lost.
            Sh.Result first = Sh.tryInNs(net.nsC, "ping", "-n", "-c", "5", "-i", "0.3", "-W", "3",
                    OverlayTopology.A_OVERLAY);
            assertThat(first.output()).as("first ping from C\n%s", d.log()).containsPattern("[3-5] received");
            assertNoLoss(Sh.tryInNs(net.nsC, "ping", "-n", "-c", "5", "-i", "0.2", "-W", "2", OverlayTopology.A_OVERLAY));
            assertNoLoss(Sh.tryInNs(net.nsA, "ping", "-n", "-c", "5", "-i", "0.2", "-W", "2", OverlayTopology.C_OVERLAY));
            assertThat(d.ok("tnl/neigh/show")).contains(remote).contains("br-phy");

            // TCP: C serves, A sends 300 kB; then the other way round.
            exchange(net.nsC, OverlayTopology.C_OVERLAY, net.nsA, "tcp-hash", "300000");
            exchange(net.nsA, OverlayTopology.A_OVERLAY, net.nsC, "tcp-hash", "300000");
            // UDP: 24 datagrams each way, each from a new source port (a new inner flow).
            exchange(net.nsA, OverlayTopology.A_OVERLAY, net.nsC, "udp-echo", "24");
            exchange(net.nsC, OverlayTopology.C_OVERLAY, net.nsA, "udp-echo", "24");
        } finally {
            tcpdump.destroy();
            tcpdump.waitFor();
        }

        // The underlay carried well-formed VXLAN with VNI 100 only, and the inner flows were spread
        // over many UDP source ports. Fields of the outer headers (their first occurrences); tshark's
        // warning about running as root is not a line of them.
        String decoded = Sh.run("tshark", "-r", capture.toString(), "-n", "-Y", "vxlan", "-T", "fields", "-E",
                "occurrence=f", "-e", "vxlan.vni", "-e", "udp.srcport", "-e", "vxlan.flags", "-e", "udp.checksum",
                "-e", "ip.src", "-e", "ipv6.src");
        List<String> lines = decoded.lines().filter(l -> l.matches("\\d+\t.*")).toList();
        assertThat(lines).hasSizeGreaterThan(50);
        Set<String> vnis = new HashSet<>();
        Set<String> srcPorts = new HashSet<>();
        String switchAddress = net.ipv6 ? OverlayTopology.SWITCH_V6 : OverlayTopology.SWITCH_V4;
        for (String l : lines) {
            String[] f = l.split("\t", -1);
            vnis.add(f[0]);
            assertThat(f[2]).as("VXLAN flags (only the I bit) of %s", l).isEqualTo("0x0800");
            if (f[4].equals(switchAddress) || f[5].equals(switchAddress)) {
                srcPorts.add(f[1]);
                assertThat(Integer.parseInt(f[1])).isBetween(32768, 60999);
                assertThat(f[3].equals("0x0000")).as("outer UDP checksum of %s", l).isEqualTo(!switchChecksums);
            }
        }
        assertThat(vnis).containsExactly(Integer.toString(OverlayTopology.VNI));
        assertThat(srcPorts.size()).as("UDP source ports of the switch's 24+ inner flows").isGreaterThan(10);
        // Every checksum right (outer and inner; IP, UDP, TCP, ICMP), nothing malformed.
        String bad = Sh.run("tshark", "-r", capture.toString(), "-n", "-d", "udp.port==" + APP_PORT + ",data", "-d",
                "tcp.port==" + APP_PORT + ",data", "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
                "-o", "tcp.check_checksum:TRUE", "-Y",
                "_ws.malformed || ip.checksum.status == 2 || udp.checksum.status == 2 || tcp.checksum.status == 2"
                        + " || icmp.checksum.status == 2");
        assertThat(bad.lines().filter(l -> !l.startsWith("Running as user"))).isEmpty();

        assertThat(d.ok("dpif-netdev/pmd-stats-show")).doesNotContain("tunnel packet with a bad UDP checksum")
                .doesNotContain("malformed tunnel packet");
        assertThat(d.ok("tnl/ports/show")).isEqualTo("Listening ports:\nvxlan_sys_4789 (2) ref_cnt=1\n");
        return d;
    }

    /** A pkt.py {@code KIND-server} in one namespace and its {@code KIND-client} in the other; the client checks. */
    private void exchange(String serverNs, String serverIp, String clientNs, String kind, String amount) {
        String[] serverArgs = kind.equals("udp-echo")
                ? new String[] {"udp-echo-server", serverIp, APP_PORT, amount}
                : new String[] {"tcp-hash-server", serverIp, APP_PORT};
        try (Peer server = Peer.start(serverNs, serverArgs)) {
            server.awaitLine("ready", Duration.ofSeconds(20));
            try (Peer client = Peer.start(clientNs, kind + "-client", serverIp, APP_PORT, amount)) {
                assertThat(client.awaitExit(Duration.ofSeconds(60))).as(daemon.log()).contains("OK");
            }
            server.awaitExit(Duration.ofSeconds(30));
        }
    }

    private static void assertNoLoss(Sh.Result ping) {
        assertThat(ping.output()).contains(" 0% packet loss");
    }

    private static String readQuietly(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
