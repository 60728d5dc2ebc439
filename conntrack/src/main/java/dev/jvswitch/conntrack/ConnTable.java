package dev.jvswitch.conntrack;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The connection table: one hash table for every zone (the zone is part of the key), each
 * connection linked under both of its directions' keys, with lookups that take no lock.
 *
 * <p><b>Thread-safety.</b> Lookups ({@link #lookup}) run on any PMD without a lock: they load the
 * bucket array (volatile), a chain head (acquire) and follow {@code next} links (volatile).
 * Every change (insert, remove, resize, sweep, flush) holds this object's monitor, so writers are
 * serialised as OVS serialises them with {@code ct_lock}. The rules that keep readers safe:
 * <ol>
 *   <li>A node is fully built before a release store links it at the head of its chain.</li>
 *   <li>Unlinking a node rewrites its predecessor's link (or the head) and never the node's own
 *       {@code next}, so a reader standing on it still reaches the rest of the chain.</li>
 *   <li>A removed connection is marked {@code dead} first; a reader that reaches it anyway
 *       (through an unlinked node or an old bucket array) treats it as absent.</li>
 *   <li>A resize copies the live nodes into a new array and publishes it with a volatile store;
 *       the old chains are never modified again.</li>
 *   <li>Nothing is recycled: the garbage collector frees a node once no reader can hold it.</li>
 * </ol>
 * Counts ({@link #count()}, per-zone counts) are written under the monitor and read racily.
 */
final class ConnTable {
    static final int ZONES = 65536;
    /** Zone limit value meaning "no limit of its own: the default applies". */
    static final int LIMIT_UNSET = -1;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(ConnNode[].class);
    private static final int INITIAL_BUCKETS = 1 << 12;

    private volatile ConnNode[] buckets = new ConnNode[INITIAL_BUCKETS];
    private volatile int count;
    private final int[] zoneCount = new int[ZONES];
    private final int[] zoneLimit = new int[ZONES];
    /** The limit of zones without one of their own; 0 means unlimited (OVS's default). */
    private int defaultLimit;
    private int sweepCursor;
    /** The ALGs' expectations, removed with the control connection that made them. */
    final CtExpectations expectations = new CtExpectations();

    ConnTable() {
        java.util.Arrays.fill(zoneLimit, LIMIT_UNSET);
    }

    /** The live node whose key is {@code k}, or null. Lock-free. */
    ConnNode lookup(CtKey k, long nowMs) {
        ConnNode[] b = buckets;
        ConnNode n = (ConnNode) SLOT.getAcquire(b, k.hash & (b.length - 1));
        while (n != null) {
            if (n.matches(k)) {
                Conn c = n.conn;
                if (!c.dead && !c.expired(nowMs)) {
                    return n;
                }
            }
            n = n.next;
        }
        return null;
    }

    /** The head of {@code hash}'s chain (the batch read-ahead's load); lock-free. */
    ConnNode head(int hash) {
        ConnNode[] b = buckets;
        return (ConnNode) SLOT.getAcquire(b, hash & (b.length - 1));
    }

    int count() {
        return count;
    }

    int zoneCount(int zone) {
        return zoneCount[zone];
    }

    /** Whether the table may take one more connection in {@code zone}; caller holds the monitor. */
    boolean zoneHasRoom(int zone) {
        int limit = effectiveLimit(zone);
        return limit == 0 || zoneCount[zone] < limit;
    }

    synchronized int effectiveLimit(int zone) {
        int l = zoneLimit[zone];
        return l == LIMIT_UNSET ? defaultLimit : l;
    }

    synchronized void setLimit(int zone, int limit) {
        zoneLimit[zone] = limit;
    }

    synchronized void setDefaultLimit(int limit) {
        defaultLimit = limit;
    }

    synchronized int defaultLimit() {
        return defaultLimit;
    }

    /** The zone's own limit, or {@link #LIMIT_UNSET}. */
    synchronized int zoneLimit(int zone) {
        return zoneLimit[zone];
    }

    /** Links both directions of a new connection; caller holds the monitor. */
    void insert(Conn c) {
        ConnNode[] b = buckets;
        if ((count + 1) * 2 > b.length) {
            b = resize(b);
        }
        link(b, c.hash, c);
        link(b, c.rev.hash, c.rev);
        zoneCount[c.zone]++;
        count = count + 1;
    }

    private static void link(ConnNode[] b, int hash, ConnNode node) {
        int i = hash & (b.length - 1);
        node.next = b[i];
        SLOT.setRelease(b, i, node);
    }

    private ConnNode[] resize(ConnNode[] old) {
        ConnNode[] b = new ConnNode[old.length * 2];
        for (ConnNode head : old) {
            for (ConnNode n = head; n != null; n = n.next) {
                if (!n.conn.dead) {
                    ConnNode copy = new ConnNode(n);
                    int i = copy.hash & (b.length - 1);
                    copy.next = b[i];
                    b[i] = copy;
                }
            }
        }
        buckets = b;
        return b;
    }

    /** Unlinks both directions of {@code c} and marks it dead; caller holds the monitor. */
    void remove(Conn c) {
        if (c.dead) {
            return;
        }
        c.dead = true;
        ConnNode[] b = buckets;
        unlink(b, c, false);
        unlink(b, c, true);
        zoneCount[c.zone]--;
        count = count - 1;
        if (c.alg != null) {
            expectations.removeOf(c);
        }
    }

    private static void unlink(ConnNode[] b, Conn c, boolean reply) {
        int i = (reply ? c.rev.hash : c.hash) & (b.length - 1);
        ConnNode prev = null;
        for (ConnNode n = b[i]; n != null; n = n.next) {
            if (n.conn == c && n.reply == reply) {
                if (prev == null) {
                    SLOT.setRelease(b, i, n.next);
                } else {
                    prev.next = n.next;
                }
                return;
            }
            prev = n;
        }
    }

    /** Removes expired connections from up to {@code maxBuckets} buckets; returns how many. */
    synchronized int sweep(long nowMs, int maxBuckets) {
        ConnNode[] b = buckets;
        int removed = 0;
        int n = Math.min(maxBuckets, b.length);
        for (int k = 0; k < n; k++) {
            int i = (sweepCursor + k) & (b.length - 1);
            for (ConnNode node = b[i]; node != null; node = node.next) {
                Conn c = node.conn;
                if (!c.dead && c.expired(nowMs)) {
                    remove(c);
                    removed++;
                }
            }
        }
        sweepCursor = (sweepCursor + n) & (b.length - 1);
        return removed;
    }

    /** Number of buckets (the sweeper's full cycle). */
    int bucketCount() {
        return buckets.length;
    }

    /** Removes every connection of {@code zone} (every one when {@code zone < 0}); returns how many. */
    synchronized int flush(int zone) {
        ConnNode[] b = buckets;
        int removed = 0;
        for (int i = 0; i < b.length; i++) {
            for (ConnNode node = b[i]; node != null; node = node.next) {
                Conn c = node.conn;
                if (!c.dead && (zone < 0 || c.zone == zone)) {
                    remove(c);
                    removed++;
                }
            }
        }
        return removed;
    }

    /**
     * Removes the one connection whose original-direction key is {@code orig}; true if there was
     * one. A reply key (a NATed connection's translated tuple) does not name it, as in OVS.
     */
    synchronized boolean flush(CtKey orig, long nowMs) {
        ConnNode n = lookup(orig, nowMs);
        if (n == null || n.reply) {
            return false;
        }
        remove(n.conn);
        return true;
    }

    /** The live connections of {@code zone} (all when negative), in table order; allocates (control path). */
    List<Conn> snapshot(int zone, long nowMs) {
        ConnNode[] b = buckets;
        List<Conn> out = new ArrayList<>();
        for (ConnNode head : b) {
            for (ConnNode n = head; n != null; n = n.next) {
                Conn c = n.conn;
                if (!n.reply && !c.dead && !c.expired(nowMs) && (zone < 0 || c.zone == zone)) {
                    out.add(c);
                }
            }
        }
        return out;
    }
}
