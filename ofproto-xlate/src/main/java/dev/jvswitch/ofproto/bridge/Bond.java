package dev.jvswitch.ofproto.bridge;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports of a bridge that NORMAL treats as one (OVS's bundle with several members, {@code bond.c}):
 * MACs are learned on the bond, a flood leaves through one member, and output goes through the
 * member the mode picks among the live ones.
 *
 * <ul>
 *   <li>{@link Mode#ACTIVE_BACKUP}: one member, the active one, carries everything; what arrives
 *       on another is dropped (as Linux's active-backup does). The active member stays until its
 *       link goes down; then the primary, if live, else the lowest-numbered live member, takes
 *       over.</li>
 *   <li>{@link Mode#BALANCE_SLB}: the source MAC and VLAN pick a live member, so one host's traffic
 *       keeps to one link and the peer switch sees each MAC on one port. Broadcast and multicast
 *       are taken only on the active member, and a frame whose source was learned on another port
 *       of the bridge is dropped: it is our own flood coming back through the peer switch. The
 *       hash of the source MAC and VLAN picks one of {@link SlbBuckets#BUCKETS} buckets, which
 *       sends through one member; every {@code rebalanceIntervalMs} the buckets' byte counts
 *       (from the megaflows' statistics) move buckets from the most to the least loaded member
 *       ({@link SlbBuckets#rebalance}).</li>
 * </ul>
 *
 * <p>Which member is live is {@code PortLiveness}'s answer; the daemon revalidates every megaflow
 * when it changes, so flows follow a failover.
 *
 * <p><b>Thread-safety:</b> the configuration is immutable and defines {@link #equals}; the
 * active member is an {@link AtomicInteger} translations race to set (any of them computes the
 * same answer from the same liveness), carried from one configuration to the next by
 * {@link #carryFrom} with the {@link SlbBuckets} (see there).
 */
public final class Bond {
    /** How a bond spreads traffic over its members. */
    public enum Mode { ACTIVE_BACKUP, BALANCE_SLB }

    /** No member is live (or none was chosen yet). */
    public static final int NONE = -1;
    /** OVS's default {@code other_config:bond-rebalance-interval}. */
    public static final long DEFAULT_REBALANCE_INTERVAL_MS = 10_000;
    /** The least interval OVS takes (a smaller one but 0 becomes this). */
    public static final long MIN_REBALANCE_INTERVAL_MS = 1_000;
    /** At most this many members (liveness travels as a bit mask). */
    public static final int MAX_MEMBERS = Long.SIZE;

    private final String name;
    private final Mode mode;
    private final int primary;
    private final int[] members;
    private final long rebalanceIntervalMs;
    private final AtomicInteger active = new AtomicInteger(NONE);
    private final SlbBuckets buckets;

    /** A bond that rebalances (balance-slb) every {@value #DEFAULT_REBALANCE_INTERVAL_MS} ms. */
    public Bond(String name, Mode mode, int[] members, int primary) {
        this(name, mode, members, primary, DEFAULT_REBALANCE_INTERVAL_MS);
    }

    /**
     * @param members             the members' OpenFlow numbers (1 to {@value #MAX_MEMBERS}; sorted here)
     * @param primary             the member active-backup prefers while it is live, or {@link #NONE}
     * @param rebalanceIntervalMs how often balance-slb moves load between members; 0 never (OVS's
     *                            {@code other_config:bond-rebalance-interval}; below
     *                            {@value #MIN_REBALANCE_INTERVAL_MS} it is raised to that, as OVS does)
     */
    public Bond(String name, Mode mode, int[] members, int primary, long rebalanceIntervalMs) {
        this.name = Objects.requireNonNull(name, "name");
        this.mode = Objects.requireNonNull(mode, "mode");
        if (members.length == 0 || members.length > MAX_MEMBERS) {
            throw new IllegalArgumentException("bond " + name + " has " + members.length + " members (1 to "
                    + MAX_MEMBERS + ")");
        }
        if (rebalanceIntervalMs < 0) {
            throw new IllegalArgumentException("bond " + name + ": negative rebalance interval " + rebalanceIntervalMs);
        }
        this.rebalanceIntervalMs = rebalanceIntervalMs == 0 ? 0 : Math.max(MIN_REBALANCE_INTERVAL_MS, rebalanceIntervalMs);
        this.buckets = mode == Mode.BALANCE_SLB ? new SlbBuckets() : null;
        this.members = members.clone();
        Arrays.sort(this.members);
        this.primary = primary;
        if (primary != NONE && !contains(primary)) {
            throw new IllegalArgumentException("bond " + name + ": primary " + primary + " is not a member");
        }
    }

    public String name() {
        return name;
    }

    public Mode mode() {
        return mode;
    }

    /** The members' OpenFlow numbers, ascending (a copy). */
    public int[] members() {
        return members.clone();
    }

    public int memberCount() {
        return members.length;
    }

    public int member(int i) {
        return members[i];
    }

    /** The number MAC learning stores for the whole bond: its lowest member's. */
    public int learnPort() {
        return members[0];
    }

    public int primary() {
        return primary;
    }

    /** How often balance-slb rebalances, 0 never. */
    public long rebalanceIntervalMs() {
        return rebalanceIntervalMs;
    }

    /**
     * True for a balance-slb bond that rebalances (OVS's {@code bond_is_balanced}): its buckets
     * count bytes and {@code bond/show} lists their loads.
     */
    public boolean balanced() {
        return buckets != null && rebalanceIntervalMs > 0;
    }

    /** A balance-slb bond's buckets, else null. */
    public SlbBuckets buckets() {
        return buckets;
    }

    /**
     * The member a balance-slb frame in {@code bucket} leaves through ({@link SlbBuckets#choose}).
     *
     * @param liveMask bit i set if {@link #member member(i)} is live; not 0
     */
    public int slbMember(int bucket, long liveMask) {
        return buckets.choose(bucket, members, liveMask);
    }

    /**
     * Runs a rebalance if one is due at {@code nowMs} (see {@link SlbBuckets#rebalance}).
     *
     * @param liveMask bit i set if {@link #member member(i)} is live
     * @param moved    receives the new member of each bucket moved (length {@link SlbBuckets#BUCKETS})
     * @return buckets moved, 0 if none or if no rebalance was due
     */
    public int rebalance(long nowMs, long liveMask, int[] moved) {
        if (!balanced() || !buckets.due(nowMs, rebalanceIntervalMs)) {
            return 0;
        }
        int[] live = new int[Long.bitCount(liveMask)];
        for (int i = 0, k = 0; i < members.length; i++) {
            if ((liveMask >>> i & 1) != 0) {
                live[k++] = members[i];
            }
        }
        return buckets.rebalance(live, moved);
    }

    public boolean contains(int ofPort) {
        return Arrays.binarySearch(members, ofPort) >= 0;
    }

    /** The member chosen last time (it may have gone down since), or {@link #NONE}. */
    public int lastActive() {
        return active.get();
    }

    /**
     * The active member as {@code live} says which members are: the primary while it is live,
     * else the last active one while it is live, else the lowest-numbered live member;
     * {@link #NONE} if no member is live. Records the answer (translations and {@code bond/show}
     * agree on it).
     */
    public int active(java.util.function.IntPredicate live) {
        int last = lastActive();
        int pick = NONE;
        if (primary != NONE && live.test(primary)) {
            pick = primary;
        } else if (last != NONE && live.test(last)) {
            return last;
        } else {
            for (int i = 0; i < members.length && pick == NONE; i++) {
                if (live.test(members[i])) {
                    pick = members[i];
                }
            }
        }
        if (pick != last) {
            chooseActive(last, pick);
        }
        return pick;
    }

    /** Records {@code ofPort} as the active member if the last one is still {@code expected}. */
    public void chooseActive(int expected, int ofPort) {
        active.compareAndSet(expected, ofPort);
    }

    /**
     * Keeps the active member of {@code old}, the same bond in the configuration this one
     * replaces, and its buckets' members that remain, loads and rebalance schedule.
     */
    public void carryFrom(Bond old) {
        if (old == null || !old.name.equals(name)) {
            return;
        }
        if (contains(old.active.get())) {
            active.set(old.active.get());
        }
        if (buckets != null && old.buckets != null) {
            buckets.carryFrom(old.buckets, this);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bond b && name.equals(b.name) && mode == b.mode && primary == b.primary
                && rebalanceIntervalMs == b.rebalanceIntervalMs && Arrays.equals(members, b.members);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, mode, primary, rebalanceIntervalMs, Arrays.hashCode(members));
    }

    @Override
    public String toString() {
        return "bond " + name + " (" + mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ", members "
                + Arrays.toString(members) + ")";
    }
}
