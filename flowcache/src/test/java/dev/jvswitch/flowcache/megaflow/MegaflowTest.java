package dev.jvswitch.flowcache.megaflow;

import static dev.jvswitch.flowcache.megaflow.Flows.key;
import static dev.jvswitch.flowcache.megaflow.Flows.mask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;

class MegaflowTest {

    @Test
    void keepsOnlyTheMaskedWordsAndMatchesOnThem() {
        Megaflow f = new Megaflow(key(0x1234, 0xdead_beefL, 7, 9), mask(0, 0xffff_0000L, 0, -1L), Flows.actions(), 3);

        assertThat(f.maskWordCount()).isEqualTo(2);
        assertThat(f.maskWordIndex(0)).isEqualTo(1);
        assertThat(f.maskWordIndex(1)).isEqualTo(3);
        assertThat(f.maskWord(0)).isEqualTo(0xffff_0000L);
        assertThat(f.maskedKeyWord(0)).isEqualTo(0xdead_0000L);
        assertThat(f.maskedKeyWord(1)).isEqualTo(9);
        assertThat(f.inPort()).isEqualTo(3);

        assertThat(f.matches(key(99, 0xdead_1111L, 1, 9))).isTrue();
        assertThat(f.matches(key(0x1234, 0xdeaf_beefL, 7, 9))).isFalse();
        assertThat(f.matches(key(0x1234, 0xdead_beefL, 7, 8))).isFalse();
    }

    /** Every option word the mask has is compared, the first as the rest; none: any options match. */
    @Test
    void tunnelMetadataMatchesOnEveryOptionWordOfTheMask() {
        FlowKey k = key(1, 2, 3, 4);
        long[] w = k.words();
        w[FlowKey.TUN_METADATA_WORD] = 0x0102_8001_0001_0002L;
        w[FlowKey.TUN_METADATA_WORD + 1] = 0xffff_0201_0000_0007L;
        w[FlowKey.TUN_METADATA_WORD + 3] = 0x1234L;
        FlowMask m = mask(-1L, 0, 0, 0);
        m.words()[FlowKey.TUN_METADATA_WORD] = -1L;
        m.words()[FlowKey.TUN_METADATA_WORD + 1] = 0xffff_ffff_0000_ffffL;
        m.words()[FlowKey.TUN_METADATA_WORD + 3] = 0xff00L;
        Megaflow f = new Megaflow(k, m, Flows.actions(), 0);
        assertThat(f.matchesTunnelMetadata(k.copy().words())).isTrue();
        for (int[] change : new int[][] {{0, 0}, {1, 0}, {3, 8}}) {
            FlowKey other = k.copy();
            other.words()[FlowKey.TUN_METADATA_WORD + change[0]] ^= 1L << change[1];
            assertThat(f.matchesTunnelMetadata(other.words())).as("word %d bit %d", change[0], change[1]).isFalse();
        }
        FlowKey masked = k.copy();
        masked.words()[FlowKey.TUN_METADATA_WORD + 1] ^= 0x1234_0000L;
        masked.words()[FlowKey.TUN_METADATA_WORD + 2] = 99;
        assertThat(f.matchesTunnelMetadata(masked.words())).isTrue();

        Megaflow noOptions = new Megaflow(k, mask(-1L, 0, 0, 0), Flows.actions(), 0);
        assertThat(noOptions.matchesTunnelMetadata(masked.words())).isTrue();
        FlowMask onlySecond = mask(-1L, 0, 0, 0);
        onlySecond.words()[FlowKey.TUN_METADATA_WORD + 1] = -1L;
        Megaflow second = new Megaflow(k, onlySecond, Flows.actions(), 0);
        assertThat(second.matchesTunnelMetadata(k.words())).isTrue();
        assertThat(second.matchesTunnelMetadata(masked.words())).isFalse();
    }

    @Test
    void emptyMaskMatchesEverything() {
        Megaflow f = new Megaflow(key(1, 2, 3), new FlowMask(), null, 0);
        assertThat(f.maskWordCount()).isZero();
        assertThat(f.matches(Flows.randomKey(new Random(1)))).isTrue();
    }

    @Test
    void copiesOutTheMaskedKeyAndMask() {
        Megaflow f = new Megaflow(key(0xff, 0xabcd), mask(0x0f, 0xff00), null, 0);
        FlowKey k = Flows.randomKey(new Random(2));
        FlowMask m = Flows.mask(-1L, -1L, -1L);
        f.copyMaskedKeyTo(k);
        f.copyMaskTo(m);
        long[] expectedKey = new long[FlowKey.ALL_WORDS];
        expectedKey[0] = 0x0f;
        expectedKey[1] = 0xab00;
        long[] expectedMask = new long[FlowKey.ALL_WORDS];
        expectedMask[0] = 0x0f;
        expectedMask[1] = 0xff00;
        assertThat(k.words()).containsExactly(expectedKey);
        assertThat(m.words()).containsExactly(expectedMask);
    }

    @Test
    void doesNotKeepTheCallersArrays() {
        FlowKey k = key(5);
        FlowMask m = mask(-1L);
        Megaflow f = new Megaflow(k, m, null, 0);
        k.words()[0] = 6;
        m.words()[0] = 0;
        assertThat(f.matches(key(5))).isTrue();
        assertThat(f.matches(key(6))).isFalse();
    }

    @Test
    void ufidDependsOnlyOnTheMaskedKeyAndMask() {
        Megaflow a = new Megaflow(key(0x1111, 0x22ff), mask(0, 0xff00), Flows.actions(), 1, 0, 100);
        Megaflow b = new Megaflow(key(0x9999, 0x2200), mask(0, 0xff00), Flows.actions(), 2, 1, 200);
        Megaflow otherValue = new Megaflow(key(0x1111, 0x23ff), mask(0, 0xff00), null, 1);
        Megaflow otherMask = new Megaflow(key(0x1111, 0x22ff), mask(0, 0xffff), null, 1);
        Megaflow sameValueOtherMask = new Megaflow(key(0, 0x2200), mask(0, 0xfff0), null, 1);

        assertThat(a.hasUfid(b.ufidHi(), b.ufidLo())).isTrue();
        assertThat(a.ufidString()).isEqualTo(b.ufidString());
        assertThat(a.sameMatch(b)).isTrue();
        assertThat(a.ufidString()).isNotEqualTo(otherValue.ufidString());
        assertThat(a.ufidString()).isNotEqualTo(otherMask.ufidString());
        assertThat(a.ufidString()).isNotEqualTo(sameValueOtherMask.ufidString());
        assertThat(a.sameMask(otherValue)).isTrue();
        assertThat(a.sameMask(otherMask)).isFalse();
    }

    @Test
    void ufidStringHasOvsFormat() {
        assertThat(Megaflow.formatUfid(0x0123_4567_89ab_cdefL, 0xfedc_ba98_7654_3210L))
            .isEqualTo("ufid:01234567-89ab-cdef-fedc-ba9876543210");
        assertThat(Megaflow.formatUfid(0, 1)).isEqualTo("ufid:00000000-0000-0000-0000-000000000001");
        Megaflow f = new Megaflow(key(1), mask(-1L), null, 0);
        assertThat(f.ufidString()).matches("ufid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(f.ufidString()).isEqualTo(Megaflow.formatUfid(f.ufidHi(), f.ufidLo()));
    }

    @Test
    void ufidsOfManyRandomFlowsAreDistinct() {
        Random random = new Random(42);
        Set<String> matches = new HashSet<>();
        Set<String> ufids = new HashSet<>();
        Set<Long> his = new HashSet<>();
        Set<Long> los = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            // Few masks, small values: the structured inputs a real flow table has.
            FlowMask m = Flows.maskAt(random.nextInt(4), random.nextBoolean() ? -1L : 0xffff_ffffL);
            m.words()[4 + random.nextInt(3)] = 0xffffL << (16 * random.nextInt(4));
            FlowKey k = Flows.key(i, i >>> 3, i * 31L, random.nextInt(256), random.nextLong(), random.nextLong(), random.nextLong());
            Megaflow f = new Megaflow(k, m, null, 0);
            FlowKey masked = new FlowKey();
            f.copyMaskedKeyTo(masked);
            matches.add(java.util.Arrays.toString(m.words()) + java.util.Arrays.toString(masked.words()));
            ufids.add(f.ufidString());
            his.add(f.ufidHi());
            los.add(f.ufidLo());
        }
        assertThat(matches.size()).isGreaterThan(90_000);
        assertThat(ufids).hasSameSizeAs(matches);
        assertThat(his).hasSameSizeAs(matches);
        assertThat(los).hasSameSizeAs(matches);
    }

    @Test
    void ufidsAreDistinctExactlyWhenMatchesAre() {
        Random random = new Random(7);
        java.util.Map<String, Megaflow> byUfid = new java.util.HashMap<>();
        for (int i = 0; i < 50_000; i++) {
            FlowMask m = Flows.mask(random.nextInt(4) == 0 ? 0 : 0xffL, 0xf0L << random.nextInt(3));
            Megaflow f = new Megaflow(Flows.key(random.nextInt(300), random.nextInt(300)), m, null, 0);
            Megaflow prev = byUfid.putIfAbsent(f.ufidString(), f);
            if (prev != null) {
                assertThat(prev.sameMatch(f)).as("ufid collision between different matches").isTrue();
            }
        }
    }

    @Test
    void statsAccumulateAndFlagsOr() {
        Megaflow f = new Megaflow(key(1), mask(-1L), null, 0);
        assertThat(f.usedMs()).isZero();
        assertThat(f.packets()).isZero();
        f.onHit(3, 180, 1000, 0x02);
        f.onHit(2, 3000, 1005, 0x10);
        f.onHit(1, 60, 1010, 0);
        assertThat(f.packets()).isEqualTo(6);
        assertThat(f.bytes()).isEqualTo(3240);
        assertThat(f.usedMs()).isEqualTo(1010);
        assertThat(f.tcpFlags()).isEqualTo(0x12);
    }

    @Test
    void actionsAndDeadFlag() {
        DpActions first = Flows.actions();
        DpActions second = Flows.actions();
        Megaflow f = new Megaflow(key(1), mask(-1L), first, 4, 2, 1234);
        assertThat(f.actions()).isSameAs(first);
        f.actions(second);
        assertThat(f.actions()).isSameAs(second);
        assertThat(f.ownerPmd()).isEqualTo(2);
        assertThat(f.createdMs()).isEqualTo(1234);
        assertThat(f.isDead()).isFalse();
        f.markDead();
        assertThat(f.isDead()).isTrue();
        assertThat(f.toString()).contains("dead").contains(f.ufidString());
    }

    @Test
    void rejectsNullKeyOrMask() {
        assertThatThrownBy(() -> new Megaflow(null, mask(-1L), null, 0)).hasMessageContaining("key");
        assertThatThrownBy(() -> new Megaflow(key(1), null, null, 0)).hasMessageContaining("mask");
    }

    @Test
    void readerOnAnotherThreadSeesMonotonicStatsAndTheFinalValues() throws Exception {
        Megaflow f = new Megaflow(key(1), mask(-1L), null, 0);
        int batches = 200_000;
        AtomicReference<String> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            long lastPackets = 0;
            long lastBytes = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (lastPackets < batches * 2L && System.nanoTime() < deadline) {
                long p = f.packets();
                long b = f.bytes();
                if (p < lastPackets || b < lastBytes || p % 2 != 0 || b % 0x1_0000_0001L != 0) {
                    failure.set("packets " + lastPackets + " -> " + p + ", bytes " + lastBytes + " -> " + b);
                    return;
                }
                lastPackets = p;
                lastBytes = b;
            }
        });
        reader.start();
        for (int i = 1; i <= batches; i++) {
            // Bytes cross 2^32 so that a torn 64-bit load would show as a non-multiple.
            f.onHit(2, 0x1_0000_0001L, i, 0);
        }
        reader.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(reader.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
        assertThat(f.packets()).isEqualTo(batches * 2L);
        assertThat(f.usedMs()).isEqualTo(batches);
    }
}
