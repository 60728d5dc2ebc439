package dev.jvswitch.flowcache.emc;

import static dev.jvswitch.flowcache.megaflow.Flows.copy;
import static dev.jvswitch.flowcache.megaflow.Flows.key;
import static dev.jvswitch.flowcache.megaflow.Flows.mask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.flowcache.megaflow.Flows;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class EmcTest {
    private static Megaflow flow(long word0) {
        return new Megaflow(key(word0), mask(-1L), Flows.actions(), 0);
    }

    @Test
    void hitNeedsEqualHashAndEqualWords() {
        Emc emc = new Emc(16);
        FlowKey k = key(1, 2, 3);
        Megaflow f = flow(1);
        emc.insert(k, f);

        assertThat(emc.lookup(copy(k))).isSameAs(f);
        assertThat(emc.size()).isEqualTo(1);

        FlowKey sameHashOtherWords = key(1, 2, 4);
        sameHashOtherWords.hash(k.hash());
        assertThat(emc.lookup(sameHashOtherWords)).isNull();

        FlowKey sameWordsOtherHash = copy(k);
        sameWordsOtherHash.hash(k.hash() ^ 0x8000_0000);
        assertThat(emc.lookup(sameWordsOtherHash)).isNull();
    }

    /**
     * Keys marked with zero cold words are compared on their hot words; a difference in any of
     * them misses, and a marked key never hits a slot whose key had a cold word (unmarked).
     */
    @Test
    void keysMarkedColdZeroCompareEveryHotWord() {
        Emc emc = new Emc(16);
        FlowKey k = key(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        k.words()[14] = 15;
        k.markColdWordsZero();
        Megaflow f = flow(1);
        emc.insert(k, f);
        FlowKey same = copy(k);
        assertThat(same.coldWordsZero()).isTrue();
        assertThat(emc.lookup(same)).isSameAs(f);
        for (int w = 0; w < FlowKey.WORDS; w++) {
            if ((FlowKey.HOT_WORD_MASK & 1L << w) == 0) {
                continue;
            }
            FlowKey other = copy(k);
            other.words()[w] ^= 1L << 40;
            assertThat(emc.lookup(other)).as("word %d", w).isNull();
        }

        FlowKey coldSlot = copy(k);
        coldSlot.words()[FlowKey.WORDS - 1] = 1;
        coldSlot.set(FlowField.IN_PORT, coldSlot.get(FlowField.IN_PORT)); // drops the mark
        assertThat(coldSlot.coldWordsZero()).isFalse();
        Emc other = new Emc(16);
        other.insert(coldSlot, f);
        assertThat(other.lookup(k)).isNull();
        assertThat(other.lookup(copy(coldSlot))).isSameAs(f);
    }

    @Test
    void differenceInTheLastWordIsAMiss() {
        Emc emc = new Emc(16);
        FlowKey k = key(1);
        k.words()[FlowKey.WORDS - 1] = 77;
        emc.insert(k, flow(1));
        FlowKey other = copy(k);
        other.words()[FlowKey.WORDS - 1] = 78;
        assertThat(emc.lookup(other)).isNull();
    }

    @Test
    void aKeyWithTunnelOptionsHitsOnlyIfTheFlowMatchesItsOptions() {
        Emc emc = new Emc(16);
        FlowKey k = key(1);
        k.set(FlowField.TUN_METADATA_LEN, 8);
        k.words()[FlowKey.TUN_METADATA_WORD] = 0x0102_8001_0001_0002L;
        FlowMask m = new FlowMask().exact(FlowField.IN_PORT).exact(FlowField.TUN_METADATA_LEN);
        m.words()[FlowKey.TUN_METADATA_WORD] = -1L;
        Megaflow f = new Megaflow(k, m, Flows.actions(), 0);
        emc.insert(k, f);
        assertThat(emc.lookup(k.copy())).isSameAs(f);
        // Same base words (the slot keeps only those), other options: a miss.
        FlowKey other = k.copy();
        other.words()[FlowKey.TUN_METADATA_WORD] = 0x0102_8001_0001_0003L;
        assertThat(emc.lookup(other)).isNull();
    }

    /** A popped Geneve key keeps the short compare: its options' length is a hot word's. */
    @Test
    void markedKeysWithOtherOptionLengthsDoNotHit() {
        Emc emc = new Emc(16);
        FlowKey k = key(1);
        k.set(FlowField.TUN_METADATA_LEN, 8);
        k.markColdWordsZero();
        FlowMask m = new FlowMask().exact(FlowField.IN_PORT).exact(FlowField.TUN_METADATA_LEN);
        Megaflow f = new Megaflow(k, m, Flows.actions(), 0);
        emc.insert(k, f);
        FlowKey same = k.copy();
        assertThat(same.coldWordsZero()).isTrue();
        assertThat(emc.lookup(same)).isSameAs(f);
        FlowKey longer = k.copy();
        longer.set(FlowField.TUN_METADATA_LEN, 12);
        longer.markColdWordsZero();
        assertThat(emc.lookup(longer)).isNull();
    }

    @Test
    void insertOfTheSameKeyReplacesItsFlow() {
        Emc emc = new Emc(16);
        FlowKey k = key(5);
        Megaflow a = flow(5);
        Megaflow b = flow(5);
        emc.insert(k, a);
        emc.insert(copy(k), b);
        assertThat(emc.lookup(k)).isSameAs(b);
        assertThat(emc.size()).isEqualTo(1);
    }

    @Test
    void keyUsesTheSecondSlotWhenTheFirstIsTaken() {
        Emc emc = new Emc(16);
        // Same first slot (low 4 bits), different second slot (bits 4..7).
        FlowKey a = key(1);
        a.hash(0x13);
        FlowKey b = key(2);
        b.hash(0x23);
        FlowKey c = key(3);
        c.hash(0x33);
        Megaflow fa = flow(1);
        Megaflow fb = flow(2);
        emc.insert(a, fa);
        emc.insert(b, fb);
        assertThat(emc.lookup(a)).isSameAs(fa);
        assertThat(emc.lookup(b)).isSameAs(fb);
        assertThat(emc.size()).isEqualTo(2);

        // Both of c's candidates are slot 3, which holds a: c evicts a.
        Megaflow fc = flow(3);
        emc.insert(c, fc);
        assertThat(emc.lookup(c)).isSameAs(fc);
        assertThat(emc.lookup(a)).isNull();
        assertThat(emc.lookup(b)).isSameAs(fb);
    }

    @Test
    void evictsTheCandidateWithTheLowerHash() {
        Emc emc = new Emc(16);
        FlowKey a = key(1);
        a.hash(0x21); // slots 1 and 2
        FlowKey b = key(2);
        b.hash(0x12); // slots 2 and 1
        emc.insert(a, flow(1));
        emc.insert(b, flow(2));
        // a took slot 1, b took slot 2; d's candidates are 1 (hash 0x21) and 2 (hash 0x12).
        FlowKey d = key(4);
        d.hash(0x0121);
        Megaflow fd = flow(4);
        emc.insert(d, fd);
        assertThat(emc.lookup(d)).isSameAs(fd);
        assertThat(emc.lookup(b)).as("lower hash evicted").isNull();
        assertThat(emc.lookup(a)).isNotNull();
    }

    @Test
    void deadFlowIsAMissAndFreesItsSlot() {
        Emc emc = new Emc(16);
        FlowKey k = key(9);
        Megaflow f = flow(9);
        emc.insert(k, f);
        f.markDead();
        assertThat(emc.lookup(k)).isNull();
        assertThat(emc.size()).isZero();
        assertThat(emc.lookup(k)).isNull();
    }

    @Test
    void insertPrefersASlotWhoseFlowIsDead() {
        Emc emc = new Emc(16);
        FlowKey a = key(1);
        a.hash(0x21);
        FlowKey b = key(2);
        b.hash(0x12);
        Megaflow fa = flow(1);
        Megaflow fb = flow(2);
        emc.insert(a, fa);
        emc.insert(b, fb);
        fa.markDead();
        FlowKey d = key(4);
        d.hash(0x0221); // candidates 1 (a: dead, higher hash) and 2 (b: alive, lower hash)
        Megaflow fd = flow(4);
        emc.insert(d, fd);
        assertThat(emc.lookup(b)).isSameAs(fb);
        assertThat(emc.lookup(d)).isSameAs(fd);
        assertThat(emc.size()).isEqualTo(2);
    }

    @Test
    void sweepClearsDeadEntriesIncrementally() {
        Emc emc = new Emc(64);
        Random random = new Random(3);
        int cachedAndKilled = 0;
        for (int i = 0; i < 40; i++) {
            FlowKey k = Flows.randomKey(random);
            emc.insert(k, flow(i));
        }
        List<FlowKey> keys = new ArrayList<>();
        random = new Random(3);
        for (int i = 0; i < 40; i++) {
            keys.add(Flows.randomKey(random));
        }
        for (int i = 0; i < 40; i += 2) {
            Megaflow f = emc.lookup(keys.get(i));
            if (f != null) {
                f.markDead();
                cachedAndKilled++;
            }
        }
        int before = emc.size();
        int cleared = 0;
        for (int i = 0; i < 8; i++) {
            int c = emc.onSweep(8);
            assertThat(c).isBetween(0, 8);
            cleared += c;
        }
        assertThat(cleared).isEqualTo(cachedAndKilled).isPositive();
        assertThat(emc.size()).isEqualTo(before - cleared);
        assertThat(emc.onSweep(1000)).isZero();
        for (int i = 1; i < 40; i += 2) {
            Megaflow f = emc.lookup(keys.get(i));
            if (f != null) {
                assertThat(f.isDead()).isFalse();
            }
        }
    }

    @Test
    void clearEmptiesEverything() {
        Emc emc = new Emc(16);
        FlowKey k = key(1);
        emc.insert(k, flow(1));
        emc.clear();
        assertThat(emc.size()).isZero();
        assertThat(emc.lookup(k)).isNull();
    }

    @Test
    void insertionProbability() {
        Emc never = new Emc(1024);
        never.setInsertInvProb(0);
        Emc always = new Emc(1024);
        always.setInsertInvProb(1);
        Emc hundred = new Emc(1 << 16);
        assertThat(hundred.insertInvProb()).isEqualTo(Emc.DEFAULT_INSERT_INV_PROB);
        Random random = new Random(5);
        Megaflow f = flow(0);
        int inserted = 0;
        for (int i = 0; i < 20_000; i++) {
            FlowKey k = Flows.randomKey(random);
            assertThat(never.maybeInsert(k, f)).isFalse();
            assertThat(always.maybeInsert(k, f)).isTrue();
            assertThat(always.lookup(k)).isSameAs(f);
            if (hundred.maybeInsert(k, f)) {
                inserted++;
                assertThat(hundred.lookup(k)).isSameAs(f);
            }
        }
        assertThat(never.size()).isZero();
        assertThat(inserted).isBetween(120, 280);
        assertThatThrownBy(() -> never.setInsertInvProb(-1)).hasMessageContaining("emc-insert-inv-prob");
    }

    @Test
    void rejectsBadSizes() {
        assertThatThrownBy(() -> new Emc(1000)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> new Emc(1)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> new Emc(1 << 17)).hasMessageContaining("power of two");
        assertThat(new Emc().capacity()).isEqualTo(8192);
    }

    /**
     * Against a map of what was inserted last for each key: a lookup returns that flow or null
     * (evicted), never another flow and never a dead one. Hashes are drawn from a small range so
     * that slots and hashes collide between different keys.
     */
    @Property(tries = 300)
    void returnsOnlyTheFlowLastInsertedForThatExactKey(
        @ForAll long seed,
        @ForAll @IntRange(min = 1, max = 6) int log2Entries,
        @ForAll @IntRange(min = 1, max = 64) int hashRange,
        @ForAll @IntRange(min = 1, max = 40) int keyCount,
        @ForAll @IntRange(min = 1, max = 400) int steps) {
        Random random = new Random(seed);
        Emc emc = new Emc(1 << log2Entries);
        FlowKey[] keys = new FlowKey[keyCount];
        for (int i = 0; i < keyCount; i++) {
            keys[i] = new FlowKey();
            // Keys differ in one word only, sometimes only in the last.
            keys[i].words()[random.nextBoolean() ? 0 : FlowKey.WORDS - 1] = random.nextInt(keyCount);
            keys[i].words()[3] = i;
            keys[i].hash(random.nextInt(hashRange));
        }
        Map<Integer, Megaflow> model = new HashMap<>();
        List<Megaflow> all = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            int i = random.nextInt(keyCount);
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    Megaflow f = flow(i);
                    all.add(f);
                    emc.insert(keys[i], f);
                    model.put(i, f);
                    assertThat(emc.lookup(copy(keys[i]))).isSameAs(f);
                }
                case 2 -> {
                    if (!all.isEmpty()) {
                        all.get(random.nextInt(all.size())).markDead();
                    }
                }
                case 3 -> emc.onSweep(1 + random.nextInt(8));
                default -> {
                    Megaflow got = emc.lookup(copy(keys[i]));
                    if (got != null) {
                        assertThat(got).isSameAs(model.get(i));
                        assertThat(got.isDead()).isFalse();
                    }
                }
            }
            assertThat(emc.size()).isBetween(0, emc.capacity());
        }
        for (int i = 0; i < keyCount; i++) {
            Megaflow got = emc.lookup(keys[i]);
            if (got != null) {
                assertThat(got).isSameAs(model.get(i));
                assertThat(got.isDead()).isFalse();
            }
        }
    }
}
