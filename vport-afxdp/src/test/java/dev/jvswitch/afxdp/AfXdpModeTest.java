package dev.jvswitch.afxdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.testkit.frame.MarkedFrames;
import dev.jvswitch.testkit.netns.Peer;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.sh.Sh;
import dev.jvswitch.testkit.env.Needs;

/**
 * Which XDP mode a port gets and what it says when it gets none: best-effort falls back from
 * zero-copy to copy (a veth has no zero-copy) and from native to generic (a bridge device has no
 * native XDP); a mode the driver refuses is one clear error; an interface that already has a
 * program, or a queue that does not exist, too. A port leaves no program behind when it closes,
 * and a queue released by a closed port can be bound again at once.
 */
class AfXdpModeTest extends XdpNetnsTest {

    private static boolean hasXdp(String ifname) {
        return Sh.run("ip", "-d", "link", "show", "dev", ifname).contains("prog/xdp");
    }

    @Test
    void bestEffortOnAVethGetsNativeCopyModeAndSaysSo() throws Exception {
        Topology.Veth v = topo.vethInRoot("m");
        AfXdpNetdev port = open("p1", v.root(), Map.of());
        assertThat(port.xdpMode()).isEqualTo("native");
        assertThat(port.status()).isEqualTo(Map.of("xdp-mode", "native"));
        assertThat(port.afXdpStats().xdpMode()).isEqualTo("native");
        assertThat(Sh.run("ip", "-d", "link", "show", "dev", v.root())).contains("xdp").doesNotContain("xdpgeneric");
        port.close();
        assertThat(hasXdp(v.root())).as("program detached on close").isFalse();
        assertThat(port.status()).isEqualTo(Map.of("xdp-mode", "none"));
        closeAndCheckNoLeaks();
    }

    @Test
    void zeroCopyOnAVethIsOneClearError() {
        Topology.Veth v = topo.vethInRoot("z");
        assertThatThrownBy(() -> open("p1", v.root(), Map.of("xdp-mode", "native-with-zerocopy")))
                .isInstanceOf(NetdevException.class)
                .hasMessageStartingWith("port p1: bind(AF_XDP, queue 0, XDP_ZEROCOPY) on interface " + v.root()
                        + " failed: ")
                .hasMessageEndingWith("the driver has no zero-copy AF_XDP (veth never has); use xdp-mode native or"
                        + " best-effort")
                .hasMessageNotContaining("\n");
        assertThat(hasXdp(v.root())).as("nothing left attached").isFalse();
        closeAndCheckNoLeaks();
    }

    @Test
    void aDriverWithoutNativeXdpFailsNativeAndFallsBackToGenericInBestEffort() throws Exception {
        // A Linux bridge has no native XDP (no ndo_bpf) but takes generic XDP like any device.
        String dev = "jvs" + topo.id + "br";
        Needs.that(Sh.tryRun("ip", "link", "add", dev, "type", "bridge").exit() == 0, "bridge devices");
        try {
            Sh.run("ip", "link", "set", dev, "up");
            assertThatThrownBy(() -> open("p1", dev, Map.of("xdp-mode", "native")))
                    .hasMessage("port p1: bpf(BPF_LINK_CREATE, XDP native) on interface " + dev + " failed:"
                            + " Operation not supported (EOPNOTSUPP): driver bridge has no native XDP; use xdp-mode"
                            + " generic or best-effort");
            AfXdpNetdev port = open("p2", dev, Map.of("xdp-mode", "best-effort"));
            assertThat(port.xdpMode()).isEqualTo("generic");
            assertThat(Sh.run("ip", "-d", "link", "show", "dev", dev)).contains("xdpgeneric");
            closeAndCheckNoLeaks();
            assertThat(hasXdp(dev)).isFalse();
        } finally {
            Sh.tryRun("ip", "link", "del", dev);
        }
    }

    @Test
    void anInterfaceWithAProgramAlreadyIsRefusedClearly() throws Exception {
        Topology.Veth v = topo.vethInRoot("b");
        AfXdpNetdev first = open("p1", v.root(), Map.of("xdp-mode", "native"));
        assertThatThrownBy(() -> open("p2", v.root(), Map.of("xdp-mode", "native")))
                .hasMessageStartingWith("port p2: bpf(BPF_LINK_CREATE, XDP native) on interface " + v.root()
                        + " failed: Device or resource busy (EBUSY): the interface already has an XDP program");
        assertThat(first.linkUp()).isTrue();
        closeAndCheckNoLeaks();
    }

    @Test
    void aQueueTheInterfaceLacksIsNamed() {
        Topology.Veth v = topo.vethInRoot("q");
        assertThatThrownBy(() -> open("p1", v.root(), Map.of("n_rxq", "2")))
                .hasMessageStartingWith("port p1: bind(AF_XDP, queue 1, ")
                .hasMessageEndingWith("the interface may have no queue 1 (see ethtool -l); lower n_rxq");
        assertThat(hasXdp(v.root())).isFalse();
        closeAndCheckNoLeaks();
    }

    @Test
    void twoQueuesOnAVethWithTwoQueues() throws Exception {
        String ns = topo.namespace("t");
        String root = "jvs" + topo.id + "ta";
        String peer = "jvs" + topo.id + "tb";
        Sh.run("ip", "link", "add", root, "numrxqueues", "2", "numtxqueues", "2", "type", "veth", "peer", "name", peer,
                "numrxqueues", "2", "numtxqueues", "2", "netns", ns);
        try {
            Topology.Veth v = new Topology.Veth(root, peer, ns);
            topo.configure(v);
            AfXdpNetdev port = open("p1", root, Map.of("n_rxq", "2"));
            assertThat(port.rxqCount()).isEqualTo(2);
            List<byte[]> frames = new ArrayList<>();
            for (int seq = 0; seq < 50; seq++) {
                frames.add(MarkedFrames.udp4(100, seq));
            }
            List<byte[]> got = new ArrayList<>();
            try (Peer sender = Peer.sender(ns, peer, frames)) {
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (got.size() < frames.size() && System.nanoTime() < deadline) {
                    pmd.poll(port.rxq(0), got);
                    pmd.poll(port.rxq(1), got);
                }
                sender.awaitExit(WAIT);
            }
            assertSameFrames(got, frames, port);
            closeAndCheckNoLeaks();
        } finally {
            Sh.tryRun("ip", "link", "del", root);
        }
    }

    @Test
    void aQueueReleasedByAClosedPortIsBoundAgainAtOnce() throws Exception {
        Topology.Veth v = topo.vethInRoot("r");
        long retries = 0;
        for (int i = 0; i < 8; i++) {
            AfXdpNetdev port = open("p" + i, v.root(), Map.of("xdp-mode", i % 2 == 0 ? "native" : "generic"));
            assertThat(port.linkUp()).isTrue();
            retries += port.afXdpStats().bindRetries();
            port.close();
        }
        // The kernel frees a socket's hold on its queue asynchronously; binds that found it busy
        // were retried (how often depends on the machine's load, so only reported).
        System.out.println("binds retried after EBUSY over 8 reopenings: " + retries);
        closeAndCheckNoLeaks();
    }
}
