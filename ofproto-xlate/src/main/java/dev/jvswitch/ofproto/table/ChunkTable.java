package dev.jvswitch.ofproto.table;

import java.util.Arrays;

/**
 * A persistent hash table of 64-bit hashes, each slot holding an item (never null) and a
 * {@code long} beside it, stored as an extendible hash: a directory indexed by the hash's top
 * {@code depth} bits points to chunks, small open-addressing tables (linear probing on the
 * hash's low bits, at most {@value #MAX_CHUNK} slots, at most three quarters full) that split
 * in two when full. Several slots may have one hash (the caller tells their items apart).
 *
 * <p><b>Why chunks.</b> The flow tables hold one of these per subtable (rules by the hash of
 * their masked value, the partial hashes of the staged lookup, rule counts by priority), and
 * two kinds of change must both be cheap:
 * <ul>
 *   <li>one rule in a table of a million ({@code ofctl/add-flow}): a new version copies the one
 *       chunk it touches and the directory (a few tens of kilobytes), not the table;</li>
 *   <li>a million rules in one transaction (a reload): an {@link Editor} owns the chunks it made
 *       or copied and changes them in place, so each rule costs a probe and a store, O(n) in
 *       all, with no per-rule garbage.</li>
 * </ul>
 * Memory is a few large arrays per chunk (20 bytes a slot), not an object per entry: cheap to
 * hold and cheap for the garbage collector to trace.
 *
 * <p><b>Reading</b> is for the owner of the structure (a subtable): {@link #chunk(long)} gives the
 * chunk of a hash, and the caller probes it from {@link Chunk#home(long)} while
 * {@link Chunk#items} is not null, comparing {@link Chunk#hashes} first. That way a lookup
 * allocates nothing and needs no callback.
 *
 * <p><b>Thread-safety:</b> a table is immutable once {@link Editor#freeze()} returned it, and may
 * be read by any number of threads (it is published inside the tables' version, whose release
 * store orders every write of the editor before it). An {@link Editor} is confined to one thread.
 */
final class ChunkTable {
    /** Largest chunk, in slots; a full chunk of this size splits. */
    static final int MAX_CHUNK = 256;
    /** Slots per chunk {@link Editor#presize} plans for. */
    static final int PRESIZE_FILL = 128;
    /**
     * Beyond this depth a chunk grows instead of splitting, which bounds the directory (2^24
     * chunks of up to 192 slots: far more than any table); only equal hashes could get there.
     */
    private static final int MAX_DEPTH = 24;

    /** One open-addressing table of the directory; {@code items[i] == null} marks a free slot. */
    static final class Chunk {
        long[] hashes;
        long[] aux;
        Object[] items;
        int count;
        /** Number of top hash bits all of this chunk's hashes share (the directory indices it spans). */
        int depth;
        /** The editor allowed to change this chunk in place; null once published. */
        Object owner;

        Chunk(int capacity, int depth, Object owner) {
            this.hashes = new long[capacity];
            this.aux = new long[capacity];
            this.items = new Object[capacity];
            this.depth = depth;
            this.owner = owner;
        }

        /** The slot probing starts at for {@code h}. */
        int home(long h) {
            return (int) h & (items.length - 1);
        }

        /** The slot after {@code i}, wrapping around. */
        int next(int i) {
            return (i + 1) & (items.length - 1);
        }

        private Chunk copy(Object newOwner, int capacity) {
            Chunk c = new Chunk(capacity, depth, newOwner);
            if (capacity == items.length) {
                System.arraycopy(hashes, 0, c.hashes, 0, capacity);
                System.arraycopy(aux, 0, c.aux, 0, capacity);
                System.arraycopy(items, 0, c.items, 0, capacity);
                c.count = count;
            } else {
                for (int i = 0; i < items.length; i++) {
                    if (items[i] != null) {
                        c.put(hashes[i], items[i], aux[i]);
                    }
                }
            }
            return c;
        }

        /** Stores a new slot; the chunk has room. */
        private void put(long h, Object item, long a) {
            int i = home(h);
            while (items[i] != null) {
                i = next(i);
            }
            hashes[i] = h;
            items[i] = item;
            aux[i] = a;
            count++;
        }

        /** Frees slot {@code i}, moving later slots of the probe sequence back (no tombstones). */
        private void removeAt(int i) {
            int free = i;
            int j = i;
            while (true) {
                j = next(j);
                if (items[j] == null) {
                    break;
                }
                int k = home(hashes[j]);
                // The slot at j may move to the free one unless its home lies cyclically in (free, j].
                boolean stays = free <= j ? free < k && k <= j : free < k || k <= j;
                if (!stays) {
                    hashes[free] = hashes[j];
                    items[free] = items[j];
                    aux[free] = aux[j];
                    free = j;
                }
            }
            hashes[free] = 0;
            items[free] = null;
            aux[free] = 0;
            count--;
        }

        private boolean full() {
            return (count + 1) * 4 > items.length * 3;
        }
    }

    private static final Chunk EMPTY_CHUNK = new Chunk(1, 0, null);
    static final ChunkTable EMPTY = new ChunkTable(new Chunk[] {EMPTY_CHUNK}, 0, 0);

    private final Chunk[] dir;
    private final int depth;
    private final int size;

    private ChunkTable(Chunk[] dir, int depth, int size) {
        this.dir = dir;
        this.depth = depth;
        this.size = size;
    }

    /** Number of slots in use. */
    int size() {
        return size;
    }

    /** The chunk that holds (or would hold) the slots of {@code h}. */
    Chunk chunk(long h) {
        return dir[depth == 0 ? 0 : (int) (h >>> (64 - depth))];
    }

    /** True if some slot has hash {@code h}. Allocates nothing. */
    boolean contains(long h) {
        Chunk c = chunk(h);
        for (int i = c.home(h); c.items[i] != null; i = c.next(i)) {
            if (c.hashes[i] == h) {
                return true;
            }
        }
        return false;
    }

    /** What to do with each slot. */
    interface SlotVisitor {
        void visit(long hash, Object item, long aux);
    }

    /** Calls {@code v} for every slot, in no particular order. */
    void forEach(SlotVisitor v) {
        forEach(dir, depth, v);
    }

    private static void forEach(Chunk[] dir, int depth, SlotVisitor v) {
        for (int d = 0; d < dir.length; d++) {
            Chunk c = dir[d];
            if (!firstIndexOf(c, d, depth)) {
                continue;
            }
            for (int i = 0; i < c.items.length; i++) {
                if (c.items[i] != null) {
                    v.visit(c.hashes[i], c.items[i], c.aux[i]);
                }
            }
        }
    }

    /** True if directory index {@code d} is the first of the run of indices that point to {@code c}. */
    private static boolean firstIndexOf(Chunk c, int d, int depth) {
        return (d & ((1 << (depth - c.depth)) - 1)) == 0;
    }

    /** An editor starting from this table. */
    Editor edit() {
        return new Editor(this);
    }

    /**
     * Changes to a table, in place in the chunks it owns (those it made or copied), and
     * {@link #freeze()} to get the next immutable table. Read through {@link #chunk(long)} and
     * change through a chunk from {@link #writable(long)}, with {@link #set} and {@link #removeAt};
     * {@link #insert} adds a slot.
     *
     * <p><b>Thread-safety:</b> confined to one thread; unusable after {@link #freeze()}.
     */
    static final class Editor {
        private final Object token = new Object();
        private Chunk[] dir;
        private int depth;
        private int size;
        private boolean dirOwned;
        private boolean frozen;

        private Editor(ChunkTable base) {
            this.dir = base.dir;
            this.depth = base.depth;
            this.size = base.size;
        }

        int size() {
            return size;
        }

        /**
         * Before the first insert into an empty table: a directory and chunks for about
         * {@code expected} slots, so that a bulk build never grows or splits a chunk (a million
         * slots would otherwise be copied several times over as their chunks doubled and split).
         * Each chunk is made for {@value #PRESIZE_FILL} slots of its {@value #MAX_CHUNK}: about the
         * fill growth ends in, with room for the uneven spread of the hashes (a chunk that still
         * fills up splits as usual).
         */
        void presize(int expected) {
            check();
            if (size != 0 || dir.length != 1 || dir[0] != EMPTY_CHUNK || expected < 2 * PRESIZE_FILL) {
                return;
            }
            int d = Math.min(MAX_DEPTH, 32 - Integer.numberOfLeadingZeros((expected - 1) / PRESIZE_FILL));
            Chunk[] made = new Chunk[1 << d];
            for (int i = 0; i < made.length; i++) {
                made[i] = new Chunk(MAX_CHUNK, d, token);
            }
            dir = made;
            depth = d;
            dirOwned = true;
        }

        /**
         * Room for about {@code expected} slots in all, for a bulk build that learns its size only
         * once it began (a staged lookup's partial hashes, whose number shows after a sample): a
         * directory and chunks as {@link #presize} makes them, the slots now here moved in. Does
         * nothing when the directory is that large already.
         */
        void reserve(int expected) {
            check();
            if (expected < 2 * PRESIZE_FILL) {
                return;
            }
            int d = Math.min(MAX_DEPTH, 32 - Integer.numberOfLeadingZeros((expected - 1) / PRESIZE_FILL));
            if (d <= depth) {
                return;
            }
            Chunk[] was = dir;
            int wasDepth = depth;
            Chunk[] made = new Chunk[1 << d];
            for (int i = 0; i < made.length; i++) {
                made[i] = new Chunk(MAX_CHUNK, d, token);
            }
            dir = made;
            depth = d;
            dirOwned = true;
            size = 0;
            ChunkTable.forEach(was, wasDepth, this::insert);
        }

        /** The chunk of {@code h}, for reading (it may be shared with published tables). */
        Chunk chunk(long h) {
            return dir[depth == 0 ? 0 : (int) (h >>> (64 - depth))];
        }

        /** Calls {@code v} for every slot now in the table; {@code v} must not change it. */
        void forEach(SlotVisitor v) {
            check();
            ChunkTable.forEach(dir, depth, v);
        }

        /**
         * The chunk of {@code h}, owned by this editor (copied first if it was not). A copy keeps
         * every slot where it was, so an index found in {@link #chunk(long)} stays valid.
         */
        Chunk writable(long h) {
            check();
            Chunk c = chunk(h);
            if (c.owner == token) {
                return c;
            }
            Chunk copy = c.copy(token, c == EMPTY_CHUNK ? 4 : c.items.length);
            point(copy, h);
            return copy;
        }

        /** Replaces slot {@code i} of {@code c} (from {@link #writable}) by {@code item} and {@code aux}. */
        void set(Chunk c, int i, Object item, long aux) {
            c.items[i] = item;
            c.aux[i] = aux;
        }

        /** Frees slot {@code i} of {@code c} (from {@link #writable}). */
        void removeAt(Chunk c, int i) {
            c.removeAt(i);
            size--;
        }

        /** Adds a slot for {@code h} (a hash may have several slots). */
        void insert(long h, Object item, long aux) {
            Chunk c = writable(h);
            while (c.full()) {
                if (c.items.length < MAX_CHUNK || c.depth >= MAX_DEPTH) {
                    Chunk bigger = c.copy(token, c.items.length * 2);
                    point(bigger, h);
                    c = bigger;
                } else {
                    split(c, h);
                    c = writable(h);
                }
            }
            c.put(h, item, aux);
            size++;
        }

        /** Points every directory index that pointed to the chunk of {@code h} to {@code c}. */
        private void point(Chunk c, long h) {
            ownDir();
            int shift = depth - c.depth;
            int first = depth == 0 ? 0 : (int) (h >>> (64 - depth)) >>> shift << shift;
            Arrays.fill(dir, first, first + (1 << shift), c);
        }

        private void ownDir() {
            if (!dirOwned) {
                dir = dir.clone();
                dirOwned = true;
            }
        }

        /** Splits full chunk {@code c} (owned, holding {@code h}'s slots) by its next hash bit. */
        private void split(Chunk c, long h) {
            if (c.depth == depth) {
                Chunk[] twice = new Chunk[dir.length * 2];
                for (int d = 0; d < dir.length; d++) {
                    twice[2 * d] = dir[d];
                    twice[2 * d + 1] = dir[d];
                }
                dir = twice;
                dirOwned = true;
                depth++;
            }
            int bit = 63 - c.depth;
            Chunk low = new Chunk(c.items.length, c.depth + 1, token);
            Chunk high = new Chunk(c.items.length, c.depth + 1, token);
            for (int i = 0; i < c.items.length; i++) {
                if (c.items[i] != null) {
                    ((c.hashes[i] >>> bit & 1) == 0 ? low : high).put(c.hashes[i], c.items[i], c.aux[i]);
                }
            }
            long base = h & ~(-1L >>> c.depth); // the top c.depth bits of h, the rest 0
            point(low, base);
            point(high, base | 1L << bit);
        }

        /**
         * The table as it is now, immutable. Chunks left sparse by removals are made smaller, and
         * a table that lost most of its slots gets a directory that fits what is left.
         */
        ChunkTable freeze() {
            check();
            frozen = true;
            if (size == 0) {
                return EMPTY;
            }
            if (dir.length > 1 && size < dir.length * (MAX_CHUNK / 16)) {
                return compacted();
            }
            for (int d = 0; d < dir.length; d++) {
                Chunk c = dir[d];
                if (c.owner != token || !firstIndexOf(c, d, depth)) {
                    continue;
                }
                if (c.items.length > 4 && c.count * 8 < c.items.length) {
                    Chunk smaller = c.copy(null, capacityFor(c.count));
                    Arrays.fill(dir, d, d + (1 << (depth - c.depth)), smaller);
                    c = smaller;
                }
                c.owner = null;
            }
            return new ChunkTable(dir, depth, size);
        }

        /** The same slots in a table built afresh (directory sized for them). */
        private ChunkTable compacted() {
            Editor e = new Editor(EMPTY);
            ChunkTable.forEach(dir, depth, e::insert);
            return e.freezeAsIs();
        }

        private ChunkTable freezeAsIs() {
            frozen = true;
            for (int d = 0; d < dir.length; d++) {
                dir[d].owner = null;
            }
            return new ChunkTable(dir, depth, size);
        }

        private void check() {
            if (frozen) {
                throw new IllegalStateException("editor already frozen");
            }
        }

        private static int capacityFor(int count) {
            int cap = 4;
            while (cap * 3 < count * 4 + 4) {
                cap *= 2;
            }
            return cap;
        }
    }
}
