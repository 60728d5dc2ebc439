package dev.jvswitch.afpacket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.pmd.netdev.Netdevs;

/**
 * The AF_PACKET port against real veth pairs: the switch's end in the root namespace, the peer
 * in a namespace made for the test, frames sent and received there by a python raw socket.
 */
@Tag("netns")
class AfPacketNetdevTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Topology topo;
    private MbufPool pool;
    private MbufCache cache;
    private TestPmd pmd;
    private final List<AfPacketNetdev> ports = new ArrayList<>();

    @BeforeEach
    void setUp() {
        assumeTrue(Topology.available(), "needs root, ip and python3");
        topo = new Topology();
        usePool(MbufPoolConfig.of("afpacket-test", 8192));
    }

    private void usePool(MbufPoolConfig config) {
        if (pool != null) {
            pool.releaseCache(cache);
            pool.close();
        }
        pool = MbufPool.create(config);
        cache = pool.newCache();
        pmd = new TestPmd(cache);
    }

    @AfterEach
    void tearDown() {
        try {
            for (AfPacketNetdev p : ports) {
                p.close();
            }
        } finally {
            if (topo != null) {
                topo.close();
            }
            if (pool != null) {
                pool.releaseCache(cache);
                pool.close();
            }
        }
    }

    /** Closes the ports and checks that every mbuf came back: the last step of every test. */
    private void closeAndCheckNoLeaks() {
        for (AfPacketNetdev p : ports) {
            p.close();
        }
        cache.flush();
        pool.checkNoLeaks();
    }

    private AfPacketNetdev open(String name, String ifname, Map<String, String> options) throws NetdevException {
        Map<String, String> all = new HashMap<>(options);
        all.put("ifname", ifname);
        AfPacketNetdev port = (AfPacketNetdev) Netdevs.open(new NetdevConfig(name, "afpacket", all, pool));
        ports.add(port);
        return port;
    }

    private static NetdevStats stats(AfPacketNetdev port) {
        NetdevStats s = new NetdevStats();
        port.readStats(s);
        return s;
    }

    private static List<byte[]> everySize(int from, int to) {
        List<byte[]> frames = new ArrayList<>();
        for (int size = from; size <= to; size++) {
            frames.add(Frames.frame(size, size));
        }
        return frames;
    }

    /** Port counters for failure messages. */
    private static String dump(AfPacketNetdev port) {
        return port.name() + ": " + stats(port) + "; " + port.afPacketStats();
    }

    private static void assertSameFrames(List<byte[]> got, List<byte[]> expected, AfPacketNetdev port) {
        Map<Integer, byte[]> bySeq = new HashMap<>();
        for (byte[] f : got) {
            assertThat(bySeq.put(Frames.seq(f), f)).as("frame %d received twice", Frames.seq(f)).isNull();
        }
        assertThat(bySeq).as("frames received, %s", dump(port)).hasSameSizeAs(expected);
        for (byte[] f : expected) {
            assertThat(bySeq.get(Frames.seq(f))).as("frame %d (%d B)", Frames.seq(f), f.length).isEqualTo(f);
        }
    }

    // ---------------------------------------------------------------- rx and tx

    @Test
    void framesOfEverySizeArriveByteIdentical() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        AfPacketNetdev port = open("p1", v.root(), Map.of());
        assertThat(port.linkUp()).isTrue();
        assertThat(port.mtu()).isEqualTo(1500);

        List<byte[]> frames = everySize(60, 1514);
        try (Peer sender = Peer.sender(ns, v.peer(), frames)) {
            List<byte[]> got = pmd.receive(port.rxq(0), frames.size(), WAIT);
            sender.awaitExit(WAIT);
            assertSameFrames(got, frames, port);
        }
        NetdevStats s = stats(port);
        assertThat(s.rxPackets).isGreaterThanOrEqualTo(frames.size());
        assertThat(s.rxDropped).isZero();
        closeAndCheckNoLeaks();
    }

    @Test
    void transmittedFramesArriveByteIdenticalAtThePeer() throws Exception {
        String ns = topo.namespace("p");
        Topology.Veth v = topo.veth(ns, "x");
        AfPacketNetdev port = open("p1", v.root(), Map.of());

        List<byte[]> frames = everySize(60, 1514);
        try (Peer receiver = Peer.receiver(ns, v.peer(), frames.size(), WAIT)) {
            assertThat(pmd.send(port.txq(0), frames)).isEqualTo(frames.size());
            assertSameFrames(receiver.awaitFrames(WAIT), frames, port);
        }
        NetdevStats s = stats(port);
        assertThat(s.txPackets).isEqualTo(frames.size());
        assertThat(s.txDropped).isZero();
        closeAndCheckNoLeaks();
    }
}
