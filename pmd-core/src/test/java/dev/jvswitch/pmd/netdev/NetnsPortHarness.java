package dev.jvswitch.pmd.netdev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.frame.MarkedFrames;
import dev.jvswitch.testkit.netns.Peer;
import dev.jvswitch.testkit.netns.Topology;
import dev.jvswitch.testkit.sh.Await;

/**
 * Base of the tests that run a socket-based port type (AF_PACKET, AF_XDP) against real veth
 * pairs: the switch's end in the root namespace, the peer in a namespace made for the test, frames
 * sent and received there by a python raw socket. Namespaces, veths, ports and the pool are
 * cleaned up after each test whatever happens; each test ends with {@link #closeAndCheckNoLeaks()}.
 * A port module subclasses it once, naming its port type, pool and default options; published in
 * pmd-core's test-jar.
 *
 * @param <P> the port type's netdev class
 */
@Tag("netns")
public abstract class NetnsPortHarness<P extends Netdev> {
    protected static final Duration WAIT = Duration.ofSeconds(20);

    protected Topology topo;
    protected MbufPool pool;
    protected MbufCache cache;
    protected TestPmd pmd;
    protected final List<P> ports = new ArrayList<>();
    private ScheduledExecutorService control;

    /** The {@code type} the ports are opened with. */
    protected abstract String portType();

    /** The pool every test starts with. */
    protected abstract MbufPoolConfig defaultPool();

    /** The port class, to check what {@link Netdevs#open} returned. */
    protected abstract Class<P> portClass();

    /** Options added to every port the test did not set itself. */
    protected void defaultOptions(Map<String, String> options) {
    }

    /** The port type's own counters, for failure messages. */
    protected abstract String typeStats(P port);

    @BeforeEach
    protected void setUp() {
        Needs.that(Topology.available(), "root, ip and python3");
        topo = new Topology();
        usePool(defaultPool());
    }

    protected void usePool(MbufPoolConfig config) {
        if (pool != null) {
            pool.releaseCache(cache);
            pool.close();
        }
        pool = MbufPool.create(config);
        cache = pool.newCache();
        pmd = new TestPmd(cache);
    }

    @AfterEach
    protected void tearDown() {
        if (control != null) {
            control.shutdownNow();
        }
        try {
            for (P p : ports) {
                p.close();
            }
        } finally {
            if (topo != null) {
                topo.close();
            }
            if (pool != null) {
                pool.releaseCache(cache);
                pool.close();
            }
        }
    }

    /** Closes the ports and checks that every mbuf came back: the last step of every test. */
    protected void closeAndCheckNoLeaks() {
        for (P p : ports) {
            p.close();
        }
        cache.flush();
        pool.checkNoLeaks();
    }

    protected P open(String name, String ifname, Map<String, String> options) throws NetdevException {
        Map<String, String> all = new HashMap<>(options);
        all.put("ifname", ifname);
        defaultOptions(all);
        P port = portClass().cast(Netdevs.open(new NetdevConfig(name, portType(), all, pool)));
        ports.add(port);
        return port;
    }

    protected static NetdevStats stats(Netdev port) {
        NetdevStats s = new NetdevStats();
        port.readStats(s);
        return s;
    }

    protected static List<byte[]> everySize(int from, int to) {
        List<byte[]> frames = new ArrayList<>();
        for (int size = from; size <= to; size++) {
            frames.add(MarkedFrames.frame(size, size));
        }
        return frames;
    }

    /** Port counters for failure messages. */
    protected String dump(P port) {
        return port.name() + ": " + stats(port) + "; " + typeStats(port);
    }

    protected void assertSameFrames(List<byte[]> got, List<byte[]> expected, P port) {
        Map<Integer, byte[]> bySeq = new HashMap<>();
        for (byte[] f : got) {
            assertThat(bySeq.put(MarkedFrames.seq(f), f)).as("frame %d received twice", MarkedFrames.seq(f)).isNull();
        }
        assertThat(bySeq).as("frames received, %s", dump(port)).hasSameSizeAs(expected);
        for (byte[] f : expected) {
            assertThat(bySeq.get(MarkedFrames.seq(f))).as("frame %d (%d B)", MarkedFrames.seq(f), f.length).isEqualTo(f);
        }
    }

    /** Sends {@code frames} from the peer and polls rx queue 0 until {@code expected} marked frames arrived. */
    protected List<byte[]> receiveFromPeer(P port, Topology.Veth v, List<byte[]> frames, int expected) {
        try (Peer sender = Peer.sender(v.ns(), v.peer(), frames)) {
            List<byte[]> got = pmd.receive(port.rxq(0), expected, WAIT);
            sender.awaitExit(WAIT);
            return got;
        }
    }

    /** Sends {@code frames} out of the port's tx queue 0; returns the first {@code expected} marked frames the peer saw. */
    protected List<byte[]> sendToPeer(P port, Topology.Veth v, List<byte[]> frames, int expected) {
        try (Peer receiver = Peer.receiver(v.ns(), v.peer(), expected, WAIT)) {
            pmd.send(port.txq(0), frames);
            return receiver.awaitFrames(WAIT);
        }
    }

    /** Sockets this process holds open (pipes to helper processes come and go; sockets are ours). */
    protected static long openSockets() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // closed while we looked
                }
            }).count();
        }
    }

    /** Mappings of socket memory (packet rings, XDP rings) in this process. */
    protected static long mappedRings() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains("socket:[")).count();
    }

    /** Starts a control thread that refreshes {@code refreshed} every 50 ms, as the daemon does. */
    @SafeVarargs
    protected final void startControl(P... refreshed) {
        control = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "test-control");
            t.setDaemon(true);
            return t;
        });
        control.scheduleWithFixedDelay(() -> {
            for (P p : refreshed) {
                p.refresh();
            }
        }, 50, 50, TimeUnit.MILLISECONDS);
    }

    /** Stops the control thread and waits until its last refresh is over. */
    protected void stopControlAndWait() throws InterruptedException {
        control.shutdown();
        assertThat(control.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Polls and sends on {@code port} (as a PMD would) until {@code condition} holds; received frames are freed. */
    protected void pollUntil(P port, BooleanSupplier condition, String what) {
        Await.until(WAIT, () -> {
            pmd.poll(port.rxq(0), 0, f -> false, new ArrayList<>());
            pmd.send(port.txq(0), List.of(MarkedFrames.frame(60, 999)));
            return condition.getAsBoolean();
        }, () -> what + "; " + dump(port));
    }
}
