package dev.jvswitch.bench.traffic;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The 16 bytes a generated frame carries at its very end, inside the UDP payload, so that a
 * receiver can tell which flow and which frame of it arrived, and when it was sent:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |      tag      |                 flow (24 bits)                |
 *  +---------------+-----------------------------------------------+
 *  |                   sequence in the flow (32 bits)              |
 *  +---------------------------------------------------------------+
 *  |                                                               |
 *  +          send time: System.nanoTime() (64 bits)               +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Big-endian. The tag is a non-zero byte chosen per run (per trial of a search), so a receiver
 * ignores frames of an earlier run still in flight. At the end rather than right after the UDP
 * header: a switch that adds or removes headers in front (a VLAN tag, a tunnel) moves the
 * stamp's offset from the start but not from the end. The send time is the generator's
 * {@code System.nanoTime()}; the receiver runs in the same JVM, so the difference is a one-way
 * latency on one clock.
 */
public final class PayloadStamp {
    public static final int LENGTH = 16;
    public static final int MAX_FLOWS = 1 << 24;
    static final int TAG_FLOW_OFFSET = 0;
    static final int SEQ_OFFSET = 4;
    static final int TIME_OFFSET = 8;

    private PayloadStamp() {
    }

    /** Where the stamp of a frame of {@code frameLength} bytes starts, relative to the frame. */
    public static int offsetIn(int frameLength) {
        return frameLength - LENGTH;
    }

    /** Writes a stamp at {@code at}. */
    public static void write(MutableDirectBuffer b, int at, int tag, int flow, long seq, long sendNs) {
        b.putInt(at + TAG_FLOW_OFFSET, (tag << 24) | (flow & (MAX_FLOWS - 1)), ByteOrder.BIG_ENDIAN);
        b.putInt(at + SEQ_OFFSET, (int) seq, ByteOrder.BIG_ENDIAN);
        b.putLong(at + TIME_OFFSET, sendNs, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Whether the frame of {@code frameLength} bytes at {@code frameAt} ends in a stamp of run
     * {@code tag}: long enough to hold one after the shortest UDP headers, and the tag matches.
     */
    public static boolean matches(DirectBuffer b, int frameAt, int frameLength, int tag) {
        return frameLength >= FrameTemplate.MIN_HEADER_BYTES + LENGTH
                && (b.getByte(frameAt + offsetIn(frameLength) + TAG_FLOW_OFFSET) & 0xff) == tag;
    }

    /** The flow of the stamp at {@code at}. */
    public static int flow(DirectBuffer b, int at) {
        return b.getInt(at + TAG_FLOW_OFFSET, ByteOrder.BIG_ENDIAN) & (MAX_FLOWS - 1);
    }

    /** The frame's sequence number in its flow, 0 to 2^32 - 1. */
    public static long seq(DirectBuffer b, int at) {
        return b.getInt(at + SEQ_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff_ffffL;
    }

    /** The generator's {@code System.nanoTime()} when it wrote the frame. */
    public static long sendNs(DirectBuffer b, int at) {
        return b.getLong(at + TIME_OFFSET, ByteOrder.BIG_ENDIAN);
    }
}
