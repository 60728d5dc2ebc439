package dev.jvswitch.pmd.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.mirror.PacketTap;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.Netdevs;
import dev.jvswitch.pmd.pcap.PcapWriter;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.testkit.frame.Frames;

/**
 * Invariant 6: the steady-state PMD loop — rx, parse, EMC or megaflow lookup, execute, tx —
 * allocates nothing on the Java heap. A PMD is stepped on this thread over a pcap port replaying
 * 1 000 flows (one megaflow each) into a null port, for a million packets served by the EMC and a
 * million served by the classifier, while the thread's allocated-bytes counter is watched; then a
 * million more with mirrors copying every received and sent packet.
 */
class PmdAllocationTest {
    private static final int FLOWS = 1000;
    private static final long PACKETS = 1_000_000;
    private static final long SLACK_BYTES = 1024;

    @TempDir
    Path dir;

    @Test
    void steadyStateLoopAllocatesNothing() throws Exception {
        Path pcap = dir.resolve("flows.pcap");
        try (PcapWriter w = PcapWriter.open(pcap, 65535)) {
            for (int i = 0; i < FLOWS; i++) {
                byte[] f = Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(1024 + i, 80).size(60).build();
                w.write(f, 0, f.length, i);
            }
        }
        TestUpcall upcall = TestUpcall.forward(2, FlowField.ETH_TYPE, FlowField.NW_PROTO, FlowField.TP_SRC);
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("alloc", 4096))) {
            Datapath dp = new Datapath(DatapathConfig.defaults().withEmcInsertInvProb(1), pool, upcall);
            try {
                dp.addPort(1, Netdevs.open(new NetdevConfig("pcap", "pcap", Map.of("file", pcap.toString()), pool)));
                dp.addPort(2, Netdevs.open(new NetdevConfig("null", "null", Map.of(), pool)));
                PmdAgent pmd = dp.pmd(0);

                runPackets(pmd, 3L * FLOWS);
                assertThat(upcall.upcalls.get()).isEqualTo(FLOWS);
                warmUp(pmd);
                long emcBefore = pmd.stats().get(PmdCounter.EMC_HITS);
                long emcBytes = allocatedWhile(pmd, PACKETS);
                assertThat(pmd.stats().get(PmdCounter.EMC_HITS) - emcBefore).isGreaterThanOrEqualTo(PACKETS);
                assertThat(emcBytes).as("heap bytes for %d EMC-hit packets", PACKETS).isLessThan(SLACK_BYTES);

                dp.reconfigure(dp.config().withEmcInsertInvProb(0));
                warmUp(pmd);
                long megaBefore = pmd.stats().get(PmdCounter.MEGAFLOW_HITS);
                long megaBytes = allocatedWhile(pmd, PACKETS);
                assertThat(pmd.stats().get(PmdCounter.MEGAFLOW_HITS) - megaBefore).isGreaterThanOrEqualTo(PACKETS);
                assertThat(megaBytes).as("heap bytes for %d megaflow-hit packets", PACKETS).isLessThan(SLACK_BYTES);
                assertThat(upcall.upcalls.get()).isEqualTo(FLOWS);

                // Mirrors on: every received packet copied (a writer thread drains that ring), every
                // sent one offered to a rate-bound tap nobody drains (its copies dropped, counted).
                PacketTap rxTap = new PacketTap(1 << 20, 128, 0);
                PacketTap txTap = new PacketTap(1 << 16, 2048, 50_000);
                dp.mirror("pcap", rxTap, null);
                dp.mirror("null", null, txTap);
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong drained = new AtomicLong();
                PacketTap.Sink sink = (t, len, buf, off, cap) -> drained.incrementAndGet();
                Thread writer = new Thread(() -> {
                    while (!stop.get()) {
                        if (rxTap.drain(sink, 256) == 0) {
                            Thread.onSpinWait();
                        }
                    }
                }, "tap-drain");
                writer.setDaemon(true);
                writer.start();
                try {
                    warmUp(pmd);
                    long mirrorBytes = allocatedWhile(pmd, PACKETS);
                    assertThat(mirrorBytes).as("heap bytes for %d mirrored packets", PACKETS).isLessThan(SLACK_BYTES);
                } finally {
                    stop.set(true);
                    writer.join(10_000);
                }
                assertThat(rxTap.copied() + rxTap.droppedFull()).as("every received packet offered").isGreaterThan(PACKETS);
                assertThat(rxTap.copied()).isGreaterThan(0);
                assertThat(drained.get()).isGreaterThan(0);
                assertThat(txTap.copied()).isGreaterThan(0);
                assertThat(txTap.droppedRate() + txTap.droppedFull()).isGreaterThan(0);
            } finally {
                dp.close();
            }
            pool.checkNoLeaks();
        }
    }

    /**
     * Runs long enough for every periodic task of the loop (housekeeping, the once-a-second
     * subtable re-sort) to have run and been compiled, so the measurement sees the steady state.
     */
    private static void warmUp(PmdAgent pmd) {
        long until = System.nanoTime() + 1_200_000_000L;
        while (System.nanoTime() < until) {
            runPackets(pmd, 100_000);
        }
    }

    private static long allocatedWhile(PmdAgent pmd, long packets) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        runPackets(pmd, packets);
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    /** Steps the PMD until it received {@code packets} more; bounded by iterations and time. */
    private static void runPackets(PmdAgent pmd, long packets) {
        long target = pmd.stats().raw(PmdCounter.RX_PACKETS) + packets;
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (long i = 0; i < 10 * packets; i++) {
            if (pmd.stats().raw(PmdCounter.RX_PACKETS) >= target) {
                return;
            }
            pmd.doWork();
            if ((i & 1023) == 0 && System.nanoTime() > deadline) {
                break;
            }
        }
        throw new AssertionError("PMD did not receive " + packets + " packets in time");
    }
}
