package dev.jvswitch.ofproto;

import java.util.List;
import java.util.Objects;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.revalidate.RevalidateResult;
import dev.jvswitch.ofproto.revalidate.Revalidation;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.ofproto.upcall.RecircRegistry;
import dev.jvswitch.ofproto.upcall.UkeyData;
import dev.jvswitch.ofproto.xlate.XlateResult;
import dev.jvswitch.pmd.flow.Ukey;

/**
 * The revalidation of a datapath whose upcalls {@link Ofproto#upcallHandler()} translates (OVS's
 * {@code revalidate_ukey} and {@code push_dp_ops} with {@code ofproto-dpif}).
 *
 * <ul>
 *   <li>{@link #revalSeq()} is {@link Ofproto#revalSeq()}, which grows with the tables, groups,
 *       ports, port liveness and every MAC table change that may alter a lookup's answer; the
 *       upcall handler records it in each ukey. A flow translated against an older snapshot, or
 *       whose MAC lookups ({@link UkeyData#macDependencies()}) may answer differently, is
 *       therefore translated again.</li>
 *   <li>{@link #revalidate} translates the megaflow's masked key against the current snapshot
 *       without learning. Needing a key bit the installed mask wildcards, a failed translation or
 *       a controller flow: delete (the next packet makes a fresh upcall). Otherwise keep it, or
 *       modify its actions.</li>
 *   <li>{@link #pushStats} credits every rule the flow ran ({@link UkeyData#rules()}), teaches
 *       its learned flows again and, when its packets carried FIN or RST, lowers the timeouts
 *       its {@code fin_timeout}s name (OVS's {@code XC_LEARN} and {@code XC_FIN_TIMEOUT}).</li>
 *   <li>{@link #stale} sends a flow back to translation when a balance-slb rebalance moved a
 *       bucket it sends through ({@link UkeyData#bondStale()}).</li>
 *   <li>{@link #onCycleEnd} expires rules by idle and hard timeout, rebalances balance-slb bonds,
 *       ages the MAC tables and
 *       the tunnel neighbour cache (sending the neighbour requests due), and retires
 *       recirculation ids no live flow used for two cycles.</li>
 * </ul>
 *
 * <p><b>Clocks.</b> The datapath and the ofproto must run on the same nanosecond clock (the
 * daemon uses {@code System.nanoTime()} for both; tests pass one test clock to both): a flow's
 * used time in milliseconds becomes a rule's last-used time in nanoseconds.
 *
 * <p><b>Thread-safety:</b> {@link #revalidate}, {@link #pushStats} and {@link #onDumped} run on
 * several revalidator threads at once: they translate against the immutable published snapshot
 * (each thread uses its own scratch key), add to rule counters atomically and stamp recirc ids in
 * a concurrent registry. {@link #onCycleEnd} runs on the leader only, with no other method of this
 * pool in progress; its marks are plain fields confined to the leader.
 */
public final class OfprotoRevalidation implements Revalidation {
    private final Ofproto ofproto;
    private final RecircRegistry recircIds;
    private final ThreadLocal<FlowKey> scratch = ThreadLocal.withInitial(FlowKey::new);
    private final ThreadLocal<FlowMask> scratchMask = ThreadLocal.withInitial(FlowMask::new);
    private long currentMark;
    private long previousMark;

    public OfprotoRevalidation(Ofproto ofproto) {
        this.ofproto = Objects.requireNonNull(ofproto, "ofproto");
        this.recircIds = ofproto.recircIds();
        this.currentMark = recircIds.mark();
        this.previousMark = currentMark;
    }

    @Override
    public long revalSeq() {
        return ofproto.revalSeq();
    }

    @Override
    public RevalidateResult revalidate(Ukey ukey) {
        FlowKey key = scratch.get();
        ukey.flow().copyMaskedKeyTo(key);
        XlateResult r = ofproto.upcallHandler().translate(key);
        if (r.error() != null || r.slowPath()) {
            return RevalidateResult.DELETE;
        }
        if (!withinMask(r.mask(), ukey)) {
            return RevalidateResult.DELETE;
        }
        ukey.data(UkeyData.of(r));
        return r.actions().equals(ukey.flow().actions()) ? RevalidateResult.KEEP : RevalidateResult.modify(r.actions());
    }

    /** True if the new translation needs no key bit the installed megaflow wildcards. */
    private boolean withinMask(FlowMask needed, Ukey ukey) {
        FlowMask installed = scratchMask.get();
        ukey.flow().copyMaskTo(installed);
        long[] need = needed.words();
        long[] have = installed.words();
        for (int w = 0; w < need.length; w++) {
            if ((need[w] & ~have[w]) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void pushStats(Ukey ukey, long packetsDelta, long bytesDelta, long usedMs, int tcpFlags) {
        if (!(ukey.data() instanceof UkeyData d)) {
            return;
        }
        long usedNs = usedMs != 0 ? usedMs * 1_000_000L : 0L;
        d.credit(packetsDelta, bytesDelta, usedNs);
        if (packetsDelta > 0) {
            d.onTcpFlags(tcpFlags);
        }
        if (packetsDelta > 0 && !d.learned().isEmpty()) {
            // OVS's XC_LEARN: a learning megaflow that sees packets teaches its flows again,
            // which restores one that expired and restarts the hard timeout of one still there.
            ofproto.learn(d.learned());
        }
    }

    /** A flow through a balance-slb bucket a rebalance moved to another member. */
    @Override
    public boolean stale(Ukey ukey) {
        return ukey.data() instanceof UkeyData d && d.bondStale();
    }

    /** Every live flow of the cycle: its recirculation ids are still in use. */
    @Override
    public void onDumped(Ukey ukey) {
        if (ukey.data() instanceof UkeyData d) {
            for (int id : d.recircIds()) {
                recircIds.frozenState(id);
            }
        }
    }

    @Override
    public void onCycleEnd(long nowMs) {
        ofproto.drainLearned();
        ofproto.expireFlows();
        // As OVS: right after rule expiry, with every flow's bytes in the bond buckets.
        ofproto.rebalanceBonds();
        ofproto.onTunnelTick();
        long nowNs = ofproto.nowNs();
        for (String bridge : ofproto.bridges()) {
            try {
                ofproto.macTable(bridge).expire(nowNs);
            } catch (IllegalArgumentException e) {
                // The bridge went away meanwhile: nothing to age.
            }
        }
        // An id is retired once no live flow and no upcall used it in two whole cycles, so a flow
        // installed while a mark was being taken keeps its id.
        recircIds.sweep(previousMark);
        previousMark = currentMark;
        currentMark = recircIds.mark();
    }
}
