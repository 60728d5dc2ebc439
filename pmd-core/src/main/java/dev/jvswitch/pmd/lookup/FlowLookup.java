package dev.jvswitch.pmd.lookup;

import dev.jvswitch.flowcache.dpcls.Dpcls;
import dev.jvswitch.flowcache.emc.Emc;
import dev.jvswitch.flowcache.hash.FlowHash;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import dev.jvswitch.flowcache.parse.PacketParser;
import dev.jvswitch.flowcache.smc.Smc;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.flow.PmdFlowTables;

/**
 * The classification stages of a PMD, over one batch (OVS's {@code dfc_processing} followed by
 * {@code fast_path_processing}): parse every packet into its key (leaving an IPv4 packet's RSS
 * hash for the PMD to compute if its flow reads it); look it up in the EMC, then the
 * SMC; look the rest up in the port's megaflow classifier, subtable by subtable for the whole
 * batch at once. Packets still without a flow are left for the upcall stage.
 *
 * <p>Hit counters are kept in fields the PMD reads after each batch, so the stage itself never
 * touches shared memory. Nothing here allocates.
 *
 * <p><b>Thread-safety:</b> owned by one PMD thread.
 */
public final class FlowLookup {
    private final PacketParser parser = new PacketParser();
    private final PmdFlowTables tables;
    private final FlowKey[] missKeys = new FlowKey[PacketBatch.MAX_SIZE];
    private final Megaflow[] missFlows = new Megaflow[PacketBatch.MAX_SIZE];
    private final int[] missIndex = new int[PacketBatch.MAX_SIZE];

    private boolean emcEnabled = true;
    private boolean smcEnabled;

    /** Hits of the last {@link #classify} call, by stage. */
    public int emcHits;
    public int smcHits;
    public int megaflowHits;

    public FlowLookup(PmdFlowTables tables) {
        this.tables = tables;
    }

    /** {@code emc-insert-inv-prob}: 0 turns EMC lookups and inserts off. */
    public void emcInsertInvProb(int invProb) {
        emcEnabled = invProb != 0;
        tables.emc().setInsertInvProb(invProb);
    }

    public void smcEnabled(boolean on) {
        smcEnabled = on;
    }

    public boolean smcEnabled() {
        return smcEnabled;
    }

    /**
     * Parses and classifies the packets of {@code batch}: {@code keys[i]} gets packet i's key and
     * {@code flows[i]} its megaflow, or {@code null}. A packet whose megaflow's actions read the
     * RSS hash ({@code DpActions.needsRssHash}) has it, computed from its key; the others (and
     * the misses) have it only if they are not IPv4.
     *
     * @return a bitmap of the packets that missed every stage
     */
    public int classify(PacketBatch batch, FlowKey[] keys, Megaflow[] flows) {
        emcHits = 0;
        smcHits = 0;
        megaflowHits = 0;
        int n = batch.size();
        int missMask = 0;
        Emc emc = tables.emc();
        Smc smc = tables.smc();
        // Parse the whole batch first: each packet's hash is a chain of dependent multiplies, and
        // in a loop of their own the CPU overlaps the chains of consecutive packets instead of
        // waiting for each one before its EMC probe.
        for (int i = 0; i < n; i++) {
            parser.parseForLookup(batch.get(i), keys[i]);
        }
        for (int i = 0; i < n; i++) {
            FlowKey key = keys[i];
            Megaflow flow = null;
            if (emcEnabled) {
                flow = emc.lookup(key);
                if (flow != null) {
                    emcHits++;
                }
            }
            if (flow == null && smcEnabled) {
                flow = smc.lookup(key);
                if (flow != null) {
                    smcHits++;
                }
            }
            flows[i] = flow;
            if (flow == null) {
                missMask |= 1 << i;
            } else if (flow.actions().needsRssHash()) {
                // Here, between the EMC probes' loads, the hash's multiplies overlap them.
                batch.get(i).rssHash(FlowHash.hash5(key));
            }
        }
        if (missMask != 0) {
            missMask = lookupMegaflows(batch, keys, flows, missMask);
        }
        return missMask;
    }

    /**
     * Looks the missed packets up in their port's classifier, one batch call per distinct
     * in_port (one call in the usual case, where a batch comes from one rx queue).
     */
    private int lookupMegaflows(PacketBatch batch, FlowKey[] keys, Megaflow[] flows, int missMask) {
        int pending = missMask;
        while (pending != 0) {
            int inPort = batch.get(Integer.numberOfTrailingZeros(pending)).inPort();
            int count = 0;
            for (int bits = pending; bits != 0; bits &= bits - 1) {
                int i = Integer.numberOfTrailingZeros(bits);
                if (batch.get(i).inPort() == inPort) {
                    missKeys[count] = keys[i];
                    missIndex[count++] = i;
                    pending &= ~(1 << i);
                }
            }
            Dpcls cls = tables.dpcls(inPort);
            if (cls == null) {
                continue;
            }
            int found = cls.lookupBatch(missKeys, count, missFlows);
            if (found == 0) {
                continue;
            }
            for (int j = 0; j < count; j++) {
                Megaflow flow = missFlows[j];
                // A dead flow waits in the classifier for its owner to remove it; it must not be
                // used again, so the packet goes to the upcall stage, which removes it.
                if (flow != null && !flow.isDead()) {
                    int i = missIndex[j];
                    flows[i] = flow;
                    if (flow.actions().needsRssHash()) {
                        batch.get(i).rssHash(FlowHash.hash5(keys[i]));
                    }
                    missMask &= ~(1 << i);
                    megaflowHits++;
                    onMegaflowHit(keys[i], flow);
                }
                missFlows[j] = null;
            }
        }
        return missMask;
    }

    /** A packet found by the classifier goes into the caches so the next one hits earlier. */
    public void onMegaflowHit(FlowKey key, Megaflow flow) {
        if (emcEnabled) {
            tables.emc().maybeInsert(key, flow);
        }
        if (smcEnabled) {
            tables.smc().insert(key, flow);
        }
    }

    /** Parses one packet (for callers outside a batch, e.g. trace). */
    public void parse(Mbuf m, FlowKey key) {
        parser.parse(m, key);
    }
}
