package dev.jvswitch.bench.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Sequence accounting: loss, reordering and duplicates per flow. */
class SeqTrackerTest {
    private static StampedFlows sent(int flows, int perFlow) {
        StampedFlows s = new StampedFlows(new FrameTemplate(new FrameTemplate.FrameSpec(64, false, -1, -1, 1, 2,
                "10.1.0.1")), flows, 1);
        for (int i = 0; i < flows * perFlow; i++) {
            s.commit();
        }
        return s;
    }

    @Test
    void inOrderFramesAreNeitherLostNorReordered() {
        SeqTracker t = new SeqTracker(2);
        for (int seq = 0; seq < 100; seq++) {
            t.onFrame(0, seq);
            t.onFrame(1, seq);
        }
        assertThat(t.received()).isEqualTo(200);
        assertThat(t.reordered()).isZero();
        assertThat(t.duplicated()).isZero();
        assertThat(t.gaps()).isZero();
        assertThat(t.lost(sent(2, 100))).isZero();
    }

    @Test
    void aMissingFrameIsLostAndTheTailAgainstWhatWasSent() {
        SeqTracker t = new SeqTracker(1);
        for (int seq : new int[] {0, 1, 3, 4, 5}) {
            t.onFrame(0, seq);
        }
        assertThat(t.gaps()).isEqualTo(1);
        // 8 sent: seq 2 missing in the middle, 6 and 7 at the end.
        assertThat(t.lost(sent(1, 8))).isEqualTo(3);
        assertThat(t.flowsWithLoss(sent(1, 8))).isEqualTo(1);
        assertThat(t.reordered()).isZero();
    }

    @Test
    void aLateFrameIsReorderedNotLost() {
        SeqTracker t = new SeqTracker(1);
        for (int seq : new int[] {0, 2, 3, 1, 4}) {
            t.onFrame(0, seq);
        }
        assertThat(t.reordered()).isEqualTo(1);
        assertThat(t.reordered(0)).isEqualTo(1);
        assertThat(t.gaps()).isZero();
        assertThat(t.lost(sent(1, 5))).isZero();
    }

    @Test
    void aFrameSeenTwiceIsADuplicateWhetherItWasInOrderOrLate() {
        SeqTracker t = new SeqTracker(1);
        for (int seq : new int[] {0, 1, 1, 3, 2, 2, 3}) {
            t.onFrame(0, seq);
        }
        assertThat(t.duplicated()).isEqualTo(3);
        assertThat(t.duplicated(0)).isEqualTo(3);
        assertThat(t.reordered()).isEqualTo(1);
        assertThat(t.uniqueReceived()).isEqualTo(4);
        assertThat(t.lost(sent(1, 4))).isZero();
    }

    @Test
    void flowsAreAccountedApart() {
        SeqTracker t = new SeqTracker(3);
        t.onFrame(0, 0);
        t.onFrame(1, 1);
        t.onFrame(2, 0);
        t.onFrame(2, 0);
        assertThat(t.uniqueReceived(0)).isEqualTo(1);
        assertThat(t.uniqueReceived(1)).isEqualTo(1);
        assertThat(t.uniqueReceived(2)).isEqualTo(1);
        assertThat(t.duplicated(2)).isEqualTo(1);
        assertThat(t.gaps()).isEqualTo(1);
        // Two sent per flow: flow 1's first and the others' second never came.
        assertThat(t.lost(sent(3, 2))).isEqualTo(3);
    }

    @Test
    void aShuffledAndThinnedStreamAddsUp() {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            int n = 1 + random.nextInt(500);
            List<Integer> seqs = new ArrayList<>();
            int dropped = 0;
            for (int i = 0; i < n; i++) {
                if (random.nextInt(10) == 0) {
                    dropped++;
                } else {
                    seqs.add(i);
                }
            }
            // Local shuffles within 8 places: reordering a switch could do.
            for (int i = 0; i + 8 <= seqs.size(); i += 8) {
                Collections.shuffle(seqs.subList(i, i + 8), random);
            }
            SeqTracker t = new SeqTracker(1);
            seqs.forEach(s -> t.onFrame(0, s));
            assertThat(t.lost(sent(1, n))).isEqualTo(dropped);
            assertThat(t.duplicated()).isZero();
            assertThat(t.uniqueReceived()).isEqualTo(n - dropped);
        }
    }
}
