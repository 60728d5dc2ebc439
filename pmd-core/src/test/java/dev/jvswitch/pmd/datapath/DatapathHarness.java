package dev.jvswitch.pmd.datapath;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.CachedNanoClock;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.PmdAgent;
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
        PacketBatch batch = new PacketBatch();
        for (byte[] f : frames) {
            Mbuf m = cache.get();
            if (m == null) {
                throw new IllegalStateException("test pool exhausted");
            }
            m.copyFrom(f, 0, f.length);
            batch.add(m);
            if (batch.isFull()) {
                hosts.get(portNo - 1).txq(queue).send(batch, cache);
            }
        }
        if (!batch.isEmpty()) {
            hosts.get(portNo - 1).txq(queue).send(batch, cache);
        }
    }

    /** Receives everything datapath port {@code portNo} has sent so far, on every queue. */
    List<byte[]> receive(int portNo) {
        List<byte[]> out = new ArrayList<>();
        RingPort host = hosts.get(portNo - 1);
        PacketBatch batch = new PacketBatch();
        for (int q = 0; q < host.rxqCount(); q++) {
            int n;
            while ((n = host.rxq(q).recv(batch, cache)) > 0) {
                for (int i = 0; i < n; i++) {
                    out.add(batch.get(i).toByteArray());
                }
                cache.putAll(batch);
            }
        }
        return out;
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
