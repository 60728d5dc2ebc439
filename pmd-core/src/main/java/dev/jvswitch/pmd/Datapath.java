package dev.jvswitch.pmd;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.agrona.concurrent.AgentRunner;

import dev.jvswitch.conntrack.Conntrack;
import dev.jvswitch.conntrack.CtSweeperAgent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.pmd.flow.UkeyMap;
import dev.jvswitch.pmd.idle.PmdIdleStrategies;
import dev.jvswitch.pmd.meter.DpMeters;
import dev.jvswitch.pmd.mirror.PacketTap;
import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.rx.RxqAssigner;
import dev.jvswitch.pmd.rx.RxqPoller;
import dev.jvswitch.pmd.stats.PmdStats;
import dev.jvswitch.pmd.upcall.UpcallHandler;

/**
 * The userspace datapath (OVS's {@code dp_netdev}): its ports, its PMD threads, the ukey map of
 * every installed megaflow, and the control-side API that changes them. The flow API is in
 * {@link DatapathFlows}.
 *
 * <p><b>Thread-safety.</b> Control methods are {@code synchronized}: one control thread at a
 * time. They never touch PMD state directly; they send commands and wait for every PMD to run
 * them. Adding or removing a port is a handshake:
 * <ol>
 *   <li>build the new port table and rx queue assignment (control thread);</li>
 *   <li>send each PMD a reload command carrying its rx queues and the port table;</li>
 *   <li>wait until every PMD has run it: from then on no PMD polls or sends to a removed port;</li>
 *   <li>only then return a removed port's netdev to the caller, who may close it.</li>
 * </ol>
 * When the datapath runs no threads (tests that step {@link PmdAgent#doWork()} themselves), the
 * control thread runs the commands itself in step 3, standing in for the PMDs.
 */
public final class Datapath implements AutoCloseable {
    public static final int MAX_PORT_NO = 65_279;
    private static final long COMMAND_TIMEOUT_MS = PmdProxy.OFFER_TIMEOUT_MS;

    private final MbufPool pool;
    private final NanoClock clock;
    private final UkeyMap ukeys = new UkeyMap();
    private final CountersManager counters;
    private final PmdAgent[] pmds;
    private final Map<Integer, DpPort> ports = new LinkedHashMap<>();
    private final Map<String, Integer> rxqPins = new LinkedHashMap<>();
    /** Mirrors by port name: {rx tap, tx tap}. */
    private final Map<String, PacketTap[]> mirrors = new LinkedHashMap<>();
    /** {@link #deferReloads} nesting, and whether a reload was held back (under this object's lock). */
    private int deferredDepth;
    private boolean reloadDeferred;
    private final DatapathFlows flows;
    private DatapathConfig config;
    private AgentRunner[] runners;
    private AgentRunner sweeperRunner;
    private final Conntrack conntrack = new Conntrack();
    private final DpMeters meters = new DpMeters();
    private volatile boolean running;
    private volatile boolean externallyDriven;
    private volatile boolean closed;

    public Datapath(DatapathConfig config, MbufPool pool, UpcallHandler handler) {
        this(config, pool, handler, new SystemNanoClock());
    }

    public Datapath(DatapathConfig config, MbufPool pool, UpcallHandler handler, NanoClock clock) {
        this.config = config;
        this.pool = pool;
        this.clock = clock;
        int bytes = PmdStats.valuesBufferBytes(config.pmdCount());
        this.counters = new CountersManager(
                new UnsafeBuffer(ByteBuffer.allocateDirect(bytes * 2 * 16)),
                new UnsafeBuffer(ByteBuffer.allocateDirect(bytes)));
        int[] cpus = config.pmdCpus();
        this.pmds = new PmdAgent[cpus.length];
        for (int i = 0; i < cpus.length; i++) {
            pmds[i] = new PmdAgent(i, cpus[i], clock, pool, new PmdStats(counters, i), ukeys, handler, config,
                    this::pmdsActive, conntrack, meters);
        }
        this.flows = new DatapathFlows(this);
    }

    // ------------------------------------------------------------------ threads

    /** Starts one thread per PMD (pinned, if the config names CPUs). */
    public synchronized void start() {
        if (running || closed) {
            return;
        }
        runners = new AgentRunner[pmds.length];
        for (int i = 0; i < pmds.length; i++) {
            runners[i] = new AgentRunner(idleStrategy(config.idle(), pmds[i]), Throwable::printStackTrace, null, pmds[i]);
            AgentRunner.startOnThread(runners[i]);
        }
        sweeperRunner = new AgentRunner(CtSweeperAgent.idleStrategy(), Throwable::printStackTrace, null,
                new CtSweeperAgent(conntrack, this::nowMs));
        AgentRunner.startOnThread(sweeperRunner);
        running = true;
    }

    private static IdleStrategy idleStrategy(DatapathConfig.Idle idle, PmdAgent pmd) {
        return switch (idle) {
            case BUSY -> PmdIdleStrategies.busy();
            case BACKOFF -> PmdIdleStrategies.backoff();
            // Without an eventfd (the kernel refused) every sleep is refused: the PMD backs off.
            case SLEEP -> {
                pmd.sleeper().open();
                yield PmdIdleStrategies.sleep(pmd.sleeper());
            }
        };
    }

    public boolean isRunning() {
        return running;
    }

    /**
     * Declares that a thread of the caller's steps the PMDs ({@link PmdAgent#doWork()}) from now
     * on, as the benchmarks and {@code l2fwd} do: control calls then queue their commands and wait
     * for that thread to run them, instead of running them on the calling thread (which would race
     * with it). Call with {@code false} once that thread has stopped stepping.
     */
    public void externallyDriven(boolean on) {
        externallyDriven = on;
    }

    /** Whether some thread other than the caller runs the PMDs' commands. */
    private boolean pmdsActive() {
        return running || externallyDriven;
    }

    /** Stops the PMDs (they flush output and give their mbufs back). Ports stay open. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        for (PmdAgent pmd : pmds) {
            pmd.sleeper().disable(); // a PMD asleep in poll(2) would not see its runner stop
        }
        for (AgentRunner r : runners) {
            r.close();
        }
        runners = null;
        sweeperRunner.close();
        sweeperRunner = null;
        running = false;
    }

    /**
     * Stops the PMDs, removes every port from them and closes the ports, then frees the
     * counters. The pool belongs to the caller.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        List<DpPort> all = new ArrayList<>(ports.values());
        ports.clear();
        reloadPmds();
        stop();
        for (PmdAgent pmd : pmds) {
            pmd.onClose(); // no-op for a PMD whose thread already closed it
            pmd.sleeper().close();
        }
        for (DpPort p : all) {
            p.netdev().close();
        }
        for (PmdAgent pmd : pmds) {
            pmd.stats().close();
        }
        closed = true;
    }

    // ------------------------------------------------------------------ ports

    /** Adds {@code netdev} as datapath port {@code portNo} and assigns its rx queues to PMDs. */
    public synchronized void addPort(int portNo, Netdev netdev) {
        if (portNo < 1 || portNo > MAX_PORT_NO) {
            throw new IllegalArgumentException("port " + netdev.name() + ": port number " + portNo
                    + " is outside 1.." + MAX_PORT_NO);
        }
        DpPort existing = ports.get(portNo);
        if (existing != null) {
            throw new IllegalArgumentException("port " + netdev.name() + ": port number " + portNo
                    + " is already used by " + existing.netdev().name());
        }
        for (DpPort p : ports.values()) {
            if (p.netdev().name().equals(netdev.name())) {
                throw new IllegalArgumentException("port " + netdev.name() + " is already in the datapath as "
                        + p.portNo());
            }
        }
        DpPort port = new DpPort(portNo, netdev, pmds.length);
        PacketTap[] taps = mirrors.get(netdev.name());
        if (taps != null) {
            port.taps(taps[0], taps[1]);
        }
        ports.put(portNo, port);
        reloadPmds();
    }

    /**
     * Mirrors port {@code name}: PMDs copy what it receives to {@code rx} and what they send to it
     * to {@code tx} (either may be null: that side is not mirrored; both null ends the mirror). The
     * mirror stays with the name, so a port a reload reopens keeps it. Takes effect with the PMDs'
     * next batch (a volatile store they read per batch).
     *
     * @return whether a port of that name is in the datapath now
     */
    public synchronized boolean mirror(String name, PacketTap rx, PacketTap tx) {
        if (rx == null && tx == null) {
            mirrors.remove(name);
        } else {
            mirrors.put(name, new PacketTap[] {rx, tx});
        }
        boolean found = false;
        for (DpPort p : ports.values()) {
            if (p.netdev().name().equals(name)) {
                p.taps(rx, tx);
                found = true;
            }
        }
        return found;
    }

    /**
     * Takes port {@code portNo} out of every PMD and returns its netdev for the caller to close.
     *
     * @throws IllegalArgumentException if there is no such port
     */
    public synchronized Netdev removePort(int portNo) {
        return removePorts(List.of(portNo)).get(0);
    }

    /**
     * Takes every port of {@code portNos} out of every PMD with one reload (never deferred: no PMD
     * polls or sends to any of them once this returns) and returns their netdevs, in that order,
     * for the caller to close.
     *
     * @throws IllegalArgumentException if one is not a port (then none is removed)
     */
    public synchronized List<Netdev> removePorts(List<Integer> portNos) {
        for (int no : portNos) {
            if (!ports.containsKey(no)) {
                throw new IllegalArgumentException("no datapath port " + no);
            }
        }
        List<Netdev> out = new ArrayList<>(portNos.size());
        for (int no : portNos) {
            out.add(ports.remove(no).netdev());
            rxqPins.keySet().removeIf(k -> k.startsWith(no + ":"));
        }
        // Never deferred: no PMD may poll the netdevs once this returns.
        reloadDeferred = false;
        reloadPmds(config.rxqAssign());
        return out;
    }

    /** The netdev of datapath port {@code portNo}, or {@code null}. */
    public synchronized Netdev port(int portNo) {
        DpPort p = ports.get(portNo);
        return p == null ? null : p.netdev();
    }

    /** Datapath port number of the port named {@code name}, or -1. */
    public synchronized int portNo(String name) {
        for (DpPort p : ports.values()) {
            if (p.netdev().name().equals(name)) {
                return p.portNo();
            }
        }
        return -1;
    }

    /** Port numbers and netdevs, in the order they were added. */
    public synchronized Map<Integer, Netdev> ports() {
        Map<Integer, Netdev> out = new LinkedHashMap<>();
        for (DpPort p : ports.values()) {
            out.put(p.portNo(), p.netdev());
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Pins rx queue {@code qid} of port {@code portNo} to PMD {@code pmdIndex}
     * ({@code pmd-rxq-affinity}); takes effect at once.
     */
    public synchronized void pinRxq(int portNo, int qid, int pmdIndex) {
        if (pmdIndex < 0 || pmdIndex >= pmds.length) {
            throw new IllegalArgumentException("pmd-rxq-affinity: pmd " + pmdIndex + " does not exist (have "
                    + pmds.length + ")");
        }
        rxqPins.put(portNo + ":" + qid, pmdIndex);
        reloadPmds();
    }

    /** Re-assigns rx queues to PMDs by measured cycles ({@code dpif-netdev/pmd-rxq-rebalance}). */
    public synchronized void rebalance() {
        reloadPmds(DatapathConfig.RxqAssign.CYCLES);
    }

    /**
     * Holds back the PMD reloads of {@link #addPort} and {@link #pinRxq} until the matching
     * {@link #resumeReloads}, which reloads once for all of them: a change that adds many ports
     * (one database transaction) costs one handshake and one rx queue assignment, not one per
     * port. A port added meanwhile is not polled yet. {@link #removePorts} still reloads at once
     * (its caller closes the netdevs next), taking whatever was held back along; a caller that
     * replaces ports removes them all first, then adds under a deferral: two handshakes in all.
     */
    public synchronized void deferReloads() {
        deferredDepth++;
    }

    /** Ends a {@link #deferReloads}; the outermost one reloads if anything was held back. */
    public synchronized void resumeReloads() {
        if (deferredDepth == 0) {
            throw new IllegalStateException("resumeReloads without deferReloads");
        }
        if (--deferredDepth == 0 && reloadDeferred) {
            reloadDeferred = false;
            reloadPmds();
        }
    }

    private void reloadPmds() {
        if (deferredDepth > 0) {
            reloadDeferred = true;
            return;
        }
        reloadPmds(config.rxqAssign());
    }

    private void reloadPmds(DatapathConfig.RxqAssign policy) {
        int maxNo = 0;
        for (int no : ports.keySet()) {
            maxNo = Math.max(maxNo, no);
        }
        DpPort[] table = new DpPort[maxNo + 1];
        for (DpPort p : ports.values()) {
            table[p.portNo()] = p;
        }
        List<RxqPoller> current = new ArrayList<>();
        for (PmdAgent pmd : pmds) {
            Collections.addAll(current, pmd.rxqs());
        }
        Map<Integer, Netdev> netdevs = new LinkedHashMap<>();
        for (DpPort p : ports.values()) {
            netdevs.put(p.portNo(), p.netdev());
        }
        List<List<RxqPoller>> assignment = policy == DatapathConfig.RxqAssign.CYCLES
                ? RxqAssigner.byCycles(netdevs, pmds.length, rxqPins, current)
                : RxqAssigner.roundRobin(netdevs, pmds.length, rxqPins, current);
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (int i = 0; i < pmds.length; i++) {
            RxqPoller[] mine = assignment.get(i).toArray(new RxqPoller[0]);
            waits.add(pmds[i].proxy().reload(mine, table, i));
        }
        await(waits);
    }

    /**
     * Returns once every PMD has finished the iteration it was in and started a new one: after
     * this, no PMD still holds a reference to anything the caller replaced before calling
     * (OVS's quiescing). Without PMD threads it returns at once.
     */
    public synchronized void quiesce() {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (PmdAgent pmd : pmds) {
            waits.add(pmd.proxy().quiesce());
        }
        await(waits);
    }

    // ------------------------------------------------------------------ tuning

    /**
     * Applies tuning that can change live (EMC probability, SMC, flow limit, tx flush interval).
     *
     * @throws IllegalArgumentException if the change needs a restart (PMD CPUs, idle strategy)
     */
    public synchronized void reconfigure(DatapathConfig next) {
        if (!java.util.Arrays.equals(next.pmdCpus(), config.pmdCpus())) {
            throw new IllegalArgumentException("pmd-cpu-mask cannot change while running; restart jvswitchd");
        }
        if (next.idle() != config.idle() && running) {
            throw new IllegalArgumentException("pmd-idle cannot change while running; restart jvswitchd");
        }
        boolean reassign = next.rxqAssign() != config.rxqAssign();
        config = next;
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (PmdAgent pmd : pmds) {
            waits.add(pmd.proxy().config(next));
        }
        await(waits);
        if (reassign) {
            reloadPmds();
        }
    }

    public synchronized DatapathConfig config() {
        return config;
    }

    /** Replaces the upcall handler in every PMD. */
    public synchronized void upcallHandler(UpcallHandler handler) {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (PmdAgent pmd : pmds) {
            waits.add(pmd.proxy().upcallHandler(handler));
        }
        await(waits);
    }

    /**
     * Packet execute (OVS's {@code dpif_execute}): sends a packet the slow path made with
     * {@code actions}, on the first PMD's thread at the top of its next iteration. Never blocks,
     * and safe from any thread; without PMD threads it runs when the PMD is next stepped.
     *
     * @return false if the PMD's command queue is full (the packet is not sent; counted there)
     */
    public boolean execute(byte[] frame, DpActions actions) {
        return pmds[0].proxy().offerExecute(frame, actions);
    }

    // ------------------------------------------------------------------ commands

    /** Waits for commands; without PMD threads, runs them on this thread first. */
    void await(List<CompletableFuture<Void>> waits) {
        if (!pmdsActive()) {
            for (PmdAgent pmd : pmds) {
                pmd.runCommands();
            }
        }
        try {
            CompletableFuture.allOf(waits.toArray(new CompletableFuture[0]))
                    .get(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the PMDs", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a PMD failed a command: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("PMDs did not answer within " + COMMAND_TIMEOUT_MS + " ms");
        }
    }

    /**
     * Packet execute (OVS's {@code dpif_execute}, for packet-outs): hands {@code m} and
     * {@code actions} to a PMD, which runs them at the top of its next iteration and sends their
     * output at once, as OVS flushes after an execute. Never blocks.
     *
     * @return the execution, complete once the packet's output has been handed to its ports (an
     *         OpenFlow barrier waits for it); null if no PMD exists or its command queue is full:
     *         {@code m} is then still the caller's
     */
    public CompletableFuture<Void> execute(Mbuf m, DpActions actions) {
        PmdAgent[] all = pmds;
        if (all.length == 0) {
            return null;
        }
        PmdAgent pmd = all[Math.floorMod(m.rssHashValid() ? m.rssHash() : 0, all.length)];
        return pmd.proxy().offerExecute(m, actions);
    }

    // ------------------------------------------------------------------ accessors

    public PmdAgent[] pmds() {
        return pmds.clone();
    }

    public PmdAgent pmd(int index) {
        return pmds[index];
    }

    public MbufPool pool() {
        return pool;
    }

    public UkeyMap ukeys() {
        return ukeys;
    }

    /** The megaflow API: put, modify, delete, dump, flush. */
    public DatapathFlows flows() {
        return flows;
    }

    public CountersManager counters() {
        return counters;
    }

    /** The connection tracker the PMDs' {@code ct} actions use (one per datapath, shared by every PMD). */
    public Conntrack conntrack() {
        return conntrack;
    }

    /** The meters the PMDs' {@code meter} actions run (one table per datapath, shared by every PMD). */
    public DpMeters meters() {
        return meters;
    }

    /** The datapath's clock: PMD iterations, flows' "used" and ukeys' creation times read it. */
    public NanoClock clock() {
        return clock;
    }

    /** Monotonic milliseconds on the datapath's clock (the clock flows' "used" times use). */
    public long nowMs() {
        return clock.nanoTime() / 1_000_000L;
    }
}
