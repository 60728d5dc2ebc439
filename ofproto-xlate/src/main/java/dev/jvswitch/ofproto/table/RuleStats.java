package dev.jvswitch.ofproto.table;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The packet and byte counters and last-used time of one OpenFlow rule. A {@link Rule} is
 * immutable, but its statistics live here, shared by every version of the rule: a
 * {@code modify} that keeps the rule makes a new {@code Rule} with new actions and the same
 * {@code RuleStats}, so counters carry over, as in OVS.
 *
 * <p>Four longs and an int: a table of a million rules holds a million of these, so they are
 * plain fields updated through {@link VarHandle}s rather than adders and atomics of their own,
 * and the first version of a rule carries them itself ({@link Rule} extends this class; no
 * object of its own per rule). {@code refreshedNs} is the last time a {@code learn} taught the rule again (0: never),
 * which restarts its hard timeout as OVS's learn refresh does. {@code finTimeouts} holds the idle
 * and hard timeouts a {@code fin_timeout} lowered them to ({@code idle << 16 | hard}, 0 for
 * either: not lowered), as OVS's {@code ofproto_rule_reduce_timeouts} lowers a rule's own.
 *
 * <p><b>Thread-safety:</b> written by the revalidator threads (each pushes the delta of the
 * megaflows it attributes to the rule) and by translation in PMD threads (an upcall counts its
 * packet); read by the control thread (dump-flows, idle timeouts). Packets and bytes grow by
 * atomic adds ({@code getAndAdd}, volatile), so concurrent adds never lose an update; a read of
 * both is not an atomic snapshot of the pair. Writers of one rule share its cache line, as OVS's
 * writers share a rule's stats mutex: they are the slow path, never a packet in the fast path.
 * {@code lastUsedNs} only moves forward (a compare-and-set loop keeping the maximum), so a late
 * push of old statistics never makes a busy rule look idle. {@code finTimeouts} only moves down
 * (a compare-and-set loop), so two FINs seen at once by two threads keep the shorter timeouts.
 */
public class RuleStats {
    private static final VarHandle PACKETS;
    private static final VarHandle BYTES;
    private static final VarHandle LAST_USED;
    private static final VarHandle FIN_TIMEOUTS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PACKETS = l.findVarHandle(RuleStats.class, "packets", long.class);
            BYTES = l.findVarHandle(RuleStats.class, "bytes", long.class);
            LAST_USED = l.findVarHandle(RuleStats.class, "lastUsedNs", long.class);
            FIN_TIMEOUTS = l.findVarHandle(RuleStats.class, "finTimeouts", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private volatile long packets;
    @SuppressWarnings("unused")
    private volatile long bytes;
    private volatile long lastUsedNs;
    private volatile long refreshedNs;
    private volatile int finTimeouts;

    /** Fresh counters; the rule counts as used at {@code createdNs} (so idle time starts then). */
    public RuleStats(long createdNs) {
        this.lastUsedNs = createdNs;
    }

    /** Adds {@code packetCount} packets of {@code byteCount} bytes, seen last at {@code usedNs}. */
    public void add(long packetCount, long byteCount, long usedNs) {
        if (packetCount != 0) {
            PACKETS.getAndAdd(this, packetCount);
        }
        if (byteCount != 0) {
            BYTES.getAndAdd(this, byteCount);
        }
        touch(usedNs);
    }

    /** Marks the rule used at {@code usedNs} without counting packets (e.g. at translation). */
    public void touch(long usedNs) {
        long seen = lastUsedNs;
        while (usedNs > seen && !LAST_USED.weakCompareAndSet(this, seen, usedNs)) {
            seen = lastUsedNs;
        }
    }

    public long packets() {
        return (long) PACKETS.getVolatile(this);
    }

    public long bytes() {
        return (long) BYTES.getVolatile(this);
    }

    public long lastUsedNs() {
        return lastUsedNs;
    }

    /**
     * A learn taught the rule again at {@code nowNs}: its hard timeout starts again (a plain
     * volatile store; concurrent refreshes race only between times that are all recent).
     */
    public void refresh(long nowNs) {
        if (nowNs > refreshedNs) {
            refreshedNs = nowNs;
        }
    }

    /** The last {@link #refresh}, or 0. */
    public long refreshedNs() {
        return refreshedNs;
    }

    /**
     * Lowers the rule's idle and hard timeouts to {@code idleSec} and {@code hardSec} where they
     * are longer or none (OVS's {@code reduce_timeout}); 0 lowers nothing.
     *
     * @param ownIdleSec the rule's own idle timeout (0: none)
     * @param ownHardSec the rule's own hard timeout (0: none)
     */
    public void reduceTimeouts(int idleSec, int hardSec, int ownIdleSec, int ownHardSec) {
        if (idleSec == 0 && hardSec == 0) {
            return;
        }
        int seen = finTimeouts;
        while (true) {
            int next = lowered(idleSec, ownIdleSec, seen >>> 16) << 16 | lowered(hardSec, ownHardSec, seen & 0xffff);
            if (next == seen || FIN_TIMEOUTS.weakCompareAndSet(this, seen, next)) {
                return;
            }
            seen = finTimeouts;
        }
    }

    /** The idle timeout in force given the rule's own ({@code ownSec}, 0: none); 0: none. */
    public int idleTimeoutSec(int ownSec) {
        return effective(ownSec, finTimeouts >>> 16);
    }

    /** The hard timeout in force given the rule's own ({@code ownSec}, 0: none); 0: none. */
    public int hardTimeoutSec(int ownSec) {
        return effective(ownSec, finTimeouts & 0xffff);
    }

    /** The shorter of two timeouts where 0 means none. */
    private static int effective(int own, int lowered) {
        return lowered != 0 && (own == 0 || lowered < own) ? lowered : own;
    }

    /**
     * What to keep as lowered after OVS's {@code reduce_timeout(max, &timeout)}: {@code max} if it
     * is set and the timeout in force is none or longer, else what was kept ({@code was}), so the
     * rule's own timeout is never copied here.
     */
    private static int lowered(int max, int own, int was) {
        int now = effective(own, was);
        return max != 0 && (now == 0 || now > max) ? max : was;
    }
}
