package dev.jvswitch.pmd;

import java.util.function.BooleanSupplier;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

import dev.jvswitch.conntrack.Conntrack;
import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.affinity.CpuAffinity;
import dev.jvswitch.pmd.affinity.TimerSlack;
import dev.jvswitch.pmd.flow.PmdFlowTables;
import dev.jvswitch.pmd.flow.UkeyMap;
import dev.jvswitch.pmd.idle.PmdIdleStrategies;
import dev.jvswitch.pmd.lookup.FlowLookup;
import dev.jvswitch.pmd.meter.DpMeters;
import dev.jvswitch.pmd.mirror.PacketTap;
import dev.jvswitch.pmd.rx.RxqPoller;
import dev.jvswitch.pmd.stats.DropReason;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.pmd.stats.PmdStats;
import dev.jvswitch.pmd.tx.TxBuffer;
import dev.jvswitch.pmd.upcall.UpcallHandler;
import dev.jvswitch.pmd.upcall.UpcallStage;

/**
 * A poll-mode driver thread's duty cycle (OVS's {@code pmd_thread_main}), as an Agrona
 * {@link Agent}: one iteration reads the clock once, runs at most {@link #COMMAND_LIMIT} of the
 * commands other threads queued for it, polls each of its rx queues for a batch, pushes every
 * batch through the pipeline and flushes its output before polling the next queue (as OVS does),
 * and does housekeeping on a budget.
 *
 * <pre>
 *  commands ─► for each rxq: recv ─► {@link PmdPipeline} (parse ─► EMC ─► SMC ─► dpcls ─► upcall
 *              ─► group by flow ─► execute ─► tx buffers ─► recirculations) ─► flush ─► housekeeping
 * </pre>
 *
 * <p>Other threads reach it only through its {@link PmdProxy} (Aeron's {@code Sender} and
 * {@code SenderProxy}): the proxy's typed requests become {@link PmdCommand}s that call the
 * {@code on*} handlers below on this thread.
 *
 * <p><b>Thread-safety.</b> Everything here is owned by the PMD thread: the flow tables, the rx
 * queue list, the tx buffers, the tuning fields. Other threads change them only through
 * {@link #proxy()} (a command queue drained at the top of each iteration) — or, when the datapath
 * runs no threads (tests stepping the agent by hand), by calling {@link #runCommands()} on the
 * thread that steps the agent. Statistics are published in Agrona counters ({@link PmdStats}) and
 * per-rxq opaque counters; readers never write them.
 *
 * <p><b>Allocation.</b> Nothing in {@link #doWork()} allocates in steady state (EMC, SMC or
 * megaflow hits). Upcalls (new flows) and commands allocate; they are the slow path.
 *
 * <p><b>Idle and processing time.</b> An iteration that moved packets counts as processing; the
 * rest of the thread's time counts as idle: iterations that found nothing, and the time between
 * iterations, which the idle strategy spends spinning, yielding or parked (see
 * {@link PmdIdleStrategies}). So a backing-off PMD that sleeps most of the time shows mostly idle,
 * and so does one that blocks in poll(2) ({@code pmd-idle: sleep}, {@link PmdSleeper}; each such
 * sleep is counted in {@link PmdCounter#IDLE_SLEEPS}).
 */
public final class PmdAgent implements Agent {
    /** Most commands one iteration runs, so a burst of control requests cannot stall the rx queues. */
    static final int COMMAND_LIMIT = 16;
    private static final int COMMAND_QUEUE_CAPACITY = 4096;
    private static final long SORT_INTERVAL_NS = 1_000_000_000L;
    private static final long HOUSEKEEPING_INTERVAL_NS = 1_000_000L;
    private static final int EMC_SWEEP_SLOTS = 64;

    private final int pmdId;
    private final int cpu;
    private final NanoClock clock;
    private final MbufPool pool;
    private final MbufCache cache;
    private final PmdProxy proxy;
    private final PmdStats stats;
    private final PmdFlowTables tables = new PmdFlowTables();
    private final FlowLookup lookup = new FlowLookup(tables);
    private final UpcallStage upcall;
    private final PmdPipeline pipeline;
    private final PacketBatch rxBatch = new PacketBatch();
    private final PmdSleeper sleeper = new PmdSleeper(this);

    private RxqPoller[] rxqs = new RxqPoller[0];
    private TxBuffer[] txByPort = new TxBuffer[0];
    private DpPort[] portByNo = new DpPort[0];
    private long txFlushIntervalNs;

    private long nowNs;
    private long lastEndNs;
    private long lastSortNs;
    private long lastHousekeepingNs;
    private long publishedSubtableLookups;
    private long publishedFlowLimitSkips;
    private boolean closed;

    PmdAgent(int pmdId, int cpu, NanoClock clock, MbufPool pool, PmdStats stats, UkeyMap ukeys,
             UpcallHandler handler, DatapathConfig config, BooleanSupplier driven, Conntrack conntrack,
             DpMeters meters) {
        this.pmdId = pmdId;
        this.cpu = cpu;
        this.clock = clock;
        this.pool = pool;
        this.cache = pool.newCache();
        this.stats = stats;
        this.proxy = new PmdProxy(this, COMMAND_QUEUE_CAPACITY, driven);
        this.upcall = new UpcallStage(pmdId, tables, lookup, ukeys, handler, config.flowLimit());
        this.pipeline = new PmdPipeline(this, lookup, upcall, stats, cache, conntrack, meters);
        onConfig(config);
        long now = clock.nanoTime();
        this.nowNs = now;
        this.lastEndNs = now;
        this.lastSortNs = now;
        this.lastHousekeepingNs = now;
    }

    @Override
    public String roleName() {
        return "pmd-" + pmdId;
    }

    @Override
    public void onStart() {
        if (cpu >= 0) {
            CpuAffinity.pinCurrentThread(cpu);
        }
        TimerSlack.setForCurrentThread(PmdIdleStrategies.TIMER_SLACK_NS);
        lastEndNs = clock.nanoTime();
    }

    @Override
    public int doWork() {
        long start = clock.nanoTime();
        nowNs = start;
        // Since the last iteration the thread was in the idle strategy (or descheduled).
        stats.add(PmdCounter.IDLE_NS, start - lastEndNs);
        int commands = proxy.drain(COMMAND_LIMIT);
        int packets = 0;
        RxqPoller[] polled = rxqs;
        for (int q = 0; q < polled.length; q++) {
            RxqPoller poller = polled[q];
            int n = poller.rxq().recv(rxBatch, cache);
            if (n > 0) {
                mirrorRx(poller.portNo(), n);
                long t0 = nowNs;
                pipeline.onReceive(rxBatch, poller.portNo());
                long t1 = clock.nanoTime();
                poller.onBatch(t1 - t0, n);
                nowNs = t1;
                packets += n;
                // Each batch's output leaves before the next queue is polled, as OVS flushes after
                // every rx batch: on a veth the send runs the peer's stack in this call, so a reply
                // it provokes is already in the next queue's ring when that queue is polled, and
                // waits for no further iteration.
                flushOutput();
            }
        }
        // Output from commands (packet-outs) and what a flush interval held back.
        int waiting = flushOutput();
        if (nowNs - lastHousekeepingNs >= HOUSEKEEPING_INTERVAL_NS) {
            onHousekeeping();
        }
        long end = clock.nanoTime();
        // Only iterations that moved packets count as processing time (OVS's busy cycles), so
        // ns per packet is not inflated by iterations that only ran control commands.
        stats.add(packets > 0 ? PmdCounter.BUSY_NS : PmdCounter.IDLE_NS, end - start);
        stats.add(PmdCounter.ITERATIONS, 1);
        lastEndNs = end;
        return packets + commands + waiting;
    }

    @Override
    public void onClose() {
        if (closed) {
            return;
        }
        closed = true;
        runCommands();
        pipeline.onClose();
        flushAll();
        pool.releaseCache(cache);
    }

    // ------------------------------------------------------------------ owner-thread helpers

    /** Copies a received batch to its port's rx mirror, if it has one (a volatile read per batch). */
    private void mirrorRx(int portNo, int n) {
        DpPort[] ports = portByNo;
        if (portNo < ports.length && ports[portNo] != null) {
            PacketTap tap = ports[portNo].rxTap();
            if (tap != null) {
                tap.copy(rxBatch, n);
            }
        }
    }

    /** Runs every queued command; for the PMD thread, or whoever steps a thread-less datapath. */
    public int runCommands() {
        return proxy.drain(Integer.MAX_VALUE);
    }

    long nowNs() {
        return nowNs;
    }

    /** Monotonic milliseconds of the current iteration (flows' "used" times). */
    long nowMs() {
        return nowNs / 1_000_000L;
    }

    /** Queues {@code m} for output on datapath port {@code portNo}, or drops it. */
    void onOutput(int portNo, Mbuf m) {
        TxBuffer[] tx = txByPort;
        TxBuffer buffer = portNo >= 0 && portNo < tx.length ? tx[portNo] : null;
        if (buffer == null) {
            stats.countDrop(DropReason.NO_PORT);
            cache.put(m);
            return;
        }
        buffer.add(m, nowNs);
    }

    DpPort port(int portNo) {
        DpPort[] ports = portByNo;
        return portNo >= 0 && portNo < ports.length ? ports[portNo] : null;
    }

    /**
     * Sends what is queued: everything with no flush interval, otherwise what waited the interval;
     * returns how many buffers still hold packets (output held back to fill a batch counts as
     * work, so the idle strategy does not park the thread past the interval).
     */
    private int flushOutput() {
        if (txFlushIntervalNs == 0) {
            flushAll();
            return 0;
        }
        return flushDue();
    }

    private void flushAll() {
        TxBuffer[] tx = txByPort;
        for (int i = 0; i < tx.length; i++) {
            TxBuffer b = tx[i];
            if (b != null && !b.isEmpty()) {
                b.flush();
            }
        }
    }

    /** Flushes the buffers whose oldest packet waited the interval; returns how many still hold packets. */
    private int flushDue() {
        TxBuffer[] tx = txByPort;
        long interval = txFlushIntervalNs;
        int waiting = 0;
        for (int i = 0; i < tx.length; i++) {
            TxBuffer b = tx[i];
            if (b != null && b.due(nowNs, interval)) {
                b.flush();
            } else if (b != null && !b.isEmpty()) {
                waiting++;
            }
        }
        return waiting;
    }

    private void onHousekeeping() {
        lastHousekeepingNs = nowNs;
        tables.emc().onSweep(EMC_SWEEP_SLOTS);
        long lookups = tables.subtableLookups();
        stats.add(PmdCounter.SUBTABLE_LOOKUPS, lookups - publishedSubtableLookups);
        publishedSubtableLookups = lookups;
        long skips = upcall.flowLimitSkips;
        stats.add(PmdCounter.FLOW_LIMIT_SKIPS, skips - publishedFlowLimitSkips);
        publishedFlowLimitSkips = skips;
        if (nowNs - lastSortNs >= SORT_INTERVAL_NS) {
            lastSortNs = nowNs;
            tables.onSortSubtables();
            publishedSubtableLookups = tables.subtableLookups();
        }
    }

    // ------------------------------------------------------------------ command handlers (PMD thread)

    /**
     * A packet-out: runs {@code actions} on {@code m} (taken) as the execute stage would, and sends
     * the output before the command completes, so a barrier answered after it follows the packet.
     */
    void onExecute(Mbuf m, DpActions actions) {
        pipeline.executeOne(m, actions);
        flushAll();
    }

    /** Takes a new set of rx queues and a new port table; flushes output to the old ports first. */
    void onReload(RxqPoller[] newRxqs, DpPort[] ports, int txqIndex) {
        flushAll();
        TxBuffer[] tx = new TxBuffer[ports.length];
        for (int i = 0; i < ports.length; i++) {
            DpPort p = ports[i];
            if (p != null) {
                tx[i] = new TxBuffer(new PortSender(p, txqIndex % p.netdev().txqCount(), stats), cache);
            }
        }
        rxqs = newRxqs.clone();
        txByPort = tx;
        portByNo = ports.clone();
    }

    void onConfig(DatapathConfig config) {
        lookup.emcInsertInvProb(config.emcInsertInvProb());
        lookup.smcEnabled(config.smcEnable());
        upcall.flowLimit(config.flowLimit());
        txFlushIntervalNs = config.txFlushIntervalUs() * 1_000L;
    }

    void onUpcallHandler(UpcallHandler handler) {
        upcall.handler(handler);
    }

    void onFlowPut(Megaflow flow) {
        tables.insert(flow);
    }

    boolean onFlowRemove(Megaflow flow) {
        flow.markDead();
        return upcall.onRemove(flow);
    }

    void onFlowModify(Megaflow flow, DpActions actions) {
        flow.actions(actions);
    }

    void onFlowBatch(Megaflow[] deletes, Megaflow[] modifies, DpActions[] actions) {
        for (Megaflow f : deletes) {
            onFlowRemove(f);
        }
        for (int i = 0; i < modifies.length; i++) {
            if (!modifies[i].isDead()) {
                modifies[i].actions(actions[i]);
            }
        }
    }

    /** Sends a packet the slow path made (a packet-out); output goes out with this iteration's. */
    void onExecute(byte[] frame, DpActions actions) {
        pipeline.execute(frame, actions);
    }

    void onClearCaches() {
        tables.clearCaches();
    }

    // ------------------------------------------------------------------ accessors

    public int pmdId() {
        return pmdId;
    }

    /** The CPU this PMD pins itself to, or -1. */
    public int cpu() {
        return cpu;
    }

    public PmdProxy proxy() {
        return proxy;
    }

    public PmdStats stats() {
        return stats;
    }

    /** This PMD's flow tables; touch only from the PMD thread (or a command). */
    public PmdFlowTables tables() {
        return tables;
    }

    /** Puts this PMD to sleep when idle and wakes it ({@code pmd-idle: sleep}). */
    PmdSleeper sleeper() {
        return sleeper;
    }

    /** The rx queues, not copied: the PMD thread's (its sleeper's) read. */
    RxqPoller[] polledRxqs() {
        return rxqs;
    }

    /** The rx queues this PMD polls (a snapshot; safe to read from any thread). */
    public RxqPoller[] rxqs() {
        return rxqs.clone();
    }

    /** Sends a tx buffer's batch on one tx queue, under the queue's lock when it is shared. */
    private static final class PortSender implements TxBuffer.Sender {
        private final DpPort port;
        private final int qid;
        private final PmdStats stats;
        private final dev.jvswitch.pmd.netdev.NetdevTxq txq;

        PortSender(DpPort port, int qid, PmdStats stats) {
            this.port = port;
            this.qid = qid;
            this.stats = stats;
            this.txq = port.netdev().txq(qid);
        }

        @Override
        public int send(PacketBatch batch, MbufCache cache) {
            int n = batch.size();
            PacketTap tap = port.txTap();
            if (tap != null) {
                tap.copy(batch, n);
            }
            int sent;
            if (port.txqLocked()) {
                port.lockTxq(qid);
                try {
                    sent = txq.send(batch, cache);
                } finally {
                    port.unlockTxq(qid);
                }
            } else {
                sent = txq.send(batch, cache);
            }
            stats.add(PmdCounter.TX_PACKETS, sent);
            stats.add(PmdCounter.TX_DROPPED, n - sent);
            stats.add(PmdCounter.TX_BATCHES, 1);
            return sent;
        }
    }
}
