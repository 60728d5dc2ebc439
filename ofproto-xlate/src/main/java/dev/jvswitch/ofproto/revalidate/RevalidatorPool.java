package dev.jvswitch.ofproto.revalidate;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Phaser;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.NoOpIdleStrategy;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.flow.Ukey;

/**
 * The revalidators (OVS's {@code udpif} revalidator threads): every
 * {@code min(max-idle, max-revalidator)}, or at once when the tables change, they dump the ukeys
 * of every installed megaflow, split between them by ufid, and for each push its statistics to
 * the OpenFlow rules it came from, delete it when idle or over the flow limit, and revalidate it
 * when the tables changed since its actions were computed (keep, new actions, or delete). The
 * first thread is the leader: it dumps, and after the others are done it adjusts the dynamic
 * flow limit ({@link FlowLimit}), sends the cycle's fence, publishes the counters and lets the
 * slow path expire rules ({@link Revalidation#onCycleEnd}).
 *
 * <p><b>Threads are agents.</b> {@link #start()} runs the leader ({@link RevalidatorLeader}) and
 * the workers ({@link RevalidatorWorker}) as Agrona agents, one {@code AgentRunner} each, on
 * daemon threads {@code revalidator0..N-1}; a {@link Phaser} of N parties hands each cycle from
 * the leader to the workers and back. Commands from other threads ({@link #wakeup()},
 * {@link #purge()}, {@link #reconfigure}) go through a {@link RevalidatorProxy} that the leader
 * drains at the top of its duty cycle, so the cycle's own settings ({@code config},
 * {@code purgeRequested}) have one writer: the thread running cycles.
 *
 * <p>Without {@link #start()}, nothing runs by itself: {@link #runCycle()} runs the queued
 * commands and one whole cycle on the caller's thread (tests step cycles and PMDs by hand under a
 * test clock).
 *
 * <h2>Change barrier</h2>
 * {@link #awaitRevalidated(long, Duration)} returns once the datapath forwards by table version S
 * or later: no packet that a PMD takes after the call returns meets actions computed from an older
 * version. The danger is a flow an upcall translated against the old tables while the change was
 * being published, installed after the revalidators looked: each upcall records the version it
 * translated against in its ukey ({@link Ukey#revalSeq}), and fences close the window:
 * <ol>
 *   <li>The slow path publishes the new tables, then version S ({@link Revalidation#revalSeq()}),
 *       and wakes the pool.</li>
 *   <li>Cycle A reads the version (S) at its start and dumps; every ukey with {@code revalSeq < S}
 *       is revalidated: new actions or deletion go to its PMD (deletion marks the flow dead at
 *       once), and the ukey's {@code revalSeq} becomes S.</li>
 *   <li>After the dump the leader offers every PMD a fence (an empty command), behind the
 *       cycle's commands. A PMD runs commands between iterations, in order: once it has run the
 *       fence it has run the cycle's commands, finished every upcall it had begun — so the ukey
 *       of any flow translated against an older version is registered — and every later upcall
 *       reads version S or newer (the fence's offer follows the leader's read of S).</li>
 *   <li>Cycle B starts after A's fence has run on every PMD (the leader checks, or is woken by
 *       the fence's completion). Its dump, made after that point, sees every ukey registered
 *       before it; a ukey still below S is one of those late flows: it is revalidated now. A ukey
 *       registered during B's dump was translated against S or later.</li>
 *   <li>B's fence runs on every PMD: B's commands are done. If B left nothing undone (no command
 *       refused by a full queue, no ukey skipped), every live megaflow now has actions computed
 *       against S or later, installed: {@link #revalidatedSeq()} becomes S and the waiters
 *       return.</li>
 * </ol>
 * In general a cycle covers {@code min(version at its start, fenceDoneSeq before its dump)}, and
 * {@link #revalidatedSeq()} is the highest version covered by a cycle whose fence has run.
 *
 * <p><b>Thread-safety.</b> {@link #start()}, {@link #stop()}, {@link #close()} and
 * {@link #reconfigure} are for one control thread. {@link #wakeup()},
 * {@link #awaitRevalidated}, {@link #runCycle()}, {@link #purge()} and {@link #snapshot()} may be
 * called from any thread. A cycle's state ({@link Cycle}, the leader's statistics, the dump into
 * each revalidator's slice, {@code config} and {@code purgeRequested}) is written by the thread
 * running the cycle — the leader, or whoever holds {@code cycleLock} in {@link #runCycle()}
 * without threads — and handed to the other revalidator threads through a {@link Phaser}
 * (arrive/advance orders it both ways). Counters are Agrona counters written by that thread only
 * (release) and read by anyone (acquire); {@code keysPerRevalidator} is a fresh array published
 * through a volatile field; {@code requestedConfig} is volatile, for {@link #config()}.
 */
public final class RevalidatorPool implements AutoCloseable {
    private static final Megaflow[] NO_FLOWS = new Megaflow[0];
    private static final DpActions[] NO_ACTIONS = new DpActions[0];
    private static final long RUN_CYCLE_TIMEOUT_MS = 60_000;
    /** Synchronous cycles {@link #awaitRevalidated} drives at most without threads (it needs 2). */
    private static final int MAX_INLINE_CYCLES = 8;
    /** Daemon threads: a revalidator never keeps the JVM alive. The runner names them after the agent. */
    private static final ThreadFactory DAEMON = r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    };

    private final Datapath dp;
    private final Revalidation reval;
    private final NanoClock clock;
    private final Revalidator[] revalidators;
    private final ChangeBarrier barrier;
    private final RevalidatorCounters counters;
    private final Cycle cycle = new Cycle();
    private final Object cycleLock = new Object();
    private final RevalidatorProxy proxy = new RevalidatorProxy();
    private volatile RevalidatorConfig requestedConfig;
    private volatile int[] keysPerRevalidator;

    // Written by the thread running cycles (see Thread-safety).
    private RevalidatorConfig config;
    private boolean purgeRequested;
    private int dynamicLimit;
    private long flowsAvg;
    private long flowsMax;
    private long dumpMsMax;
    private long dumps;
    private long lastCycleSeq = -1;
    private boolean lastCycleComplete;

    // Guarded by cycleLock.
    private long cyclesStarted;
    private long cyclesCompleted;

    // Agents; written by the control thread, read by the agents after start.
    private volatile boolean running;
    private RevalidatorLeader leader;
    private AgentRunner leaderRunner;
    private AgentRunner[] workerRunners = new AgentRunner[0];
    private Phaser phaser;
    private volatile Throwable lastError;

    /** A pool on the datapath's own clock. */
    public RevalidatorPool(Datapath dp, Revalidation reval, RevalidatorConfig config) {
        this(dp, reval, config, dp.clock());
    }

    /**
     * @param clock must be the datapath's clock (flows' used times and ukeys' creation times are
     *              read on it); tests pass the test clock they built the datapath with
     */
    public RevalidatorPool(Datapath dp, Revalidation reval, RevalidatorConfig config, NanoClock clock) {
        this.dp = dp;
        this.reval = reval;
        this.clock = clock;
        this.config = config;
        this.requestedConfig = config;
        int pmds = dp.pmds().length;
        this.revalidators = new Revalidator[config.threads()];
        for (int i = 0; i < revalidators.length; i++) {
            revalidators[i] = new Revalidator(i, dp.flows(), reval, pmds);
        }
        this.keysPerRevalidator = new int[revalidators.length];
        this.barrier = new ChangeBarrier(this::onFenceProgress);
        this.counters = new RevalidatorCounters(dp.counters());
        this.dynamicLimit = config.flowLimit();
        counters.set(RevalidatorCounter.FLOW_LIMIT, dynamicLimit);
        counters.set(RevalidatorCounter.REVALIDATED_SEQ, -1);
        dp.ukeys().dynamicLimit(dynamicLimit);
    }

    // ------------------------------------------------------------------ agents

    /** Starts the revalidator agents on their threads ({@code revalidator0} leads). */
    public synchronized void start() {
        if (running) {
            return;
        }
        int n = revalidators.length;
        phaser = new Phaser(n);
        leader = new RevalidatorLeader(this, proxy, phaser);
        workerRunners = new AgentRunner[n - 1];
        for (int i = 1; i < n; i++) {
            workerRunners[i - 1] = new AgentRunner(new NoOpIdleStrategy(), this::onError, null,
                    new RevalidatorWorker(this, revalidators[i], phaser));
        }
        leaderRunner = new AgentRunner(leader.idleStrategy(), this::onError, null, leader);
        running = true;
        for (AgentRunner w : workerRunners) {
            AgentRunner.startOnThread(w, DAEMON);
        }
        proxy.leaderThread(AgentRunner.startOnThread(leaderRunner, DAEMON));
    }

    /**
     * Stops the agents after the cycle in progress; the pool can be started again. The leader
     * ends first (closing it terminates the phaser), then the workers, which the terminated
     * phaser has released.
     */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        leader.requestStop();
        close(leaderRunner);
        for (AgentRunner w : workerRunners) {
            close(w);
        }
        proxy.leaderThread(null);
        leader = null;
        leaderRunner = null;
        workerRunners = new AgentRunner[0];
        running = false;
        synchronized (cycleLock) {
            cycleLock.notifyAll();
        }
    }

    private static void close(AgentRunner r) {
        r.close((int) RUN_CYCLE_TIMEOUT_MS, t -> {
            throw new IllegalStateException(t.getName() + " did not stop within " + RUN_CYCLE_TIMEOUT_MS + " ms");
        });
    }

    public boolean isRunning() {
        return running;
    }

    /**
     * Stops the threads, finishes what the PMDs have already done (final statistics of deleted
     * flows), frees the counters and lifts the dynamic flow limit. Close before the datapath.
     */
    @Override
    public synchronized void close() {
        stop();
        synchronized (cycleLock) {
            for (Revalidator r : revalidators) {
                r.onClose();
            }
        }
        dp.ukeys().dynamicLimit(Integer.MAX_VALUE);
        counters.close();
    }

    /** An agent's error (a bug in the pool or the slow path): kept for {@link #lastError()}. */
    void onError(Throwable e) {
        lastError = e;
    }

    /**
     * Leader: whether a cycle is due now: a wakeup came, the table version moved, a fence
     * completed while a change is half covered, or {@code intervalPassed}.
     */
    boolean cycleDue(boolean intervalPassed) {
        if (proxy.takeWakeup() || reval.revalSeq() != lastCycleSeq) {
            return true;
        }
        if (lastCycleComplete && barrier.revalidatedSeq() < lastCycleSeq && !barrier.hasPendingFences()) {
            return true;
        }
        return intervalPassed;
    }

    /** The cycle in progress (read by the workers after the phaser released them). */
    Cycle cycle() {
        return cycle;
    }

    /** The tuning cycles run with now (thread running cycles). */
    RevalidatorConfig currentConfig() {
        return config;
    }

    /** Command (thread running cycles): delete every flow in the next cycle. */
    void onPurge() {
        purgeRequested = true;
    }

    /** Command (thread running cycles): new tuning from the next cycle on. */
    void onReconfigure(RevalidatorConfig next) {
        config = next;
    }

    private void onFenceProgress() {
        proxy.unpark();
    }

    /** Starts a cycle now rather than at the next interval (after a table change). */
    public void wakeup() {
        proxy.wakeup();
    }

    /** Deletes every flow in the next cycle (OVS's {@code revalidator/purge}); wakes the pool. */
    public void purge() {
        proxy.purge(this);
    }

    /** Applies new tuning from the next cycle on; the thread count cannot change. */
    public void reconfigure(RevalidatorConfig next) {
        if (next.threads() != revalidators.length) {
            throw new IllegalArgumentException("n-revalidator-threads cannot change while running ("
                    + revalidators.length + " -> " + next.threads() + "); restart jvswitchd");
        }
        requestedConfig = next;
        proxy.reconfigure(this, next);
    }

    /** The tuning last asked for ({@link #reconfigure}); cycles use it from the next one on. */
    public RevalidatorConfig config() {
        return requestedConfig;
    }

    /** Commands refused because the leader's queue was full (the control plane outran it). */
    public long commandsRefused() {
        return proxy.failedOffers();
    }

    // ------------------------------------------------------------------ cycles

    /**
     * Runs one whole cycle and returns when it is done. With threads started, it wakes the leader
     * and waits for a cycle that starts after this call; without, it runs the cycle on this
     * thread (every revalidator's share in turn). It never waits for PMDs: commands it sends run
     * when the PMDs next run their commands.
     */
    public void runCycle() {
        if (!running) {
            synchronized (cycleLock) {
                proxy.drain(Integer.MAX_VALUE);
                cycleOnce(false);
            }
            return;
        }
        long target;
        synchronized (cycleLock) {
            target = cyclesStarted + 1;
        }
        wakeup();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_CYCLE_TIMEOUT_MS);
        synchronized (cycleLock) {
            while (cyclesCompleted < target && running) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new IllegalStateException("revalidators did not finish a cycle within "
                            + RUN_CYCLE_TIMEOUT_MS + " ms");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(cycleLock, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for a revalidator cycle", e);
                }
            }
        }
    }

    /** One whole cycle, counted for {@link #runCycle()}'s waiters; on the leader, or inline. */
    void cycleOnce(boolean threaded) {
        synchronized (cycleLock) {
            cyclesStarted++;
        }
        try {
            onCycle(threaded);
        } finally {
            synchronized (cycleLock) {
                cyclesCompleted++;
                cycleLock.notifyAll();
            }
        }
    }

    private void onCycle(boolean threaded) {
        RevalidatorConfig cfg = config;
        long startNs = clock.nanoTime();
        barrier.poll();
        long fenceDone = barrier.fenceDoneSeq();
        long seq = reval.revalSeq();
        int limit = Math.min(dynamicLimit, cfg.flowLimit());
        long flows = dp.ukeys().size();
        flowsAvg = (flowsAvg + flows) / 2;
        flowsMax = Math.max(flowsMax, flows);

        cycle.nowMs = startNs / 1_000_000L;
        cycle.seq = seq;
        cycle.configuredMaxIdleMs = cfg.maxIdleMs();
        cycle.maxIdleMs = FlowLimit.maxIdleMs(cfg.maxIdleMs(), flows, limit);
        boolean purge = purgeRequested;
        purgeRequested = false;
        cycle.killReason = purge ? DeleteReason.PURGE
                : FlowLimit.killAll(flows, limit) ? DeleteReason.LIMIT : null;

        int n = revalidators.length;
        for (Ukey u : dp.ukeys().values()) {
            revalidators[slot(u, n)].slice.add(u);
        }
        if (threaded && n > 1) {
            phaser.arriveAndAwaitAdvance();
            try {
                revalidators[0].onCycle(cycle);
            } finally {
                phaser.arriveAndAwaitAdvance();
            }
        } else {
            for (Revalidator r : revalidators) {
                r.onCycle(cycle);
            }
        }
        boolean complete = true;
        int[] keys = new int[n];
        for (int i = 0; i < n; i++) {
            complete &= !revalidators[i].incomplete;
            keys[i] = revalidators[i].keys;
        }
        long durationMs = Math.max(1, (clock.nanoTime() - startNs) / 1_000_000L);
        dynamicLimit = FlowLimit.next(limit, cfg.flowLimit(), durationMs, flows);
        dp.ukeys().dynamicLimit(dynamicLimit);
        dumps++;
        dumpMsMax = Math.max(dumpMsMax, durationMs);
        keysPerRevalidator = keys;

        boolean fenced = sendFence(seq, complete ? Math.min(fenceDone, seq) : -1);
        lastCycleSeq = seq;
        // Without a fence on its way, nothing will move the barrier: do not rush into another cycle.
        lastCycleComplete = complete && fenced;
        publishCounters(durationMs);
        try {
            reval.onCycleEnd(cycle.nowMs);
        } catch (RuntimeException e) {
            lastError = e;
        }
    }

    /** The revalidator a ukey belongs to: a function of its ufid, so it never changes. */
    static int slot(Ukey u, int n) {
        long h = u.id().ufidHi() ^ u.id().ufidLo();
        return Math.floorMod((int) (h ^ (h >>> 32)), n);
    }

    /**
     * Offers every PMD an empty command behind this cycle's; records it if every offer went in.
     *
     * @return true if the fence is on its way
     */
    private boolean sendFence(long observedSeq, long coveredSeq) {
        if (barrier.pendingFences() >= ChangeBarrier.MAX_PENDING) {
            return false;
        }
        PmdAgent[] pmds = dp.pmds();
        CompletableFuture<?>[] done = new CompletableFuture<?>[pmds.length];
        for (int i = 0; i < pmds.length; i++) {
            done[i] = dp.flows().offerBatch(i, NO_FLOWS, NO_FLOWS, NO_ACTIONS);
            if (done[i] == null) {
                revalidators[0].offersRefused++;
                return false;
            }
        }
        return barrier.add(observedSeq, coveredSeq, done);
    }

    private void publishCounters(long durationMs) {
        counters.publishTotals(revalidators);
        counters.set(RevalidatorCounter.DUMPS, dumps);
        counters.set(RevalidatorCounter.FLOWS_AVG, flowsAvg);
        counters.set(RevalidatorCounter.FLOWS_MAX, flowsMax);
        counters.set(RevalidatorCounter.FLOW_LIMIT, dynamicLimit);
        counters.set(RevalidatorCounter.DUMP_DURATION_MS, durationMs);
        counters.set(RevalidatorCounter.DUMP_DURATION_MS_MAX, dumpMsMax);
        counters.set(RevalidatorCounter.REVALIDATED_SEQ, barrier.revalidatedSeq());
    }

    // ------------------------------------------------------------------ change barrier

    /**
     * Waits until the datapath forwards by table version {@code seq} or later (see the handshake
     * above): every megaflow whose actions were computed against an older version has been
     * revalidated — modified or deleted — and every PMD has run the resulting commands.
     *
     * <p>With threads started, it wakes the leader and waits. Without, the caller runs the cycles
     * itself (at most a few); if the datapath runs no PMD threads either, the caller also runs
     * the PMDs' commands, standing in for them as {@link Datapath} does — so it must then be the
     * thread that steps the PMDs, or none must step them meanwhile.
     *
     * @return true once revalidated, false if {@code timeout} passed first
     */
    public boolean awaitRevalidated(long seq, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (running) {
                wakeup();
                return barrier.await(seq, deadline);
            }
            for (int i = 0; i < MAX_INLINE_CYCLES && barrier.revalidatedSeq() < seq; i++) {
                runCycle();
                if (dp.isRunning()) {
                    barrier.awaitFences(deadline);
                } else {
                    for (PmdAgent pmd : dp.pmds()) {
                        pmd.runCommands();
                    }
                }
                barrier.poll();
                if (System.nanoTime() - deadline > 0) {
                    break;
                }
            }
            return barrier.revalidatedSeq() >= seq;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The highest table version the datapath is known to forward by (-1 before the first
     * covered cycle): what {@link #awaitRevalidated} waits for.
     */
    public long revalidatedSeq() {
        barrier.poll();
        return barrier.revalidatedSeq();
    }

    // ------------------------------------------------------------------ observability

    /** The dynamic flow limit now in force. */
    public int flowLimit() {
        return (int) counters.get(RevalidatorCounter.FLOW_LIMIT);
    }

    /** A counter's value since the pool was made (acquire load; any thread). */
    public long counter(RevalidatorCounter c) {
        return counters.get(c);
    }

    /** Counter id in the datapath's counters buffer, for tools that read it directly. */
    public int counterId(RevalidatorCounter c) {
        return counters.counterId(c);
    }

    /** The last error a cycle caught (a bug in the pool or the slow path), or {@code null}. */
    public Throwable lastError() {
        return lastError;
    }

    /** What {@code upcall/show} prints, as data. */
    public RevalidatorSnapshot snapshot() {
        return new RevalidatorSnapshot(
                dp.ukeys().size(),
                counter(RevalidatorCounter.FLOWS_AVG),
                counter(RevalidatorCounter.FLOWS_MAX),
                flowLimit(),
                counter(RevalidatorCounter.DUMP_DURATION_MS),
                counter(RevalidatorCounter.DUMP_DURATION_MS_MAX),
                keysPerRevalidator.clone(),
                counter(RevalidatorCounter.DUMPS),
                counter(RevalidatorCounter.FLOWS_REVALIDATED),
                counter(RevalidatorCounter.FLOWS_MODIFIED),
                counter(RevalidatorCounter.FLOWS_DELETED_IDLE),
                counter(RevalidatorCounter.FLOWS_DELETED_LIMIT),
                counter(RevalidatorCounter.FLOWS_DELETED_REVALIDATION),
                counter(RevalidatorCounter.REVALIDATE_ERRORS),
                reval.revalSeq(),
                revalidatedSeq());
    }

    /** The parameters of the cycle in progress; written by the cycle's thread before the others start. */
    static final class Cycle {
        long nowMs;
        long seq;
        long maxIdleMs;
        long configuredMaxIdleMs;
        DeleteReason killReason;
    }
}
