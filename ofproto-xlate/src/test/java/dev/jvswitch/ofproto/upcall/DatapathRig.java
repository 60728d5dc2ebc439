package dev.jvswitch.ofproto.upcall;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * A real {@link Datapath} over ring ports, its PMDs stepped by hand on the test thread: datapath
 * port N is one side of a ring pair whose other side the test sends into and receives from.
 * Closing it closes everything and fails if an mbuf leaked.
 */
public final class DatapathRig implements AutoCloseable {
    public final MbufPool pool;
    public final CachedNanoClock clock = new CachedNanoClock();
    public final Datapath dp;
    private final MbufCache cache;
    private final Map<Integer, RingPort> hosts = new LinkedHashMap<>();
    private final List<RingPorts.Pair> pairs = new ArrayList<>();

    public DatapathRig(DatapathConfig config, UpcallHandler handler, int... portNumbers) {
        this(config, handler, 1, portNumbers);
    }

    /** Every port with {@code queues} rx and tx queues. */
    public DatapathRig(DatapathConfig config, UpcallHandler handler, int queues, int[] portNumbers) {
        pool = MbufPool.create(MbufPoolConfig.of("rig", 8192));
        cache = pool.newCache();
        clock.update(1_000_000_000L);
        dp = new Datapath(config, pool, handler, clock);
        for (int no : portNumbers) {
            RingPorts.Pair pair = RingPorts.pair("dp" + no, "host" + no, queues, 1024);
            pairs.add(pair);
            hosts.put(no, pair.b());
            dp.addPort(no, pair.a());
        }
    }

    /** Sends frames into datapath port {@code portNo}, rx queue 0. */
    public void send(int portNo, byte[]... frames) {
        sendOnQueue(portNo, 0, frames);
    }

    /** Sends frames into rx queue {@code queue} of datapath port {@code portNo}. */
    public void sendOnQueue(int portNo, int queue, byte[]... frames) {
        PacketBatch batch = new PacketBatch();
        for (byte[] f : frames) {
            Mbuf m = cache.get();
            if (m == null) {
                throw new IllegalStateException("rig pool exhausted");
            }
            m.copyFrom(f, 0, f.length);
            batch.add(m);
            if (batch.isFull()) {
                hosts.get(portNo).txq(queue).send(batch, cache);
            }
        }
        if (!batch.isEmpty()) {
            hosts.get(portNo).txq(queue).send(batch, cache);
        }
    }

    /** Steps every PMD {@code times} iterations, the clock 1 us further each time. */
    public void step(int times) {
        for (int i = 0; i < times; i++) {
            clock.advance(1_000);
            for (PmdAgent pmd : dp.pmds()) {
                pmd.doWork();
            }
        }
    }

    /** Everything each port has sent since the last call, by port (only ports that sent). */
    public Map<Integer, List<byte[]>> receiveAll() {
        Map<Integer, List<byte[]>> out = new LinkedHashMap<>();
        PacketBatch batch = new PacketBatch();
        for (Map.Entry<Integer, RingPort> e : hosts.entrySet()) {
            for (int q = 0; q < e.getValue().rxqCount(); q++) {
                int n;
                while ((n = e.getValue().rxq(q).recv(batch, cache)) > 0) {
                    for (int i = 0; i < n; i++) {
                        out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(batch.get(i).toByteArray());
                    }
                    cache.putAll(batch);
                }
            }
        }
        return out;
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
