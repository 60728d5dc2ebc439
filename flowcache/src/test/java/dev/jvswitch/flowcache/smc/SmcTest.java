package dev.jvswitch.flowcache.smc;

import static dev.jvswitch.flowcache.megaflow.Flows.key;
import static dev.jvswitch.flowcache.megaflow.Flows.mask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.flowcache.megaflow.Flows;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class SmcTest {

    @Test
    void hitsAnyKeyTheFlowMatchesWithTheSameHash() {
        Smc smc = new Smc(64);
        Megaflow f = new Megaflow(key(10, 20), mask(-1L, 0), Flows.actions(), 0);
        FlowKey k = key(10, 20);
        smc.insert(k, f);
        assertThat(smc.lookup(k)).isSameAs(f);
        assertThat(smc.size()).isEqualTo(1);

        FlowKey otherMicroflow = key(10, 21);
        otherMicroflow.hash(k.hash());
        assertThat(smc.lookup(otherMicroflow)).isSameAs(f);
    }

    @Test
    void signatureHitOnANonMatchingFlowIsAMiss() {
        Smc smc = new Smc(64);
        Megaflow f = new Megaflow(key(10), mask(-1L), Flows.actions(), 0);
        FlowKey k = key(10);
        smc.insert(k, f);
        FlowKey sameHash = key(11);
        sameHash.hash(k.hash());
        assertThat(smc.lookup(sameHash)).isNull();
    }

    @Test
    void deadFlowIsAMissAndItsEntryIsReused() {
        Smc smc = new Smc(4);
        List<Megaflow> flows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            FlowKey k = key(i);
            k.hash(i << 16); // one bucket, four signatures
            Megaflow f = new Megaflow(k, mask(-1L), null, 0);
            smc.insert(k, f);
            flows.add(f);
        }
        assertThat(smc.size()).isEqualTo(4);
        flows.get(2).markDead();
        FlowKey k2 = key(2);
        k2.hash(2 << 16);
        assertThat(smc.lookup(k2)).isNull();

        FlowKey k9 = key(9);
        k9.hash(9 << 16);
        Megaflow f9 = new Megaflow(k9, mask(-1L), null, 0);
        smc.insert(k9, f9);
        assertThat(smc.lookup(k9)).isSameAs(f9);
        for (int i : new int[] {0, 1, 3}) {
            FlowKey k = key(i);
            k.hash(i << 16);
            assertThat(smc.lookup(k)).as("live entry %d kept", i).isSameAs(flows.get(i));
        }
        assertThat(smc.size()).isEqualTo(4);
    }

    @Test
    void fullBucketEvictsOneEntry() {
        Smc smc = new Smc(4);
        for (int i = 0; i < 5; i++) {
            FlowKey k = key(i);
            k.hash(i << 16);
            smc.insert(k, new Megaflow(k, mask(-1L), null, 0));
            assertThat(smc.lookup(k)).isNotNull();
        }
        int hits = 0;
        for (int i = 0; i < 5; i++) {
            FlowKey k = key(i);
            k.hash(i << 16);
            hits += smc.lookup(k) != null ? 1 : 0;
        }
        assertThat(hits).isEqualTo(4);
        smc.clear();
        assertThat(smc.size()).isZero();
    }

    @Test
    void rejectsBadSizes() {
        assertThatThrownBy(() -> new Smc(2)).hasMessageContaining("smc entries");
        assertThatThrownBy(() -> new Smc(100)).hasMessageContaining("power of two");
        assertThat(new Smc().capacity()).isEqualTo(Smc.DEFAULT_ENTRIES);
    }

    /**
     * Random flows under a few masks, keys drawn near them, hashes from a small range so that
     * signatures collide: whatever the SMC returns is live and matches the key, and right after
     * an insert the key hits.
     */
    @Property(tries = 300)
    void neverReturnsANonMatchingOrDeadFlow(
        @ForAll long seed,
        @ForAll @IntRange(min = 2, max = 6) int log2Entries,
        @ForAll @IntRange(min = 1, max = 1 << 20) int hashRange,
        @ForAll @IntRange(min = 1, max = 400) int steps) {
        Random random = new Random(seed);
        Smc smc = new Smc(1 << log2Entries);
        FlowMask[] masks = {mask(-1L, -1L), mask(0xff, 0), mask(0xf0, 0xff00), mask(0, 1)};
        List<Megaflow> flows = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            FlowKey k = key(random.nextInt(32), random.nextInt(32) << 8);
            k.hash(random.nextInt(hashRange) * 0x9e37);
            switch (random.nextInt(4)) {
                case 0 -> {
                    Megaflow f = new Megaflow(k, masks[random.nextInt(masks.length)], null, 0);
                    flows.add(f);
                    smc.insert(k, f);
                    assertThat(smc.lookup(k)).isNotNull().matches(x -> x.matches(k));
                }
                case 1 -> {
                    if (!flows.isEmpty()) {
                        flows.get(random.nextInt(flows.size())).markDead();
                    }
                }
                default -> {
                    Megaflow got = smc.lookup(k);
                    if (got != null) {
                        assertThat(got.matches(k)).isTrue();
                        assertThat(got.isDead()).isFalse();
                    }
                }
            }
        }
    }
}
