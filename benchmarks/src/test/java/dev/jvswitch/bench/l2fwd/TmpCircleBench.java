package dev.jvswitch.bench.l2fwd;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.sun.management.ThreadMXBean;

import dev.jvswitch.afpacket.NetnsPortTest;
import dev.jvswitch.afpacket.TestPmd;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.affinity.CpuAffinity;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.testkit.frame.MarkedFrames;
import dev.jvswitch.testkit.netns.Topology;

class TmpCircleBench extends NetnsPortTest {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void compare() throws Exception {
        usePool(MbufPoolConfig.of("circle", 16384).withFrameSlots());
        String spec = System.getProperty("circle", "afpacket,afxdp,afpacket,afxdp");
        for (String type : spec.split(",")) {
            run(type, FwdMode.IO);
        }
    }

    private void run(String type, FwdMode mode) throws Exception {
        Topology.Veth v = topo.vethInRoot(type.substring(2, 4) + (int) (Math.random() * 100));
        Map<String, String> o = new java.util.HashMap<>();
        String t = type;
        if (type.startsWith("afxdp")) {
            t = "afxdp";
            o.put("n_rxq_desc", System.getProperty("rxdesc", "2048"));
            o.put("n_txq_desc", System.getProperty("txdesc", "2048"));
            if (type.contains(":")) {
                o.put("xdp-mode", type.split(":")[1]);
            }
        }
        Map<String, String> o1 = new java.util.HashMap<>(o);
        o1.put("ifname", v.root());
        Map<String, String> o2 = new java.util.HashMap<>(o);
        o2.put("ifname", v.peer());
        Netdev p1 = Netdevs.open(new NetdevConfig("p1", t, o1, pool));
        Netdev p2 = Netdevs.open(new NetdevConfig("p2", t, o2, pool));
        int inflight = Integer.getInteger("inflight", 256);
        List<byte[]> frames = new ArrayList<>();
        for (int seq = 0; seq < inflight; seq++) {
            frames.add(MarkedFrames.frame(64, seq));
        }
        try (Forwarder fwd = Forwarder.create(mode, p1, p2, pool, -1)) {
            fwd.onStart();
            CpuAffinity.pinCurrentThread(1);
            try {
                new TestPmd(cache).send(p1.txq(0), frames);
                runFor(fwd, 2_000_000_000L);
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                long user0 = THREADS.getCurrentThreadUserTime();
                long t0 = System.nanoTime();
                long rx = runFor(fwd, 4_000_000_000L);
                long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
                long user = THREADS.getCurrentThreadUserTime() - user0;
                double secs = (System.nanoTime() - t0) / 1e9;
                System.out.printf("CIRCLE %-16s %s: %.3f Mpps wall, cpu %.0f ns/frame (user %.0f), cpu share %.2f%n", type,
                        mode.label(), rx / secs / 1e6, (double) cpu / rx, (double) user / rx, cpu / 1e9 / secs);
            } finally {
                fwd.onClose();
            }
        }
        cache.flush();
        pool.checkNoLeaks();
    }

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
