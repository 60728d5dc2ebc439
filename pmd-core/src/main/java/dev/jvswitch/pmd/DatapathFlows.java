package dev.jvswitch.pmd;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import dev.jvswitch.pmd.flow.Ukey;
import dev.jvswitch.pmd.flow.UkeyId;

/**
 * The datapath's flow API for control threads ({@code dpctl/add-flow}, {@code mod-flow},
 * {@code del-flow}, {@code dump-flows}, {@code del-flows}) and for the revalidators.
 *
 * <p>Every change goes to the owning PMD as a command; the methods here return once the PMD has
 * run it. Deleting is ordered so that no packet uses a flow once deletion started:
 * <ol>
 *   <li>mark the flow dead (release store): EMC and SMC hits on it become misses at once, and a
 *       classifier hit on it is sent to the upcall stage, which removes it;</li>
 *   <li>send the owner PMD a remove command, which takes it out of the classifier and the ukey
 *       map;</li>
 *   <li>wait for the PMD to run it.</li>
 * </ol>
 *
 * <p><b>Thread-safety:</b> callable from any thread; changes are serialised on the datapath.
 */
public final class DatapathFlows {
    private final Datapath dp;

    DatapathFlows(Datapath dp) {
        this.dp = dp;
    }

    /**
     * Installs a megaflow in PMD {@code pmdIndex} (or in every PMD when {@code pmdIndex < 0}),
     * with {@code key}'s in_port as its port.
     *
     * @return the ukeys of the flows installed (an already-installed identical flow is skipped)
     */
    public List<Ukey> put(int pmdIndex, FlowKey key, FlowMask mask, DpActions actions) {
        synchronized (dp) {
            FlowMask full = new FlowMask();
            System.arraycopy(mask.words(), 0, full.words(), 0, FlowKey.DP_WORDS);
            full.exact(FlowField.IN_PORT);
            full.exact(FlowField.RECIRC_ID);
            int inPort = (int) key.get(FlowField.IN_PORT);
            List<Ukey> added = new ArrayList<>();
            List<CompletableFuture<Void>> waits = new ArrayList<>();
            for (PmdAgent pmd : dp.pmds()) {
                if (pmdIndex >= 0 && pmd.pmdId() != pmdIndex) {
                    continue;
                }
                Megaflow flow = new Megaflow(key, full, actions, inPort);
                Ukey ukey = new Ukey(new UkeyId(pmd.pmdId(), flow.ufidHi(), flow.ufidLo()), flow, null, dp.nowMs());
                if (dp.ukeys().register(ukey) != null) {
                    continue;
                }
                added.add(ukey);
                waits.add(pmd.proxy().flowPut(flow));
            }
            dp.await(waits);
            return added;
        }
    }

    /** Replaces a flow's actions; false if no such flow. */
    public boolean modify(UkeyId id, DpActions actions) {
        synchronized (dp) {
            Ukey ukey = dp.ukeys().get(id);
            if (ukey == null || ukey.flow().isDead()) {
                return false;
            }
            Megaflow flow = ukey.flow();
            List<CompletableFuture<Void>> waits = new ArrayList<>();
            waits.add(dp.pmd(id.pmdId()).proxy().flowModify(flow, actions));
            dp.await(waits);
            return true;
        }
    }

    /**
     * Deletes a flow and waits until its PMD no longer has it.
     *
     * @return the deleted flow's ukey (its megaflow's stats are final), or {@code null} if none
     */
    public Ukey delete(UkeyId id) {
        synchronized (dp) {
            Ukey ukey = dp.ukeys().get(id);
            if (ukey == null) {
                return null;
            }
            List<CompletableFuture<Void>> waits = new ArrayList<>();
            waits.add(deleteAsync(ukey));
            dp.await(waits);
            return ukey;
        }
    }

    /**
     * Starts deleting a flow (steps 1 and 2 above) without waiting; for revalidators, which delete
     * many flows and then wait once.
     */
    public CompletableFuture<Void> deleteAsync(Ukey ukey) {
        Megaflow flow = ukey.flow();
        flow.markDead();
        return dp.pmd(ukey.pmdId()).proxy().flowRemove(flow);
    }

    /**
     * Offers PMD {@code pmdIndex} one command that removes every flow of {@code deletes} and gives
     * each {@code modifies[i]} the program {@code actions[i]} (a modify of a flow found dead by
     * then is skipped). The flows to delete are marked dead here first (step 1 above). Takes
     * ownership of the arrays.
     *
     * <p>For revalidators: it never blocks and never runs a command on the caller's thread, so a
     * revalidator neither stalls on a slow PMD nor stands in for a PMD that another thread steps.
     * A batch with nothing in it is a fence: its completion says the PMD has finished every
     * iteration it had begun before the offer (and every upcall in it), and has run every command
     * queued before it.
     *
     * @return the command's completion, or {@code null} if the PMD's queue was full (the flows to
     *         delete stay dead, and so unused; offer again later)
     */
    public CompletableFuture<Void> offerBatch(int pmdIndex, Megaflow[] deletes, Megaflow[] modifies,
                                              DpActions[] actions) {
        if (modifies.length != actions.length) {
            throw new IllegalArgumentException("offerBatch: " + modifies.length + " flows to modify but "
                    + actions.length + " action programs");
        }
        for (Megaflow f : deletes) {
            f.markDead();
        }
        return dp.pmd(pmdIndex).proxy().offerFlowBatch(deletes, modifies, actions);
    }

    /** Waits for deletions started with {@link #deleteAsync}. */
    public void await(List<CompletableFuture<Void>> waits) {
        dp.await(waits);
    }

    /** Deletes every flow of every PMD; returns how many. */
    public int flush() {
        synchronized (dp) {
            List<Ukey> all = dp.ukeys().snapshot();
            List<CompletableFuture<Void>> waits = new ArrayList<>();
            for (Ukey u : all) {
                waits.add(deleteAsync(u));
            }
            dp.await(waits);
            return all.size();
        }
    }

    /** Every installed flow, as a point-in-time copy. */
    public List<Ukey> dump() {
        return dp.ukeys().snapshot();
    }

    /** Number of installed flows across PMDs. */
    public int count() {
        return dp.ukeys().size();
    }
}
