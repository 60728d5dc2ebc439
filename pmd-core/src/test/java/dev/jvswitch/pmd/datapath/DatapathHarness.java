package dev.jvswitch.pmd.datapath;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.CachedNanoClock;

import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.port.HostSide;
import dev.jvswitch.pmd.port.RingPort;
import dev.jvswitch.pmd.port.RingPorts;
import dev.jvswitch.pmd.upcall.UpcallHandler;

/**
 * A datapath over ring ports for tests: port N of the datapath is one side of a ring pair whose
 * other side ("host N") the test sends on and receives from. The PMDs run no threads; the test
 * steps them with {@link #step} on its own thread, under a test clock it advances itself.
 */
final class DatapathHarness implements AutoCloseable {
    final MbufPool pool;
    final MbufCache cache;
    final CachedNanoClock clock = new CachedNanoClock();
    final Datapath dp;
    private final List<RingPorts.Pair> pairs = new ArrayList<>();
    private final List<RingPort> hosts = new ArrayList<>();

    DatapathHarness(DatapathConfig config, UpcallHandler handler, int ports) {
        this(config, handler, ports, 1);
    }

    DatapathHarness(DatapathConfig config, UpcallHandler handler, int ports, int queues) {
        pool = MbufPool.create(MbufPoolConfig.of("dp-test", 8192));
        cache = pool.newCache();
        clock.update(1_000_000_000L);
        dp = new Datapath(config, pool, handler, clock);
        for (int no = 1; no <= ports; no++) {
            RingPorts.Pair pair = RingPorts.pair("p" + no, "h" + no, queues, 1024);
            pairs.add(pair);
            hosts.add(pair.b());
            dp.addPort(no, pair.a());
        }
    }

    PmdAgent pmd() {
        return dp.pmd(0);
    }

    /** Sends frames into datapath port {@code portNo} (through its host side), on queue 0. */
    void send(int portNo, byte[]... frames) {
        sendOnQueue(portNo, 0, frames);
    }

    void sendOnQueue(int portNo, int queue, byte[]... frames) {
        HostSide.send(hosts.get(portNo - 1), queue, cache, List.of(frames));
    }

    /** Receives everything datapath port {@code portNo} has sent so far, on every queue. */
    List<byte[]> receive(int portNo) {
        return HostSide.drain(hosts.get(portNo - 1), cache);
    }

    /** Steps every PMD {@code times} iterations, advancing the clock 1 us per iteration. */
    void step(int times) {
        for (int i = 0; i < times; i++) {
            clock.advance(1_000);
            for (PmdAgent pmd : dp.pmds()) {
                pmd.doWork();
            }
        }
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
