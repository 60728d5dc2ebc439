package dev.jvswitch.flowcache.dpcls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.flowcache.megaflow.Flows;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The dpcls against a naive classifier: a linear scan over the live flows with
 * {@link Megaflow#matches}. After every step of a random sequence of inserts, removes and
 * deaths, for random probes and for probes built to match present flows, {@code lookup} and
 * {@code lookupBatch} return a live present flow that matches, and null exactly when the scan
 * finds none.
 */
class DpclsPropertyTest {

    @Property(tries = 250)
    void agreesWithALinearScan(
        @ForAll("maskSets") List<FlowMask> masks,
        @ForAll long seed,
        @ForAll @IntRange(min = 1, max = 150) int steps,
        @ForAll @IntRange(min = 0, max = 1) int sortEvery) {
        Random random = new Random(seed);
        Dpcls cls = new Dpcls();
        List<Megaflow> present = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            int op = random.nextInt(10);
            if (op < 6 || present.isEmpty()) {
                FlowMask mask = masks.get(random.nextInt(masks.size()));
                FlowKey key = present.isEmpty() || random.nextBoolean()
                    ? smallKey(random)
                    : Flows.keyMatching(present.get(random.nextInt(present.size())), random);
                Megaflow f = new Megaflow(key, mask, null, 0);
                cls.insert(f);
                present.add(f);
            } else if (op < 9) {
                Megaflow f = present.remove(random.nextInt(present.size()));
                assertThat(cls.remove(f)).isTrue();
                assertThat(cls.remove(f)).isFalse();
            } else {
                present.get(random.nextInt(present.size())).markDead();
            }
            if (sortEvery == 1 && random.nextInt(8) == 0) {
                cls.onSortSubtables();
            }
            checkStructure(cls, present);
            checkLookups(cls, present, random);
        }
    }

    private static void checkStructure(Dpcls cls, List<Megaflow> present) {
        assertThat(cls.flowCount()).isEqualTo(present.size());
        Set<String> distinctMasks = new HashSet<>();
        for (Megaflow f : present) {
            FlowMask m = new FlowMask();
            f.copyMaskTo(m);
            distinctMasks.add(java.util.Arrays.toString(m.words()));
        }
        assertThat(cls.subtableCount()).isEqualTo(distinctMasks.size());
        int sum = 0;
        for (int i = 0; i < cls.subtableCount(); i++) {
            assertThat(cls.subtable(i).flowCount()).isPositive();
            sum += cls.subtable(i).flowCount();
        }
        assertThat(sum).isEqualTo(present.size());
    }

    private static void checkLookups(Dpcls cls, List<Megaflow> present, Random random) {
        int n = 1 + random.nextInt(32);
        FlowKey[] probes = new FlowKey[n];
        for (int i = 0; i < n; i++) {
            probes[i] = random.nextInt(3) == 0 || present.isEmpty()
                ? smallKey(random)
                : Flows.keyMatching(present.get(random.nextInt(present.size())), random);
        }
        Megaflow[] results = new Megaflow[32];
        long hitsBefore = cls.hitCount();
        int matched = cls.lookupBatch(probes, n, results);
        int expectedMatched = 0;
        for (int i = 0; i < n; i++) {
            boolean any = scanFinds(present, probes[i]);
            expectedMatched += any ? 1 : 0;
            checkResult(results[i], any, present, probes[i]);
            checkResult(cls.lookup(probes[i]), any, present, probes[i]);
        }
        assertThat(matched).isEqualTo(expectedMatched);
        assertThat(cls.hitCount() - hitsBefore).isEqualTo(2L * expectedMatched);
    }

    private static void checkResult(Megaflow got, boolean scanFinds, List<Megaflow> present, FlowKey probe) {
        if (scanFinds) {
            assertThat(got).isNotNull();
            assertThat(got.matches(probe)).isTrue();
            assertThat(got.isDead()).isFalse();
            assertThat(present).containsOnlyOnce(got);
        } else {
            assertThat(got).isNull();
        }
    }

    private static boolean scanFinds(List<Megaflow> present, FlowKey probe) {
        for (Megaflow f : present) {
            if (!f.isDead() && f.matches(probe)) {
                return true;
            }
        }
        return false;
    }

    /** Words from a small domain, so that random keys overlap the flows' masked values. */
    private static FlowKey smallKey(Random random) {
        FlowKey k = new FlowKey();
        for (int i = 0; i < FlowKey.WORDS; i++) {
            k.words()[i] = switch (random.nextInt(4)) {
                case 0 -> 0L;
                case 1 -> random.nextInt(4);
                case 2 -> (long) random.nextInt(4) << 32 | random.nextInt(4) << 8;
                default -> random.nextLong();
            };
        }
        return Flows.rehash(k);
    }

    @Provide
    Arbitrary<List<FlowMask>> maskSets() {
        return mask().list().ofMinSize(1).ofMaxSize(12);
    }

    private static Arbitrary<FlowMask> mask() {
        Arbitrary<Long> word = Arbitraries.oneOf(
            Arbitraries.just(-1L),
            Arbitraries.integers().between(1, 64).map(bits -> -1L << (64 - bits)),         // prefix
            Arbitraries.of(0xffffL, 0xffff_0000L, 0xffff_ffffL, 0xffff_ffff_0000_0000L,
                0xffff_ffff_ffffL, 0xff00L, 0x0fffL, 0x1L),                                  // fields
            Arbitraries.longs());                                                           // random bits
        Arbitrary<int[]> indices = Arbitraries.integers().between(0, FlowKey.WORDS - 1)
            .array(int[].class).ofMinSize(0).ofMaxSize(5);
        return Combinators.combine(indices, word.list().ofSize(5)).as((idx, words) -> {
            FlowMask m = new FlowMask();
            for (int j = 0; j < idx.length; j++) {
                m.words()[idx[j]] = words.get(j);
            }
            return m;
        });
    }
}
