package dev.jvswitch.ofproto.upcall;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.ofproto.Ofctl;
import dev.jvswitch.ofproto.xlate.TestSwitch;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.pmd.pcap.PcapWriter;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.testkit.frame.Frames;

/**
 * Flow setup under churn makes (almost) no garbage: a PMD stepped on this thread replays 20 000
 * UDP flows through a two-table rule set (a port rule in table 0, a resubmit to a prefix rule in
 * table 1 that sends through a select group, drops for the rest) with a flow limit far below the
 * number of flows, so nearly every packet is an upcall: translation, mask, and either an install
 * or an execute-only packet.
 *
 * <ul>
 *   <li>At the flow limit every upcall is executed without a megaflow: those must allocate
 *       nothing (a bound of a few bytes per upcall for the counter reads).</li>
 *   <li>With the flows flushed every {@value #FLUSH_EVERY} upcalls (one install in a hundred
 *       upcalls, standing in for revalidators that delete idle flows), upcalls install again: an
 *       install may allocate the megaflow, its ukey and its ukey data, bounded per install
 *       (flushes included), and the whole run stays under {@value #MAX_BYTES_PER_UPCALL} bytes
 *       per upcall.</li>
 * </ul>
 */
class UpcallAllocationTest {
    private static final int FLOWS = 20_000;
    private static final int FLOW_LIMIT = 1000;
    private static final int FLUSH_EVERY = 100_000;
    private static final int ROUNDS = 5;
    private static final long MAX_BYTES_PER_UPCALL = 50;
    private static final long MAX_BYTES_PER_INSTALL = 1024;

    @TempDir
    Path dir;

    @Test
    void upcallsAllocateLittleAndInstallsAreBounded() throws Exception {
        churn("two tables and a select group", sw -> {
            // The two-table set, with table 1 sending through a hash select group so that
            // every connection is a megaflow of its own however wide the classifier's masks get.
            Ofctl.addGroup(sw.ofproto, "br0", "group_id=1,type=select,selection_method=hash,"
                    + "fields(ip_src,ip_dst,udp_src,udp_dst),bucket=actions=output:2,bucket=actions=output:2");
            sw.flows("br0",
                    "table=0,priority=100,udp,tp_src=1024,actions=output:2",
                    "table=0,priority=90,ip,nw_src=10.0.0.0/8,actions=resubmit(,1)",
                    "table=0,priority=0,actions=drop",
                    "table=1,priority=10,udp,nw_dst=10.1.0.0/16,actions=group:1",
                    "table=1,priority=0,actions=drop");
        });
    }

    /**
     * The same churn through a conjunctive ACL (OVN's shape: address clauses and port clauses of
     * one conjunction id, a {@code conj_id} flow): the conjunctive lookup allocates nothing either.
     */
    @Test
    void conjunctiveLookupsAllocateNothing() throws Exception {
        churn("a conjunctive ACL", sw -> {
            Ofctl.addGroup(sw.ofproto, "br0", "group_id=1,type=select,selection_method=hash,"
                    + "fields(ip_src,ip_dst,udp_src,udp_dst),bucket=actions=output:2,bucket=actions=output:2");
            sw.flows("br0",
                    "table=0,priority=100,ip,nw_src=10.0.0.0/9,actions=conjunction(7,1/2)",
                    "table=0,priority=100,ip,nw_src=10.0.128.0/17,actions=conjunction(7,1/2)",
                    "table=0,priority=100,udp,tp_dst=80,actions=conjunction(7,2/2)",
                    "table=0,priority=100,udp,tp_dst=443,actions=conjunction(7,2/2)",
                    "table=0,priority=100,conj_id=7,ip,actions=resubmit(,1)",
                    "table=0,priority=90,udp,tp_src=1024,actions=conjunction(8,1/2)",
                    "table=0,priority=90,ip,nw_dst=10.2.0.0/16,actions=conjunction(8,2/2)",
                    "table=0,priority=90,conj_id=8,ip,actions=output:2",
                    "table=0,priority=0,actions=drop",
                    "table=1,priority=10,udp,nw_dst=10.1.0.0/16,actions=group:1",
                    "table=1,priority=0,actions=drop");
        });
    }

    /**
     * The same churn through rules with {@code fin_timeout} in two tables: recording the entries
     * for the ukey allocates nothing until a flow is installed.
     */
    @Test
    void finTimeoutsAllocateNothing() throws Exception {
        churn("fin_timeout rules", sw -> {
            Ofctl.addGroup(sw.ofproto, "br0", "group_id=1,type=select,selection_method=hash,"
                    + "fields(ip_src,ip_dst,udp_src,udp_dst),bucket=actions=output:2,bucket=actions=output:2");
            sw.flows("br0",
                    "table=0,priority=90,ip,nw_src=10.0.0.0/8,actions=fin_timeout(idle_timeout=5),resubmit(,1)",
                    "table=0,priority=0,actions=drop",
                    "table=1,priority=10,udp,nw_dst=10.1.0.0/16,actions=fin_timeout(hard_timeout=9),group:1",
                    "table=1,priority=0,actions=drop");
        });
    }

    private void churn(String what, java.util.function.Consumer<TestSwitch> rules) throws Exception {
        Path pcap = dir.resolve("churn.pcap");
        try (PcapWriter w = PcapWriter.open(pcap, 65535)) {
            for (int i = 0; i < FLOWS; i++) {
                // One flow in 16 hits the table-0 port rule, one in 8 misses table 1's prefix.
                String dst = (i & 7) == 7 ? "10.2.0." + (i & 0xff) : "10.1." + ((i >> 8) & 0xff) + "." + (i & 0xff);
                int sport = (i & 15) == 0 ? 1024 : 2000 + i;
                byte[] f = Frames.udp4().ip("10.0." + ((i >> 8) & 0xff) + "." + (i & 0xff), dst).ports(sport, 80)
                        .size(60).build();
                w.write(f, 0, f.length, i);
            }
        }
        try (TestSwitch sw = new TestSwitch().bridge("br0", 2, 0);
             MbufPool pool = MbufPool.create(MbufPoolConfig.of("upcall-alloc", 4096))) {
            rules.accept(sw);
            DatapathConfig config = DatapathConfig.defaults().withEmcInsertInvProb(0).withFlowLimit(FLOW_LIMIT);
            Datapath dp = new Datapath(config, pool, sw.ofproto.upcallHandler());
            try {
                dp.addPort(1, Netdevs.open(new NetdevConfig("pcap", "pcap", Map.of("file", pcap.toString()), pool)));
                dp.addPort(2, Netdevs.open(new NetdevConfig("null", "null", Map.of(), pool)));
                PmdAgent pmd = dp.pmd(0);

                // Warm up both paths: installs until the limit, execute-only after it, flushes.
                for (int i = 0; i < 5; i++) {
                    runUpcalls(pmd, 3L * FLOWS);
                    dp.flows().flush();
                }
                runUpcalls(pmd, 3L * FLOWS);
                assertThat(dp.ukeys().size()).isEqualTo(FLOW_LIMIT);

                long upcalls0 = upcalls(pmd);
                long atLimit = allocatedWhile(() -> runUpcalls(pmd, 200_000));
                long atLimitUpcalls = upcalls(pmd) - upcalls0;
                assertThat(dp.ukeys().size()).isEqualTo(FLOW_LIMIT);
                double perUpcall = (double) atLimit / atLimitUpcalls;
                System.out.printf("%s: upcalls at the flow limit: %d, %.3f heap bytes each%n", what, atLimitUpcalls,
                        perUpcall);
                assertThat(perUpcall).as("heap bytes per execute-only upcall").isLessThan(1.0);

                long upcalls1 = upcalls(pmd);
                long[] installs = new long[1];
                long churn = allocatedWhile(() -> {
                    for (int round = 0; round < ROUNDS; round++) {
                        dp.flows().flush();
                        runUpcalls(pmd, FLUSH_EVERY);
                        installs[0] += dp.ukeys().size();
                    }
                });
                long churnUpcalls = upcalls(pmd) - upcalls1;
                double perChurnUpcall = (double) churn / churnUpcalls;
                double perInstall = (double) churn / installs[0];
                System.out.printf(what + ": churn: %d upcalls, %d installs, %.1f heap bytes per upcall, %.0f per install%n",
                        churnUpcalls, installs[0], perChurnUpcall, perInstall);
                assertThat(installs[0]).isEqualTo((long) ROUNDS * FLOW_LIMIT);
                assertThat(perInstall).as("heap bytes per install (flushes included)")
                        .isLessThan(MAX_BYTES_PER_INSTALL);
                assertThat(perChurnUpcall).as("heap bytes per upcall under churn").isLessThan(MAX_BYTES_PER_UPCALL);
            } finally {
                dp.close();
            }
            pool.checkNoLeaks();
        }
    }

    private static long upcalls(PmdAgent pmd) {
        return pmd.stats().raw(PmdCounter.UPCALL_OK);
    }

    private static long allocatedWhile(Runnable r) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        r.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    /** Steps the PMD until it made {@code n} more upcalls; bounded by iterations and time. */
    private static void runUpcalls(PmdAgent pmd, long n) {
        long target = upcalls(pmd) + n;
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (long i = 0; i < 10 * n; i++) {
            if (upcalls(pmd) >= target) {
                return;
            }
            pmd.doWork();
            if ((i & 1023) == 0 && System.nanoTime() > deadline) {
                break;
            }
        }
        throw new AssertionError("PMD did not make " + n + " upcalls in time");
    }
}
