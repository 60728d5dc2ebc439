package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.frame.Frames;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.testkit.sh.Sh;

/**
 * A controller's packet-out to a VXLAN port whose remote is not resolved yet, with the Linux
 * kernel's VXLAN as the remote ({@link OverlayTopology}): as OVS, the packet is dropped and
 * counted with its reason ({@code pmd-stats-show}, {@code coverage/show}), an ARP request goes
 * out on the underlay bridge, the kernel's reply is snooped into the neighbour cache, and the
 * next packet-out reaches the kernel's overlay address. br-int sends nothing to the tunnel on
 * its own ({@code actions=drop}), so only the packet-outs can have asked for the neighbour.
 * Skipped where {@code ovs-ofctl} is missing, except in CI, which installs openvswitch-common.
 */
@Tag("netns")
class VxlanPacketOutTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final int APP_PORT = 5003;

    @TempDir
    Path dir;
    private OverlayTopology net;
    private DaemonProcess daemon;
    private Process listener;

    @AfterEach
    void tearDown() throws InterruptedException {
        try {
            if (listener != null) {
                listener.destroy();
                listener.waitFor();
            }
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
    void aPacketOutToAnUnresolvedRemoteArpsCountsTheDropAndTheNextOneArrives() throws Exception {
        Needs.that(OverlayTopology.available(), "root, ip, python3, tcpdump and the vxlan module");
        Needs.that(Files.isExecutable(Path.of("/usr/bin/ovs-ofctl")), "ovs-ofctl (openvswitch-common)");
        net = new OverlayTopology(false);
        // A's own IPv6 chatter over the tunnel (MLD, router solicitations) would let the switch
        // learn A's MAC from the tunnel packets it pops: keep A quiet, the packet-outs must ask.
        Sh.inNs(net.nsA, "sysctl", "-qw", "net.ipv6.conf.vx0.disable_ipv6=1");
        Path mgmt = dir.resolve("br-int.mgmt");
        Files.writeString(dir.resolve("sw.yaml"), config(dir.resolve("sw.sock"), mgmt));
        daemon = new DaemonProcess(dir.resolve("sw.yaml"), dir.resolve("sw.sock"), dir).start(null, START);
        Await.until(START, () -> Files.exists(mgmt), () -> "br-int's OpenFlow listener " + mgmt);

        // The kernel VTEP's overlay side: a UDP socket that writes each datagram it gets as a line.
        Path got = dir.resolve("got.txt");
        listener = new ProcessBuilder(Sh.nsCommand(net.nsA, "python3", "-c", """
                import socket, sys
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind(("%s", %d))
                s.settimeout(60)
                print("listening", flush=True)
                for _ in range(2):
                    d, _ = s.recvfrom(2048)
                    with open(sys.argv[1], "a") as f:
                        f.write(d.decode() + "\\n")
                """.formatted(OverlayTopology.A_OVERLAY, APP_PORT), got.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("listener.log").toFile()).start();
        Await.until(START, () -> read(dir.resolve("listener.log")).contains("listening"), () -> "the UDP listener");
        String aMac = Sh.inNs(net.nsA, "cat", "/sys/class/net/vx0/address").trim();

        daemon.ok("tnl/neigh/flush");
        assertThat(daemon.ok("tnl/neigh/show")).doesNotContain(OverlayTopology.A_V4);
        packetOut(mgmt, aMac, "first");
        Await.until(START, () -> daemon.ok("tnl/neigh/show").contains(OverlayTopology.A_V4),
                () -> "the switch to resolve " + OverlayTopology.A_V4 + " (ARP sent on br-phy, reply snooped)");
        Await.until(START, () -> daemon.ok("dpif-netdev/pmd-stats-show")
                .contains("dropped: tunnel next hop not resolved: 1"), () -> "the first packet's drop to be counted:\n"
                + daemon.ok("dpif-netdev/pmd-stats-show") + daemon.ok("coverage/show"));
        String coverage = daemon.ok("coverage/show");
        assertThat(coverage).containsPattern("pmd_drop_tunnel_neigh_miss +total: 1\n")
                .containsPattern("tnl_neigh_miss +total: [1-9]").containsPattern("tnl_neigh_request_sent +total: [1-9]");

        packetOut(mgmt, aMac, "second");
        Await.until(START, () -> read(got).contains("second"), () -> "the second packet-out to reach "
                + OverlayTopology.A_OVERLAY + "\n" + daemon.ok("dpif-netdev/pmd-stats-show"));
        assertThat(read(got)).doesNotContain("first");
        assertThat(daemon.terminate(Duration.ofSeconds(30))).isZero();
        assertThat(daemon.log()).contains("leak check: all 4096 mbufs returned").doesNotContain("ERROR");
    }

    /** {@code ovs-ofctl packet-out} of a UDP datagram carrying {@code text} to A's overlay address, out of vx0. */
    private void packetOut(Path mgmt, String aMac, String text) {
        byte[] frame = Frames.udp4().src("02:00:00:00:00:2c").dst(aMac)
                .ip(OverlayTopology.C_OVERLAY, OverlayTopology.A_OVERLAY).ports(40000, APP_PORT)
                .payload(text.getBytes(StandardCharsets.US_ASCII)).build();
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13", "packet-out", "unix:" + mgmt,
                "CONTROLLER", "output:1", Frames.hex(frame)));
        Sh.Result r = Sh.tryRun(cmd.toArray(new String[0]));
        assertThat(r.exit()).as("ovs-ofctl packet-out: " + r.output()).isZero();
    }

    private String config(Path socket, Path mgmt) {
        return """
                datapath:
                  pmd-idle: backoff
                mempool:
                  mbufs: 4096
                bridges:
                  br-phy:
                    local-ip: %s/24
                    ports:
                      eth0: {type: afpacket, ofport: 1, options: {ifname: %s}}
                  br-int:
                    ports:
                      vx0: {type: vxlan, ofport: 1, options: {remote_ip: %s, key: %d}}
                    flows:
                      - priority=0,actions=drop
                    listen: punix:%s
                control:
                  socket: %s
                """.formatted(OverlayTopology.SWITCH_V4, net.underlay.root(), OverlayTopology.A_V4,
                OverlayTopology.VNI, mgmt, socket);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
