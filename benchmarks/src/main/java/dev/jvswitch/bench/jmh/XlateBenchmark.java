package dev.jvswitch.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.agrona.concurrent.CachedNanoClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.parse.PacketParser;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.syntax.GroupSyntax;
import dev.jvswitch.ofproto.tnl.TunnelOutput;
import dev.jvswitch.ofproto.upcall.OfprotoUpcallHandler;
import dev.jvswitch.ofproto.xlate.PortLiveness;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.port.NullPort;
import dev.jvswitch.pmd.port.PortOptions;
import dev.jvswitch.pmd.port.RingPort;
import dev.jvswitch.pmd.port.RingPorts;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.pmd.upcall.UpcallResult;
import dev.jvswitch.testkit.frame.Frames;

/**
 * The slow path: what one upcall costs, and how many new flows a PMD sets up per second.
 *
 * <ul>
 *   <li>{@link #upcall}: translation of one missed packet by the {@link OfprotoUpcallHandler}
 *       (snapshot read, table lookups, actions, mask, ukey data), against rule sets of 10, 1 000
 *       and 100 000 ACL-style rules spread over eight mask shapes (so the classifier has eight
 *       subtables) ahead of a catch-all. Keys cycle over 1 024 TCP flows, some matching a rule.
 *       ns/op is per upcall.</li>
 *   <li>{@link Churn#churn}: the whole pipeline with flow churn. One or two PMDs, stepped in turn
 *       on the benchmark thread, receive batches of 32 packets from a ring port; new TCP
 *       connections are offered at {@code newFlowsPerSecond} (100 000 by the wall clock) and the
 *       rest of each batch belongs to 4 096 established connections. A select group hashing the
 *       5-tuple makes every connection a megaflow of its own, so each new connection is an
 *       upcall, a translation, an install and an execute; established ones hit the EMC or dpcls.
 *       All megaflows are flushed every {@value Churn#FLUSH_EVERY} setups, standing in for the
 *       revalidators that will delete idle ones. ns/op is per packet; the tear-down prints the
 *       flow setups per second each PMD achieved.</li>
 * </ul>
 */
public class XlateBenchmark extends AbstractBenchmark {
    private static final int KEYS = 1024;

    @Param({"10", "1000", "100000"})
    public int rules;

    private Ofproto ofproto;
    private OfprotoUpcallHandler handler;
    private final UpcallResult result = new UpcallResult();
    private final FlowKey[] keys = new FlowKey[KEYS];
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        ofproto = new Ofproto(System::nanoTime, PortLiveness.ALL_LIVE, TunnelOutput.NONE);
        ofproto.addBridge(bridge());
        ofproto.apply("br0", aclRules(rules, new Random(7)));
        ofproto.apply("br0", FlowSyntax.parseAdd("priority=0,actions=output:3"));
        handler = ofproto.upcallHandler();
        Random rnd = new Random(11);
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("xlate-bench", 4).withCacheSize(0))) {
            PacketParser parser = new PacketParser();
            Mbuf m = pool.get();
            for (int i = 0; i < KEYS; i++) {
                byte[] f = Frames.tcp4().ip("10." + rnd.nextInt(4) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256),
                        "192.168." + rnd.nextInt(4) + "." + rnd.nextInt(256)).ports(1024 + rnd.nextInt(60000),
                        PORTS[rnd.nextInt(PORTS.length)]).build();
                m.copyFrom(f, 0, f.length);
                m.inPort(1);
                keys[i] = new FlowKey();
                parser.parse(m, keys[i]);
            }
            pool.put(m);
        }
    }

    @Benchmark
    public Object upcall() {
        FlowKey key = keys[next++ & (KEYS - 1)];
        result.reset();
        handler.onUpcall(0, key, null, result);
        return result.actions();
    }

    // ------------------------------------------------------------------ rule sets

    private static final int[] PORTS = {22, 53, 80, 443, 8080};

    static BridgeConfig bridge() {
        return new BridgeConfig("br0", List.of(OfPort.trunk(1, 1, "in"), OfPort.trunk(2, 2, "out-a"),
                OfPort.trunk(3, 3, "out-b")));
    }

    /**
     * {@code n} distinct rules of the form
     * {@code priority=P,tcp,nw_src=A/len,nw_dst=B/len,tp_dst=T,actions=output:2} over eight
     * combinations of prefix lengths and whether tp_dst is matched.
     */
    static List<FlowMod> aclRules(int n, Random rnd) {
        int[][] shapes = {{32, 32, 1}, {24, 32, 1}, {32, 24, 1}, {24, 24, 1}, {16, 32, 0}, {32, 16, 0}, {16, 16, 1},
            {8, 24, 0}};
        List<String> text = new ArrayList<>(n);
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (text.size() < n) {
            int[] s = shapes[text.size() % shapes.length];
            String flow = "priority=" + (100 + s[0] + s[1]) + ",tcp,nw_src=10." + rnd.nextInt(4) + "." + rnd.nextInt(256)
                    + "." + rnd.nextInt(256) + "/" + s[0] + ",nw_dst=192.168." + rnd.nextInt(4) + "." + rnd.nextInt(256)
                    + "/" + s[1] + (s[2] == 1 ? ",tp_dst=" + PORTS[rnd.nextInt(PORTS.length)] : "")
                    + ",actions=output:2";
            if (seen.add(flow)) {
                text.add(flow);
            }
        }
        List<FlowMod> out = new ArrayList<>(n);
        for (String t : text) {
            out.add(FlowSyntax.parseAdd(t));
        }
        return out;
    }

    // ------------------------------------------------------------------ churn

    /** The pipeline under flow churn (a benchmark of its own: it owns a datapath). */
    @State(Scope.Thread)
    public static class Churn extends AbstractBenchmark {
        static final int BATCH = PacketBatch.MAX_SIZE;
        static final int FLUSH_EVERY = 50_000;
        static final int ESTABLISHED = 4096;
        /** Where the template frame keeps the IPv4 source address and the TCP source port. */
        private static final int IP_SRC_OFFSET = 26;
        private static final int TCP_SRC_OFFSET = 34;

        /** New connections per second offered (by the wall clock); the PMDs may fall behind. */
        @Param({"100000"})
        public int newFlowsPerSecond;

        @Param({"1", "2"})
        public int pmds;

        private MbufPool pool;
        private MbufCache cache;
        private Datapath dp;
        private RingPort host;
        private RingPorts.Pair pair;
        private final CachedNanoClock clock = new CachedNanoClock();
        private final PacketBatch batch = new PacketBatch();
        private final byte[] template = Frames.tcp4().ip("10.0.0.0", "192.0.2.1").ports(1024, 80).build();
        private long created;
        private long setupsAtLastFlush;
        private long invocations;
        private long startNs;

        @Setup(Level.Trial)
        public void setUp() {
            Ofproto of = new Ofproto(System::nanoTime, PortLiveness.ALL_LIVE, TunnelOutput.NONE);
            of.addBridge(XlateBenchmark.bridge());
            of.apply("br0", GroupSyntax.parseAdd("group_id=1,type=select,selection_method=hash,fields(ip_src,ip_dst,tcp_src,tcp_dst),"
                    + "bucket=actions=output:2,bucket=actions=output:3"));
            of.apply("br0", FlowSyntax.parseAdd("in_port=1,tcp,actions=group:1"));
            pool = MbufPool.create(MbufPoolConfig.of("churn", 16384));
            cache = pool.newCache();
            clock.update(System.nanoTime());
            int[] cpus = new int[pmds];
            java.util.Arrays.fill(cpus, -1);
            dp = new Datapath(DatapathConfig.defaults().withPmdCpus(cpus).withFlowLimit(1 << 20), pool,
                    of.upcallHandler(), clock);
            pair = RingPorts.pair("in", "gen", pmds, 4096);
            host = pair.b();
            dp.addPort(1, pair.a());
            dp.addPort(2, new NullPort("out-a", PortOptions.generatedMac("out-a"), 1500, pmds));
            dp.addPort(3, new NullPort("out-b", PortOptions.generatedMac("out-b"), 1500, pmds));
            for (int q = 0; q < pmds; q++) {
                dp.pinRxq(1, q, q);
            }
            startNs = System.nanoTime();
        }

        /**
         * One batch of 32 into one PMD (the PMDs take turns): as many new connections as are due
         * at the offered rate (at most the batch), the rest packets of established connections.
         * The frames are a template with the source address and port patched in place, so the
         * harness allocates nothing.
         */
        @Benchmark
        @OperationsPerInvocation(BATCH)
        public void churn() {
            long now = System.nanoTime();
            long due = (now - startNs) * newFlowsPerSecond / 1_000_000_000L - created;
            int fresh = (int) Math.max(0, Math.min(BATCH, due));
            int q = (int) (invocations++ % pmds);
            for (int i = 0; i < BATCH; i++) {
                long conn = i < fresh ? ESTABLISHED + created++ : (invocations * 31 + i) & (ESTABLISHED - 1);
                Mbuf m = cache.get();
                m.copyFrom(template, 0, template.length);
                int base = m.dataOffset();
                m.buffer().putInt(base + IP_SRC_OFFSET, (int) (0x0a00_0000L | (conn & 0xff_ffff)),
                        java.nio.ByteOrder.BIG_ENDIAN);
                m.buffer().putShort(base + TCP_SRC_OFFSET, (short) (1024 + (conn >>> 24)), java.nio.ByteOrder.BIG_ENDIAN);
                batch.add(m);
            }
            host.txq(q).send(batch, cache);
            clock.update(now);
            dp.pmd(q).doWork();
            long setups = setups();
            if (setups - setupsAtLastFlush >= FLUSH_EVERY) {
                dp.flows().flush();
                setupsAtLastFlush = setups;
            }
        }

        private long setups() {
            long n = 0;
            for (PmdAgent pmd : dp.pmds()) {
                n += pmd.stats().raw(PmdCounter.UPCALL_OK);
            }
            return n;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            double seconds = (System.nanoTime() - startNs) / 1e9;
            System.out.printf("%noffered %d new flows/s; %d connections opened in %.1f s%n", newFlowsPerSecond, created,
                    seconds);
            for (PmdAgent pmd : dp.pmds()) {
                long setups = pmd.stats().get(PmdCounter.UPCALL_OK);
                System.out.printf("pmd %d: %d flow setups = %.0f flow setups/s, %.0f packets/s%n", pmd.pmdId(), setups,
                        setups / seconds, pmd.stats().get(PmdCounter.RX_PACKETS) / seconds);
            }
            dp.close();
            pair.close();
            pool.releaseCache(cache);
            pool.checkNoLeaks();
            pool.close();
        }
    }
}
