package dev.jvswitch.afpacket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.testkit.frame.MarkedFrames;
import dev.jvswitch.testkit.netns.Peer;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.env.Needs;

/**
 * Base of the tests that run the AF_PACKET port against real veth pairs: the switch's end in
 * the root namespace, the peer in a namespace made for the test, frames sent and received
 * there by a python raw socket. Namespaces, veths, ports and the pool are cleaned up after
 * each test whatever happens; each test ends with {@link #closeAndCheckNoLeaks()}. Published in
 * this module's test-jar for the tools built on AF_PACKET ports ({@code benchmarks}' l2fwd).
 */
@Tag("netns")
public abstract class NetnsPortTest {
    protected static final Duration WAIT = Duration.ofSeconds(20);

    protected Topology topo;
    protected MbufPool pool;
    protected MbufCache cache;
    protected TestPmd pmd;
    protected final List<AfPacketNetdev> ports = new ArrayList<>();

    @BeforeEach
    protected void setUp() {
        Needs.that(Topology.available(), "root, ip and python3");
        topo = new Topology();
        usePool(MbufPoolConfig.of("afpacket-test", 8192));
    }

    protected void usePool(MbufPoolConfig config) {
        if (pool != null) {
            pool.releaseCache(cache);
            pool.close();
        }
        pool = MbufPool.create(config);
        cache = pool.newCache();
        pmd = new TestPmd(cache);
    }

    @AfterEach
    protected void tearDown() {
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
    protected void closeAndCheckNoLeaks() {
        for (AfPacketNetdev p : ports) {
            p.close();
        }
        cache.flush();
        pool.checkNoLeaks();
    }

    protected AfPacketNetdev open(String name, String ifname, Map<String, String> options) throws NetdevException {
        Map<String, String> all = new HashMap<>(options);
        all.put("ifname", ifname);
        AfPacketNetdev port = (AfPacketNetdev) Netdevs.open(new NetdevConfig(name, "afpacket", all, pool));
        ports.add(port);
        return port;
    }

    protected static NetdevStats stats(AfPacketNetdev port) {
        NetdevStats s = new NetdevStats();
        port.readStats(s);
        return s;
    }

    protected static List<byte[]> everySize(int from, int to) {
        List<byte[]> frames = new ArrayList<>();
        for (int size = from; size <= to; size++) {
            frames.add(MarkedFrames.frame(size, size));
        }
        return frames;
    }

    /** Port counters for failure messages. */
    protected static String dump(AfPacketNetdev port) {
        return port.name() + ": " + stats(port) + "; " + port.afPacketStats();
    }

    protected static void assertSameFrames(List<byte[]> got, List<byte[]> expected, AfPacketNetdev port) {
        Map<Integer, byte[]> bySeq = new HashMap<>();
        for (byte[] f : got) {
            assertThat(bySeq.put(MarkedFrames.seq(f), f)).as("frame %d received twice", MarkedFrames.seq(f)).isNull();
        }
        assertThat(bySeq).as("frames received, %s", dump(port)).hasSameSizeAs(expected);
        for (byte[] f : expected) {
            assertThat(bySeq.get(MarkedFrames.seq(f))).as("frame %d (%d B)", MarkedFrames.seq(f), f.length).isEqualTo(f);
        }
    }

    /** Sends {@code frames} from the peer and polls rx queue 0 until {@code expected} marked frames arrived. */
    protected List<byte[]> receiveFromPeer(AfPacketNetdev port, Topology.Veth v, List<byte[]> frames, int expected) {
        try (Peer sender = Peer.sender(v.ns(), v.peer(), frames)) {
            List<byte[]> got = pmd.receive(port.rxq(0), expected, WAIT);
            sender.awaitExit(WAIT);
            return got;
        }
    }

    /** Sends {@code frames} out of the port's tx queue 0; returns the first {@code expected} marked frames the peer saw. */
    protected List<byte[]> sendToPeer(AfPacketNetdev port, Topology.Veth v, List<byte[]> frames, int expected) {
        try (Peer receiver = Peer.receiver(v.ns(), v.peer(), expected, WAIT)) {
            pmd.send(port.txq(0), frames);
            return receiver.awaitFrames(WAIT);
        }
    }
}
