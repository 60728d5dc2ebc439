package dev.jvswitch.conntrack;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The connection table: one open-addressing hash table for every zone (the zone is part of the
 * key), where each connection sits under both of its directions' hashes, and lookups take no
 * lock. The table is {@link #SEGMENTS} segments chosen by a key hash's top bits, each a flat
 * array of references probed linearly; a segment grows, or is cleaned of tombstones, on its own,
 * so a resize copies at most one segment's references (about 1/256 of the table), never the
 * connections themselves, and a new connection costs its one {@link Conn} object and no node.
 *
 * <p>A slot is empty ({@code null}), a connection (under one of its keys' hashes), or
 * {@link #TOMBSTONE}, left where a connection was removed: probes go past it, inserts reuse it.
 * A segment has at most half its slots in use (connections plus tombstones); a rebuild leaves it
 * at most a quarter full, so a miss looks at one or two slots. A segment is also rebuilt when
 * tombstones fill a quarter of it or live references fall under an eighth (after a flush).
 *
 * <p><b>Thread-safety.</b> Lookups ({@link #lookup}) run on any PMD without a lock: they load the
 * segment's array (volatile) and its slots (acquire). Every change (insert, remove, rebuild,
 * sweep, flush) holds this object's monitor, so writers are serialised as OVS serialises them
 * with {@code ct_lock}. The rules that keep readers safe:
 * <ol>
 *   <li>A connection is fully built before a release store puts it in a slot.</li>
 *   <li>A slot only ever goes from empty to a connection, from a connection to
 *       {@link #TOMBSTONE} and from a tombstone to a connection, and back to empty only where a
 *       cluster ends (the next slot empty), where no probe passes on to a live reference:
 *       nothing moves within an array, so a reader's probe never misses a connection that
 *       stays in the table.</li>
 *   <li>A removed connection is marked {@code dead} before its slots are cleared; a reader that
 *       reaches it anyway (through an old array) treats it as absent.</li>
 *   <li>A rebuild copies a segment's live references into a new array and publishes it with a
 *       volatile store; the old array is never modified again.</li>
 *   <li>Nothing is recycled: the garbage collector frees a connection once no reader can hold it.</li>
 * </ol>
 * Counts ({@link #count()}, per-zone counts) are written under the monitor and read racily.
 */
final class ConnTable {
    static final int ZONES = 65536;
    /** Zone limit value meaning "no limit of its own: the default applies". */
    static final int LIMIT_UNSET = -1;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Conn[].class);
    private static final VarHandle COUNT;
    private static final VarHandle DEAD;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(ConnTable.class, "count", int.class);
            DEAD = MethodHandles.lookup().findVarHandle(Conn.class, "dead", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int SEGMENT_BITS = 8;
    static final int SEGMENTS = 1 << SEGMENT_BITS;
    private static final int SEGMENT_SHIFT = 32 - SEGMENT_BITS;
    private static final int MIN_SLOTS = 16;
    private static final int REPLY_BIT = 1 << 31;
    /** What a removed connection leaves in its slots: never live, never matched. */
    static final Conn TOMBSTONE = tombstone();

    private final Segment[] segments = new Segment[SEGMENTS];
    private volatile int count;
    /** Slots of every segment (the sweeper's full cycle); written under the monitor. */
    private volatile int slotCount;
    private final int[] zoneCount = new int[ZONES];
    private final int[] zoneLimit = new int[ZONES];
    /** The limit of zones without one of their own; 0 means unlimited (OVS's default). */
    private int defaultLimit;
    private int sweepSegment;
    private int sweepSlot;
    /** Set while a flush removes many connections: segments are compacted at its end instead. */
    private boolean bulk;
    /** The ALGs' expectations, removed with the control connection that made them. */
    final CtExpectations expectations = new CtExpectations();

    /**
     * One segment: its slot array (replaced whole by a rebuild) and, for writers only, the hash
     * each slot's reference was put under (so a rebuild never loads a connection) and its counts.
     */
    private static final class Segment {
        volatile Conn[] slots = new Conn[MIN_SLOTS];
        /**
         * The hash of each slot's reference, with {@link #REPLY_BIT} for a reply key's (the
         * bit's place is the segment number's, known from the segment); under the monitor.
         */
        int[] hashes = new int[MIN_SLOTS];
        /** Slots holding a connection. */
        int live;
        /** Slots holding a connection or a tombstone. */
        int used;
    }

    ConnTable() {
        java.util.Arrays.fill(zoneLimit, LIMIT_UNSET);
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = new Segment();
        }
        slotCount = SEGMENTS * MIN_SLOTS;
    }

    private static Conn tombstone() {
        Conn t = new Conn(new CtKey(), new CtKey(), 0, 0, 0);
        t.dead = true;
        return t;
    }

    private Segment segment(int hash) {
        return segments[hash >>> SEGMENT_SHIFT];
    }

    /** The live connection one of whose keys is {@code k}, or null. Lock-free. */
    Conn lookup(CtKey k, long nowMs) {
        int h = k.hash;
        Conn[] a = segment(h).slots;
        int mask = a.length - 1;
        int i = h & mask;
        for (int n = 0; n <= mask; n++) {
            Conn c = (Conn) SLOT.getAcquire(a, i);
            if (c == null) {
                return null;
            }
            if ((c.matchesOrig(k) || c.matchesReply(k)) && !c.dead && !c.expired(nowMs)) {
                return c;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** What the first slot {@code hash} probes holds (the batch read-ahead's load); lock-free. */
    Conn head(int hash) {
        Conn[] a = segment(hash).slots;
        return (Conn) SLOT.getAcquire(a, hash & (a.length - 1));
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

    /** Puts a new connection under both of its keys; caller holds the monitor. */
    void insert(Conn c) {
        put(c, c.hash, 0);
        put(c, c.rHash, REPLY_BIT);
        zoneCount[c.zone]++;
        COUNT.setRelease(this, count + 1); // readers read it racily: no full fence per connection
    }

    private void put(Conn c, int hash, int replyBit) {
        Segment s = segment(hash);
        Conn[] a = s.slots;
        if ((s.used + 1) * 2 > a.length) {
            a = rebuild(s);
        }
        int mask = a.length - 1;
        int i = hash & mask;
        while (true) {
            Conn x = a[i];
            if (x == null) {
                s.used++;
                break;
            }
            if (x == TOMBSTONE) {
                break;
            }
            i = (i + 1) & mask;
        }
        s.live++;
        s.hashes[i] = hash & ~REPLY_BIT | replyBit;
        SLOT.setRelease(a, i, c);
    }

    /**
     * Copies {@code s}'s references into a new array of at least four times as many slots (at
     * least {@link #MIN_SLOTS}) and publishes it; tombstones stay behind. A removal leaves no
     * reference to its connection in the current array, so every one copied is live, and the
     * hashes say where each goes without loading a connection. Returns the new array.
     */
    private Conn[] rebuild(Segment s) {
        Conn[] old = s.slots;
        int[] oldHashes = s.hashes;
        int live = s.live;
        int len = MIN_SLOTS;
        while (len < live * 4) {
            len <<= 1;
        }
        Conn[] a = new Conn[len];
        int[] hashes = new int[len];
        int mask = len - 1;
        for (int k = 0; k < old.length; k++) {
            Conn c = old[k];
            if (c == null || c == TOMBSTONE) {
                continue;
            }
            int h = oldHashes[k];
            int i = h & mask;
            while (a[i] != null) {
                i = (i + 1) & mask;
            }
            a[i] = c;
            hashes[i] = h;
        }
        s.used = live;
        s.hashes = hashes;
        slotCount = slotCount - old.length + len;
        s.slots = a;
        return a;
    }

    /** Takes {@code c} out of the table and marks it dead; caller holds the monitor. */
    void remove(Conn c) {
        if (c.dead) {
            return;
        }
        DEAD.setRelease(c, true); // ordered before the slot stores that follow; no full fence
        erase(c, c.hash);
        erase(c, c.rHash);
        zoneCount[c.zone]--;
        COUNT.setRelease(this, count - 1);
        if (c.alg != null) {
            expectations.removeOf(c);
        }
    }

    /**
     * Replaces every reference to {@code c} on {@code hash}'s probe path by a tombstone, or by
     * nothing at the end of a cluster (both of a connection's references, when both keys hash
     * alike, are on it).
     */
    private void erase(Conn c, int hash) {
        Segment s = segment(hash);
        Conn[] a = s.slots;
        int mask = a.length - 1;
        for (int i = hash & mask, n = 0; a[i] != null && n <= mask; i = (i + 1) & mask, n++) {
            if (a[i] != c) {
                continue;
            }
            s.live--;
            if (a[(i + 1) & mask] != null) {
                SLOT.setRelease(a, i, TOMBSTONE);
                continue;
            }
            // The end of a cluster: no probe reaches a live reference through this slot, nor
            // through the tombstones just before it, so they become empty again. A null store
            // also skips the collector's card-marking barrier a tombstone store pays.
            SLOT.setRelease(a, i, null);
            s.used--;
            for (int j = (i - 1) & mask; a[j] == TOMBSTONE; j = (j - 1) & mask) {
                SLOT.setRelease(a, j, null);
                s.used--;
            }
            break;
        }
        if (!bulk) {
            compact(s);
        }
    }

    /**
     * Rebuilds {@code s} when tombstones fill a quarter of it (misses would probe far) or live
     * references fill less than an eighth (a flush emptied it: its slots go back).
     */
    private void compact(Segment s) {
        int len = s.slots.length;
        if (len > MIN_SLOTS && ((s.used - s.live) * 4 >= len || s.live * 8 < len)) {
            rebuild(s);
        }
    }

    /**
     * Removes expired connections among the next {@code maxSlots} slots (the sweeper's slice);
     * returns how many.
     */
    synchronized int sweep(long nowMs, int maxSlots) {
        int removed = 0;
        int budget = maxSlots;
        for (int seen = 0; budget > 0 && seen <= SEGMENTS; ) {
            // A rebuild during the slice leaves this array as it was: every connection it held is
            // still visited, and those removed meanwhile are dead.
            Conn[] a = segments[sweepSegment].slots;
            if (sweepSlot >= a.length) {
                sweepSegment = (sweepSegment + 1) & (SEGMENTS - 1);
                sweepSlot = 0;
                seen++;
                continue;
            }
            int end = (int) Math.min(a.length, (long) sweepSlot + budget);
            for (int i = sweepSlot; i < end; i++) {
                Conn c = a[i];
                if (c != null && c != TOMBSTONE && !c.dead && c.expired(nowMs)) {
                    remove(c);
                    removed++;
                }
            }
            budget -= end - sweepSlot;
            sweepSlot = end;
        }
        return removed;
    }

    /** Number of slots (the sweeper's full cycle). */
    int bucketCount() {
        return slotCount;
    }

    /**
     * Removes every connection of {@code zone} (every one when {@code zone < 0}); returns how many.
     * Segments are compacted once at the end, not while their tombstones pile up.
     */
    synchronized int flush(int zone) {
        if (zone < 0 || zoneCount[zone] == count) {
            return clear();
        }
        int removed = 0;
        bulk = true;
        try {
            for (Segment s : segments) {
                for (Conn c : s.slots) {
                    if (c != null && c != TOMBSTONE && (zone < 0 || c.zone == zone)) {
                        remove(c); // its other reference, if later in this walk, is a tombstone by then
                        removed++;
                    }
                }
            }
        } finally {
            bulk = false;
        }
        for (Segment s : segments) {
            compact(s);
        }
        return removed;
    }

    /**
     * Removes every connection: each is marked dead where its original key's slot is (the reply
     * key's slot says it is one, so a connection is loaded once and no probe is made), then every
     * segment starts again empty. Readers on the old arrays find only dead connections.
     */
    private int clear() {
        int removed = 0;
        for (Segment s : segments) {
            Conn[] a = s.slots;
            int[] hashes = s.hashes;
            for (int i = 0; i < a.length; i++) {
                Conn c = a[i];
                if (c == null || c == TOMBSTONE || (hashes[i] & REPLY_BIT) != 0) {
                    continue;
                }
                DEAD.setRelease(c, true);
                zoneCount[c.zone]--;
                removed++;
                if (c.alg != null) {
                    expectations.removeOf(c);
                }
            }
            slotCount = slotCount - a.length + MIN_SLOTS;
            s.hashes = new int[MIN_SLOTS];
            s.live = 0;
            s.used = 0;
            s.slots = new Conn[MIN_SLOTS];
        }
        COUNT.setRelease(this, 0);
        return removed;
    }

    /**
     * Removes the one connection whose original-direction key is {@code orig}; true if there was
     * one. The reply key of a connection without NAT names it too; a NATed connection's reply key
     * (its translated tuple) does not, as in OVS 3.1, where that key belongs to a separate
     * un-NAT entry.
     */
    synchronized boolean flush(CtKey orig, long nowMs) {
        Conn c = lookup(orig, nowMs);
        if (c == null || c.isReply(orig) && c.natAction != 0) {
            return false;
        }
        remove(c);
        return true;
    }

    /** Removes {@code c} if it is still in the table; true if it was. */
    synchronized boolean flush(Conn c) {
        if (c.dead) {
            return false;
        }
        remove(c);
        return true;
    }

    /** The live connections of {@code zone} (all when negative), in table order; allocates (control path). */
    List<Conn> snapshot(int zone, long nowMs) {
        List<Conn> out = new ArrayList<>();
        Set<Conn> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Segment s : segments) {
            Conn[] a = s.slots;
            for (int i = 0; i < a.length; i++) {
                Conn c = (Conn) SLOT.getAcquire(a, i);
                if (c != null && !c.dead && !c.expired(nowMs) && (zone < 0 || c.zone == zone) && seen.add(c)) {
                    out.add(c);
                }
            }
        }
        return out;
    }
}
