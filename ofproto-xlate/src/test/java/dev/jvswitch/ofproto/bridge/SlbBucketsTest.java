package dev.jvswitch.ofproto.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * The buckets of a balance-slb bond: assignment on first use and after a member goes down, and
 * OVS's rebalancing rules (thresholds, the one-bucket rule, heaviest-that-fit first, halving).
 */
class SlbBucketsTest {
    private static final int[] MEMBERS = {4, 7};
    private static final long BOTH = 0b11;

    private static int[] moved() {
        int[] m = new int[SlbBuckets.BUCKETS];
        Arrays.fill(m, -1);
        return m;
    }

    private static long load(SlbBuckets s, int member) {
        long sum = 0;
        for (int b = 0; b < SlbBuckets.BUCKETS; b++) {
            if (s.member(b) == member) {
                sum += s.txBytes(b);
            }
        }
        return sum;
    }

    @Test
    void aBucketKeepsItsMemberUntilThatMemberIsNoLongerLive() {
        SlbBuckets s = new SlbBuckets();
        assertThat(s.member(5)).isEqualTo(SlbBuckets.UNASSIGNED);
        assertThat(s.choose(5, MEMBERS, BOTH)).as("bucket 5 of 2 live members: the second").isEqualTo(7);
        assertThat(s.choose(6, MEMBERS, BOTH)).isEqualTo(4);
        assertThat(s.choose(5, MEMBERS, 0b01)).as("7 went down").isEqualTo(4);
        assertThat(s.choose(5, MEMBERS, BOTH)).as("7 came back: no failback").isEqualTo(4);
        assertThat(s.member(5)).isEqualTo(4);
    }

    @Test
    void theHeaviestBucketsThatFitInHalfTheDifferenceMoveToTheLeastLoadedMember() {
        SlbBuckets s = new SlbBuckets();
        // Everything on member 4: 400k, 300k, 200k, 100k; member 7 carries nothing.
        long[] bytes = {400_000, 300_000, 200_000, 100_000};
        for (int b = 0; b < bytes.length; b++) {
            s.choose(b, MEMBERS, 0b01);
            s.account(b, bytes[b]);
        }
        int[] moved = moved();
        int n = s.rebalance(new int[] {4, 7}, moved);
        // Ideal: 500k each. 400k fits (delta 400k <= 500k), 300k does not, then 100k fits: 500k moved.
        assertThat(n).isEqualTo(2);
        assertThat(moved[0]).isEqualTo(7);
        assertThat(moved[3]).isEqualTo(7);
        assertThat(moved[1]).isEqualTo(-1);
        assertThat(s.member(0)).isEqualTo(7);
        assertThat(s.member(1)).isEqualTo(4);
        // The counts were halved after the run: 250k on each side.
        assertThat(load(s, 4)).isEqualTo(250_000);
        assertThat(load(s, 7)).isEqualTo(250_000);
    }

    @Test
    void noMoveForASmallImbalanceOrASingleBucketOrASingleLiveMember() {
        SlbBuckets small = new SlbBuckets();
        small.choose(0, MEMBERS, 0b01);
        small.choose(1, MEMBERS, 0b01);
        small.account(0, 50_000);
        small.account(1, 40_000);
        assertThat(small.rebalance(new int[] {4, 7}, moved())).as("under 100000 bytes of overload").isZero();

        SlbBuckets single = new SlbBuckets();
        single.choose(0, MEMBERS, 0b01);
        single.account(0, 5_000_000);
        assertThat(single.rebalance(new int[] {4, 7}, moved())).as("one bucket: moving it moves the imbalance")
                .isZero();
        assertThat(single.member(0)).isEqualTo(4);
        assertThat(single.txBytes(0)).isEqualTo(2_500_000);

        SlbBuckets alone = new SlbBuckets();
        alone.choose(0, MEMBERS, 0b01);
        alone.choose(1, MEMBERS, 0b01);
        alone.account(0, 1_000_000);
        alone.account(1, 1_000_000);
        assertThat(alone.rebalance(new int[] {4}, moved())).isZero();
    }

    @Test
    void aBucketHeavierThanHalfTheDifferenceMovesOnlyIfTheLowSideGetsCloserToTheMean() {
        SlbBuckets s = new SlbBuckets();
        // 4: 900k + 900k; 7: 1000k. Mean 1400k, ideal delta 400k: no bucket fits, the lightest
        // of 4 (900k) would leave 4 at 900k and 7 at 1900k: the low side goes from 1000k to 900k.
        s.choose(0, MEMBERS, 0b01);
        s.choose(2, MEMBERS, 0b01);
        s.choose(1, MEMBERS, 0b10);
        s.account(0, 900_000);
        s.account(2, 900_000);
        s.account(1, 1_000_000);
        assertThat(s.rebalance(new int[] {4, 7}, moved())).isZero();

        // 4: 1500k + 100k + 100k, 7: 100k: the 1500k bucket does not fit in half the difference.
        SlbBuckets t = new SlbBuckets();
        t.choose(0, MEMBERS, 0b01);
        t.choose(2, MEMBERS, 0b01);
        t.choose(4, MEMBERS, 0b01);
        t.choose(1, MEMBERS, 0b10);
        t.account(0, 1_500_000);
        t.account(2, 100_000);
        t.account(4, 100_000);
        t.account(1, 100_000);
        int[] moved = moved();
        // Ideal delta (1800k)/2 - 100k = 800k; 1500k does not fit; 100k + 100k fit (200k); threshold 80k:
        // the low side rises from 100k to 300k, by more than 80k: both move.
        assertThat(t.rebalance(new int[] {4, 7}, moved)).isEqualTo(2);
        assertThat(moved[2]).isEqualTo(7);
        assertThat(moved[4]).isEqualTo(7);
        assertThat(t.member(0)).isEqualTo(4);
    }

    @Test
    void theFirstDueCheckOnlySchedules() {
        SlbBuckets s = new SlbBuckets();
        assertThat(s.due(5_000, 1_000)).isFalse();
        assertThat(s.nextRebalanceMs()).isEqualTo(6_000);
        assertThat(s.due(5_999, 1_000)).isFalse();
        assertThat(s.due(6_000, 1_000)).isTrue();
        assertThat(s.nextRebalanceMs()).isEqualTo(7_000);
    }

    @Test
    void aBondKeepsItsBucketsAcrossAReconfigurationForMembersThatRemain() {
        Bond old = new Bond("b", Bond.Mode.BALANCE_SLB, new int[] {4, 7}, Bond.NONE, 2_000);
        old.slbMember(0, 0b01);
        old.slbMember(1, 0b10);
        old.buckets().account(1, 123);
        Bond next = new Bond("b", Bond.Mode.BALANCE_SLB, new int[] {4, 9}, Bond.NONE, 2_000);
        next.carryFrom(old);
        assertThat(next.buckets().member(0)).isEqualTo(4);
        assertThat(next.buckets().member(1)).as("7 left the bond").isEqualTo(SlbBuckets.UNASSIGNED);
        assertThat(next.buckets().txBytes(1)).isEqualTo(123);
        assertThat(new Bond("b", Bond.Mode.BALANCE_SLB, new int[] {4}, Bond.NONE, 10).rebalanceIntervalMs())
                .as("OVS's least interval").isEqualTo(Bond.MIN_REBALANCE_INTERVAL_MS);
        assertThat(new Bond("b", Bond.Mode.BALANCE_SLB, new int[] {4}, Bond.NONE, 0).balanced()).isFalse();
        assertThat(new Bond("b", Bond.Mode.ACTIVE_BACKUP, new int[] {4}, Bond.NONE).buckets()).isNull();
    }
}
