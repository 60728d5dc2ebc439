package dev.jvswitch.afxdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.testkit.frame.MarkedFrames;
import dev.jvswitch.testkit.netns.Peer;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.sh.Await;

/**
 * The pool runs dry under an AF_XDP port: the frames already in the fill ring are received, the
 * ring cannot be refilled (counted), the kernel drops what it has no frame for (counted, as
 * no_mbuf rx drops), nothing crashes, and once mbufs come back traffic resumes.
 */
class AfXdpExhaustionTest extends XdpNetnsTest {

    @Test
    void anExhaustedUmemDropsAndCountsThenRecovers() throws Exception {
        usePool(MbufPoolConfig.of("afxdp-small", 1100).withFrameSlots().withCacheSize(32));
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        AfXdpNetdev port = open("p1", v.root(), Map.of("n_rxq_desc", "512"));
        List<Mbuf> held = new ArrayList<>();
        Mbuf m;
        while ((m = cache.get()) != null) {
            held.add(m);
        }
        int count = 800;
        List<byte[]> frames = new ArrayList<>();
        for (int seq = 0; seq < count; seq++) {
            frames.add(MarkedFrames.frame(100, seq));
        }
        try (Peer sender = Peer.sender(ns, v.peer(), frames)) {
            sender.awaitExit(WAIT);
        }
        PacketBatch batch = new PacketBatch();
        int[] received = {0};
        // Poll, keeping every mbuf: the port receives what its fill ring had, and reads the
        // kernel's drop count every few thousand polls.
        Await.until(WAIT, () -> {
            int n = port.rxq(0).recv(batch, cache);
            for (int i = 0; i < n; i++) {
                held.add(batch.get(i));
            }
            batch.clear();
            received[0] += n;
            return received[0] + port.afXdpStats().rxKernelNoFrame() >= count;
        }, () -> received[0] + " received; " + dump(port));
        NetdevStats s = stats(port);
        AfXdpStats x = port.afXdpStats();
        assertThat(received[0]).as(dump(port)).isEqualTo(512);
        assertThat(x.rxKernelNoFrame()).isEqualTo(count - 512);
        assertThat(s.rxNoMbuf).isEqualTo(count - 512);
        assertThat(s.rxDropped).isEqualTo(count - 512);
        assertThat(x.rxFillShortfalls()).as("refills that found the pool empty").isPositive();

        held.forEach(cache::put);
        held.clear();
        List<byte[]> more = new ArrayList<>();
        for (int seq = count; seq < count + 100; seq++) {
            more.add(MarkedFrames.frame(100, seq));
        }
        assertSameFrames(receiveFromPeer(port, v, more, more.size()), more, port);
        closeAndCheckNoLeaks();
    }
}
