package dev.jvswitch.pmd.pcap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds pcap files byte by byte, independently of {@link PcapWriter}, so reader tests do not
 * trust the writer and malformed files are easy to make.
 */
public final class PcapBytes {
    private final ByteOrder order;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private PcapBytes(ByteOrder order) {
        this.order = order;
    }

    /** A file header with the given magic (as read in {@code order}), snaplen and link type. */
    public static PcapBytes header(ByteOrder order, int magic, int snaplen, int linkType) {
        PcapBytes b = new PcapBytes(order);
        ByteBuffer h = ByteBuffer.allocate(24).order(order);
        h.putInt(magic).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(snaplen).putInt(linkType);
        b.out.writeBytes(h.array());
        return b;
    }

    /** An Ethernet file header with microsecond timestamps. */
    public static PcapBytes micros(ByteOrder order) {
        return header(order, PcapFormat.MAGIC_MICROS, 65535, 1);
    }

    /** An Ethernet file header with nanosecond timestamps. */
    public static PcapBytes nanos(ByteOrder order) {
        return header(order, PcapFormat.MAGIC_NANOS, 65535, 1);
    }

    /** A record whose captured length is {@code frame.length}. */
    public PcapBytes record(int seconds, int fraction, byte[] frame) {
        return record(seconds, fraction, frame.length, frame.length, frame);
    }

    /** A record with explicit lengths (which may lie about {@code frame}). */
    public PcapBytes record(int seconds, int fraction, int captured, int original, byte[] frame) {
        ByteBuffer h = ByteBuffer.allocate(16).order(order);
        h.putInt(seconds).putInt(fraction).putInt(captured).putInt(original);
        out.writeBytes(h.array());
        out.writeBytes(frame);
        return this;
    }

    /** Raw bytes appended as they are. */
    public PcapBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    public int size() {
        return out.size();
    }

    public Path writeTo(Path file) {
        try {
            return Files.write(file, bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A frame of {@code size} bytes: a fixed Ethernet header then a pattern from {@code seed}. */
    public static byte[] frame(int size, int seed) {
        byte[] f = new byte[size];
        for (int i = 0; i < size; i++) {
            f[i] = (byte) (seed * 7 + i * 13);
        }
        if (size >= 14) {
            f[0] = 0x02;
            f[6] = 0x02;
            f[12] = 0x08;
            f[13] = 0x00;
        }
        return f;
    }
}
