package dev.jvswitch.flowcache.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.testing.FrameGenerators;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import org.junit.jupiter.api.Test;

/** The parse stage allocates nothing on the heap, for any kind of frame (design invariant 6). */
class PacketParserAllocationTest {

    @Test
    void parsingAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<byte[]> frames = FrameGenerators.referenceFrames();
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("alloc-test", frames.size()))) {
            Mbuf[] mbufs = new Mbuf[frames.size()];
            for (int i = 0; i < mbufs.length; i++) {
                mbufs[i] = pool.get();
                mbufs[i].copyFrom(frames.get(i), 0, frames.get(i).length);
            }
            PacketParser parser = new PacketParser();
            FlowKey key = new FlowKey();
            int rounds = 20_000;
            // The first rounds load and initialise classes on this thread, which allocates; measure after.
            // On a loaded machine the JIT may still be compiling during a window; steady state is
            // the quietest of up to 10 windows.
            int acc = parseAll(parser, mbufs, key, rounds);
            long tid = Thread.currentThread().getId();
            long allocated = Long.MAX_VALUE;
            for (int window = 0; window < 10 && allocated >= 1024; window++) {
                long before = threads.getThreadAllocatedBytes(tid);
                acc += parseAll(parser, mbufs, key, rounds);
                allocated = Math.min(allocated, threads.getThreadAllocatedBytes(tid) - before);
            }
            assertThat(allocated).as("bytes allocated by %d parses (acc %d)", rounds * mbufs.length, acc)
                    .isLessThan(1024);
            for (Mbuf m : mbufs) {
                pool.put(m);
            }
            pool.checkNoLeaks();
        }
    }

    private static int parseAll(PacketParser parser, Mbuf[] mbufs, FlowKey key, int rounds) {
        int acc = 0;
        for (int r = 0; r < rounds; r++) {
            for (Mbuf m : mbufs) {
                parser.parse(m, key);
                acc += key.hash();
            }
        }
        return acc;
    }
}
