package dev.jvswitch.pmd.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.NanoClock;

import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.DatapathConfig;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.port.RingPort;
import dev.jvswitch.pmd.port.RingPorts;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.pmd.upcall.UpcallHandler;

/**
 * A real {@link Datapath} over ring ports, for the tests of every module above pmd-core: datapath
 * port N is one side of a ring pair whose other side ("host N") the test sends into and receives
 * from. The PMDs run no threads unless the test starts them; the test steps them with
 * {@link #step} on its own thread under a test clock it advances itself (1 µs per iteration, and
 * {@link #advanceMs}). A test that starts PMD threads passes a real clock instead.
 * {@link #close()} closes everything and fails if an mbuf leaked.
 *
 * <p>Defaults: ports 1..N, one queue each, rings of 1024, a pool of 8192 mbufs, a test clock at
 * 1 s. {@link #builder} changes any of them.
 *
 * <p><b>Thread-safety:</b> for the test thread. With PMD threads started, only the datapath's own
 * API may be called from the test thread while they run; {@link #step} and the host sides are
 * then the PMDs' to touch.
 */
public class DatapathHarness implements AutoCloseable {
    public final MbufPool pool;
    public final MbufCache cache;
    public final NanoClock clock;
    public final Datapath dp;
    private final List<RingPorts.Pair> pairs = new ArrayList<>();
    private final Map<Integer, RingPort> hosts = new LinkedHashMap<>();

    /** Datapath ports 1..{@code ports}, one queue each, under a test clock. */
    public DatapathHarness(DatapathConfig config, UpcallHandler handler, int ports) {
        this(builder(config, handler).ports(ports));
    }

    /** Datapath ports 1..{@code ports}, {@code queues} rx and tx queues each, under a test clock. */
    public DatapathHarness(DatapathConfig config, UpcallHandler handler, int ports, int queues) {
        this(builder(config, handler).ports(ports).queues(queues));
    }

    protected DatapathHarness(Builder b) {
        clock = b.clock != null ? b.clock : newTestClock();
        pool = MbufPool.create(MbufPoolConfig.of("harness", b.mbufs));
        cache = pool.newCache();
        dp = new Datapath(b.config, pool, b.handler, clock);
        for (int no : b.portNumbers) {
            RingPorts.Pair pair = RingPorts.pair("p" + no, "h" + no, b.queues, b.ringSize);
            pairs.add(pair);
            hosts.put(no, pair.b());
            dp.addPort(no, pair.a());
        }
    }

    public static Builder builder(DatapathConfig config, UpcallHandler handler) {
        return new Builder(config, handler);
    }

    /** A test clock at 1 s, for a harness and whatever else (a slow path) shares its clock. */
    public static CachedNanoClock newTestClock() {
        CachedNanoClock c = new CachedNanoClock();
        c.update(1_000_000_000L);
        return c;
    }

    public PmdAgent pmd() {
        return dp.pmd(0);
    }

    /** The host side of datapath port {@code portNo}. */
    public RingPort host(int portNo) {
        RingPort h = hosts.get(portNo);
        if (h == null) {
            throw new IllegalArgumentException("no datapath port " + portNo + " in this harness");
        }
        return h;
    }

    /** Sends frames into datapath port {@code portNo}, rx queue 0; returns how many the ring took. */
    public int send(int portNo, byte[]... frames) {
        return sendOnQueue(portNo, 0, frames);
    }

    public int send(int portNo, List<byte[]> frames) {
        return HostSide.send(host(portNo), 0, cache, frames);
    }

    /** Sends frames into rx queue {@code queue} of datapath port {@code portNo}. */
    public int sendOnQueue(int portNo, int queue, byte[]... frames) {
        return HostSide.send(host(portNo), queue, cache, List.of(frames));
    }

    /** Receives everything datapath port {@code portNo} has sent so far, on every queue. */
    public List<byte[]> receive(int portNo) {
        return HostSide.drain(host(portNo), cache);
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

    /** Steps every PMD {@code times} iterations, advancing a test clock 1 µs per iteration. */
    public void step(int times) {
        for (int i = 0; i < times; i++) {
            advanceNs(1_000);
            for (PmdAgent pmd : dp.pmds()) {
                pmd.doWork();
            }
        }
    }

    /** Steps until no PMD receives anything more and every command queue is empty (bounded). */
    public void stepUntilIdle() {
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

    /** Packets received by every PMD so far. */
    public long rxPackets() {
        long total = 0;
        for (PmdAgent pmd : dp.pmds()) {
            total += pmd.stats().raw(PmdCounter.RX_PACKETS);
        }
        return total;
    }

    public void advanceMs(long ms) {
        advanceNs(ms * 1_000_000L);
    }

    /** Moves a test clock on; a real clock moves by itself. */
    public void advanceNs(long ns) {
        if (clock instanceof CachedNanoClock c) {
            c.advance(ns);
        }
    }

    public long nowMs() {
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

    /** What a harness is made of; every setting has the default the class comment gives. */
    public static final class Builder {
        private final DatapathConfig config;
        private final UpcallHandler handler;
        private NanoClock clock;
        private int[] portNumbers = {1, 2};
        private int queues = 1;
        private int ringSize = 1024;
        private int mbufs = 8192;

        private Builder(DatapathConfig config, UpcallHandler handler) {
            this.config = config;
            this.handler = handler;
        }

        /** The datapath's clock; without one, a {@link #newTestClock() test clock}. */
        public Builder clock(NanoClock c) {
            clock = c;
            return this;
        }

        /** Datapath ports 1..{@code count}. */
        public Builder ports(int count) {
            portNumbers = new int[count];
            for (int i = 0; i < count; i++) {
                portNumbers[i] = i + 1;
            }
            return this;
        }

        /** Datapath ports with exactly these numbers. */
        public Builder portNumbers(int... numbers) {
            portNumbers = numbers.clone();
            return this;
        }

        /** Rx and tx queues of every port. */
        public Builder queues(int n) {
            queues = n;
            return this;
        }

        /** Slots of every ring. */
        public Builder ringSize(int slots) {
            ringSize = slots;
            return this;
        }

        public Builder mbufs(int n) {
            mbufs = n;
            return this;
        }

        public DatapathHarness build() {
            return new DatapathHarness(this);
        }
    }
}
