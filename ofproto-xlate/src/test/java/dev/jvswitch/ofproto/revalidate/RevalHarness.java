package dev.jvswitch.ofproto.revalidate;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.NanoClock;

import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.port.HostSide;
import dev.jvswitch.pmd.port.RingPort;
import dev.jvswitch.pmd.port.RingPorts;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.pmd.upcall.UpcallHandler;

/**
 * A datapath over ring ports for revalidator tests (after pmd-core's {@code DatapathHarness}):
 * port N of the datapath is one side of a ring pair whose other side ("host N") the test sends on
 * and receives from. The PMDs run no threads unless the test starts them; the test steps them
 * with {@link #step} under a test clock it advances itself ({@link #advanceMs}). Tests that start
 * PMD threads pass a real clock.
 */
final class RevalHarness implements AutoCloseable {
    final MbufPool pool;
    final MbufCache cache;
    final NanoClock clock;
    final Datapath dp;
    private final List<RingPorts.Pair> pairs = new ArrayList<>();
    private final List<RingPort> hosts = new ArrayList<>();

    /** A test clock at 1 s, for a harness and the slow path that shares its clock. */
    static CachedNanoClock newClock() {
        CachedNanoClock c = new CachedNanoClock();
        c.update(1_000_000_000L);
        return c;
    }

    RevalHarness(NanoClock clock, DatapathConfig config, UpcallHandler handler, int ports) {
        this(clock, config, handler, ports, 1024, 8192);
    }

    RevalHarness(NanoClock clock, DatapathConfig config, UpcallHandler handler, int ports, int ringSize,
                 int mbufs) {
        this.clock = clock;
        pool = MbufPool.create(MbufPoolConfig.of("reval-test", mbufs));
        cache = pool.newCache();
        dp = new Datapath(config, pool, handler, clock);
        for (int no = 1; no <= ports; no++) {
            RingPorts.Pair pair = RingPorts.pair("p" + no, "h" + no, 1, ringSize);
            pairs.add(pair);
            hosts.add(pair.b());
            dp.addPort(no, pair.a());
        }
    }

    PmdAgent pmd() {
        return dp.pmd(0);
    }

    RingPort host(int portNo) {
        return hosts.get(portNo - 1);
    }

    /** Sends frames into datapath port {@code portNo} through its host side; returns how many fit. */
    int send(int portNo, List<byte[]> frames) {
        return HostSide.send(host(portNo), 0, cache, frames);
    }

    int send(int portNo, byte[]... frames) {
        return send(portNo, List.of(frames));
    }

    /** Receives everything datapath port {@code portNo} has sent so far. */
    List<byte[]> receive(int portNo) {
        return HostSide.drain(host(portNo), cache);
    }

    /** Steps every PMD {@code times} iterations, advancing the clock 1 us per iteration. */
    void step(int times) {
        for (int i = 0; i < times; i++) {
            advanceNs(1_000);
            for (PmdAgent pmd : dp.pmds()) {
                pmd.doWork();
            }
        }
    }

    /** Steps until no PMD receives anything more and every command queue is empty (bounded). */
    void stepUntilIdle() {
        for (int i = 0; i < 10_000; i++) {
            long before = rxPackets();
            step(1);
            boolean idle = rxPackets() == before;
            for (PmdAgent pmd : dp.pmds()) {
                idle &= pmd.proxy().isEmpty();
            }
            if (idle) {
                return;
            }
        }
        throw new IllegalStateException("datapath did not go idle in 10 000 iterations");
    }

    long rxPackets() {
        long total = 0;
        for (PmdAgent pmd : dp.pmds()) {
            total += pmd.stats().raw(PmdCounter.RX_PACKETS);
        }
        return total;
    }

    void advanceMs(long ms) {
        advanceNs(ms * 1_000_000L);
    }

    /** Moves a test clock on; a real clock moves by itself. */
    private void advanceNs(long ns) {
        if (clock instanceof CachedNanoClock c) {
            c.advance(ns);
        }
    }

    long nowMs() {
        return clock.nanoTime() / 1_000_000L;
    }

    @Override
    public void close() {
        dp.close();
        for (RingPorts.Pair p : pairs) {
            p.close();
        }
        pool.releaseCache(cache);
        try {
            pool.checkNoLeaks();
        } finally {
            pool.close();
        }
    }
}
