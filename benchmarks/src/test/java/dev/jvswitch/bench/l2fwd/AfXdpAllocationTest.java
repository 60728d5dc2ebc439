package dev.jvswitch.bench.l2fwd;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.sun.management.ThreadMXBean;

import dev.jvswitch.afpacket.NetnsPortTest;
import dev.jvswitch.pmd.netdev.TestPmd;
import dev.jvswitch.afxdp.AfXdpProvider;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.testkit.frame.MarkedFrames;
import dev.jvswitch.testkit.netns.Topology;

/**
 * The AF_XDP data path allocates nothing: frames circling between two afxdp ports on the two ends
 * of one veth (p1 sends them, p2 receives them and the forwarder sends them out of p1 again) go
 * through the rx ring, the fill ring refill, the tx ring, the kick and the completions over and
 * over (in switch mode through the whole PMD pipeline too), while the thread's allocated bytes stay
 * flat.
 */
class AfXdpAllocationTest extends NetnsPortTest {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    @ParameterizedTest
    @CsvSource({"io, native", "switch, native", "io, generic"})
    void forwardingAllocatesNothingOnceWarm(String modeLabel, String xdpMode) throws Exception {
        usePool(MbufPoolConfig.of("afxdp-alloc", 8192).withFrameSlots());
        FwdMode mode = FwdMode.of(modeLabel);
        Topology.Veth v = topo.vethInRoot("l");
        Map<String, String> options = Map.of("xdp-mode", xdpMode, "n_rxq_desc", "1024", "n_txq_desc", "1024");
        Netdev p1 = Netdevs.open(new NetdevConfig("p1", AfXdpProvider.TYPE, with(options, v.root()), pool));
        Netdev p2 = Netdevs.open(new NetdevConfig("p2", AfXdpProvider.TYPE, with(options, v.peer()), pool));
        List<byte[]> frames = new ArrayList<>();
        for (int seq = 0; seq < 64; seq++) {
            frames.add(MarkedFrames.frame(64, seq));
        }
        try (Forwarder fwd = Forwarder.create(mode, p1, p2, pool, -1)) {
            fwd.onStart();
            try {
                assertThat(new TestPmd(cache).send(p1.txq(0), frames)).isEqualTo(frames.size());
                long tid = Thread.currentThread().getId();
                long rxBefore = runFor(fwd, 2_000_000_000L);
                long allocatedBefore = THREADS.getThreadAllocatedBytes(tid);
                long rx = runFor(fwd, 2_000_000_000L);
                long allocated = THREADS.getThreadAllocatedBytes(tid) - allocatedBefore;

                System.out.printf("afxdp %s %s: forwarded %d frames in 2 s (%.2f Mpps), allocated %d bytes%n",
                        mode.label(), xdpMode, rx, rx / 2e6, allocated);
                assertThat(rxBefore).as("frames forwarded while warming up; %s; %s", described(p1), described(p2))
                        .isGreaterThan(10_000);
                assertThat(rx).as("frames forwarded while measuring").isGreaterThan(10_000);
                assertThat(allocated).as("bytes allocated while forwarding %d frames", rx).isLessThan(1024);
            } finally {
                fwd.onClose();
            }
        }
        cache.flush();
        pool.checkNoLeaks();
    }

    private static Map<String, String> with(Map<String, String> options, String ifname) {
        Map<String, String> all = new java.util.HashMap<>(options);
        all.put("ifname", ifname);
        return all;
    }

    private static String described(Netdev port) {
        NetdevStats s = new NetdevStats();
        port.readStats(s);
        return port.name() + ": " + s;
    }

    /** Steps the forwarder (no idle strategy, no refresh) for {@code ns}; returns frames received. */
    private static long runFor(Forwarder fwd, long ns) {
        long received = 0;
        long end = System.nanoTime() + ns;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                received += fwd.doWork();
            }
        }
        return received;
    }
}
