package dev.jvswitch.bench.jmh;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.exec.ActionExecutor;
import dev.jvswitch.pmd.exec.ExecContext;
import dev.jvswitch.pmd.stats.DropReason;
import dev.jvswitch.pmd.tunnel.TunnelOps;

/**
 * The execute stage, per packet, over batches of 32 minimum-size IPv4/UDP frames that all
 * matched one megaflow. Each invocation refills the batch the way rx would (32 mbufs from the
 * cache, 60 bytes copied into each) and the context frees what is output, as tx would; the
 * {@code refillOnly} benchmark measures that harness alone, to subtract.
 *
 * <p>Results: ns/op is per packet; {@code -prof gc} must show gc.alloc.rate.norm ~0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ExecuteBenchmark {
    private static final int BATCH = PacketBatch.MAX_SIZE;

    private MbufPool pool;
    private MbufCache cache;
    private FreeingContext ctx;
    private final ActionExecutor executor = new ActionExecutor();
    private final PacketBatch batch = new PacketBatch();
    private final byte[] frame = udpFrame();
    private final DpActions output = DpActions.parse("2");
    private final DpActions setIpv4DstAndOutput = DpActions.parse("set(ipv4(dst=192.168.1.1)),2");
    private final DpActions pushVlanAndOutput = DpActions.parse("push_vlan(vid=10,pcp=0),2");

    /** Frees what it is given and counts: the cheapest possible PMD. */
    static final class FreeingContext implements ExecContext {
        private final MbufCache cache;
        long outputs;
        long drops;

        FreeingContext(MbufCache cache) {
            this.cache = cache;
        }

        @Override
        public void output(int port, Mbuf m) {
            outputs++;
            cache.put(m);
        }

        @Override
        public void recirculate(Mbuf m) {
            cache.put(m);
        }

        @Override
        public TunnelOps tunnelOps(int port) {
            return null;
        }

        @Override
        public int portMtu(int port) {
            return 0;
        }

        @Override
        public MbufCache cache() {
            return cache;
        }

        @Override
        public void countDrop(DropReason reason) {
            drops++;
        }
    }

    @Setup
    public void setUp() {
        pool = MbufPool.create(MbufPoolConfig.of("bench-exec", 1024));
        cache = pool.newCache();
        ctx = new FreeingContext(cache);
    }

    @TearDown
    public void tearDown() {
        cache.flush();
        pool.releaseCache(cache);
        pool.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void refillOnly() {
        refill();
        cache.putAll(batch);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void output() {
        refill();
        executor.execute(output, batch, ctx);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void setIpv4DstOutput() {
        refill();
        executor.execute(setIpv4DstAndOutput, batch, ctx);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void pushVlanOutput() {
        refill();
        executor.execute(pushVlanAndOutput, batch, ctx);
    }

    /** What rx and the parser leave behind: 32 mbufs holding the frame, offsets and hash set. */
    private void refill() {
        int got = cache.getBulk(batch.array(), 0, BATCH);
        batch.setSize(got);
        for (int i = 0; i < got; i++) {
            Mbuf m = batch.get(i);
            m.copyFrom(frame, 0, frame.length);
            m.headerOffsets(0, 14, 34);
            m.rssHash(i);
        }
    }

    /** 60 bytes: Ethernet, IPv4 10.0.0.1 -> 10.0.0.2, UDP 1234 -> 80, 18 bytes of payload. */
    private static byte[] udpFrame() {
        ByteBuffer b = ByteBuffer.allocate(60);
        b.putShort((short) 0x0200).putInt(2).putShort((short) 0x0200).putInt(1).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 46).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 17).putShort((short) 0).putInt(0x0a000001).putInt(0x0a000002);
        b.putShort((short) 1234).putShort((short) 80).putShort((short) 26).putShort((short) 0);
        byte[] bytes = b.array();
        int ipSum = 0;
        for (int i = 14; i < 34; i += 2) {
            ipSum += (bytes[i] & 0xff) << 8 | (bytes[i + 1] & 0xff);
        }
        putChecksum(bytes, 24, ipSum);
        int udpSum = 17 + 26;
        for (int i = 26; i < 60; i += 2) { // addresses (pseudo-header), then the UDP header and payload
            udpSum += (bytes[i] & 0xff) << 8 | (bytes[i + 1] & 0xff);
        }
        putChecksum(bytes, 40, udpSum);
        return bytes;
    }

    private static void putChecksum(byte[] b, int at, int sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        int csum = ~sum & 0xffff;
        b[at] = (byte) (csum >>> 8);
        b[at + 1] = (byte) csum;
    }
}
