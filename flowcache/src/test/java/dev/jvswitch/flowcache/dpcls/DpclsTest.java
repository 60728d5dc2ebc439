package dev.jvswitch.flowcache.dpcls;

import static dev.jvswitch.flowcache.megaflow.Flows.key;
import static dev.jvswitch.flowcache.megaflow.Flows.mask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.flowcache.megaflow.Flows;
import dev.jvswitch.flowcache.megaflow.Megaflow;

class DpclsTest {
    private static final FlowMask DST = mask(0, -1L);
    private static final FlowMask SRC_DST = mask(-1L, -1L);
    private static final FlowMask PREFIX = mask(0, 0xffff_ff00L);

    private static Megaflow flow(FlowKey key, FlowMask mask) {
        return new Megaflow(key, mask, Flows.actions(), 1);
    }

    @Test
    void findsFlowsByMaskedKeyAcrossSubtables() {
        Dpcls cls = new Dpcls();
        Megaflow a = flow(key(1, 100), DST);
        Megaflow b = flow(key(2, 200), SRC_DST);
        Megaflow c = flow(key(0, 0x0a00_0100L), PREFIX);
        cls.insert(a);
        cls.insert(b);
        cls.insert(c);
        assertThat(cls.flowCount()).isEqualTo(3);
        assertThat(cls.subtableCount()).isEqualTo(3);

        assertThat(cls.lookup(key(77, 100))).isSameAs(a);
        assertThat(cls.lookup(key(2, 200))).isSameAs(b);
        assertThat(cls.lookup(key(3, 200))).isNull();
        assertThat(cls.lookup(key(9, 0x0a00_01feL))).isSameAs(c);
        assertThat(cls.lookup(key(9, 0x0a00_02feL))).isNull();
    }

    @Test
    void manyFlowsInOneSubtableGrowAndStayFindable() {
        Dpcls cls = new Dpcls();
        List<Megaflow> flows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            Megaflow f = flow(key(i, i * 7L), SRC_DST);
            flows.add(f);
            cls.insert(f);
        }
        assertThat(cls.subtableCount()).isEqualTo(1);
        assertThat(cls.subtable(0).flowCount()).isEqualTo(5000);
        for (int i = 0; i < 5000; i++) {
            assertThat(cls.lookup(key(i, i * 7L))).isSameAs(flows.get(i));
        }
        // Remove every other flow: backward-shift deletion must keep the rest reachable.
        for (int i = 0; i < 5000; i += 2) {
            assertThat(cls.remove(flows.get(i))).isTrue();
        }
        for (int i = 0; i < 5000; i++) {
            assertThat(cls.lookup(key(i, i * 7L))).isSameAs(i % 2 == 0 ? null : flows.get(i));
        }
        assertThat(cls.flowCount()).isEqualTo(2500);
    }

    @Test
    void churnInOneSubtableKeepsEveryPresentFlowFindable() {
        // Enough flows that probe runs grow long, removed and re-added in random
        // order: deletion must keep every run intact, or a probe stops short of a present flow.
        Dpcls cls = new Dpcls();
        Random random = new Random(5);
        int n = 20_000;
        Megaflow[] flows = new Megaflow[n];
        boolean[] present = new boolean[n];
        for (int i = 0; i < n; i++) {
            flows[i] = flow(key(i * 0x9e37L, ~i), SRC_DST);
        }
        for (int round = 0; round < 4; round++) {
            for (int step = 0; step < n; step++) {
                int i = random.nextInt(n);
                if (present[i]) {
                    assertThat(cls.remove(flows[i])).isTrue();
                } else {
                    cls.insert(flows[i]);
                }
                present[i] = !present[i];
            }
            FlowKey[] batch = new FlowKey[Dpcls.MAX_BATCH];
            Megaflow[] results = new Megaflow[Dpcls.MAX_BATCH];
            for (int base = 0; base + Dpcls.MAX_BATCH <= n; base += Dpcls.MAX_BATCH) {
                for (int j = 0; j < Dpcls.MAX_BATCH; j++) {
                    int i = base + j;
                    batch[j] = key(i * 0x9e37L, ~i);
                    assertThat(cls.lookup(batch[j])).isSameAs(present[i] ? flows[i] : null);
                }
                cls.lookupBatch(batch, Dpcls.MAX_BATCH, results);
                for (int j = 0; j < Dpcls.MAX_BATCH; j++) {
                    assertThat(results[j]).isSameAs(present[base + j] ? flows[base + j] : null);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (present[i]) {
                assertThat(cls.remove(flows[i])).isTrue();
            }
            assertThat(cls.remove(flows[i])).isFalse();
        }
        assertThat(cls.flowCount()).isZero();
        assertThat(cls.subtableCount()).isZero();
    }

    @Test
    void removeIsByIdentityAndDropsEmptySubtables() {
        Dpcls cls = new Dpcls();
        Megaflow a = flow(key(1, 100), DST);
        Megaflow sameMatch = flow(key(5, 100), DST);
        Megaflow b = flow(key(2, 200), SRC_DST);
        cls.insert(a);
        cls.insert(b);
        assertThat(cls.remove(sameMatch)).isFalse();
        assertThat(cls.remove(a)).isTrue();
        assertThat(cls.remove(a)).isFalse();
        assertThat(cls.subtableCount()).isEqualTo(1);
        assertThat(cls.flowCount()).isEqualTo(1);
        assertThat(cls.lookup(key(1, 100))).isNull();
        assertThat(cls.remove(b)).isTrue();
        assertThat(cls.subtableCount()).isZero();
        assertThat(cls.lookup(key(2, 200))).isNull();
    }

    @Test
    void deadFlowIsSkippedInFavourOfALiveDuplicate() {
        Dpcls cls = new Dpcls();
        Megaflow old = flow(key(1, 100), DST);
        cls.insert(old);
        old.markDead();
        assertThat(cls.lookup(key(1, 100))).isNull();
        Megaflow fresh = flow(key(1, 100), DST);
        cls.insert(fresh);
        assertThat(cls.lookup(key(1, 100))).isSameAs(fresh);
        assertThat(cls.remove(old)).isTrue();
        assertThat(cls.lookup(key(1, 100))).isSameAs(fresh);
    }

    @Test
    void batchProbesOnlyUnmatchedPacketsAndCountsSubtableLookups() {
        Dpcls cls = new Dpcls();
        Megaflow a = flow(key(1, 100), DST);
        Megaflow b = flow(key(2, 200), SRC_DST);
        cls.insert(a);
        cls.insert(b);
        FlowKey[] keys = {key(9, 100), key(2, 200), key(3, 300), key(8, 100)};
        Megaflow[] results = new Megaflow[32];
        results[2] = b; // stale from an earlier batch: must be cleared
        int matched = cls.lookupBatch(keys, keys.length, results);
        assertThat(matched).isEqualTo(3);
        assertThat(results).startsWith(a, b, null, a);
        // Two hits in the first subtable (rank 1), one in the second (rank 2).
        assertThat(cls.subtableLookups()).isEqualTo(2 * 1 + 1 * 2);
        assertThat(cls.hitCount()).isEqualTo(3);
        assertThat(cls.subtable(0).hitCount()).isEqualTo(2);
        assertThat(cls.subtable(1).hitCount()).isEqualTo(1);

        assertThat(cls.lookupBatch(keys, 0, results)).isZero();
        assertThatThrownBy(() -> cls.lookupBatch(new FlowKey[65], 65, new Megaflow[65]))
            .hasMessageContaining("65");
    }

    @Test
    void batchOfSixtyFourUsesEveryBit() {
        Dpcls cls = new Dpcls();
        FlowKey[] keys = new FlowKey[64];
        Megaflow[] flows = new Megaflow[64];
        for (int i = 0; i < 64; i++) {
            keys[i] = key(i, 0);
            flows[i] = flow(keys[i], mask(-1L));
            cls.insert(flows[i]);
        }
        Megaflow[] results = new Megaflow[64];
        assertThat(cls.lookupBatch(keys, 64, results)).isEqualTo(64);
        assertThat(results).containsExactly(flows);
    }

    @Test
    void sortRanksSubtablesByRecentHits() {
        Dpcls cls = new Dpcls();
        Megaflow a = flow(key(1, 100), DST);
        Megaflow b = flow(key(2, 200), SRC_DST);
        Megaflow c = flow(key(0, 0x0a00_0100L), PREFIX);
        cls.insert(a);
        cls.insert(b);
        cls.insert(c);
        Subtable stA = cls.subtable(0);
        Subtable stC = cls.subtable(2);
        for (int i = 0; i < 10; i++) {
            assertThat(cls.lookup(key(0, 0x0a00_0101L))).isSameAs(c);
        }
        assertThat(cls.subtableLookups()).isEqualTo(30);
        cls.onSortSubtables();
        assertThat(cls.subtable(0)).isSameAs(stC);
        assertThat(cls.subtable(0).hitCount()).isEqualTo(5);
        assertThat(cls.lookup(key(0, 0x0a00_0101L))).isSameAs(c);
        assertThat(cls.subtableLookups()).isEqualTo(31);

        // Traffic moves to a: after enough periods it ranks first again.
        for (int period = 0; period < 3; period++) {
            for (int i = 0; i < 20; i++) {
                cls.lookup(key(i, 100));
            }
            cls.onSortSubtables();
        }
        assertThat(cls.subtable(0)).isSameAs(stA);
        assertThat(cls.subtable(1)).isSameAs(stC);
    }

    @Test
    void forEachVisitsEveryFlowOnce() {
        Dpcls cls = new Dpcls();
        Set<Megaflow> inserted = new HashSet<>();
        Random random = new Random(11);
        FlowMask[] masks = {DST, SRC_DST, PREFIX};
        for (int i = 0; i < 300; i++) {
            Megaflow f = flow(Flows.randomKey(random), masks[i % 3]);
            inserted.add(f);
            cls.insert(f);
        }
        List<Megaflow> seen = new ArrayList<>();
        cls.forEach(seen::add);
        assertThat(seen).hasSize(300).containsExactlyInAnyOrderElementsOf(inserted);
        assertThatThrownBy(() -> cls.subtable(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
