package dev.jvswitch.pmd.mirror;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.PacketBatch;

/**
 * Where PMDs copy the packets a mirror captures: an off-heap many-to-one ring of variable-length
 * records (Agrona's {@link ManyToOneRingBuffer}: a claim is a CAS on the tail, no object per
 * record), drained by one other thread.
 *
 * <pre>
 *  record (after the ring's own 8-byte header):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 time (System.nanoTime, 64 bits)               |
 *  +---------------------------------------------------------------+
 *  |                 original length of the frame                  |
 *  +---------------------------------------------------------------+
 *  |             the first min(length, snaplen) bytes ...          |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Never waits, never allocates:</b> {@link #copy} checks the rate bound (a one-second window
 * of at most {@code maxPps} copies), claims ring space, copies the bytes and commits; a copy the
 * window or the ring has no room for is counted ({@link #droppedRate()}, {@link #droppedFull()})
 * and the packet goes on its way as if there were no mirror. The PMD's own packet is never
 * touched or held.
 *
 * <p><b>Thread-safety:</b> any number of PMDs call {@link #copy} (the ring's claim is a CAS; the
 * window and counters are atomics); one consumer thread calls {@link #drain}. The byte order of
 * the record fields is the machine's (both ends are this process).
 */
public final class PacketTap {
    /** The record type in the ring (Agrona wants a positive id). */
    static final int MSG_FRAME = 1;
    static final int TIME_OFFSET = 0;
    static final int LENGTH_OFFSET = 8;
    static final int DATA_OFFSET = 12;
    private static final long WINDOW_NS = 1_000_000_000L;

    /** What a consumer gets per record. */
    public interface Sink {
        /**
         * One copied frame: {@code captured} bytes of it at {@code offset} in {@code buffer} (valid
         * only during the call), {@code length} its length on the wire, {@code nanoTime} when the
         * PMD saw it.
         */
        void onFrame(long nanoTime, int length, DirectBuffer buffer, int offset, int captured);
    }

    private final ManyToOneRingBuffer ring;
    private final UnsafeBuffer ringBuffer;
    private final int snaplen;
    private final long maxPps;
    private final AtomicLong windowStartNs = new AtomicLong();
    private final AtomicLong windowCount = new AtomicLong();
    private final AtomicLong copied = new AtomicLong();
    private final AtomicLong droppedFull = new AtomicLong();
    private final AtomicLong droppedRate = new AtomicLong();
    private Sink sink;
    private final MessageHandler handler = this::onMessage;

    /**
     * @param ringBytes ring capacity, a power of two at least 64 KiB (the records of one second at
     *                  the rate bound should fit, or a slow writer shows as {@code droppedFull})
     * @param snaplen   bytes kept of each frame, 14..65535
     * @param maxPps    copies per second at most (0: no bound but the ring)
     */
    public PacketTap(int ringBytes, int snaplen, long maxPps) {
        if (Integer.bitCount(ringBytes) != 1 || ringBytes < (1 << 16)) {
            throw new IllegalArgumentException("ring size must be a power of two of at least 64 KiB, got " + ringBytes);
        }
        if (snaplen < 14 || snaplen > 65_535) {
            throw new IllegalArgumentException("snaplen must be within 14..65535, got " + snaplen);
        }
        if (maxPps < 0) {
            throw new IllegalArgumentException("max-pps must be 0 (no bound) or more, got " + maxPps);
        }
        this.ringBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(ringBytes + RingBufferDescriptor.TRAILER_LENGTH));
        this.ring = new ManyToOneRingBuffer(ringBuffer);
        this.snaplen = Math.min(snaplen, ring.maxMsgLength() - DATA_OFFSET);
        this.maxPps = maxPps;
    }

    public int snaplen() {
        return snaplen;
    }

    /**
     * PMD: copies the first {@code n} packets of {@code batch} (left as they are). Once one is
     * refused (over the rate, or the ring full) the rest of the batch is counted the same way at
     * once: a flood costs a counter update per batch, not per packet.
     */
    public void copy(PacketBatch batch, int n) {
        long now = System.nanoTime();
        int copiedNow = 0;
        for (int i = 0; i < n; i++) {
            int r = offer(batch.get(i), now);
            if (r == COPIED) {
                copiedNow++;
            } else {
                (r == OVER_RATE ? droppedRate : droppedFull).addAndGet(n - i);
                break;
            }
        }
        if (copiedNow > 0) {
            copied.addAndGet(copiedNow);
        }
    }

    /** PMD: copies {@code m} (left as it is), or counts why not. */
    public void copy(Mbuf m, long nowNs) {
        int r = offer(m, nowNs);
        (r == COPIED ? copied : r == OVER_RATE ? droppedRate : droppedFull).incrementAndGet();
    }

    private static final int COPIED = 0;
    private static final int OVER_RATE = 1;
    private static final int RING_FULL = 2;

    private int offer(Mbuf m, long nowNs) {
        if (maxPps > 0 && !admit(nowNs)) {
            return OVER_RATE;
        }
        int length = m.length();
        int captured = Math.min(length, snaplen);
        int index = ring.tryClaim(MSG_FRAME, DATA_OFFSET + captured);
        if (index <= 0) {
            return RING_FULL;
        }
        ringBuffer.putLong(index + TIME_OFFSET, nowNs);
        ringBuffer.putInt(index + LENGTH_OFFSET, length);
        ringBuffer.putBytes(index + DATA_OFFSET, m.buffer(), m.dataOffset(), captured);
        ring.commit(index);
        return COPIED;
    }

    /** The rate window: a copy is admitted while the current second has seen fewer than maxPps. */
    private boolean admit(long nowNs) {
        long start = windowStartNs.get();
        if (nowNs - start >= WINDOW_NS && windowStartNs.compareAndSet(start, nowNs)) {
            windowCount.set(0);
        }
        return windowCount.incrementAndGet() <= maxPps;
    }

    /** Consumer: hands up to {@code limit} records to {@code sink}; returns how many. */
    public int drain(Sink sink, int limit) {
        this.sink = sink;
        return ring.read(handler, limit);
    }

    private void onMessage(int type, org.agrona.MutableDirectBuffer buffer, int index, int length) {
        sink.onFrame(buffer.getLong(index + TIME_OFFSET), buffer.getInt(index + LENGTH_OFFSET), buffer,
                index + DATA_OFFSET, length - DATA_OFFSET);
    }

    /** Copies made. */
    public long copied() {
        return copied.get();
    }

    /** Copies not made: the ring was full (the writer did not keep up). */
    public long droppedFull() {
        return droppedFull.get();
    }

    /** Copies not made: over the rate bound. */
    public long droppedRate() {
        return droppedRate.get();
    }
}
