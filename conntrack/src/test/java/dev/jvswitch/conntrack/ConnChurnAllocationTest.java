package dev.jvswitch.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.testkit.frame.Frames;

/**
 * Connections ending as fast as others begin (the sweeper expiring UDP connections while batches
 * commit new ones, about 60 000 live): once the pool holds that many, a new connection is built
 * in a retired one's object, so setting it up allocates (almost) nothing on the heap; what is
 * left is the table's slot arrays rebuilt to clear tombstones, a few bytes per connection.
 */
class ConnChurnAllocationTest {
    private static final int SPORT = 34;
    private static final int DPORT = 36;

    @Test
    void newConnectionsInSteadyChurnAllocateAlmostNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("ct-churn", 40).withCacheSize(0))) {
            Conntrack ct = new Conntrack();
            CtContext ctx = ct.newContext();
            Mbuf[] batch = new Mbuf[32];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = CtTestPackets.load(pool, Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1, 1));
                batch[i].buffer().putShort(batch[i].dataOffset() + 40, (short) 0); // no UDP checksum
            }
            int[] next = {0};
            churn(ct, ctx, batch, next, 300_000); // the pool fills, the JIT compiles
            int live = ct.connectionCount();
            long created = ctx.created;
            long before = mx.getCurrentThreadAllocatedBytes();
            churn(ct, ctx, batch, next, 300_000);
            long bytes = mx.getCurrentThreadAllocatedBytes() - before;
            assertThat(ctx.created - created).isEqualTo(300_000);
            assertThat(ct.connectionCount()).as("as many live as before").isBetween(live - 2_000, live + 2_000);
            double perConnection = bytes / 300_000.0;
            System.out.printf("conntrack churn: %d heap bytes over 300000 new connections (%.1f each), %d live%n",
                    bytes, perConnection, live);
            assertThat(perConnection).as("heap bytes per new connection in steady churn").isLessThan(48);
            for (Mbuf m : batch) {
                pool.put(m);
            }
        }
    }

    /** {@code n} new connections, one per millisecond of tracker time, in batches of 32, swept every 1 024. */
    private static void churn(Conntrack ct, CtContext ctx, Mbuf[] batch, int[] next, int n) {
        for (int done = 0; done < n; done += batch.length) {
            for (Mbuf m : batch) {
                int c = next[0]++;
                m.clearCt();
                m.buffer().putShort(m.dataOffset() + SPORT, (short) (1024 + (c & 0x7fff)), ByteOrder.BIG_ENDIAN);
                m.buffer().putShort(m.dataOffset() + DPORT, (short) (1 + ((c >>> 15) & 0xffff)), ByteOrder.BIG_ENDIAN);
            }
            long nowMs = next[0];
            ct.executeBatch(ctx, batch, batch.length, 0, Conntrack.COMMIT, 0, 0, 0, 0, 0, 0, null, CtAlg.NONE, nowMs);
            assertThat(batch[0].ctState()).isEqualTo(CtState.NEW | CtState.TRK);
            if ((next[0] & 1023) == 0) {
                ct.sweep(nowMs, ct.bucketCount());
            }
        }
    }
}
