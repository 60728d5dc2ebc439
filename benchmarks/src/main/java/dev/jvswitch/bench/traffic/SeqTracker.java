package dev.jvswitch.bench.traffic;

/**
 * Per-flow sequence accounting of a receiver: which frames of each flow arrived, in order, late
 * (after a later one: reordered) or twice (duplicated), and which are still missing.
 *
 * <p>Each flow keeps the next sequence number it expects (one past the highest seen) and a
 * 64-frame window below it, one bit per frame, set when that frame arrived. A frame above the
 * expected one opens a gap (the frames skipped count as missing for now); a frame inside the
 * window whose bit is clear fills a gap (reordered; one fewer missing); one whose bit is set is a
 * duplicate. A frame older than the window is counted as reordered and fills a gap: a duplicate
 * that late cannot be told apart, and a switch that holds a frame back 64 frames of its flow is
 * reported as reordering either way. Frames that never came at the end of a run are not gaps the
 * receiver could see; {@link #lost(StampedFlows)} counts them against what the generator sent.
 *
 * <p>Sequence numbers are 32-bit (the stamp's); a flow would have to carry 2^32 frames in one run
 * for them to wrap.
 *
 * <p><b>Thread-safety:</b> one writer (the receiving thread); read after it stopped.
 */
public final class SeqTracker {
    private static final int WINDOW = 64;

    private final long[] expected;
    private final long[] window;
    private final long[] unique;
    private final long[] reorderedPerFlow;
    private final long[] duplicatedPerFlow;
    private long received;
    private long reordered;
    private long duplicated;
    private long gaps;

    public SeqTracker(int flows) {
        expected = new long[flows];
        window = new long[flows];
        unique = new long[flows];
        reorderedPerFlow = new long[flows];
        duplicatedPerFlow = new long[flows];
    }

    public int flows() {
        return expected.length;
    }

    /** Accounts one frame; a flow number out of range is the caller's to reject. */
    public void onFrame(int flow, long seq) {
        received++;
        long next = expected[flow];
        if (seq >= next) {
            long skip = seq - next;
            gaps += skip;
            // Shift the window up so that bit 0 stands for seq; frames skipped get clear bits.
            long w = skip + 1 >= WINDOW ? 0 : window[flow] << (skip + 1);
            window[flow] = w | 1L;
            expected[flow] = seq + 1;
            unique[flow]++;
            return;
        }
        long behind = next - 1 - seq;
        if (behind < WINDOW) {
            long bit = 1L << behind;
            if ((window[flow] & bit) != 0) {
                duplicated++;
                duplicatedPerFlow[flow]++;
                return;
            }
            window[flow] |= bit;
        }
        reordered++;
        reorderedPerFlow[flow]++;
        gaps--;
        unique[flow]++;
    }

    /** Frames received, duplicates included. */
    public long received() {
        return received;
    }

    /** Distinct frames received. */
    public long uniqueReceived() {
        return received - duplicated;
    }

    /** Distinct frames of {@code flow} received. */
    public long uniqueReceived(int flow) {
        return unique[flow];
    }

    /** Frames of {@code flow} that came after a later one. */
    public long reordered(int flow) {
        return reorderedPerFlow[flow];
    }

    /** Frames of {@code flow} that came again. */
    public long duplicated(int flow) {
        return duplicatedPerFlow[flow];
    }

    public long reordered() {
        return reordered;
    }

    public long duplicated() {
        return duplicated;
    }

    /** Frames missing so far between the first and the last frame seen of each flow. */
    public long gaps() {
        return gaps;
    }

    /** Frames {@code sent} sent that never arrived (never negative). */
    public long lost(StampedFlows sent) {
        long lost = 0;
        int n = Math.min(sent.flows(), expected.length);
        for (int f = 0; f < n; f++) {
            lost += Math.max(0, sent.sent(f) - unique[f]);
        }
        return lost;
    }

    /** Flows that lost at least one frame of what {@code sent} sent. */
    public int flowsWithLoss(StampedFlows sent) {
        int flows = 0;
        int n = Math.min(sent.flows(), expected.length);
        for (int f = 0; f < n; f++) {
            if (sent.sent(f) > unique[f]) {
                flows++;
            }
        }
        return flows;
    }
}
