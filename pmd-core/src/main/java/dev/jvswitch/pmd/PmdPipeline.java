package dev.jvswitch.pmd;

import dev.jvswitch.conntrack.Conntrack;
import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.hash.FlowHash;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import dev.jvswitch.flowcache.parse.PacketParser;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.exec.ActionExecutor;
import dev.jvswitch.pmd.exec.ExecContext;
import dev.jvswitch.pmd.lookup.FlowLookup;
import dev.jvswitch.pmd.meter.DpMeters;
import dev.jvswitch.pmd.stats.DropReason;
import dev.jvswitch.pmd.stats.PmdCounter;
import dev.jvswitch.pmd.stats.PmdStats;
import dev.jvswitch.pmd.tunnel.TunnelOps;
import dev.jvswitch.pmd.upcall.UpcallOutcome;
import dev.jvswitch.pmd.upcall.UpcallResult;
import dev.jvswitch.pmd.upcall.UpcallStage;

/**
 * The packet path of one PMD over one batch: classify ({@link FlowLookup}), resolve misses
 * ({@link UpcallStage}), group the packets by megaflow so each flow's actions run once for all its
 * packets (OVS's {@code packet_batch_per_flow}; a batch whose packets all hit one flow is run as
 * it is), update each flow's stats once per group, and execute. Output goes to the PMD's tx buffers; recirculated packets wait in a small ring and run
 * through the same path once the batch that produced them is done.
 *
 * <p>The hit counters add up: every packet received or recirculated is counted exactly once as an
 * EMC, SMC or megaflow hit, a successful upcall, or a failed upcall.
 *
 * <p><b>Thread-safety:</b> owned by the PMD thread. Nothing here allocates except an upcall's
 * translation and the megaflow it installs.
 */
final class PmdPipeline implements ExecContext {
    /** Most recirculated packets that may wait at once. */
    private static final int RECIRC_RING = 1024;
    /**
     * They wait in batches filled in turn (RECIRC_RING / 32 of them), plus one: the batch being
     * run, which its own recirculations can then never reach.
     */
    private static final int RECIRC_BATCHES = RECIRC_RING / PacketBatch.MAX_SIZE + 1;
    private static final int TCP_FLAGS_WORD = FlowField.TCP_FLAGS.word();
    private static final int TCP_FLAGS_SHIFT = FlowField.TCP_FLAGS.shift();
    private static final int TCP_FLAGS_MASK = (int) FlowField.TCP_FLAGS.valueMask();

    private final PmdAgent pmd;
    private final FlowLookup lookup;
    private final UpcallStage upcall;
    private final PmdStats stats;
    private final MbufCache cache;
    private final ActionExecutor executor;

    private final FlowKey[] keys = new FlowKey[PacketBatch.MAX_SIZE];
    private final Megaflow[] flows = new Megaflow[PacketBatch.MAX_SIZE];
    private final PacketBatch[] groups = new PacketBatch[PacketBatch.MAX_SIZE];
    private final Megaflow[] groupFlows = new Megaflow[PacketBatch.MAX_SIZE];
    /**
     * Each group's program, read once when the group is formed: the packets get the RSS hash
     * if it reads it, and it is what runs, even if the flow's actions change in between.
     */
    private final DpActions[] groupActions = new DpActions[PacketBatch.MAX_SIZE];
    private final long[] groupBytes = new long[PacketBatch.MAX_SIZE];
    private final int[] groupTcpFlags = new int[PacketBatch.MAX_SIZE];
    private final PacketBatch single = new PacketBatch();
    private final PacketParser packetOutParser = new PacketParser();
    private final FlowKey packetOutKey = new FlowKey();
    /**
     * Recirculated packets, oldest first from {@code recircHead} to {@code recircTail} (the one
     * being filled): every batch between them is full. A packet is stored once, straight into the
     * batch it will run in.
     */
    private final PacketBatch[] recircBatches = new PacketBatch[RECIRC_BATCHES];
    private int recircHead;
    private int recircTail;
    private int recircCount;
    /**
     * Hits and recirculations of the passes since the last {@link #publishCounts}: each counter
     * is a read and a release store into the stats, so the passes of one received batch (two for
     * a tunnel pop) publish them once, when the batch and its recirculations are done.
     */
    private long emcHits;
    private long smcHits;
    private long megaflowHits;
    private long recirculations;

    PmdPipeline(PmdAgent pmd, FlowLookup lookup, UpcallStage upcall, PmdStats stats, MbufCache cache,
            Conntrack conntrack, DpMeters meters) {
        this.pmd = pmd;
        this.executor = new ActionExecutor(conntrack, meters);
        this.lookup = lookup;
        this.upcall = upcall;
        this.stats = stats;
        this.cache = cache;
        for (int i = 0; i < PacketBatch.MAX_SIZE; i++) {
            keys[i] = new FlowKey();
            groups[i] = new PacketBatch();
        }
        for (int i = 0; i < RECIRC_BATCHES; i++) {
            recircBatches[i] = new PacketBatch();
        }
    }

    /** Processes a freshly received batch from datapath port {@code inPort}; empties it. */
    void onReceive(PacketBatch batch, int inPort) {
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            batch.get(i).inPort(inPort);
        }
        stats.add(PmdCounter.RX_PACKETS, n);
        process(batch);
        drainRecirculations();
    }

    /** Runs {@code actions} on {@code m} (a packet-out), then any recirculations it made. */
    void executeOne(Mbuf m, DpActions actions) {
        single.add(m);
        executor.execute(actions, single, this);
        drainRecirculations();
    }

    /** Runs the pipeline over packets already in the PMD (recirculated, or injected by tests). */
    void process(PacketBatch batch) {
        int n = batch.size();
        int missMask = lookup.classify(batch, keys, flows);
        emcHits += lookup.emcHits;
        smcHits += lookup.smcHits;
        megaflowHits += lookup.megaflowHits;
        if (missMask != 0) {
            megaflowHits += onMisses(batch, missMask);
        }
        long nowMs = pmd.nowMs();
        if (oneFlow(batch, n)) {
            // The batch is its own group (a burst of one megaflow, as most are): run the flow's
            // actions on it as it is, without copying every mbuf reference into a group.
            Megaflow flow = groupFlows[0];
            DpActions actions = groupActions[0];
            groupFlows[0] = null;
            groupActions[0] = null;
            flow.onHit(n, groupBytes[0], nowMs, groupTcpFlags[0]);
            executor.execute(actions, batch, this);
            return;
        }
        int groupCount = groupByFlow(batch, n);
        batch.clear();
        for (int g = 0; g < groupCount; g++) {
            Megaflow flow = groupFlows[g];
            DpActions actions = groupActions[g];
            PacketBatch packets = groups[g];
            flow.onHit(packets.size(), groupBytes[g], nowMs, groupTcpFlags[g]);
            groupFlows[g] = null;
            groupActions[g] = null;
            executor.execute(actions, packets, this);
        }
    }

    /**
     * Resolves every missed packet through the upcall stage. Packets that end up with a flow stay
     * in {@code flows} for grouping; the others are executed or dropped here.
     *
     * @return how many misses turned out to be megaflow hits (installed earlier in this batch)
     */
    private int onMisses(PacketBatch batch, int missMask) {
        int hits = 0;
        int ok = 0;
        int failed = 0;
        long nowMs = pmd.nowMs();
        for (int bits = missMask; bits != 0; bits &= bits - 1) {
            int i = Integer.numberOfTrailingZeros(bits);
            Mbuf m = batch.get(i);
            // The lookup left an IPv4 packet's RSS hash for later; an upcall's actions may read it.
            m.rssHash(FlowHash.hash5(keys[i]));
            UpcallOutcome outcome = upcall.onMiss(m, keys[i], nowMs);
            flows[i] = upcall.flow;
            if (!upcall.foundExisting && upcall.result().packetOuts() > 0) {
                sendPacketOuts(upcall.result());
            }
            if (outcome == UpcallOutcome.OK) {
                if (upcall.foundExisting) {
                    hits++;
                } else {
                    ok++;
                }
                if (upcall.flow == null) {
                    single.add(m);
                    executor.execute(upcall.result().actions(), single, this);
                }
            } else {
                failed++;
                if (outcome == UpcallOutcome.RECIRC_ID_UNKNOWN) {
                    stats.countDrop(DropReason.RECIRC_UNKNOWN);
                } else {
                    stats.add(PmdCounter.LOST, 1);
                }
                cache.put(m);
            }
        }
        stats.add(PmdCounter.UPCALL_OK, ok);
        stats.add(PmdCounter.UPCALL_FAILED, failed);
        return hits;
    }

    /**
     * Sends the packets the slow path made during an upcall (an ARP or ND request for a tunnel's
     * next hop): each is copied into an mbuf, parsed for its header offsets and run through its
     * actions. Slow path: happens once per upcall that needs it.
     */
    private void sendPacketOuts(UpcallResult r) {
        for (int i = 0; i < r.packetOuts(); i++) {
            execute(r.packetOutFrame(i), r.packetOutActions(i));
        }
        r.clearPacketOuts();
    }

    /**
     * Sends {@code frame} with {@code actions} (a packet the slow path made): copied into an
     * mbuf from this PMD's cache, parsed for its header offsets and hash, executed.
     */
    void execute(byte[] frame, DpActions actions) {
        Mbuf m = cache.get();
        if (m == null) {
            stats.countDrop(DropReason.NO_MBUF);
            return;
        }
        if (!m.copyFrom(frame, 0, frame.length)) {
            drop(m, DropReason.MALFORMED);
            return;
        }
        packetOutParser.parse(m, packetOutKey);
        single.add(m);
        executor.execute(actions, single, this);
    }

    /**
     * Whether every packet of the batch hit the same megaflow; if so, that flow, its program, the
     * batch's bytes and TCP flags are group 0's, every packet has the RSS hash if the program
     * reads it, and {@code flows} is cleared; else nothing changes.
     */
    private boolean oneFlow(PacketBatch batch, int n) {
        Megaflow flow = flows[0];
        if (n == 0 || flow == null) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            if (flows[i] != flow) {
                return false;
            }
        }
        DpActions actions = flow.actions();
        boolean needsHash = actions.needsRssHash();
        long bytes = 0;
        int tcpFlags = 0;
        for (int i = 0; i < n; i++) {
            flows[i] = null;
            Mbuf m = batch.get(i);
            bytes += m.length();
            tcpFlags |= tcpFlags(keys[i]);
            if (needsHash) {
                ensureRssHash(m, keys[i]);
            }
        }
        groupFlows[0] = flow;
        groupActions[0] = actions;
        groupBytes[0] = bytes;
        groupTcpFlags[0] = tcpFlags;
        return true;
    }

    /**
     * Sorts the batch's packets into one sub-batch per megaflow, in order of first appearance,
     * reading each flow's program once; a packet whose group's program reads the RSS hash has it.
     */
    private int groupByFlow(PacketBatch batch, int n) {
        int groupCount = 0;
        for (int i = 0; i < n; i++) {
            Megaflow flow = flows[i];
            if (flow == null) {
                continue;
            }
            flows[i] = null;
            int g = 0;
            while (g < groupCount && groupFlows[g] != flow) {
                g++;
            }
            if (g == groupCount) {
                groupFlows[g] = flow;
                groupActions[g] = flow.actions();
                groupBytes[g] = 0;
                groupTcpFlags[g] = 0;
                groupCount++;
            }
            Mbuf m = batch.get(i);
            groups[g].add(m);
            groupBytes[g] += m.length();
            groupTcpFlags[g] |= tcpFlags(keys[i]);
            if (groupActions[g].needsRssHash()) {
                ensureRssHash(m, keys[i]);
            }
        }
        return groupCount;
    }

    /**
     * Gives {@code m} the 5-tuple hash of its key unless it has one. The lookup computed it for
     * packets whose flow read it then; this covers a program that changed to one that reads it
     * after the lookup (the pipeline runs the program it read here, never a second read).
     */
    private static void ensureRssHash(Mbuf m, FlowKey key) {
        if (!m.rssHashValid()) {
            m.rssHash(FlowHash.hash5(key));
        }
    }

    /** The key's TCP flags; constants rather than get(field): an enum's final fields are not folded by the JIT. */
    private static int tcpFlags(FlowKey key) {
        return (int) (key.words()[TCP_FLAGS_WORD] >>> TCP_FLAGS_SHIFT) & TCP_FLAGS_MASK;
    }

    /**
     * Runs recirculated packets through the pipeline until none are left, then publishes the
     * counts of every pass since the last call (every entry point ends here).
     */
    private void drainRecirculations() {
        while (recircCount > 0) {
            PacketBatch batch = recircBatches[recircHead];
            if (recircHead == recircTail) {
                // Recirculations made while it runs go to the next batch.
                recircTail = nextRecircBatch(recircTail);
            }
            recircHead = nextRecircBatch(recircHead);
            int n = batch.size();
            recircCount -= n;
            recirculations += n;
            process(batch);
        }
        publishCounts();
    }

    /** Adds the hits and recirculations counted since the last call to the PMD's stats. */
    private void publishCounts() {
        stats.add(PmdCounter.EMC_HITS, emcHits);
        stats.add(PmdCounter.SMC_HITS, smcHits);
        stats.add(PmdCounter.MEGAFLOW_HITS, megaflowHits);
        stats.add(PmdCounter.RECIRCULATIONS, recirculations);
        emcHits = 0;
        smcHits = 0;
        megaflowHits = 0;
        recirculations = 0;
    }

    private static int nextRecircBatch(int i) {
        return i + 1 == RECIRC_BATCHES ? 0 : i + 1;
    }

    /** Drops whatever is still queued (PMD shutdown). */
    void onClose() {
        for (PacketBatch batch : recircBatches) {
            cache.putAll(batch);
        }
        recircCount = 0;
        recircHead = 0;
        recircTail = 0;
    }

    // ------------------------------------------------------------------ ExecContext

    @Override
    public void output(int port, Mbuf m) {
        pmd.onOutput(port, m);
    }

    @Override
    public void recirculate(Mbuf m) {
        if (recircCount == RECIRC_RING) {
            drop(m, DropReason.RECIRC_DEPTH);
            return;
        }
        PacketBatch batch = recircBatches[recircTail];
        if (batch.isFull()) {
            recircTail = nextRecircBatch(recircTail);
            batch = recircBatches[recircTail];
        }
        batch.add(m);
        recircCount++;
    }

    /**
     * A whole batch (a tnl_pop or recirc that ended its program) goes in as it is when the batch
     * being filled is empty and the ring has room for all of it: the two batches swap contents,
     * storing no mbuf reference. Else packet by packet, as {@link #recirculate(Mbuf)}.
     */
    @Override
    public void recirculateAll(PacketBatch batch) {
        PacketBatch tail = recircBatches[recircTail];
        int n = batch.size();
        if (tail.isEmpty() && recircCount + n <= RECIRC_RING) {
            tail.swapWith(batch);
            recircCount += n;
            return;
        }
        ExecContext.super.recirculateAll(batch);
    }

    @Override
    public TunnelOps tunnelOps(int port) {
        DpPort p = pmd.port(port);
        return p == null ? null : p.netdev().tunnelOps();
    }

    @Override
    public int portMtu(int port) {
        DpPort p = pmd.port(port);
        return p == null ? 0 : p.netdev().mtu();
    }

    @Override
    public long nowMs() {
        return pmd.nowMs();
    }

    @Override
    public MbufCache cache() {
        return cache;
    }

    @Override
    public void countDrop(DropReason reason) {
        stats.countDrop(reason);
    }
}
