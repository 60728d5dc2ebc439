package dev.jvswitch.conntrack;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Where the {@link ConnTable}'s connections live, and the pool they come from. Each {@link Conn}
 * object has an index for life; the table's slots hold that index (with its key's hash), not a
 * reference. The objects sit in chunks of {@link #CHUNK} references that never move. A removed
 * connection is <em>retired</em>: its object stays at its index, marked dead, and its index goes
 * on a queue; a new connection takes the oldest retired object whose readers have all moved on
 * (see below) and is built in it, or a new object (a new index) when there is none. In steady
 * state (connections ending as fast as others begin) a new connection therefore allocates
 * nothing, and the collector never copies connections again once they are old: the pool is the
 * table's high-water mark, kept as OVS's memory allocator keeps its arenas.
 *
 * <p>Keeping references out of the slot arrays means that putting a key in the table is a plain
 * {@code long} store, without the collector's write barrier, and a rebuild copies {@code long}s.
 *
 * <p><b>Reclamation (quiescent-state based, OVS's RCU in small).</b> Lookups take no lock, so a
 * reader may hold a connection that a writer retires meanwhile; it must not see that object
 * rebuilt as another connection under its hands. Each lock-free reader (a PMD's
 * {@link CtContext}, the control path) has a {@link Reader} and marks the stretch in which it
 * may hold connections with {@link #enter} and {@link #exit}: {@code enter} publishes the global
 * {@link #epoch} it saw, {@code exit} publishes 0. A connection retired in epoch {@code E} is
 * built again only once the epoch has moved past {@code E} (the writer moves it when it first
 * wants such an object) and every reader is outside or entered at a later epoch: such a reader
 * entered after the retirement's slot stores, so no probe of its can reach the old index. A
 * reader that never enters (a stopped PMD) holds nothing back; one inside for long only makes
 * the pool grow.
 *
 * <p><b>Thread-safety.</b> {@link #get} runs on any thread without a lock: it loads
 * {@link #chunks} (volatile), then the entry (acquire). {@link #enter} and {@link #exit} run on
 * their reader's thread. Everything else runs under the table's monitor: {@link #claim} hands
 * out an object and its index, which the caller builds before the release store of a slot
 * publishes it; {@link #retire} takes it back after the table's slots no longer name it. An index
 * read from a slot may still be stale within a reader's stretch (retired since): a reader
 * therefore checks the connection's {@code dead} mark and compares its keys.
 */
final class ConnRegistry {
    static final int CHUNK_BITS = 12;
    static final int CHUNK = 1 << CHUNK_BITS;
    private static final int CHUNK_MASK = CHUNK - 1;
    private static final VarHandle ENTRY = MethodHandles.arrayElementVarHandle(Conn[].class);
    private static final VarHandle EPOCH;
    private static final VarHandle ACTIVE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            EPOCH = l.findVarHandle(ConnRegistry.class, "epoch", long.class);
            ACTIVE = l.findVarHandle(Reader.class, "active", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * One lock-free reader's mark: the epoch it entered at, 0 outside. Written by its owner
     * ({@code enter}: volatile; {@code exit}: release), read by writers (volatile).
     */
    static final class Reader {
        volatile long active;
    }

    /** The chunks; replaced by a longer copy when one is added, chunks themselves never replaced. */
    private volatile Conn[][] chunks = new Conn[0][];
    /** Retired indices, oldest first: a ring at least as long as {@link #next}; under the monitor. */
    private int[] retired = new int[CHUNK];
    private int retiredHead;
    private int retiredCount;
    /** Indices below this one have an object; under the monitor. */
    private int next;
    /** The reclamation epoch: written under the monitor (volatile), read by readers on entry. */
    private volatile long epoch = 1;
    /** Connections retired before this epoch may be built again (cached; under the monitor). */
    private long safeEpoch;
    /** Every reader; replaced whole when one is added (under the monitor). */
    private volatile Reader[] readers = new Reader[0];

    /** A new reader (a PMD's, the control path's): allocates; call once per thread role. */
    synchronized Reader newReader() {
        Reader r = new Reader();
        Reader[] rs = Arrays.copyOf(readers, readers.length + 1);
        rs[rs.length - 1] = r;
        readers = rs;
        return r;
    }

    /**
     * Marks the start of a stretch in which {@code r}'s thread may hold connections. The second
     * read of the epoch, after the volatile store, orders this reader's probes after any
     * retirement a writer that saw it outside may go on to reuse.
     */
    void enter(Reader r) {
        ACTIVE.setVolatile(r, (long) EPOCH.getVolatile(this));
        long ignored = (long) EPOCH.getVolatile(this);
    }

    /** Marks the end of {@code r}'s stretch: it holds no connection any more. */
    void exit(Reader r) {
        ACTIVE.setRelease(r, 0L);
    }

    /** The connection at {@code index}, or null (no object there yet); lock-free. */
    Conn get(int index) {
        Conn[][] cs = chunks;
        int ci = index >>> CHUNK_BITS;
        if (ci >= cs.length) {
            return null;
        }
        return (Conn) ENTRY.getAcquire(cs[ci], index & CHUNK_MASK);
    }

    /**
     * An object for a new connection, with its index set: the oldest retired one no reader can
     * still hold, or a new one. The caller builds it ({@link Conn#init}) and publishes it through
     * the table's slots; caller holds the table's monitor.
     */
    Conn claim() {
        if (retiredCount > 0) {
            int i = retired[retiredHead];
            Conn c = at(i);
            if (c.retiredEpoch >= safeEpoch) {
                advance(c.retiredEpoch);
            }
            if (c.retiredEpoch < safeEpoch) {
                retiredHead = (retiredHead + 1) & (retired.length - 1);
                retiredCount--;
                return c;
            }
        }
        return mint();
    }

    /**
     * Moves the epoch past {@code retiredAt} if it is the current one (readers entering from now
     * on come after that retirement), then finds the oldest epoch a reader is inside at.
     */
    private void advance(long retiredAt) {
        long e = epoch;
        if (retiredAt == e) {
            e++;
            EPOCH.setVolatile(this, e);
        }
        long min = e;
        for (Reader r : readers) {
            long a = (long) ACTIVE.getVolatile(r);
            if (a != 0 && a < min) {
                min = a;
            }
        }
        safeEpoch = min;
    }

    /** A new object at the next index (a chunk, and the retired ring, grow here, never in {@link #retire}). */
    private Conn mint() {
        int i = next++;
        if (next > retired.length) {
            int[] r = new int[retired.length * 2];
            for (int k = 0; k < retiredCount; k++) {
                r[k] = retired[(retiredHead + k) & (retired.length - 1)];
            }
            retired = r;
            retiredHead = 0;
        }
        int ci = i >>> CHUNK_BITS;
        Conn[][] cs = chunks;
        if (ci >= cs.length) {
            cs = Arrays.copyOf(cs, ci + 1);
            cs[ci] = new Conn[CHUNK];
            chunks = cs;
        }
        Conn c = new Conn(i);
        ENTRY.setRelease(cs[ci], i & CHUNK_MASK, c);
        return c;
    }

    /**
     * Takes {@code c} back (it is dead, and the table's slots no longer name it): it is built
     * again once every reader has moved on. Allocates nothing; caller holds the monitor.
     */
    void retire(Conn c) {
        c.retiredEpoch = epoch;
        retired[(retiredHead + retiredCount) & (retired.length - 1)] = c.index;
        retiredCount++;
    }

    /** One past the highest index handed out (the range {@link #at} walks); under the monitor. */
    int limit() {
        return next;
    }

    /** The object at {@code index} below {@link #limit} (live, or dead if retired); caller holds the monitor. */
    Conn at(int index) {
        return chunks[index >>> CHUNK_BITS][index & CHUNK_MASK];
    }
}
