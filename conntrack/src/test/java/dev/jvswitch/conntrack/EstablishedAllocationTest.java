package dev.jvswitch.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.testkit.frame.Frames;

/** Tracking packets of established connections allocates nothing on the Java heap. */
class EstablishedAllocationTest {
    @Test
    void establishedUdpAndTcpPacketsAllocateNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("ct-alloc", 8).withCacheSize(0))) {
            Conntrack ct = new Conntrack();
            CtContext ctx = ct.newContext();
            Mbuf udpOrig = CtTestPackets.load(pool, Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1, 2));
            Mbuf udpReply = CtTestPackets.load(pool, Frames.udp4().ip("10.0.0.2", "10.0.0.1").ports(2, 1));
            Mbuf tcpSyn = CtTestPackets.load(pool, Frames.tcp4().ip("10.0.0.1", "10.0.0.2").ports(3, 4).tcpFlags(0x02).seq(1));
            Mbuf tcpSynAck = CtTestPackets.load(pool,
                    Frames.tcp4().ip("10.0.0.2", "10.0.0.1").ports(4, 3).tcpFlags(0x12).seq(100).ack(2).window(1000));
            Mbuf tcpAck = CtTestPackets.load(pool,
                    Frames.tcp4().ip("10.0.0.1", "10.0.0.2").ports(3, 4).tcpFlags(0x10).seq(2).ack(101).window(1000));
            ct.execute(ctx, udpOrig, 0, Conntrack.COMMIT, 0, 0, 0, 0, 0, 0, 1);
            ct.execute(ctx, tcpSyn, 0, Conntrack.COMMIT, 0, 0, 0, 0, 0, 0, 1);
            ct.execute(ctx, tcpSynAck, 0, 0, 0, 0, 0, 0, 0, 0, 1);
            for (int i = 0; i < 20_000; i++) { // warm up (JIT)
                step(ct, ctx, udpOrig, udpReply, tcpAck);
            }
            long before = mx.getCurrentThreadAllocatedBytes();
            int packets = 0;
            for (int i = 0; i < 100_000; i++) {
                step(ct, ctx, udpOrig, udpReply, tcpAck);
                packets += 3;
            }
            long bytes = mx.getCurrentThreadAllocatedBytes() - before;
            assertThat(udpReply.ctState()).isEqualTo(CtState.EST | CtState.RPL | CtState.TRK);
            assertThat(tcpAck.ctState()).isEqualTo(CtState.EST | CtState.TRK);
            System.out.printf("conntrack established: %d heap bytes over %d packets%n", bytes, packets);
            assertThat(bytes).as("heap bytes over %d established packets", packets).isLessThan(1024);
            for (Mbuf m : new Mbuf[] {udpOrig, udpReply, tcpSyn, tcpSynAck, tcpAck}) {
                pool.put(m);
            }
        }
    }

    @Test
    void establishedNattedPacketsAllocateNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("ct-nat-alloc", 8).withCacheSize(0))) {
            Conntrack ct = new Conntrack();
            CtContext ctx = ct.newContext();
            NatParams snat = new NatParams().set(NatParams.SRC, false, true, 0, 0xc0000264L, 0, 0, 5000, 5999);
            NatParams bare = new NatParams().bare();
            byte[] orig = Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1, 2).build();
            Mbuf m = CtTestPackets.load(pool, orig);
            ct.execute(ctx, m, 0, Conntrack.COMMIT, 0, 0, 0, 0, 0, 0, snat, 1);
            int port = m.buffer().getShort(m.dataOffset() + 34, java.nio.ByteOrder.BIG_ENDIAN) & 0xffff;
            byte[] reply = Frames.udp4().ip("10.0.0.2", "192.0.2.100").ports(2, port).build();
            for (int i = 0; i < 20_000; i++) { // warm up (JIT)
                natStep(ct, ctx, m, orig, reply, snat, bare);
            }
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 50_000; i++) {
                natStep(ct, ctx, m, orig, reply, snat, bare);
            }
            long bytes = mx.getCurrentThreadAllocatedBytes() - before;
            assertThat(m.ctState()).isEqualTo(CtState.EST | CtState.RPL | CtState.TRK | CtState.DNAT);
            assertThat(ct.connectionCount()).isEqualTo(1);
            System.out.printf("conntrack established NAT: %d heap bytes over %d packets%n", bytes, 100_000);
            assertThat(bytes).as("heap bytes over 100000 NATed established packets").isLessThan(1024);
            pool.put(m);
        }
    }

    /** The datapath's path: a batch of established packets through {@link Conntrack#executeBatch}. */
    @Test
    void establishedBatchesAllocateNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("ct-batch-alloc", 40).withCacheSize(0))) {
            Conntrack ct = new Conntrack();
            CtContext ctx = ct.newContext();
            Mbuf[] batch = new Mbuf[32];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = CtTestPackets.load(pool, Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1000 + i, 53));
            }
            ct.executeBatch(ctx, batch, batch.length, 0, Conntrack.COMMIT, 0, 0, 0, 0, 0, 0, null, CtAlg.NONE, 1);
            for (int i = 0; i < 5_000; i++) { // warm up (JIT)
                ct.executeBatch(ctx, batch, batch.length, 0, Conntrack.COMMIT, 0, 0, 0, 0, 0, 0, null, CtAlg.NONE, 2);
            }
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 5_000; i++) {
                ct.executeBatch(ctx, batch, batch.length, 0, Conntrack.COMMIT, 0, 0, 0, 0, 0, 0, null, CtAlg.NONE, 2);
            }
            long bytes = mx.getCurrentThreadAllocatedBytes() - before;
            assertThat(batch[31].ctState()).isEqualTo(CtState.EST | CtState.TRK);
            System.out.printf("conntrack established batches: %d heap bytes over %d packets%n", bytes, 5_000 * 32);
            assertThat(bytes).as("heap bytes over 160000 established packets in batches").isLessThan(1024);
            for (Mbuf m : batch) {
                pool.put(m);
            }
        }
    }

    /** One original-direction packet (committed again with its SNAT, as a pipeline does) and one reply. */
    private static void natStep(Conntrack ct, CtContext ctx, Mbuf m, byte[] orig, byte[] reply, NatParams snat,
            NatParams bare) {
        m.copyFrom(orig, 0, orig.length);
        m.headerOffsets(0, 14, -1);
        m.clearCt();
        ct.execute(ctx, m, 0, Conntrack.COMMIT, 0, 0, 0, 0, 0, 0, snat, 2);
        m.copyFrom(reply, 0, reply.length);
        m.headerOffsets(0, 14, -1);
        m.clearCt();
        ct.execute(ctx, m, 0, 0, 0, 0, 0, 0, 0, 0, bare, 2);
    }

    private static void step(Conntrack ct, CtContext ctx, Mbuf a, Mbuf b, Mbuf c) {
        ct.execute(ctx, a, 0, Conntrack.COMMIT, 0, 0, 0, 0, 0, 0, 2);
        ct.execute(ctx, b, 0, 0, 0, 0, 0, 0, 0, 0, 2);
        ct.execute(ctx, c, 0, 0, 0, 0, 0, 0, 0, 0, 2);
    }
}
