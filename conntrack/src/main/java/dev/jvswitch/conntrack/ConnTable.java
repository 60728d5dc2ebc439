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
 * {@code long} array probed linearly; a segment grows, or is cleaned of tombstones, on its own,
 * so a resize copies at most one segment's slots (about 1/256 of the table), never the
 * connections themselves, and a new connection costs one pooled {@link Conn} object (none in
 * steady state, see {@link ConnRegistry}) and no node.
 *
 * <p>A slot is a primitive: the hash its key was put under (its tag) in the high word, and the
 * connection's {@link ConnRegistry} index plus one in the low word.
 * <pre>
 *  63   62           32 31                           0
 * | rpl | hash bits 30..0 |   registry index + 1        |
 * </pre>
 * The hash's bit 31 is the segment number's (the same for every key of a segment), so its place
 * says whether the slot holds the connection's reply key. A slot is {@link #EMPTY} (0), a
 * connection, or {@link #TOMBSTONE}, left where a connection was removed: probes go past it,
 * inserts reuse it. A probe compares the tag before it loads a connection, so a miss (a new
 * connection's lookups) loads no connection at all and a hit only its own; stores into the slots
 * are plain {@code long} stores, without the collector's write barrier a reference store pays.
 * A segment has at most half its slots in use (connections plus tombstones); a rebuild leaves it
 * at most a quarter full, so a miss looks at one or two slots. A segment is also rebuilt when
 * tombstones fill a quarter of it or live slots fall under an eighth (after a flush).
 *
 * <p><b>Thread-safety.</b> Lookups ({@link #lookup}) run on any PMD without a lock: they load the
 * segment's array (volatile), a slot (acquire), and the connection its index names
 * ({@link ConnRegistry#get}, acquire). Every change (insert, remove, rebuild, sweep, flush) holds
 * this object's monitor, so writers are serialised as OVS serialises them with {@code ct_lock}.
 * The rules that keep readers safe:
 * <ol>
 *   <li>A connection is fully built and in the registry before a release store puts its index
 *       in a slot.</li>
 *   <li>A slot only ever goes from empty to a connection, from a connection to
 *       {@link #TOMBSTONE} and from a tombstone to a connection, and back to empty only where a
 *       cluster ends (the next slot empty), where no probe passes on to a live slot: nothing
 *       moves within an array, so a reader's probe never misses a connection that stays in the
 *       table.</li>
 *   <li>A removed connection is marked {@code dead} before its slots are cleared, and its
 *       registry entry cleared after; a reader that reaches it anyway treats it as absent. A
 *       reader holding a stale index may find another connection there (the index was handed
 *       out again): it compares keys, so it takes that one only if it is the key's.</li>
 *   <li>A rebuild copies a segment's live slots into a new array and publishes it with a
 *       volatile store; the old array is never modified again.</li>
 *   <li>A connection object is built again for another connection only once no reader can hold
 *       it: lock-free readers mark their stretches with {@link #enter} and {@link #exit}, and
 *       the {@link ConnRegistry} hands a retired object out again only after every reader
 *       inside when it was retired has left.</li>
 * </ol>
 * Counts ({@link #count()}, per-zone counts) are written under the monitor and read racily.
 */
final class ConnTable {
    static final int ZONES = 65536;
    /** Zone limit value meaning "no limit of its own: the default applies". */
    static final int LIMIT_UNSET = -1;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
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
    static final long EMPTY = 0;
    /** What a removed connection leaves in its slots: never live, never matched (no index). */
    static final long TOMBSTONE = 0xffff_ffff_0000_0000L;

    private final Segment[] segments = new Segment[SEGMENTS];
    private final ConnRegistry registry = new ConnRegistry();
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

    /** One segment: its slot array (replaced whole by a rebuild) and, for writers only, its counts. */
    private static final class Segment {
        volatile long[] slots = new long[MIN_SLOTS];
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

    private Segment segment(int hash) {
        return segments[hash >>> SEGMENT_SHIFT];
    }

    /** The slot value for a key hashing to {@code hash} of the connection at registry {@code index}. */
    private static long slot(int hash, int replyBit, int index) {
        return ((long) (hash & ~REPLY_BIT | replyBit) << 32) | ((index + 1) & 0xffff_ffffL);
    }

    /** Whether slot {@code v} (not empty) may hold a key hashing to {@code hash}: its tag is the hash's. */
    private static boolean tagMatches(long v, int hash) {
        return v != TOMBSTONE && ((((int) (v >>> 32)) ^ hash) & ~REPLY_BIT) == 0;
    }

    /** The registry index slot {@code v} names (not empty, not a tombstone). */
    private static int index(long v) {
        return (int) v - 1;
    }

    /** A new lock-free reader ({@link #enter}/{@link #exit} around its lookups); allocates. */
    ConnRegistry.Reader newReader() {
        return registry.newReader();
    }

    /** Starts a stretch of lock-free lookups on {@code r}'s thread: connections found stay built until {@link #exit}. */
    void enter(ConnRegistry.Reader r) {
        registry.enter(r);
    }

    void exit(ConnRegistry.Reader r) {
        registry.exit(r);
    }

    /**
     * An object to build a new connection in ({@link Conn#init}), then {@link #insert}; caller
     * holds the monitor.
     */
    Conn claim() {
        return registry.claim();
    }

    /** The live connection one of whose keys is {@code k}, or null. Lock-free (within a reader's stretch). */
    Conn lookup(CtKey k, long nowMs) {
        int h = k.hash;
        long[] a = segment(h).slots;
        int mask = a.length - 1;
        int i = h & mask;
        for (int n = 0; n <= mask; n++) {
            long v = (long) SLOT.getAcquire(a, i);
            if (v == EMPTY) {
                return null;
            }
            if (tagMatches(v, h)) {
                Conn c = registry.get(index(v));
                if (c != null && (c.matchesOrig(k) || c.matchesReply(k)) && !c.dead && !c.expired(nowMs)) {
                    return c;
                }
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /**
     * The connection the first slot {@code hash} probes names if its tag is {@code hash}'s, else
     * null (the batch read-ahead's load: a slot and a registry entry, not yet the connection);
     * lock-free.
     */
    Conn head(int hash) {
        long[] a = segment(hash).slots;
        long v = (long) SLOT.getAcquire(a, hash & (a.length - 1));
        return v != EMPTY && tagMatches(v, hash) ? registry.get(index(v)) : null;
    }

    /**
     * Loads the first slot {@code hash} probes, where an insert under {@code hash} writes (the
     * batch read-ahead's load for a commit); lock-free.
     */
    int touchSlot(int hash) {
        long[] a = segment(hash).slots;
        return (int) (long) SLOT.getAcquire(a, hash & (a.length - 1)) & 1;
    }

    int count() {
        return count;
    }

    int zoneCount(int zone) {
        return zoneCount[zone];
    }

    /** Whether the table may take one more connection in {@code zone}; caller holds the monitor. */
    boolean zoneHasRoom(int zone) {
        int l = zoneLimit[zone]; // the caller holds the monitor: no re-entry through effectiveLimit
        int limit = l == LIMIT_UNSET ? defaultLimit : l;
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

    /** Puts a new connection (from {@link #claim}, built) under both of its keys; caller holds the monitor. */
    void insert(Conn c) {
        put(c.index, c.hash, 0);
        put(c.index, c.rHash, REPLY_BIT);
        zoneCount[c.zone]++;
        COUNT.setRelease(this, count + 1); // readers read it racily: no full fence per connection
    }

    private void put(int index, int hash, int replyBit) {
        Segment s = segment(hash);
        long[] a = s.slots;
        if ((s.used + 1) * 2 > a.length) {
            a = rebuild(s);
        }
        int mask = a.length - 1;
        int i = hash & mask;
        while (true) {
            long x = a[i];
            if (x == EMPTY) {
                s.used++;
                break;
            }
            if (x == TOMBSTONE) {
                break;
            }
            i = (i + 1) & mask;
        }
        s.live++;
        SLOT.setRelease(a, i, slot(hash, replyBit, index));
    }

    /**
     * Copies {@code s}'s live slots into a new array of at least four times as many slots (at
     * least {@link #MIN_SLOTS}) and publishes it; tombstones stay behind. The tags say where each
     * goes without loading a connection. Returns the new array.
     */
    private long[] rebuild(Segment s) {
        long[] old = s.slots;
        int live = s.live;
        int len = MIN_SLOTS;
        while (len < live * 4) {
            len <<= 1;
        }
        long[] a = new long[len];
        int mask = len - 1;
        for (long v : old) {
            if (v == EMPTY || v == TOMBSTONE) {
                continue;
            }
            int i = (int) (v >>> 32) & mask;
            while (a[i] != EMPTY) {
                i = (i + 1) & mask;
            }
            a[i] = v;
        }
        s.used = live;
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
        erase(c.index, c.hash);
        erase(c.index, c.rHash);
        registry.retire(c);
        zoneCount[c.zone]--;
        COUNT.setRelease(this, count - 1);
        if (c.alg != null) {
            expectations.removeOf(c);
        }
    }

    /**
     * Replaces every slot naming registry {@code index} on {@code hash}'s probe path by a
     * tombstone, or by nothing at the end of a cluster (both of a connection's slots, when both
     * keys hash alike, are on it).
     */
    private void erase(int index, int hash) {
        Segment s = segment(hash);
        long[] a = s.slots;
        int mask = a.length - 1;
        for (int i = hash & mask, n = 0; a[i] != EMPTY && n <= mask; i = (i + 1) & mask, n++) {
            if (a[i] == TOMBSTONE || index(a[i]) != index) {
                continue;
            }
            s.live--;
            if (a[(i + 1) & mask] != EMPTY) {
                SLOT.setRelease(a, i, TOMBSTONE);
                continue;
            }
            // The end of a cluster: no probe reaches a live slot through this one, nor through
            // the tombstones just before it, so they become empty again.
            SLOT.setRelease(a, i, EMPTY);
            s.used--;
            for (int j = (i - 1) & mask; a[j] == TOMBSTONE; j = (j - 1) & mask) {
                SLOT.setRelease(a, j, EMPTY);
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
     * slots fill less than an eighth (a flush emptied it: its slots go back).
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
            long[] a = segments[sweepSegment].slots;
            if (sweepSlot >= a.length) {
                sweepSegment = (sweepSegment + 1) & (SEGMENTS - 1);
                sweepSlot = 0;
                seen++;
                continue;
            }
            int end = (int) Math.min(a.length, (long) sweepSlot + budget);
            for (int i = sweepSlot; i < end; i++) {
                long v = a[i];
                Conn c = v == EMPTY || v == TOMBSTONE ? null : registry.get(index(v));
                if (c != null && !c.dead && c.expired(nowMs)) {
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
            // The registry holds each connection once, and in no order a removal changes.
            for (int i = 0, end = registry.limit(); i < end; i++) {
                Conn c = registry.at(i);
                if (!c.dead && (zone < 0 || c.zone == zone)) {
                    remove(c);
                    removed++;
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
     * Removes every connection: each is marked dead and retired (the registry holds each once,
     * so no probe is made), then every segment starts again empty. Readers on the old arrays find
     * only dead connections, or none.
     */
    private int clear() {
        int removed = 0;
        for (int i = 0, end = registry.limit(); i < end; i++) {
            Conn c = registry.at(i);
            if (c.dead) {
                continue;
            }
            DEAD.setRelease(c, true);
            registry.retire(c);
            zoneCount[c.zone]--;
            removed++;
            if (c.alg != null) {
                expectations.removeOf(c);
            }
        }
        for (Segment s : segments) {
            slotCount = slotCount - s.slots.length + MIN_SLOTS;
            s.live = 0;
            s.used = 0;
            s.slots = new long[MIN_SLOTS];
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

    /**
     * The live connections of {@code zone} (all when negative), in table order; allocates (control
     * path). They stay built while the caller's reader stretch lasts.
     */
    List<Conn> snapshot(int zone, long nowMs) {
        List<Conn> out = new ArrayList<>();
        Set<Conn> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Segment s : segments) {
            long[] a = s.slots;
            for (int i = 0; i < a.length; i++) {
                long v = (long) SLOT.getAcquire(a, i);
                Conn c = v == EMPTY || v == TOMBSTONE ? null : registry.get(index(v));
                if (c != null && !c.dead && !c.expired(nowMs) && (zone < 0 || c.zone == zone) && seen.add(c)) {
                    out.add(c);
                }
            }
        }
        return out;
    }
}
