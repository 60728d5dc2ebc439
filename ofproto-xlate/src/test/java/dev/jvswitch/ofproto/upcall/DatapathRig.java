package dev.jvswitch.ofproto.upcall;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        HostSide.send(hosts.get(portNo), queue, cache, List.of(frames));
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
        for (Map.Entry<Integer, RingPort> e : hosts.entrySet()) {
            List<byte[]> got = HostSide.drain(e.getValue(), cache);
            if (!got.isEmpty()) {
                out.put(e.getKey(), got);
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
