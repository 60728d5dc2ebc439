package dev.jvswitch.pmd.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads the frames of a classic pcap file (see {@link PcapFormat}), in either byte order and with
 * micro- or nanosecond timestamps. Only Ethernet captures are accepted.
 *
 * <p>Two sources share one parser: a file streamed through a fixed window (for tools and tests,
 * {@link #open(Path)}), or a whole file already in memory, walked in place ({@link PcapImage}).
 * Frames are handed to a {@link FrameHandler} as a range of a buffer that is only valid during
 * the call, or copied out with {@link #nextFrame()}.
 *
 * <p>Malformed input fails with a {@link PcapException} whose one-line message names the file
 * and what is wrong: {@code "x.pcap: not a pcap file (magic 0x0a0d0d0a)"},
 * {@code "x.pcap: link type 113 is not Ethernet (1)"},
 * {@code "x.pcap: truncated record at byte 1234"}.
 *
 * <p><b>Thread-safety:</b> single owner.
 */
public final class PcapReader implements AutoCloseable {
    /** Receives one frame; {@code buffer} is valid only during the call. */
    @FunctionalInterface
    public interface FrameHandler {
        void onFrame(DirectBuffer buffer, int offset, int capturedLength, int originalLength, long timestampNanos);
    }

    /** Room for the largest record twice over, so a refill always makes progress. */
    private static final int WINDOW_BYTES = 2 * (PcapFormat.RECORD_HEADER_BYTES + PcapFormat.MAX_SNAPLEN);

    private final String fileName;
    private final FileChannel channel;
    private final ByteBuffer window;
    private final UnsafeBuffer buffer;
    private final ByteOrder order;
    private final boolean nanosecondTimestamps;
    private final int snaplen;
    private final int linkType;
    /** Unread bytes are {@code buffer[start, end)}; {@code start} is at file offset {@code startFileOffset}. */
    private int start;
    private int end;
    private long startFileOffset;
    private boolean eof;
    private long framesRead;
    private byte[] copied;
    private final FrameHandler copier = (b, off, len, orig, ts) -> {
        byte[] out = new byte[len];
        b.getBytes(off, out, 0, len);
        copied = out;
    };

    private PcapReader(String fileName, FileChannel channel, UnsafeBuffer image, int imageLength) throws IOException {
        this.fileName = fileName;
        this.channel = channel;
        if (channel != null) {
            this.window = ByteBuffer.allocate(WINDOW_BYTES);
            this.buffer = new UnsafeBuffer(window.array());
            this.end = 0;
        } else {
            this.window = null;
            this.buffer = image;
            this.end = imageLength;
            this.eof = true;
        }
        ensure(PcapFormat.FILE_HEADER_BYTES);
        int available = end - start;
        if (available < 4) {
            throw new PcapException(fileName + ": not a pcap file (only " + available + " bytes)");
        }
        int magic = buffer.getInt(start + PcapFormat.MAGIC_OFFSET, ByteOrder.BIG_ENDIAN);
        if (magic == PcapFormat.MAGIC_MICROS || magic == PcapFormat.MAGIC_NANOS) {
            order = ByteOrder.BIG_ENDIAN;
        } else if (Integer.reverseBytes(magic) == PcapFormat.MAGIC_MICROS
                || Integer.reverseBytes(magic) == PcapFormat.MAGIC_NANOS) {
            order = ByteOrder.LITTLE_ENDIAN;
            magic = Integer.reverseBytes(magic);
        } else {
            throw new PcapException(fileName + ": not a pcap file (magic 0x" + hex8(magic) + ")");
        }
        nanosecondTimestamps = magic == PcapFormat.MAGIC_NANOS;
        if (available < PcapFormat.FILE_HEADER_BYTES) {
            throw new PcapException(fileName + ": truncated file header (" + available + " of "
                    + PcapFormat.FILE_HEADER_BYTES + " bytes)");
        }
        snaplen = buffer.getInt(start + PcapFormat.SNAPLEN_OFFSET, order);
        // The upper 16 bits may carry FCS information; the link type is the lower 16.
        linkType = buffer.getInt(start + PcapFormat.LINK_TYPE_OFFSET, order) & 0xffff;
        if (linkType != PcapFormat.LINKTYPE_ETHERNET) {
            throw new PcapException(fileName + ": link type " + linkType + " is not Ethernet ("
                    + PcapFormat.LINKTYPE_ETHERNET + ")");
        }
        consume(PcapFormat.FILE_HEADER_BYTES);
    }

    /** Opens {@code file} and reads its header; fails naming the file if it is not an Ethernet pcap. */
    public static PcapReader open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new PcapReader(file.toString(), channel, null, 0);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Reads a file already held in {@code image[0, length)}; the offsets handed to handlers index
     * {@code image} itself, so frames can be used in place.
     */
    static PcapReader overImage(String fileName, UnsafeBuffer image, int length) throws IOException {
        return new PcapReader(fileName, null, image, length);
    }

    /** Every frame of {@code file}, copied into arrays (tests and tools). */
    public static List<byte[]> readAll(Path file) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        try (PcapReader reader = open(file)) {
            byte[] frame;
            while ((frame = reader.nextFrame()) != null) {
                frames.add(frame);
            }
        }
        return frames;
    }

    public String fileName() {
        return fileName;
    }

    /** The byte order the file was written in. */
    public ByteOrder byteOrder() {
        return order;
    }

    /** True for the nanosecond magic, false for microseconds. */
    public boolean nanosecondTimestamps() {
        return nanosecondTimestamps;
    }

    public int snaplen() {
        return snaplen;
    }

    public int linkType() {
        return linkType;
    }

    /** Frames read so far. */
    public long framesRead() {
        return framesRead;
    }

    /**
     * Reads the next frame into {@code handler}.
     *
     * @return false at the end of the file
     */
    public boolean next(FrameHandler handler) throws IOException {
        if (!ensure(PcapFormat.RECORD_HEADER_BYTES)) {
            if (start == end) {
                return false;
            }
            throw truncated();
        }
        int captured = buffer.getInt(start + PcapFormat.CAPTURED_LENGTH_OFFSET, order);
        if (captured < 0 || captured > PcapFormat.MAX_SNAPLEN) {
            throw new PcapException(fileName + ": record at byte " + (startFileOffset + start)
                    + " claims " + Integer.toUnsignedString(captured) + " captured bytes (limit "
                    + PcapFormat.MAX_SNAPLEN + ")");
        }
        if (!ensure(PcapFormat.RECORD_HEADER_BYTES + captured)) {
            throw truncated();
        }
        int original = buffer.getInt(start + PcapFormat.ORIGINAL_LENGTH_OFFSET, order);
        long seconds = buffer.getInt(start + PcapFormat.TS_SECONDS_OFFSET, order) & 0xffffffffL;
        long fraction = buffer.getInt(start + PcapFormat.TS_FRACTION_OFFSET, order) & 0xffffffffL;
        long timestampNanos = seconds * 1_000_000_000L + (nanosecondTimestamps ? fraction : fraction * 1000);
        handler.onFrame(buffer, start + PcapFormat.RECORD_HEADER_BYTES, captured, original, timestampNanos);
        consume(PcapFormat.RECORD_HEADER_BYTES + captured);
        framesRead++;
        return true;
    }

    /** The next frame's captured bytes, or {@code null} at the end of the file. */
    public byte[] nextFrame() throws IOException {
        copied = null;
        return next(copier) ? copied : null;
    }

    /** Hands every remaining frame to {@code handler}; returns how many there were. */
    public long forEach(FrameHandler handler) throws IOException {
        long n = 0;
        while (next(handler)) {
            n++;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    private PcapException truncated() {
        return new PcapException(fileName + ": truncated record at byte " + (startFileOffset + start));
    }

    private void consume(int bytes) {
        start += bytes;
    }

    /** Makes at least {@code bytes} unread bytes available if the file has them. */
    private boolean ensure(int bytes) throws IOException {
        if (end - start >= bytes) {
            return true;
        }
        if (eof) {
            return false;
        }
        byte[] array = window.array();
        System.arraycopy(array, start, array, 0, end - start);
        startFileOffset += start;
        end -= start;
        start = 0;
        while (end < bytes) {
            window.limit(array.length).position(end);
            int n = channel.read(window);
            if (n < 0) {
                eof = true;
                return false;
            }
            end += n;
        }
        return true;
    }

    private static String hex8(int value) {
        String s = Integer.toHexString(value);
        return "00000000".substring(s.length()) + s;
    }
}
