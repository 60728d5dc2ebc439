package dev.jvswitch.bench.jmh;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.parse.PacketParser;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.testkit.frame.Frames;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The parse stage: key extraction plus the 5-tuple and EMC hashes, per packet, over a burst of 32
 * mbufs holding the same frame (so the figure is the parser's, not the cache misses of a pktgen).
 *
 * <ul>
 *   <li>{@code udp4}: 64-byte Ethernet/IPv4/UDP.</li>
 *   <li>{@code tcp6}: Ethernet/IPv6/TCP, the smallest such frame (74 bytes).</li>
 *   <li>{@code vlan}: 64-byte 802.1Q-tagged IPv4/UDP.</li>
 *   <li>{@code vxlan}: a 64-byte IPv4/UDP frame inside VXLAN (114 bytes, outer headers parsed).</li>
 * </ul>
 */
public class ParseBenchmark extends AbstractBenchmark {
    private static final int BURST = PacketBatch.MAX_SIZE;

    @Param({"udp4", "tcp6", "vlan", "vxlan"})
    public String frame;

    private MbufPool pool;
    private final Mbuf[] mbufs = new Mbuf[BURST];
    private final FlowKey[] keys = new FlowKey[BURST];
    private final PacketParser parser = new PacketParser();

    static byte[] frame(String name) {
        switch (name) {
            case "udp4":
                return Frames.udp4().ports(1234, 5678).size(64).build();
            case "tcp6":
                return Frames.tcp6().ports(40000, 443).build();
            case "vlan":
                return Frames.udp4().vlan(100).ports(1234, 5678).size(64).build();
            case "vxlan":
                byte[] inner = Frames.udp4().src("00:00:00:00:00:0a").dst("00:00:00:00:00:0b")
                        .ip("192.168.0.1", "192.168.0.2").ports(1111, 2222).size(64).build();
                return Frames.udp4().ip("172.16.0.1", "172.16.0.2").ports(49152, 0).vxlan(42, inner).build();
            default:
                throw new IllegalArgumentException("unknown frame '" + name + "'");
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        pool = MbufPool.create(MbufPoolConfig.of("bench-parse", BURST));
        byte[] bytes = frame(frame);
        for (int i = 0; i < BURST; i++) {
            mbufs[i] = pool.get();
            if (!mbufs[i].copyFrom(bytes, 0, bytes.length)) {
                throw new IllegalStateException("frame '" + frame + "' does not fit an mbuf");
            }
            mbufs[i].inPort(1);
            keys[i] = new FlowKey();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Mbuf m : mbufs) {
            pool.put(m);
        }
        pool.checkNoLeaks();
        pool.close();
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int parseBurst() {
        int acc = 0;
        for (int i = 0; i < BURST; i++) {
            parser.parse(mbufs[i], keys[i]);
            acc += keys[i].hash();
        }
        return acc;
    }
}
