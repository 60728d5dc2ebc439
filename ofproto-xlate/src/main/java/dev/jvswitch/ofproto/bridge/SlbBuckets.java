package dev.jvswitch.ofproto.bridge;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The hash buckets of a balance-slb bond (OVS's {@code bond_entry} array in {@code bond.c}): a
 * source MAC and VLAN hash to one of {@value #BUCKETS} buckets, each bucket sends through one
 * member, and each counts the bytes the megaflows through it sent. {@link #rebalance} moves
 * buckets from the most to the least loaded member while that brings the two closer, as OVS's
 * {@code bond_rebalance}, then halves every count (a moving average: old load fades in a few
 * runs).
 *
 * <p>A bucket gets its member when a translation first uses it, or when its member is no longer
 * live: the live member at position {@code bucket % live members}, so every translation racing
 * on it computes the same answer, and it keeps that member until a rebalance or its link moves it
 * (a member coming back does not take its buckets back, as in OVS).
 *
 * <p><b>Thread-safety:</b> members and byte counts are atomic arrays. Translations (PMD upcalls,
 * revalidators) assign a bucket that has no live member with a compare-and-set; revalidators add
 * bytes; {@link #rebalance} runs on one thread at a time (the revalidator leader at the end of a
 * cycle) and moves a bucket with a compare-and-set from the member it saw, so a concurrent
 * reassignment wins over it. {@code nextRebalanceMs} is written by that thread and read by
 * {@code bond/show} (volatile).
 */
public final class SlbBuckets {
    /** Buckets per bond (OVS's {@code BOND_BUCKETS}). */
    public static final int BUCKETS = 256;
    /** A bucket with no member yet. */
    public static final int UNASSIGNED = -1;
    /**
     * Least imbalance, in bytes, worth moving load for (OVS's 100000 bytes: under ~1 Mbit/s over
     * the default 10 s interval it is not worth disturbing the peer switch's MAC tables).
     */
    static final long MIN_OVERLOAD_BYTES = 100_000;

    private final AtomicIntegerArray member = new AtomicIntegerArray(BUCKETS);
    private final AtomicLongArray txBytes = new AtomicLongArray(BUCKETS);
    private volatile long nextRebalanceMs;

    public SlbBuckets() {
        for (int b = 0; b < BUCKETS; b++) {
            member.set(b, UNASSIGNED);
        }
    }

    /** The member bucket {@code bucket} sends through, or {@link #UNASSIGNED}. */
    public int member(int bucket) {
        return member.get(bucket);
    }

    /**
     * The member of {@code bucket}: the one it has if that is live, else the one it is given now.
     *
     * @param members  the bond's members, ascending
     * @param liveMask bit i set if {@code members[i]} is live; not 0
     */
    int choose(int bucket, int[] members, long liveMask) {
        for (;;) {
            int m = member.get(bucket);
            int at = m == UNASSIGNED ? -1 : Arrays.binarySearch(members, m);
            if (at >= 0 && at < Long.SIZE && (liveMask >>> at & 1) != 0) {
                return m;
            }
            long rest = liveMask;
            for (int k = bucket % Long.bitCount(liveMask); k > 0; k--) {
                rest &= rest - 1;
            }
            int pick = members[Long.numberOfTrailingZeros(rest)];
            if (member.compareAndSet(bucket, m, pick)) {
                return pick;
            }
        }
    }

    /**
     * Gives {@code bucket} to member {@code ofPort} (OVS's {@code bond/migrate}); its megaflows are
     * stale from now on and follow at the next revalidation.
     */
    public void migrate(int bucket, int ofPort) {
        member.set(bucket, ofPort);
    }

    /** Adds bytes a megaflow through {@code bucket} sent (OVS's {@code bond_account}). */
    public void account(int bucket, long bytes) {
        txBytes.getAndAdd(bucket, bytes);
    }

    /** The bytes counted in {@code bucket} since the last rebalances halved them. */
    public long txBytes(int bucket) {
        return txBytes.get(bucket);
    }

    /** When the next rebalance is due, on the ofproto's millisecond clock; 0 before the first is scheduled. */
    public long nextRebalanceMs() {
        return nextRebalanceMs;
    }

    /**
     * Whether a rebalance is due at {@code nowMs}; schedules the one after it ({@code intervalMs}
     * later). The first call only schedules, as OVS counts the interval from the bond's creation.
     */
    boolean due(long nowMs, long intervalMs) {
        long next = nextRebalanceMs;
        if (next != 0 && nowMs < next) {
            return false;
        }
        nextRebalanceMs = nowMs + intervalMs;
        return next != 0;
    }

    /** Takes over the assignments to members that remain, the counts and the schedule of {@code old}. */
    void carryFrom(SlbBuckets old, Bond bond) {
        for (int b = 0; b < BUCKETS; b++) {
            int m = old.member.get(b);
            if (m != UNASSIGNED && bond.contains(m)) {
                member.set(b, m);
            }
            txBytes.set(b, old.txBytes.get(b));
        }
        nextRebalanceMs = old.nextRebalanceMs;
    }

    /**
     * One rebalancing run over the live members {@code live} (OVS's {@code bond_rebalance}): each
     * member's load is the sum of its buckets'; while the most loaded member carries noticeably
     * more than the least loaded (by at least 1/32 of the latter and {@value #MIN_OVERLOAD_BYTES}
     * bytes), move to the least loaded the heaviest buckets of the most loaded that fit in half
     * the difference (or, if none fits, its lightest), provided the lower of the two loads then
     * comes at least a tenth of the way closer to their mean; a member that cannot give a bucket
     * away so is left out. Then every count is halved.
     *
     * @param moved receives, per bucket moved, its new member (others untouched); length {@value #BUCKETS}
     * @return the number of buckets moved
     */
    int rebalance(int[] live, int[] moved) {
        int n = live.length;
        long[] snap = new long[BUCKETS];
        for (int b = 0; b < BUCKETS; b++) {
            snap[b] = txBytes.get(b);
        }
        int count = 0;
        if (n >= 2) {
            count = shift(live, snap, moved);
        }
        for (int b = 0; b < BUCKETS; b++) {
            txBytes.getAndUpdate(b, v -> v / 2);
        }
        return count;
    }

    private int shift(int[] live, long[] snap, int[] moved) {
        int n = live.length;
        // Buckets by load, heaviest first; then each member's, in that order.
        Integer[] order = new Integer[BUCKETS];
        for (int b = 0; b < BUCKETS; b++) {
            order[b] = b;
        }
        Arrays.sort(order, (a, b) -> Long.compare(snap[b], snap[a]));
        long[] load = new long[n];
        int[][] entries = new int[n][BUCKETS];
        int[] entryCount = new int[n];
        for (int b : order) {
            int at = indexOf(live, member.get(b));
            if (snap[b] > 0 && at >= 0) {
                load[at] += snap[b];
                entries[at][entryCount[at]++] = b;
            }
        }
        boolean[] out = new boolean[n];
        int active = n;
        int count = 0;
        while (active >= 2) {
            int from = -1;
            int to = -1;
            for (int i = 0; i < n; i++) {
                if (!out[i]) {
                    if (from < 0 || load[i] > load[from]) {
                        from = i;
                    }
                    if (to < 0 || load[i] < load[to]) {
                        to = i;
                    }
                }
            }
            long overload = load[from] - load[to];
            if (from == to || overload < (load[to] >>> 5) || overload < MIN_OVERLOAD_BYTES) {
                break;
            }
            int[] chosen = choose(entries[from], entryCount[from], snap, load[from], load[to]);
            if (chosen.length == 0) {
                out[from] = true;
                active--;
                continue;
            }
            for (int b : chosen) {
                if (member.compareAndSet(b, live[from], live[to])) {
                    moved[b] = live[to];
                    count++;
                }
                load[from] -= snap[b];
                load[to] += snap[b];
                entryCount[from] = remove(entries[from], entryCount[from], b);
            }
        }
        return count;
    }

    /** OVS's {@code choose_entries_to_migrate}: the buckets of {@code from} (heaviest first) to move. */
    private static int[] choose(int[] entries, int count, long[] snap, long fromLoad, long toLoad) {
        if (count <= 1) {
            // One bucket: moving it only moves the imbalance.
            return new int[0];
        }
        long idealDelta = (fromLoad + toLoad) / 2 - toLoad;
        long threshold = idealDelta / 10;
        long delta = 0;
        int[] chosen = new int[count];
        int k = 0;
        for (int i = 0; i < count; i++) {
            long t = snap[entries[i]];
            if (delta + t <= idealDelta) {
                chosen[k++] = entries[i];
                delta += t;
            }
            if (idealDelta - delta < threshold) {
                break;
            }
        }
        if (k == 0) {
            chosen[k++] = entries[count - 1];
            delta = snap[entries[count - 1]];
        }
        long newLow = Math.min(fromLoad - delta, toLoad + delta);
        if (newLow > toLoad && newLow - toLoad >= threshold) {
            return Arrays.copyOf(chosen, k);
        }
        return new int[0];
    }

    private static int remove(int[] a, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (a[i] == value) {
                System.arraycopy(a, i + 1, a, i, count - i - 1);
                return count - 1;
            }
        }
        return count;
    }

    private static int indexOf(int[] a, int value) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
