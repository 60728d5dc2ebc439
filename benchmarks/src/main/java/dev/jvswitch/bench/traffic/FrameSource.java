package dev.jvswitch.bench.traffic;

import org.agrona.MutableDirectBuffer;

/**
 * What a generator ({@link PacedUdpLoad}) sends, one frame at a time. A frame is written, offered
 * to the transmit ring, and only {@link #commit() committed} once the ring took it: a frame the
 * ring had no room for is written again (with a fresh send time) and offered later, so a full ring
 * never shows up as a gap in a flow's sequence.
 *
 * <p><b>Thread-safety:</b> used by the sending thread only while it runs; read by others after
 * it stopped (the generator's join orders the two).
 */
public interface FrameSource {
    /** Writes the next frame at {@code at} in {@code b}, sent at {@code nowNs}; returns its length. */
    int write(MutableDirectBuffer b, int at, long nowNs);

    /** The frame last written was sent: move on to the next. */
    void commit();

    /** Prepared frames sent in turn, unchanged: a background load that needs no stamps. */
    static FrameSource cycling(byte[][] frames) {
        byte[][] copy = frames.clone();
        if (copy.length == 0) {
            throw new IllegalArgumentException("no frames to send");
        }
        return new FrameSource() {
            private int next;

            @Override
            public int write(MutableDirectBuffer b, int at, long nowNs) {
                byte[] f = copy[next];
                b.putBytes(at, f);
                return f.length;
            }

            @Override
            public void commit() {
                next = next + 1 == copy.length ? 0 : next + 1;
            }
        };
    }
}
