package dev.jvswitch.ofproto.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import org.junit.jupiter.api.Test;

/**
 * The chunked hash table against a map: inserts, in-place changes and removals in editors that
 * own their chunks, versions that never change once frozen, splits and shrinking.
 */
class ChunkTableTest {
    /** What a table holds, as the test sees it: hash to (item, aux); one slot per hash here. */
    private static Map<Long, Long> contents(ChunkTable t) {
        Map<Long, Long> out = new HashMap<>();
        t.forEach((h, item, aux) -> assertThat(out.put(h, aux)).as("hash %x twice", h).isNull());
        return out;
    }

    private static int indexOf(ChunkTable.Chunk c, long h) {
        for (int i = c.home(h); c.items[i] != null; i = c.next(i)) {
            if (c.hashes[i] == h) {
                return i;
            }
        }
        return -1;
    }

    private static long aux(ChunkTable t, long h) {
        ChunkTable.Chunk c = t.chunk(h);
        int i = indexOf(c, h);
        return i < 0 ? -1 : c.aux[i];
    }

    @Property(tries = 10)
    void aPresizedTableHoldsWhatAGrownOneHoldsAndDoesNotSplitOnTheWay(@ForAll long seed) {
        Random rnd = new Random(seed);
        int n = 300 + rnd.nextInt(20_000);
        // Some runs with few distinct top bits: presized chunks then fill up and split as usual.
        long spread = rnd.nextInt(4) == 0 ? 0x0f000000ffffffffL : -1L;
        ChunkTable.Editor grown = ChunkTable.EMPTY.edit();
        ChunkTable.Editor presized = ChunkTable.EMPTY.edit();
        presized.presize(n);
        ChunkTable.Chunk first = presized.chunk(0);
        assertThat(first.items).as("chunks made for %d slots", n).hasSize(ChunkTable.MAX_CHUNK);
        java.util.Set<Long> used = new java.util.HashSet<>();
        for (int k = 0; k < n; k++) {
            long h = rnd.nextLong() & spread;
            while (!used.add(h)) {
                h = rnd.nextLong() & spread; // one slot per hash, so that the contents compare as maps
            }
            grown.insert(h, "x", k);
            presized.insert(h, "x", k);
        }
        if (spread == -1L) {
            assertThat(presized.chunk(0)).as("no split, no growth").isSameAs(first);
        }
        ChunkTable a = grown.freeze();
        ChunkTable b = presized.freeze();
        assertThat(b.size()).isEqualTo(n);
        Map<Long, Long> inA = new HashMap<>();
        Map<Long, Long> inB = new HashMap<>();
        a.forEach((h, item, aux) -> inA.put(h, aux));
        b.forEach((h, item, aux) -> inB.put(h, aux));
        assertThat(inB).isEqualTo(inA);
        int[] lost = {0};
        a.forEach((h, item, aux) -> lost[0] += aux(b, h) == aux ? 0 : 1);
        assertThat(lost[0]).as("slots a probe of the presized table does not find").isZero();
    }

    @Example
    void aReserveOverHashesThatCollideInTheirTopBits() {
        // Seeds where the narrow spread put more than a chunk's worth of slots in chunk 0.
        aTableReservedMidwayKeepsItsSlotsAndLeavesTheVersionItStartedFromAsItWas(6659);
        aTableReservedMidwayKeepsItsSlotsAndLeavesTheVersionItStartedFromAsItWas(7879);
    }

    @Property(tries = 8)
    void aTableReservedMidwayKeepsItsSlotsAndLeavesTheVersionItStartedFromAsItWas(@ForAll long seed) {
        Random rnd = new Random(seed);
        long spread = rnd.nextInt(4) == 0 ? 0x0f000000ffffffffL : -1L;
        Map<Long, Long> model = new HashMap<>();
        ChunkTable.Editor first = ChunkTable.EMPTY.edit();
        for (int k = 0, n = rnd.nextInt(2_000); k < n; k++) {
            long h = rnd.nextLong() & spread;
            if (indexOf(first.chunk(h), h) < 0) {
                first.insert(h, "x", k);
                model.put(h, (long) k);
            }
        }
        ChunkTable base = first.freeze();
        Map<Long, Long> baseSeen = contents(base);
        ChunkTable.Editor e = base.edit();
        int before = rnd.nextInt(3_000);
        int after = rnd.nextInt(8_000);
        for (int k = 0; k < before + after; k++) {
            if (k == before) {
                e.reserve(model.size() + after);
                assertThat(e.size()).as("slots after the reserve").isEqualTo(model.size());
                if (model.size() + after >= 2 * ChunkTable.PRESIZE_FILL) {
                    // Full-size chunks; a chunk of hashes that agree in every bit a split could
                    // use (the narrow spread) may have grown past that at the deepest level.
                    assertThat(e.chunk(0).items.length).as("chunks made for the slots to come")
                            .isGreaterThanOrEqualTo(ChunkTable.MAX_CHUNK);
                    if (spread == -1L) {
                        assertThat(e.chunk(0).items).hasSize(ChunkTable.MAX_CHUNK);
                    }
                }
            }
            long h = rnd.nextLong() & spread;
            if (indexOf(e.chunk(h), h) < 0) {
                e.insert(h, "x", -k);
                model.put(h, (long) -k);
            }
        }
        ChunkTable t = e.freeze();
        assertThat(t.size()).isEqualTo(model.size());
        assertThat(contents(t)).isEqualTo(model);
        int[] lost = {0};
        model.forEach((h, aux) -> lost[0] += aux(t, h) == aux ? 0 : 1);
        assertThat(lost[0]).as("slots a probe of the reserved table does not find").isZero();
        assertThat(contents(base)).as("the version it started from").isEqualTo(baseSeen);
    }

    @Property(tries = 200)
    void editsAgreeWithAMapAndFrozenVersionsNeverChange(@ForAll long seed) {
        Random rnd = new Random(seed);
        // Few distinct low bits and top bits in some runs, so that probes collide and chunks split.
        long spread = rnd.nextBoolean() ? -1L : 0xff000000000000ffL;
        Map<Long, Long> model = new HashMap<>();
        ChunkTable t = ChunkTable.EMPTY;
        List<ChunkTable> versions = new ArrayList<>();
        List<Map<Long, Long>> seen = new ArrayList<>();
        int rounds = 1 + rnd.nextInt(8);
        for (int r = 0; r < rounds; r++) {
            ChunkTable.Editor e = t.edit();
            int ops = rnd.nextInt(r == 0 ? 3000 : 400);
            for (int k = 0; k < ops; k++) {
                long h = rnd.nextLong() & spread;
                ChunkTable.Chunk c = e.chunk(h);
                int i = indexOf(c, h);
                if (i < 0) {
                    e.insert(h, "x", k);
                    model.put(h, (long) k);
                } else if (rnd.nextInt(3) == 0) {
                    e.removeAt(e.writable(h), i);
                    model.remove(h);
                } else {
                    e.set(e.writable(h), i, "y", -k);
                    model.put(h, (long) -k);
                }
            }
            assertThat(e.size()).isEqualTo(model.size());
            t = e.freeze();
            assertThat(t.size()).isEqualTo(model.size());
            versions.add(t);
            seen.add(new HashMap<>(model));
        }
        for (int v = 0; v < versions.size(); v++) {
            assertThat(contents(versions.get(v))).isEqualTo(seen.get(v));
            for (Map.Entry<Long, Long> en : seen.get(v).entrySet()) {
                assertThat(versions.get(v).contains(en.getKey())).isTrue();
                assertThat(aux(versions.get(v), en.getKey())).isEqualTo(en.getValue());
            }
        }
    }

    @Test
    void aMillionHashesSplitIntoChunksWithShortProbes() {
        Random rnd = new Random(1);
        ChunkTable.Editor e = ChunkTable.EMPTY.edit();
        long[] hs = new long[1_000_000];
        for (int i = 0; i < hs.length; i++) {
            hs[i] = rnd.nextLong();
            e.insert(hs[i], "x", i);
        }
        ChunkTable t = e.freeze();
        long probes = 0;
        for (long h : hs) {
            ChunkTable.Chunk c = t.chunk(h);
            int n = 1;
            for (int i = c.home(h); c.hashes[i] != h; i = c.next(i)) {
                n++;
            }
            probes += n;
        }
        assertThat((double) probes / hs.length).as("mean probe length").isLessThan(3.0);
        assertThat(contents(t)).hasSize(hs.length);
    }

    @Test
    void oneChangeToAPublishedTableCopiesOnlyItsChunk() {
        ChunkTable.Editor e = ChunkTable.EMPTY.edit();
        Random rnd = new Random(2);
        for (int i = 0; i < 10_000; i++) {
            e.insert(rnd.nextLong(), "x", i);
        }
        ChunkTable before = e.freeze();
        long h = 0x8000_0000_0000_0001L;
        ChunkTable.Editor one = before.edit();
        one.insert(h, "new", 7);
        ChunkTable after = one.freeze();
        assertThat(before.contains(h)).isFalse();
        assertThat(after.contains(h)).isTrue();
        int shared = 0;
        int distinct = 0;
        for (long probe = 0; probe < 64; probe++) {
            long key = probe << 58;
            if (before.chunk(key) == after.chunk(key)) {
                shared++;
            } else {
                distinct++;
            }
        }
        assertThat(shared).as("chunks the change did not touch are shared").isGreaterThan(distinct);
    }

    @Test
    void removingMostSlotsShrinksTheTable() {
        ChunkTable.Editor e = ChunkTable.EMPTY.edit();
        for (long i = 1; i <= 50_000; i++) {
            e.insert(i * 0x9e3779b97f4a7c15L, "x", i);
        }
        ChunkTable big = e.freeze();
        ChunkTable.Editor d = big.edit();
        for (long i = 2; i <= 50_000; i++) {
            long h = i * 0x9e3779b97f4a7c15L;
            ChunkTable.Chunk c = d.writable(h);
            d.removeAt(c, indexOf(c, h));
        }
        ChunkTable small = d.freeze();
        assertThat(contents(small)).containsExactly(Map.entry(0x9e3779b97f4a7c15L, 1L));
        assertThat(small.chunk(0).items.length).as("compacted").isLessThanOrEqualTo(8);
        assertThat(contents(big)).hasSize(50_000);
    }

    @Test
    void aFrozenEditorRefusesChanges() {
        ChunkTable.Editor e = ChunkTable.EMPTY.edit();
        e.insert(1, "x", 1);
        e.freeze();
        assertThatThrownBy(() -> e.insert(2, "y", 2)).isInstanceOf(IllegalStateException.class);
    }
}
