package dev.jvswitch.conntrack;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Where the {@link ConnTable}'s connections live: each has an index, and the table's slots hold
 * that index (with its key's hash), not a reference. The connections are in chunks of
 * {@link #CHUNK} references that never move; a removed connection's index goes on a free list and
 * is handed out again, most recently freed first (its chunk's line is likely still cached).
 *
 * <p>Keeping references out of the slot arrays means that putting a key in the table is a plain
 * {@code long} store: the collector's write barrier (G1's card marking, with its fence and
 * card-queue work) runs once per connection, here, instead of once per key in a large array of
 * scattered slots, and a rebuild copies {@code long}s.
 *
 * <p><b>Thread-safety.</b> {@link #get} runs on any thread without a lock: it loads
 * {@link #chunks} (volatile), then the entry (acquire). Everything else runs under the table's
 * monitor. A connection is built, and its {@link Conn#index} set, before the release store that
 * puts it here, and it is here before the table's slots name its index. An index read from a
 * slot may be stale (the connection removed, the index handed to another one): a reader
 * therefore compares the connection's keys and its {@code dead} mark, as it would without
 * indices, and an entry of {@code null} is a connection that is gone.
 */
final class ConnRegistry {
    static final int CHUNK_BITS = 12;
    static final int CHUNK = 1 << CHUNK_BITS;
    private static final int CHUNK_MASK = CHUNK - 1;
    private static final VarHandle ENTRY = MethodHandles.arrayElementVarHandle(Conn[].class);

    /** The chunks; replaced by a longer copy when one is added, chunks themselves never replaced. */
    private volatile Conn[][] chunks = new Conn[0][];
    /** Freed indices, a stack; under the monitor. */
    private int[] free = new int[64];
    private int freeCount;
    /** Indices below this one have been handed out at least once; under the monitor. */
    private int next;

    /** The connection at {@code index}, or null (gone); lock-free. */
    Conn get(int index) {
        Conn[][] cs = chunks;
        int ci = index >>> CHUNK_BITS;
        if (ci >= cs.length) {
            return null;
        }
        return (Conn) ENTRY.getAcquire(cs[ci], index & CHUNK_MASK);
    }

    /** Gives {@code c} an index and publishes it there; caller holds the table's monitor. */
    void add(Conn c) {
        int i = freeCount > 0 ? free[--freeCount] : next++;
        int ci = i >>> CHUNK_BITS;
        Conn[][] cs = chunks;
        if (ci >= cs.length) {
            cs = Arrays.copyOf(cs, ci + 1);
            cs[ci] = new Conn[CHUNK];
            chunks = cs;
        }
        c.index = i;
        ENTRY.setRelease(cs[ci], i & CHUNK_MASK, c);
    }

    /** Takes {@code c} out (after the table's slots no longer name it); caller holds the monitor. */
    void remove(Conn c) {
        int i = c.index;
        ENTRY.setRelease(chunks[i >>> CHUNK_BITS], i & CHUNK_MASK, null);
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, freeCount * 2);
        }
        free[freeCount++] = i;
    }

    /** One past the highest index handed out (the range {@link #at} walks); under the monitor. */
    int limit() {
        return next;
    }

    /** The connection at {@code index} below {@link #limit}, or null; caller holds the monitor. */
    Conn at(int index) {
        return chunks[index >>> CHUNK_BITS][index & CHUNK_MASK];
    }

    /**
     * Forgets every connection (the caller marked them dead): entries are cleared, the chunks
     * kept for the connections to come; caller holds the monitor.
     */
    void clear() {
        Conn[][] cs = chunks;
        for (int ci = 0; ci < cs.length && ci <= (next - 1) >>> CHUNK_BITS; ci++) {
            Conn[] chunk = cs[ci];
            for (int j = 0; j < CHUNK; j++) {
                if (chunk[j] != null) {
                    ENTRY.setRelease(chunk, j, null);
                }
            }
        }
        next = 0;
        freeCount = 0;
    }
}
