package dev.jvswitch.pmd.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.stats.DropReason;
import dev.jvswitch.pmd.tunnel.TunnelOps;

/** A million packets through {@link ActionExecutor#execute} in steady state allocate nothing. */
class ExecuteAllocationTest {
    private static final int WARMUP_PACKETS = 320_000;
    private static final int MEASURED_PACKETS = 1_000_000;
    /** ThreadMXBean's own bookkeeping may show a few bytes; anything per packet would show megabytes. */
    private static final long SLACK_BYTES = 4096;
    private static final long DEADLINE_NS = 120_000_000_000L;

    /** Frees everything it is handed and counts, as a PMD's tx buffer would, without allocating. */
    private static final class CountingContext implements ExecContext {
        private final MbufCache cache;
        long outputs;
        long recirculated;
        final long[] drops = new long[DropReason.count()];

        CountingContext(MbufCache cache) {
            this.cache = cache;
        }

        @Override
        public void output(int port, Mbuf m) {
            outputs++;
            cache.put(m);
        }

        @Override
        public void recirculate(Mbuf m) {
            recirculated++;
            cache.put(m);
        }

        @Override
        public TunnelOps tunnelOps(int port) {
            return null;
        }

        @Override
        public int portMtu(int port) {
            return 1500;
        }

        @Override
        public MbufCache cache() {
            return cache;
        }

        @Override
        public void countDrop(DropReason reason) {
            drops[reason.id()]++;
        }
    }

    @Test
    void steadyStateExecuteAllocatesNothing() {
        inPool("exec-alloc", cache -> {
            CountingContext ctx = new CountingContext(cache);
            DpActions setAndOutput = DpActions.parse("set(ipv4(src=192.168.0.1,dst=192.168.0.2)),set(tcp(dst=8080)),2");
            DpActions everythingElse = DpActions.parse(
                    "push_vlan(vid=10,pcp=0),3,pop_vlan,set(ipv6(hlimit=1)),clone(hash(l4(7)),recirc(0x1)),4");
            long allocated = allocatedBytes(setAndOutput, everythingElse, new ActionExecutor(), ctx, cache);

            assertThat(allocated).as("bytes allocated for %d packets", MEASURED_PACKETS).isLessThan(SLACK_BYTES);
            // Half the batches ran each program: 1 output each, and 2 outputs + 1 recirc each.
            long packets = WARMUP_PACKETS + MEASURED_PACKETS;
            assertThat(ctx.outputs).isEqualTo(packets / 2 + packets);
            assertThat(ctx.recirculated).isEqualTo(packets / 2);
            assertThat(ctx.drops[DropReason.NO_MBUF.id()]).isZero();
        });
    }

    /** The meter action too: a band that drops part of every batch, refilled by the clock, allocates nothing. */
    @Test
    void meteredExecuteAllocatesNothing() {
        inPool("exec-alloc-meter", cache -> {
            CountingContext ctx = new CountingContext(cache);
            dev.jvswitch.pmd.meter.DpMeters meters = new dev.jvswitch.pmd.meter.DpMeters();
            meters.set(0, new dev.jvswitch.pmd.meter.DpMeter(true, new long[] {1_000_000, 50_000_000},
                    new long[] {16, 1_000}));
            meters.set(1, new dev.jvswitch.pmd.meter.DpMeter(false, new long[] {10_000_000}, new long[] {0}));
            ActionExecutor executor = new ActionExecutor(new dev.jvswitch.conntrack.Conntrack(), meters);
            long allocated = allocatedBytes(DpActions.parse("meter(0),2"),
                    DpActions.parse("meter(1),set(tcp(dst=8080)),2"), executor, ctx, cache);

            assertThat(allocated).as("bytes allocated for %d metered packets", MEASURED_PACKETS).isLessThan(SLACK_BYTES);
            assertThat(ctx.drops[DropReason.METER.id()]).as("the 16-packet burst drops part of a batch").isPositive();
            assertThat(ctx.outputs + ctx.drops[DropReason.METER.id()]).isEqualTo(WARMUP_PACKETS + MEASURED_PACKETS);
        });
    }

    /** Runs {@code body} with a cache of a fresh pool, then checks that every mbuf came back. */
    private static void inPool(String name, java.util.function.Consumer<MbufCache> body) {
        MbufPool pool = MbufPool.create(MbufPoolConfig.of(name, 2048));
        MbufCache cache = pool.newCache();
        try {
            body.accept(cache);
        } finally {
            cache.flush();
            pool.releaseCache(cache);
            pool.checkNoLeaks();
            pool.close();
        }
    }

    /** Warms up, then returns the heap bytes this thread allocated running programs a and b in turn. */
    private static long allocatedBytes(DpActions a, DpActions b, ActionExecutor executor, CountingContext ctx,
            MbufCache cache) {
        PacketBatch batch = new PacketBatch();
        TestFrame.Frame frame = TestFrame.ipv4(TestFrame.TCP).payload(64).build();
        long deadline = System.nanoTime() + DEADLINE_NS;
        pump(WARMUP_PACKETS, frame, a, b, executor, batch, ctx, cache, deadline);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        pump(MEASURED_PACKETS, frame, a, b, executor, batch, ctx, cache, deadline);
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private static void pump(int packets, TestFrame.Frame frame, DpActions a, DpActions b, ActionExecutor executor,
            PacketBatch batch, CountingContext ctx, MbufCache cache, long deadline) {
        byte[] bytes = frame.bytes();
        for (int done = 0, round = 0; done < packets; done += PacketBatch.MAX_SIZE, round++) {
            int got = cache.getBulk(batch.array(), 0, PacketBatch.MAX_SIZE);
            if (got != PacketBatch.MAX_SIZE) { // no AssertJ here: it would allocate inside the measurement
                throw new AssertionError("pool ran dry after " + done + " packets");
            }
            batch.setSize(got);
            for (int i = 0; i < got; i++) {
                Mbuf m = batch.get(i);
                m.copyFrom(bytes, 0, bytes.length);
                m.headerOffsets(frame.l2(), frame.l3(), frame.l4());
                m.rssHash(i);
            }
            executor.execute((round & 1) == 0 ? a : b, batch, ctx);
            if ((round & 0xfff) == 0 && System.nanoTime() > deadline) {
                throw new AssertionError("allocation test exceeded its time budget after " + done + " packets");
            }
        }
    }
}
