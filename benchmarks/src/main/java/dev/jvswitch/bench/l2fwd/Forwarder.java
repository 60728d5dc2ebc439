package dev.jvswitch.bench.l2fwd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import dev.jvswitch.afpacket.AfPacketProvider;
import dev.jvswitch.bench.cli.Threads;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.Netdevs;

/**
 * A forwarder between port 1 and port 2 that one thread steps, in either {@link FwdMode}: what
 * {@code jvs-bench l2fwd} and the forwarding benchmark ({@code afpacket-fwd}) run, over AF_PACKET
 * or AF_XDP ports. Subclasses say what one
 * step does ({@link IoForwarder}: receive and send straight back out of the other port;
 * {@link SwitchForwarder}: one PMD of a datapath); this class owns the loop both share.
 *
 * <p><b>Life cycle.</b>
 * <ol>
 *   <li>Construction (any thread) takes ownership of both ports.</li>
 *   <li>{@link #onStart()} on the stepping thread: pins it to the CPU asked for, takes
 *       per-thread resources.</li>
 *   <li>{@link #run} as many times as wanted (a warm-up, then a measured run) on that thread.</li>
 *   <li>{@link #onClose()} on that thread: flushes output, gives mbufs back.</li>
 *   <li>{@link #close()} on any thread once the stepping thread is done: closes the ports.</li>
 * </ol>
 * {@link #runAll} and {@link #runAllOnNewThread} do steps 2 to 4.
 *
 * <p><b>Link state.</b> The tools have no control thread, so {@link #run} itself refreshes both
 * ports every {@value #REFRESH_INTERVAL_MS} ms, on the stepping thread, between two steps. A
 * refresh there never overlaps the step that polls the same queues; an AF_PACKET port hands
 * reopened rings to its queues through their pending slots, which works the same whichever
 * thread refreshes.
 *
 * <p><b>Idling.</b> Between steps that moved nothing the loop backs off (spin 100, yield 10,
 * then park from 1 µs up to 1 ms), so an idle forwarder does not starve a small machine; under
 * load every step moves packets and the loop never parks.
 *
 * <p><b>Thread-safety:</b> {@link #onStart()}, {@link #doWork()}, {@link #run},
 * {@link #counts()} and {@link #onClose()} run on the stepping thread only; construction and
 * {@link #close()} happen before the thread starts and after it was joined. The {@code stop}
 * condition given to {@link #run} may be set by any thread (e.g. a shutdown hook).
 */
public abstract class Forwarder implements AutoCloseable {
    public static final long REFRESH_INTERVAL_MS = 250;
    private static final long REFRESH_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(REFRESH_INTERVAL_MS);

    /** Totals since the forwarder was made; {@link #run} reports the difference over a run. */
    public record Counts(long rxPackets, long txPackets, long dropped, long busyNs) {
    }

    private final FwdMode mode;
    private final Netdev port1;
    private final Netdev port2;
    private final IdleStrategy idle = new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1),
            TimeUnit.MILLISECONDS.toNanos(1));

    protected Forwarder(FwdMode mode, Netdev port1, Netdev port2) {
        this.mode = mode;
        this.port1 = port1;
        this.port2 = port2;
    }

    /**
     * Opens AF_PACKET ports {@code p1} on {@code ifname1} and {@code p2} on {@code ifname2} with
     * rx mbufs from {@code pool}, and a forwarder in {@code mode} between them.
     *
     * @param cpu the CPU the stepping thread pins itself to in {@link #onStart()}, or -1
     * @throws NetdevException naming the port and interface that could not be opened
     */
    public static Forwarder open(FwdMode mode, String ifname1, String ifname2, MbufPool pool, int cpu)
            throws NetdevException {
        return open(mode, AfPacketProvider.TYPE, Map.of(), ifname1, ifname2, pool, cpu);
    }

    /**
     * As {@link #open(FwdMode, String, String, MbufPool, int)}, with ports of type {@code type}
     * ({@code afpacket}, {@code afxdp}) and {@code options} besides {@code ifname} on both.
     */
    public static Forwarder open(FwdMode mode, String type, Map<String, String> options, String ifname1,
            String ifname2, MbufPool pool, int cpu) throws NetdevException {
        Netdev p1 = Netdevs.open(new NetdevConfig("p1", type, with(options, ifname1), pool));
        Netdev p2;
        try {
            p2 = Netdevs.open(new NetdevConfig("p2", type, with(options, ifname2), pool));
        } catch (NetdevException | RuntimeException e) {
            p1.close();
            throw e;
        }
        return create(mode, p1, p2, pool, cpu);
    }

    private static Map<String, String> with(Map<String, String> options, String ifname) {
        Map<String, String> all = new java.util.HashMap<>(options);
        all.put("ifname", ifname);
        return all;
    }

    /** A forwarder in {@code mode} that takes ownership of {@code p1} and {@code p2} (closed even if this fails). */
    public static Forwarder create(FwdMode mode, Netdev p1, Netdev p2, MbufPool pool, int cpu) {
        return switch (mode) {
            case IO -> new IoForwarder(p1, p2, pool, cpu);
            case SWITCH -> new SwitchForwarder(p1, p2, pool, cpu);
        };
    }

    public final FwdMode mode() {
        return mode;
    }

    public final Netdev port1() {
        return port1;
    }

    public final Netdev port2() {
        return port2;
    }

    /** Stepping thread, before the first step: pin, take per-thread resources. */
    public abstract void onStart();

    /** One step over both ports; returns the packets received (0: nothing to do). */
    public abstract int doWork();

    /** Stepping thread, after the last step: flush output, give every mbuf back. */
    public abstract void onClose();

    /** Totals since construction. */
    public abstract Counts counts();

    /**
     * Steps until {@code durationNs} has passed (0: no limit) or {@code stop} says so, refreshing
     * the ports' link state every {@value #REFRESH_INTERVAL_MS} ms; returns what this run did.
     */
    public final FwdResult run(long durationNs, BooleanSupplier stop) {
        Counts before = counts();
        long start = System.nanoTime();
        long end = durationNs > 0 ? start + durationNs : Long.MAX_VALUE;
        long nextRefresh = start + REFRESH_INTERVAL_NS;
        long now = start;
        while (now - end < 0 && !stop.getAsBoolean()) {
            int work = doWork();
            now = System.nanoTime();
            if (now - nextRefresh >= 0) {
                port1.refresh();
                port2.refresh();
                nextRefresh = now + REFRESH_INTERVAL_NS;
            }
            idle.idle(work);
            if (work == 0) {
                now = System.nanoTime();
            }
        }
        Counts after = counts();
        return new FwdResult(mode, after.rxPackets - before.rxPackets, after.txPackets - before.txPackets,
                after.dropped - before.dropped, after.busyNs - before.busyNs, System.nanoTime() - start);
    }

    /**
     * On the calling thread: {@link #onStart()}, one {@link #run} per duration in turn (once
     * {@code stop} holds, the remaining runs return at once), then {@link #onClose()} whatever
     * happens; returns one result per duration.
     */
    public final List<FwdResult> runAll(BooleanSupplier stop, long... durationsNs) {
        List<FwdResult> results = new ArrayList<>();
        onStart();
        try {
            for (long ns : durationsNs) {
                results.add(run(ns, stop));
            }
        } finally {
            onClose();
        }
        return results;
    }

    /**
     * {@link #runAll} on a new thread named {@code threadName}, waited for (so that pinning never
     * touches the caller's thread); rethrows what the thread threw.
     */
    public final List<FwdResult> runAllOnNewThread(String threadName, BooleanSupplier stop, long... durationsNs) {
        AtomicReference<List<FwdResult>> results = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                results.set(runAll(stop, durationsNs));
            } catch (RuntimeException | Error e) {
                failure.set(e);
            }
        }, threadName);
        t.start();
        Threads.joinUninterruptibly(t);
        if (failure.get() instanceof RuntimeException e) {
            throw e;
        }
        if (failure.get() instanceof Error e) {
            throw e;
        }
        return results.get();
    }

    /** Closes both ports (and whatever the mode built around them). After the stepping thread ended. */
    @Override
    public void close() {
        port1.close();
        port2.close();
    }
}
