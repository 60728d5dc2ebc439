package dev.jvswitch.pmd.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes Ethernet frames to a classic pcap file (see {@link PcapFormat}) through one buffer
 * allocated at open, so that writing a frame allocates nothing: the pcap port writes from a PMD
 * thread, and the traffic generator writes millions of frames.
 *
 * <p>Frames longer than the snaplen are cut to it, their original length kept in the record, as
 * libpcap does. Timestamps are nanoseconds since the epoch; a microsecond file keeps the
 * microseconds.
 *
 * <p>Everything is on disk after {@link #flush()} or {@link #close()}; a writer that is never
 * closed may lose up to a buffer's worth of frames.
 *
 * <p><b>Thread-safety:</b> single owner.
 */
public final class PcapWriter implements AutoCloseable {
    /** Buffer size unless the snaplen needs more. */
    public static final int DEFAULT_BUFFER_BYTES = 1 << 20;

    private final String fileName;
    private final FileChannel channel;
    private final ByteBuffer byteBuffer;
    private final UnsafeBuffer buffer;
    private final int snaplen;
    private final boolean nanosecondTimestamps;
    private final ByteOrder order;
    private int position;
    private long framesWritten;
    private boolean closed;

    private PcapWriter(Path file, FileChannel channel, int snaplen, boolean nanosecondTimestamps, ByteOrder order)
            throws IOException {
        this.fileName = file.toString();
        this.channel = channel;
        this.snaplen = snaplen;
        this.nanosecondTimestamps = nanosecondTimestamps;
        this.order = order;
        int capacity = Math.max(DEFAULT_BUFFER_BYTES, PcapFormat.FILE_HEADER_BYTES + PcapFormat.RECORD_HEADER_BYTES + snaplen);
        this.byteBuffer = ByteBuffer.allocateDirect(capacity);
        this.buffer = new UnsafeBuffer(byteBuffer);
        buffer.putInt(PcapFormat.MAGIC_OFFSET,
                nanosecondTimestamps ? PcapFormat.MAGIC_NANOS : PcapFormat.MAGIC_MICROS, order);
        buffer.putShort(PcapFormat.VERSION_MAJOR_OFFSET, PcapFormat.VERSION_MAJOR, order);
        buffer.putShort(PcapFormat.VERSION_MINOR_OFFSET, PcapFormat.VERSION_MINOR, order);
        buffer.putInt(PcapFormat.THISZONE_OFFSET, 0, order);
        buffer.putInt(PcapFormat.SIGFIGS_OFFSET, 0, order);
        buffer.putInt(PcapFormat.SNAPLEN_OFFSET, snaplen, order);
        buffer.putInt(PcapFormat.LINK_TYPE_OFFSET, PcapFormat.LINKTYPE_ETHERNET, order);
        position = PcapFormat.FILE_HEADER_BYTES;
    }

    /**
     * Creates (or truncates) {@code file} as a little-endian pcap with nanosecond timestamps.
     *
     * @param snaplen longest frame stored whole, 1..{@value PcapFormat#MAX_SNAPLEN}
     */
    public static PcapWriter open(Path file, int snaplen) throws IOException {
        return open(file, snaplen, true, ByteOrder.LITTLE_ENDIAN);
    }

    /** Creates (or truncates) {@code file} with the given timestamp resolution and byte order. */
    public static PcapWriter open(Path file, int snaplen, boolean nanosecondTimestamps, ByteOrder order)
            throws IOException {
        if (snaplen < 1 || snaplen > PcapFormat.MAX_SNAPLEN) {
            throw new IllegalArgumentException(
                    file + ": snaplen must be within 1.." + PcapFormat.MAX_SNAPLEN + ", got " + snaplen);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            return new PcapWriter(file, channel, snaplen, nanosecondTimestamps, order);
        } catch (RuntimeException | IOException | Error e) {
            channel.close();
            throw e;
        }
    }

    public String fileName() {
        return fileName;
    }

    public int snaplen() {
        return snaplen;
    }

    public long framesWritten() {
        return framesWritten;
    }

    /** Appends one frame of {@code length} bytes taken from {@code frame[offset..]}. */
    public void write(byte[] frame, int offset, int length, long timestampNanos) throws IOException {
        int captured = beginRecord(length, timestampNanos);
        buffer.putBytes(position, frame, offset, captured);
        position += captured;
    }

    /** Appends one frame of {@code length} bytes taken from {@code frame} at {@code offset}. */
    public void write(DirectBuffer frame, int offset, int length, long timestampNanos) throws IOException {
        int captured = beginRecord(length, timestampNanos);
        buffer.putBytes(position, frame, offset, captured);
        position += captured;
    }

    /** Writes out everything buffered. */
    public void flush() throws IOException {
        ensureOpen();
        byteBuffer.limit(position).position(0);
        while (byteBuffer.hasRemaining()) {
            channel.write(byteBuffer);
        }
        byteBuffer.clear();
        position = 0;
    }

    /** Flushes and closes the file; idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            try {
                channel.close();
            } finally {
                BufferUtil.free(byteBuffer);
            }
        }
    }

    /** Writes the record header and returns how many frame bytes follow it. */
    private int beginRecord(int length, long timestampNanos) throws IOException {
        if (length < 0) {
            throw new IllegalArgumentException(fileName + ": frame length " + length + " is negative");
        }
        int captured = Math.min(length, snaplen);
        if (position + PcapFormat.RECORD_HEADER_BYTES + captured > buffer.capacity()) {
            flush();
        }
        ensureOpen();
        long seconds = Math.floorDiv(timestampNanos, 1_000_000_000L);
        long nanos = Math.floorMod(timestampNanos, 1_000_000_000L);
        int p = position;
        buffer.putInt(p + PcapFormat.TS_SECONDS_OFFSET, (int) seconds, order);
        buffer.putInt(p + PcapFormat.TS_FRACTION_OFFSET, (int) (nanosecondTimestamps ? nanos : nanos / 1000), order);
        buffer.putInt(p + PcapFormat.CAPTURED_LENGTH_OFFSET, captured, order);
        buffer.putInt(p + PcapFormat.ORIGINAL_LENGTH_OFFSET, length, order);
        position = p + PcapFormat.RECORD_HEADER_BYTES;
        framesWritten++;
        return captured;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException(fileName + ": pcap writer is closed");
        }
    }
}
