package dev.jvswitch.ofproto.revalidate;

import dev.jvswitch.pmd.flow.Ukey;

/**
 * What the slow path gives the revalidators (the part of OVS's {@code ofproto-dpif-upcall} that
 * calls into translation): the version of its tables, a fresh translation of an installed
 * megaflow, the crediting of megaflow statistics to the OpenFlow rules the flow was made from,
 * and a hook at the end of each cycle for rule timeouts.
 *
 * <p><b>Versions.</b> {@link #revalSeq()} must change (grow) after every table, group or MAC
 * learning change that may alter a translation, and only after the new tables are visible to
 * translations (publish the snapshot, then bump; or let the snapshot carry its own version and
 * publish both with one release store). Every upcall records, through
 * {@link dev.jvswitch.pmd.upcall.UpcallResult#revalSeq(long)}, the version of the snapshot it
 * translated against; the change barrier of {@link RevalidatorPool} depends on it. After a change,
 * call {@link RevalidatorPool#wakeup()} so that the revalidators start at once.
 *
 * <p><b>Thread-safety:</b> {@link #revalidate}, {@link #pushStats}, {@link #onDumped}, {@link #stale} and {@link #onDeleted} are
 * called by several revalidator threads at once, each ukey by one thread at a time;
 * implementations read immutable table snapshots and add to rule counters atomically.
 * {@link #onCycleEnd} is called by the leader revalidator only, after every revalidator has
 * finished its part of the cycle; {@link #revalSeq()} by any thread.
 */
public interface Revalidation {

    /** The current table version (acquire load): any change that may alter a translation grows it. */
    long revalSeq();

    /**
     * Translates the ukey's megaflow again (its masked key, {@code ukey.flow().copyMaskedKeyTo}),
     * against the current tables:
     * <ul>
     *   <li>{@link RevalidateResult#KEEP} if the actions would not change;</li>
     *   <li>{@link RevalidateResult#modify} with the new program if only the actions change and the
     *       new translation needs no key bit outside the megaflow's mask (a narrower need is fine:
     *       the megaflow stays correct, only more specific than necessary);</li>
     *   <li>{@link RevalidateResult#DELETE} if the new translation would need a wider mask, or
     *       fails. The next packet then makes a fresh upcall.</li>
     * </ul>
     * It may replace {@link Ukey#data()} (the rules the flow is now attributed to). An exception
     * counts as {@code DELETE}.
     */
    RevalidateResult revalidate(Ukey ukey);

    /**
     * Credits the rules the flow was made from ({@link Ukey#data()}) with the packets and bytes
     * the megaflow saw since the last push, and its last use ({@code usedMs} on the datapath's
     * clock, 0 if never used). Called only when a delta is non-zero; the pool keeps
     * {@link Ukey#pushedPackets} and {@link Ukey#pushedBytes}.
     */
    void pushStats(Ukey ukey, long packetsDelta, long bytesDelta, long usedMs, int tcpFlags);

    /**
     * True if the flow must be translated again although {@link #revalSeq()} did not move since
     * its last translation: a change that touches only some flows, whose ukeys say which (a bond
     * bucket a rebalance moved). Called once per cycle for every live flow that is not otherwise
     * due; it must be cheap.
     */
    default boolean stale(Ukey ukey) {
        return false;
    }

    /**
     * Called once per cycle for every live flow the cycle dumped (after its statistics were
     * pushed, before it is revalidated or deleted): the place to mark what the flow still uses,
     * such as its recirculation ids.
     */
    default void onDumped(Ukey ukey) {
    }

    /**
     * The flow is gone from its PMD and its final statistics were pushed (after the last
     * {@link #pushStats}); release what the ukey held (recirculation ids, references to rules).
     */
    default void onDeleted(Ukey ukey, DeleteReason reason) {
    }

    /**
     * End of a revalidation cycle, on the leader, with the statistics of every live flow pushed:
     * the place to expire rules whose {@code idle_timeout} or {@code hard_timeout} passed (rule
     * timeouts are driven by the pushed statistics, as in OVS). An implementation that removes
     * rules bumps {@link #revalSeq()}; the pool sees it and revalidates at once.
     *
     * @param nowMs the cycle's time on the datapath's clock
     */
    default void onCycleEnd(long nowMs) {
    }
}
