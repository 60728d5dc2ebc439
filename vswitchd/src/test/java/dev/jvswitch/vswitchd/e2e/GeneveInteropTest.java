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

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.netns.Peer;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/**
 * jvswitchd as a Geneve tunnel endpoint talking to Open vSwitch's userspace datapath (see
 * {@link GeneveTopology}): from cold, ping and a TCP exchange both ways between OVS's overlay
 * host and the host behind the switch, every packet carrying OVN's option (class 0x0102, type
 * 0x80, critical) and a critical 8-byte option (type 0x81) set whole by one side and matched
 * whole by the other through each side's TLV map (jvswitchd's from its config file); tshark on
 * the underlay decodes Geneve with the VNI and those options, and finds nothing malformed.
 */
@Tag("netns")
class GeneveInteropTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final String APP_PORT = "5002";

    @TempDir
    Path dir;
    private GeneveTopology net;
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

    @Test
    void pingAndTcpBothWaysWithOvnsOptionSetOnOneSideAndMatchedOnTheOther() throws Exception {
        Needs.that(GeneveTopology.available(), "root, ip, tcpdump, tshark, ethtool and Open vSwitch's programs");
        net = new GeneveTopology();
        Files.writeString(dir.resolve("sw.yaml"), net.config(dir.resolve("sw.sock").toString()));
        daemon = new DaemonProcess(dir.resolve("sw.yaml"), dir.resolve("sw.sock"), dir).start(null, START);
        assertThat(daemon.ok("ofctl/dump-tlv-map", "br-int")).contains(" 0x102  0x80       4  tun_metadata0")
                .contains(" 0x102  0x81       8  tun_metadata1").contains(" 0x102  0x82      20  tun_metadata2");

        Path capture = dir.resolve("underlay.pcap");
        Process tcpdump = new ProcessBuilder(Sh.nsCommand(net.nsA, "tcpdump", "-i", net.underlay.peer(), "-n", "-U",
                "-w", capture.toString(), "udp", "port", "6081")).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tcpdump.log").toFile()).start();
        try {
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(50),
                    () -> readQuietly(dir.resolve("tcpdump.log")).contains("listening on"), () -> "tcpdump to listen");
            // From cold: the first echoes may wait for ARP in the overlay and for the underlay next
            // hop on both sides, then none is lost.
            Sh.Result first = Sh.tryInNs(net.nsC, "ping", "-n", "-c", "6", "-i", "0.3", "-W", "3",
                    GeneveTopology.A_OVERLAY);
            assertThat(first.output()).as("first ping from C\n%s\n%s", daemon.log(), net.ovsLog())
                    .containsPattern("[3-6] received");
            assertNoLoss(Sh.tryInNs(net.nsC, "ping", "-n", "-c", "5", "-i", "0.2", "-W", "2", GeneveTopology.A_OVERLAY));
            assertNoLoss(Sh.tryInNs(net.nsA, "ping", "-n", "-c", "5", "-i", "0.2", "-W", "2", GeneveTopology.C_OVERLAY));
            exchange(net.nsC, GeneveTopology.C_OVERLAY, net.nsA, "200000");
            exchange(net.nsA, GeneveTopology.A_OVERLAY, net.nsC, "200000");
        } finally {
            tcpdump.destroy();
            tcpdump.waitFor();
        }

        // The megaflow of the decap side matched the options jvswitchd's tables asked for, raw:
        // all whole, the 8- and 20-byte ones too.
        assertThat(daemon.ok("dpctl/dump-flows")).contains("geneve({class=0x102,type=0x80,len=4,0x10002}"
                + "{class=0x102,type=0x81,len=8," + GeneveTopology.FROM_OVS_LONG + "}"
                + "{class=0x102,type=0x82,len=20," + GeneveTopology.FROM_OVS_WIDE + "})");
        assertThat(daemon.ok("coverage/show")).doesNotContain("tnl_geneve_critical_option_drop 1");

        // Every Geneve packet on the underlay had VNI 100 and exactly OVN's critical option, with
        // the value of the side that sent it.
        String decoded = Sh.run("tshark", "-r", capture.toString(), "-n", "-Y", "geneve", "-T", "fields", "-E",
                "occurrence=f", "-e", "ip.src", "-e", "geneve.vni", "-e", "geneve.option.class", "-e",
                "geneve.option.type", "-e", "geneve.option.length", "-e", "geneve.flags.critical", "-e",
                "geneve.option.unknown.data");
        List<String> lines = decoded.lines().filter(l -> l.matches("\\d+\\.\\d+\\.\\d+\\.\\d+\t.*")).toList();
        assertThat(lines).hasSizeGreaterThan(40);
        Set<String> fromSwitch = new HashSet<>();
        Set<String> fromOvs = new HashSet<>();
        for (String l : lines) {
            String[] f = l.split("\t", -1);
            assertThat(Integer.decode(f[1])).as("VNI of %s", l).isEqualTo(GeneveTopology.VNI);
            assertThat(f[2]).as("option class of %s", l).isEqualTo("0x0102");
            assertThat(f[3]).as("option type of %s", l).isEqualTo("0x80");
            assertThat(f[5]).as("critical flag of %s", l).isIn("1", "True", "true");
            (f[0].equals(GeneveTopology.SWITCH_V4) ? fromSwitch : fromOvs).add(f[6]);
        }
        assertThat(fromSwitch).containsExactly("00020001");
        assertThat(fromOvs).containsExactly("00010002");
        // All the options: each side's 8- and 20-byte ones after OVN's.
        // (Every occurrence: ip.src is the outer source, then the inner one.)
        String all = Sh.run("tshark", "-r", capture.toString(), "-n", "-Y", "geneve", "-T", "fields", "-E",
                "occurrence=a", "-E", "aggregator=,", "-e", "ip.src", "-e", "geneve.option.type", "-e",
                "geneve.option.unknown.data");
        Set<String> optionsFromSwitch = new HashSet<>();
        Set<String> optionsFromOvs = new HashSet<>();
        for (String l : all.lines().filter(l -> l.matches("\\d+\\.\\d+\\.\\d+\\.\\d+[,\t].*")).toList()) {
            String[] f = l.split("\t", -1);
            (f[0].split(",")[0].equals(GeneveTopology.SWITCH_V4) ? optionsFromSwitch : optionsFromOvs)
                    .add(f[1] + " " + f[2]);
        }
        assertThat(optionsFromSwitch)
                .containsExactly("0x80,0x81,0x82 00020001," + GeneveTopology.FROM_SWITCH_LONG.substring(2) + ","
                        + GeneveTopology.FROM_SWITCH_WIDE.substring(2));
        assertThat(optionsFromOvs)
                .containsExactly("0x80,0x81,0x82 00010002," + GeneveTopology.FROM_OVS_LONG.substring(2) + ","
                        + GeneveTopology.FROM_OVS_WIDE.substring(2));
        String bad = Sh.run("tshark", "-r", capture.toString(), "-n", "-d", "tcp.port==" + APP_PORT + ",data", "-o",
                "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-Y",
                "_ws.malformed || ip.checksum.status == 2 || udp.checksum.status == 2 || tcp.checksum.status == 2"
                        + " || icmp.checksum.status == 2");
        assertThat(bad.lines().filter(l -> !l.startsWith("Running as user"))).isEmpty();
        assertThat(daemon.ok("dpif-netdev/pmd-stats-show")).doesNotContain("malformed tunnel packet");

        assertThat(daemon.terminate(Duration.ofSeconds(30))).isZero();
        assertThat(daemon.log()).contains("leak check: all 4096 mbufs returned").doesNotContain("ERROR");
    }

    /** A pkt.py tcp-hash server in one namespace and its client in the other; the client checks. */
    private void exchange(String serverNs, String serverIp, String clientNs, String bytes) {
        try (Peer server = Peer.start(serverNs, "tcp-hash-server", serverIp, APP_PORT)) {
            server.awaitLine("ready", Duration.ofSeconds(20));
            try (Peer client = Peer.start(clientNs, "tcp-hash-client", serverIp, APP_PORT, bytes)) {
                assertThat(client.awaitExit(Duration.ofSeconds(60))).as("%s\n%s", daemon.log(), net.ovsLog())
                        .contains("OK");
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
