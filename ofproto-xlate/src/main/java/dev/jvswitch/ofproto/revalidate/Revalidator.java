package dev.jvswitch.ofproto.revalidate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import dev.jvswitch.pmd.DatapathFlows;
import dev.jvswitch.pmd.flow.Ukey;

/**
 * One revalidator's share of a cycle (OVS's {@code struct revalidator} and its
 * {@code revalidate()}): for each ukey of its slice — the ukeys whose ufid hashes to it, so a
 * ukey always has the same revalidator — push the megaflow's new statistics to its rules, delete
 * it if idle or over the flow limit, revalidate it if the tables changed since its actions were
 * computed (or if {@link Revalidation#stale} says a narrower change touched it). Deletions and new
 * actions go to the owning PMD, one command per PMD per cycle; the
 * final statistics of a deleted flow are pushed once its PMD has run the command (from then on
 * the flow takes no more hits), at the start of a later cycle.
 *
 * <p>A ukey whose new actions are still on their way to the PMD (command offered but not yet run,
 * or refused by a full queue) is not revalidated again until they arrive: comparing a fresh
 * translation with actions about to be overwritten could keep the wrong program.
 *
 * <p><b>Thread-safety:</b> owned by its revalidator thread (or the thread running a synchronous
 * cycle). The leader fills {@link #slice} before the cycle's start and reads the counters and
 * {@link #incomplete} after its end; the pool's phase barrier orders both. Command completions
 * are read through their futures (volatile).
 */
final class Revalidator {
    private static final Megaflow[] NO_FLOWS = new Megaflow[0];
    private static final DpActions[] NO_ACTIONS = new DpActions[0];

    final int index;
    /** This cycle's ukeys, filled by the leader's dump and emptied here. */
    final ArrayList<Ukey> slice = new ArrayList<>();

    private final DatapathFlows flows;
    private final Revalidation reval;
    private final OpList[] byPmd;
    private final ArrayDeque<Batch> pending = new ArrayDeque<>();
    private final ArrayDeque<Batch> unsent = new ArrayDeque<>();
    private final Set<Ukey> inflight = Collections.newSetFromMap(new IdentityHashMap<>());

    // Cumulative counts, written here, read by the leader after each cycle.
    long revalidated;
    long modified;
    long deletedIdle;
    long deletedLimit;
    long deletedRevalidation;
    long deletedPurge;
    long errors;
    long offersRefused;
    /** Ukeys in the last cycle's slice. */
    int keys;
    /** True if the last cycle left work undone that a change barrier must not count as done. */
    boolean incomplete;

    Revalidator(int index, DatapathFlows flows, Revalidation reval, int pmdCount) {
        this.index = index;
        this.flows = flows;
        this.reval = reval;
        this.byPmd = new OpList[pmdCount];
        for (int i = 0; i < pmdCount; i++) {
            byPmd[i] = new OpList();
        }
    }

    /** Runs this revalidator's part of one cycle over {@link #slice}. */
    void onCycle(RevalidatorPool.Cycle cycle) {
        incomplete = false;
        onCompletions();
        for (int i = unsent.size(); i > 0; i--) {
            Batch b = unsent.pollFirst();
            if (!offer(b)) {
                unsent.addLast(b);
            }
        }
        inflight.clear();
        for (Batch b : pending) {
            Collections.addAll(inflight, b.modifies);
        }
        for (Batch b : unsent) {
            Collections.addAll(inflight, b.modifies);
        }
        int n = slice.size();
        keys = n;
        try {
            for (int i = 0; i < n; i++) {
                onUkey(slice.get(i), cycle);
            }
        } finally {
            slice.clear();
            offerAll();
        }
        if (!unsent.isEmpty()) {
            incomplete = true;
        }
    }

    private void onUkey(Ukey ukey, RevalidatorPool.Cycle cycle) {
        Megaflow flow = ukey.flow();
        if (flow.isDead()) {
            // Being deleted (by us, by dpctl, or found dead by its PMD): never used again.
            return;
        }
        pushDelta(ukey);
        try {
            reval.onDumped(ukey);
        } catch (RuntimeException e) {
            errors++;
        }
        long used = flow.usedMs();
        long lastUsedMs = used != 0 ? used : ukey.createdMs();
        long idleMs = cycle.nowMs - lastUsedMs;
        if (cycle.killReason != null) {
            delete(ukey, cycle.killReason);
        } else if (idleMs > cycle.maxIdleMs) {
            delete(ukey, idleMs > cycle.configuredMaxIdleMs ? DeleteReason.IDLE : DeleteReason.LIMIT);
        } else if (ukey.revalSeq < cycle.seq || staleAnyway(ukey)) {
            if (inflight.contains(ukey)) {
                incomplete = true;
                return;
            }
            revalidated++;
            RevalidateResult r;
            try {
                r = reval.revalidate(ukey);
            } catch (RuntimeException e) {
                errors++;
                r = RevalidateResult.DELETE;
            }
            switch (r.verdict()) {
                case KEEP -> ukey.revalSeq = cycle.seq;
                case MODIFY -> {
                    if (!r.actions().equals(flow.actions())) {
                        OpList ops = byPmd[ukey.pmdId()];
                        ops.modifies.add(ukey);
                        ops.actions.add(r.actions());
                        modified++;
                    }
                    ukey.revalSeq = cycle.seq;
                }
                default -> delete(ukey, DeleteReason.REVALIDATION);
            }
        }
    }

    /** {@link Revalidation#stale}: translated at the current version but touched by a narrower change. */
    private boolean staleAnyway(Ukey ukey) {
        try {
            return reval.stale(ukey);
        } catch (RuntimeException e) {
            errors++;
            return false;
        }
    }

    private void delete(Ukey ukey, DeleteReason reason) {
        // Step 1 of a deletion: no EMC, SMC or classifier hit uses the flow from now on.
        ukey.flow().markDead();
        OpList ops = byPmd[ukey.pmdId()];
        ops.deletes.add(ukey);
        ops.reasons.add(reason);
        switch (reason) {
            case IDLE -> deletedIdle++;
            case LIMIT -> deletedLimit++;
            case REVALIDATION -> deletedRevalidation++;
            default -> deletedPurge++;
        }
    }

    /** Pushes what the flow saw since the last push, if anything. */
    private void pushDelta(Ukey ukey) {
        Megaflow flow = ukey.flow();
        long packets = flow.packets();
        long bytes = flow.bytes();
        if (packets == ukey.pushedPackets && bytes == ukey.pushedBytes) {
            return;
        }
        try {
            reval.pushStats(ukey, packets - ukey.pushedPackets, bytes - ukey.pushedBytes, flow.usedMs(),
                    flow.tcpFlags());
        } catch (RuntimeException e) {
            errors++;
        }
        ukey.pushedPackets = packets;
        ukey.pushedBytes = bytes;
    }

    /** Finishes every batch its PMD has run: final statistics of the deleted flows. */
    private void onCompletions() {
        for (Iterator<Batch> it = pending.iterator(); it.hasNext(); ) {
            Batch b = it.next();
            if (b.done.isDone()) {
                it.remove();
                if (b.done.isCompletedExceptionally()) {
                    errors++;
                }
                for (int i = 0; i < b.deletes.length; i++) {
                    pushDelta(b.deletes[i]);
                    try {
                        reval.onDeleted(b.deletes[i], b.reasons[i]);
                    } catch (RuntimeException e) {
                        errors++;
                    }
                }
            }
        }
    }

    private void offerAll() {
        for (int pmd = 0; pmd < byPmd.length; pmd++) {
            OpList ops = byPmd[pmd];
            if (ops.isEmpty()) {
                continue;
            }
            Batch b = new Batch(pmd, ops.deletes.toArray(new Ukey[0]), ops.reasons.toArray(new DeleteReason[0]),
                    ops.modifies.toArray(new Ukey[0]), ops.actions.toArray(NO_ACTIONS));
            ops.clear();
            if (!offer(b)) {
                unsent.addLast(b);
            }
        }
    }

    private boolean offer(Batch b) {
        Megaflow[] dels = b.deletes.length == 0 ? NO_FLOWS : new Megaflow[b.deletes.length];
        for (int i = 0; i < dels.length; i++) {
            dels[i] = b.deletes[i].flow();
        }
        Megaflow[] mods = b.modifies.length == 0 ? NO_FLOWS : new Megaflow[b.modifies.length];
        for (int i = 0; i < mods.length; i++) {
            mods[i] = b.modifies[i].flow();
        }
        CompletableFuture<Void> done = flows.offerBatch(b.pmd, dels, mods, b.actions.clone());
        if (done == null) {
            offersRefused++;
            return false;
        }
        b.done = done;
        pending.addLast(b);
        return true;
    }

    /** Pool shutdown: finishes what has completed and offers what was refused, once more. */
    void onClose() {
        onCompletions();
        for (int i = unsent.size(); i > 0; i--) {
            Batch b = unsent.pollFirst();
            if (!offer(b)) {
                unsent.addLast(b);
            }
        }
    }

    /** Batches offered to PMDs and not yet known to have run. */
    int pendingBatches() {
        return pending.size() + unsent.size();
    }

    /** What one cycle sends one PMD. */
    private static final class OpList {
        final ArrayList<Ukey> deletes = new ArrayList<>();
        final ArrayList<DeleteReason> reasons = new ArrayList<>();
        final ArrayList<Ukey> modifies = new ArrayList<>();
        final ArrayList<DpActions> actions = new ArrayList<>();

        boolean isEmpty() {
            return deletes.isEmpty() && modifies.isEmpty();
        }

        void clear() {
            deletes.clear();
            reasons.clear();
            modifies.clear();
            actions.clear();
        }
    }

    /** One command to one PMD, and its completion once offered. */
    private static final class Batch {
        final int pmd;
        final Ukey[] deletes;
        final DeleteReason[] reasons;
        final Ukey[] modifies;
        final DpActions[] actions;
        CompletableFuture<Void> done;

        Batch(int pmd, Ukey[] deletes, DeleteReason[] reasons, Ukey[] modifies, DpActions[] actions) {
            this.pmd = pmd;
            this.deletes = deletes;
            this.reasons = reasons;
            this.modifies = modifies;
            this.actions = actions;
        }
    }
}
