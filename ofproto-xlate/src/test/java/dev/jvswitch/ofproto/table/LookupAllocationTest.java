package dev.jvswitch.ofproto.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.syntax.FlowSyntax;

/**
 * Translation runs in the PMD thread, so a table lookup (hit, miss, staged miss) must not allocate
 * once warm: it only reads the immutable snapshot and writes the caller's key and mask.
 */
class LookupAllocationTest {
    private static final int LOOKUPS = 500_000;
    /** What reading the allocation counter itself may cost; not a per-lookup allowance. */
    private static final long SLACK_BYTES = 512;

    @Test
    void warmLookupsAllocateNothing() {
        OfTables.Transaction tx = OfTables.empty().edit();
        tx.add(Rule.of(FlowSyntax.parseAdd("priority=100,tcp,tp_dst=80,actions=output:1"), 0));
        tx.add(Rule.of(FlowSyntax.parseAdd("priority=90,in_port=2,ip,nw_dst=10.0.0.0/8,actions=output:2"), 0));
        tx.add(Rule.of(FlowSyntax.parseAdd("priority=50,ipv6,ipv6_src=2001:db8::/32,actions=output:3"), 0));
        tx.add(Rule.of(FlowSyntax.parseAdd("priority=0,actions=NORMAL"), 0));
        for (int i = 0; i < 1000; i++) {
            tx.add(Rule.of(FlowSyntax.parseAdd("priority=60,udp,nw_src=192.168." + (i / 256) + "." + (i % 256)
                    + ",tp_src=53,actions=output:4"), 0));
        }
        OfTables tables = tx.build();
        Random rnd = new Random(3);
        FlowKey[] keys = new FlowKey[64];
        for (int i = 0; i < keys.length; i++) {
            FlowKey k = new FlowKey().set(FlowField.IN_PORT, 1 + rnd.nextInt(3))
                    .set(FlowField.ETH_TYPE, rnd.nextBoolean() ? 0x0800 : 0x86dd)
                    .set(FlowField.NW_PROTO, rnd.nextBoolean() ? 6 : 17)
                    .set(FlowField.NW_SRC, rnd.nextBoolean() ? 0xc0a80000L + rnd.nextInt(1200) : rnd.nextInt() & 0xffffffffL)
                    .set(FlowField.NW_DST, rnd.nextInt() & 0xffffffffL).set(FlowField.TP_DST, rnd.nextBoolean() ? 80 : 81)
                    .set(FlowField.TP_SRC, 53);
            keys[i] = k;
        }
        FlowMask wc = new FlowMask();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();

        long warm = run(tables, keys, wc, 100_000);
        threads.getThreadAllocatedBytes(tid);
        long before = threads.getThreadAllocatedBytes(tid);
        long hits = run(tables, keys, wc, LOOKUPS);
        long after = threads.getThreadAllocatedBytes(tid);

        assertThat(warm).isPositive();
        assertThat(hits).isEqualTo(LOOKUPS);
        assertThat(after - before).as("bytes allocated by %d lookups", LOOKUPS).isLessThan(SLACK_BYTES);
    }

    private static long run(OfTables tables, FlowKey[] keys, FlowMask wc, int n) {
        long hits = 0;
        for (int i = 0; i < n; i++) {
            wc.clear();
            hits += tables.lookup(0, keys[i & 63], wc) != null ? 1 : 0;
        }
        return hits;
    }
}
