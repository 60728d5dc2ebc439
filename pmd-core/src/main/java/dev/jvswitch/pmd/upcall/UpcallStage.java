package dev.jvswitch.pmd.upcall;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.pmd.flow.PmdFlowTables;
import dev.jvswitch.pmd.flow.Ukey;
import dev.jvswitch.pmd.flow.UkeyId;
import dev.jvswitch.pmd.flow.UkeyMap;
import dev.jvswitch.pmd.lookup.FlowLookup;

/**
 * The miss path of a PMD (OVS's {@code handle_packet_upcall}): for a packet no table knew, look
 * once more in the classifier (an earlier packet of the same batch may have installed its flow),
 * else ask the {@link UpcallHandler}, then install the megaflow it describes in this PMD's tables
 * and register its ukey, unless the datapath is at its flow limit (the configured
 * {@code flow-limit}, or the lower dynamic limit the revalidators set in the ukey map) or the
 * handler said not to.
 *
 * <p>This is the slow path: allocating a megaflow and a ukey is expected here.
 *
 * <p><b>Thread-safety:</b> owned by one PMD thread; the ukey map is concurrent.
 */
public final class UpcallStage {
    private final int pmdId;
    private final PmdFlowTables tables;
    private final FlowLookup lookup;
    private final UkeyMap ukeys;
    private final UpcallResult result = new UpcallResult();
    private volatile UpcallHandler handler;
    private volatile int flowLimit;

    /**
     * The flow found or installed by the last {@link #onMiss} that returned
     * {@link UpcallOutcome#OK}; {@code null} when that packet is to be executed with
     * {@link #result()}'s actions without a flow.
     */
    public Megaflow flow;
    /** Whether the last miss was resolved by an existing flow rather than an upcall. */
    public boolean foundExisting;
    /** Upcalls that did not install because of the flow limit (owner-read). */
    public long flowLimitSkips;

    public UpcallStage(int pmdId, PmdFlowTables tables, FlowLookup lookup, UkeyMap ukeys,
                       UpcallHandler handler, int flowLimit) {
        this.pmdId = pmdId;
        this.tables = tables;
        this.lookup = lookup;
        this.ukeys = ukeys;
        this.handler = handler;
        this.flowLimit = flowLimit;
    }

    public void handler(UpcallHandler h) {
        handler = h;
    }

    public void flowLimit(int limit) {
        flowLimit = limit;
    }

    public int flowLimit() {
        return flowLimit;
    }

    /** The last upcall's result; its actions are the packet's when {@link #flow} is {@code null}. */
    public UpcallResult result() {
        return result;
    }

    /**
     * Resolves a missed packet.
     *
     * @return {@link UpcallOutcome#OK} with {@link #flow} set (the packet joins that flow's group)
     *         or {@code null} (execute {@link #result()}'s actions on the packet alone, no flow
     *         installed); otherwise the packet is to be dropped, for the outcome's reason
     */
    public UpcallOutcome onMiss(Mbuf packet, FlowKey key, long nowMs) {
        foundExisting = false;
        flow = null;
        Megaflow existing = tables.lookup(packet.inPort(), key);
        if (existing != null && existing.isDead()) {
            // Deleted by another thread, removal command not yet run: remove it here, so the
            // fresh translation below can take its place.
            onRemove(existing);
            existing = null;
        }
        if (existing != null) {
            flow = existing;
            foundExisting = true;
            lookup.onMegaflowHit(key, existing);
            return UpcallOutcome.OK;
        }
        result.reset();
        UpcallHandler h = handler;
        UpcallOutcome outcome;
        try {
            outcome = h.onUpcall(pmdId, key, packet, result);
        } catch (RuntimeException e) {
            outcome = UpcallOutcome.FAILED;
        }
        if (outcome != UpcallOutcome.OK) {
            return outcome == null ? UpcallOutcome.FAILED : outcome;
        }
        if (result.actions() == null) {
            return UpcallOutcome.FAILED;
        }
        if (!result.install()) {
            return UpcallOutcome.OK;
        }
        if (ukeys.size() >= Math.min(flowLimit, ukeys.dynamicLimit())) {
            flowLimitSkips++;
            try {
                h.onNotInstalled(pmdId, packet, result);
            } catch (RuntimeException e) {
                // The packet is still forwarded; the slow path only lost a statistics update.
            }
            return UpcallOutcome.OK;
        }
        FlowMask mask = result.mask();
        mask.exact(FlowField.IN_PORT);
        mask.exact(FlowField.RECIRC_ID);
        Megaflow installed = new Megaflow(key, mask, result.actions(), packet.inPort());
        UkeyId id = new UkeyId(pmdId, installed.ufidHi(), installed.ufidLo());
        Ukey ukey = new Ukey(id, installed, result.ukeyData(), nowMs, result.revalSeq());
        Ukey prior = ukeys.register(ukey);
        if (prior != null) {
            // A flow with this ufid is registered but was not found above, so it is dead and
            // removed from the tables; drop its registration and take its place.
            ukeys.remove(prior);
            if (ukeys.register(ukey) != null) {
                return UpcallOutcome.OK;
            }
        }
        tables.insert(installed);
        lookup.onMegaflowHit(key, installed);
        flow = installed;
        return UpcallOutcome.OK;
    }

    /**
     * PMD thread: takes a flow out of this PMD's tables and out of the ukey map (if its ukey is
     * still the registered one). The flow must already be marked dead.
     */
    public boolean onRemove(Megaflow dead) {
        boolean removed = tables.remove(dead);
        Ukey u = ukeys.get(new UkeyId(pmdId, dead.ufidHi(), dead.ufidLo()));
        if (u != null && u.flow() == dead) {
            ukeys.remove(u);
        }
        return removed;
    }
}
