package dev.jvswitch.bench.traffic;

import org.agrona.MutableDirectBuffer;

/**
 * The traffic of {@code pktgen} and the throughput search: {@code flows} flows in turn (frame
 * {@code k} is flow {@code k % flows}), each frame from one {@link FrameTemplate} with its flow's
 * next sequence number and the send time in its {@link PayloadStamp}. Counts what it sent per flow,
 * which is what a receiver's loss is measured against.
 *
 * <p><b>Thread-safety:</b> as {@link FrameSource}.
 */
public final class StampedFlows implements FrameSource {
    private final FrameTemplate template;
    private final int tag;
    private final int[] sent;
    private int next;

    /**
     * @param tag the run's stamp tag, 1..255 ({@link PayloadStamp})
     */
    public StampedFlows(FrameTemplate template, int flows, int tag) {
        if (flows < 1 || flows > PayloadStamp.MAX_FLOWS) {
            throw new IllegalArgumentException("flows must be within 1.." + PayloadStamp.MAX_FLOWS + ", got " + flows);
        }
        if (tag < 1 || tag > 255) {
            throw new IllegalArgumentException("tag must be within 1..255, got " + tag);
        }
        this.template = template;
        this.tag = tag;
        this.sent = new int[flows];
    }

    @Override
    public int write(MutableDirectBuffer b, int at, long nowNs) {
        template.write(b, at, next, tag, sent[next] & 0xffff_ffffL, nowNs);
        return template.length();
    }

    @Override
    public void commit() {
        sent[next]++;
        next = next + 1 == sent.length ? 0 : next + 1;
    }

    public int tag() {
        return tag;
    }

    public int flows() {
        return sent.length;
    }

    /** Frames of flow {@code flow} sent (modulo 2^32, as the stamp's sequence numbers). */
    public long sent(int flow) {
        return sent[flow] & 0xffff_ffffL;
    }

    /** Frames sent, all flows. */
    public long sentTotal() {
        long total = 0;
        for (int s : sent) {
            total += s & 0xffff_ffffL;
        }
        return total;
    }
}
